/**
 * The import rules of the architecture: server code never imports components, and contracts in
 * app/domain import neither components nor server code. A violating import makes this fail.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../app");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
}

const resolved = (file: string, spec: string) =>
  spec.startsWith("~/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : spec;

describe("architecture", () => {
  const all = files(root);

  it("finds the source files it checks", () => {
    expect(all.filter((f) => f.includes(`${path.sep}server${path.sep}`)).length).toBeGreaterThan(20);
    expect(all.filter((f) => f.includes(`${path.sep}domain${path.sep}`)).length).toBeGreaterThan(5);
  });

  it("server code never imports components", () => {
    const bad = all
      .filter((f) => f.startsWith(path.join(root, "server")) || /\.server\.tsx?$/.test(f))
      .flatMap((f) => imports(f).filter((s) => resolved(f, s).startsWith(path.join(root, "components"))).map((s) => `${path.relative(root, f)} → ${s}`));
    expect(bad).toEqual([]);
  });

  it("domain contracts import neither components nor server code", () => {
    const bad = all
      .filter((f) => f.startsWith(path.join(root, "domain")))
      .flatMap((f) =>
        imports(f)
          .filter((s) => {
            const r = resolved(f, s);
            return r.startsWith(path.join(root, "components")) || r.startsWith(path.join(root, "server")) || r.startsWith(path.join(root, "routes"));
          })
          .map((s) => `${path.relative(root, f)} → ${s}`),
      );
    expect(bad).toEqual([]);
  });
});
