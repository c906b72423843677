// Browser tests: vitest drives Debian's Chromium through playwright-core against the real server.
// Run with `npm run test:browser` (scripts/test-browser.mjs).
import { defineConfig } from "vitest/config";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

export default defineConfig({
  root,
  // Tests may prepare data with the app's own services (same database file as the server).
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    environment: "node",
    // One browser-driving fork at a time: the tests share one server and one database.
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
