// Bundles the PDF worker thread (app/server/pdf/worker.ts) to build/pdf-worker.mjs with esbuild.
// Remix's classic compiler bundles the server into build/index.js alone, and a worker thread needs a
// file of its own. ESM, platform node; npm packages stay external (pdfkit, fontkit and the fonts load
// from node_modules, so the bundle must sit inside the project: build/ or node_modules/.cache/).
//   node scripts/build-workers.mjs            → build/pdf-worker.mjs (part of `npm run build`)
//   buildPdfWorker({ root, outfile })         → the same bundle anywhere under root (tests, benchmarks)
//   buildPdfWorkerTemp(root, label)           → a fresh bundle in node_modules/.cache/pdf-worker/, with dispose()
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const WORKER_ENTRY = "app/server/pdf/worker.ts";
export const WORKER_OUT = "build/pdf-worker.mjs";

/** `~/x` → `<root>/app/x`, resolved like any relative import (extensions, index files). */
function appAlias(root) {
  return {
    name: "app-alias",
    setup(build) {
      build.onResolve({ filter: /^~\// }, (args) =>
        build.resolve(`./${args.path.slice(2)}`, { kind: args.kind, resolveDir: path.join(root, "app") }),
      );
    },
  };
}

/** Builds the worker bundle to outfile (default build/pdf-worker.mjs under root); returns its path. */
export async function buildPdfWorker({ root = ROOT, outfile = path.join(root, WORKER_OUT), quiet = false } = {}) {
  const out = path.resolve(root, outfile);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written beside the target and renamed: a server starting meanwhile never loads half a file.
  const tmp = `${out}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, WORKER_ENTRY)],
      outfile: tmp,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      plugins: [appAlias(root)],
      sourcemap: false,
      legalComments: "none",
      logLevel: quiet ? "silent" : "warning",
      banner: { js: "// Built by scripts/build-workers.mjs from app/server/pdf/worker.ts: do not edit." },
    });
    fs.renameSync(tmp, out);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return out;
}

/** A fresh bundle from the current sources in a directory of its own; dispose() removes it. */
export async function buildPdfWorkerTemp(root = ROOT, label = "tmp") {
  const dir = path.join(root, "node_modules", ".cache", "pdf-worker", `${label}-${process.pid}-${randomBytes(4).toString("hex")}`);
  const file = await buildPdfWorker({ root, outfile: path.join(dir, "pdf-worker.mjs"), quiet: true });
  return { file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildPdfWorker();
  console.log(`PDF worker: ${path.relative(process.cwd(), out)}`);
}
