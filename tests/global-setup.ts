/**
 * Once per test run: bundles the PDF worker (app/server/pdf/worker.ts) from the current sources
 * into a fresh directory (node_modules/.cache/pdf-worker/, inside the project so that pdfkit and
 * the fonts resolve) with the same function as `npm run build` (scripts/build-workers.mjs), and
 * points PDF_WORKER_PATH at it for every test file. A build/pdf-worker.mjs left by an older build
 * is therefore never used by the tests (and the pool has no default path when run from sources).
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildPdfWorkerTemp } from "../scripts/build-workers.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pdfWorkerPath: string;
  }
}

export default async function setup(project: TestProject) {
  const root = path.resolve(__dirname, "..");
  const { file, dispose } = await buildPdfWorkerTemp(root, "vitest");
  // Inherited by the test forks, which start after this.
  process.env.PDF_WORKER_PATH = file;
  project.provide("pdfWorkerPath", file);
  return () => dispose();
}
