// Production server: express + Remix. Applies migrations at start, then listens on PORT (default 3000).
//   npm start                      serves DATABASE_PATH (default data/cds4725.sqlite); never seeds demo data
//   node scripts/serve.mjs --demo  used by `npm run demo`: seeds the demo province into its own database
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { buildIfNeeded } from "./build-if-needed.mjs";

/** TRUST_PROXY: "true"/"false", a hop count ("1"), or addresses/subnets ("loopback, 10.0.0.0/8"). */
export function parseTrustProxy(v) {
  const s = String(v).trim();
  if (s === "true") return true;
  if (s === "false") return false;
  if (/^\d+$/.test(s)) return Number(s);
  return s;
}

export async function startServer({ demo = false, port = Number(process.env.PORT || 3000), host = process.env.HOST || "0.0.0.0", quiet = false } = {}) {
  process.env.NODE_ENV ??= "production";
  buildIfNeeded();
  const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
  const entry = build.entry.module;

  if (demo) {
    const { seeded } = await entry.seedDemo();
    if (!quiet) console.log(seeded ? "Đã tạo dữ liệu mẫu (tỉnh demo, 32 trường, 5 tài khoản)." : "Dữ liệu mẫu đã có sẵn.");
  }
  const boot = await entry.bootstrap();
  if (boot.message && !quiet) (boot.ok ? console.log : console.error)(boot.message);
  if (!boot.ok) {
    process.exitCode = 1;
    return null;
  }

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", parseTrustProxy(process.env.TRUST_PROXY));

  // Security headers, cross-site refusal, the session check for writes and the body limits, all before
  // a byte of a body is read (app/server/http/guards.server.ts, reached through the build's entry).
  app.use(...entry.httpGuards());

  app.use("/build", express.static("build/public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/public", { maxAge: "1h" }));
  // Remix, with each body counted as it is read (413 at the first byte over the route's limit).
  app.all(
    "*",
    entry.createRemixHandler({ build, mode: process.env.NODE_ENV, getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }) }),
  );

  return await new Promise((resolve) => {
    const server = app.listen(port, host, () => {
      const addr = server.address();
      const shownPort = typeof addr === "object" && addr ? addr.port : port;
      if (!quiet) console.log(`CĐS 4725 đang chạy tại http://localhost:${shownPort}`);
      resolve(server);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit cleanly on Ctrl-C / SIGTERM (lets --cpu-prof write its profile).
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
  startServer({ demo: process.argv.includes("--demo") }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
