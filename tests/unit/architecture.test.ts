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

  it("a route's component uses no value imported from a .server module (the browser bundle has none of them)", () => {
    const bad: string[] = [];
    for (const f of all.filter((x) => x.startsWith(path.join(root, "routes")))) {
      const src = readFileSync(f, "utf8");
      const names = [...src.matchAll(/(?:^|\n)import\s+(?!type\b)\{([^}]*)\}\s+from\s+["']([^"']+\.server)["']/g)].flatMap((m) =>
        m[1]!
          .split(",")
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith("type "))
          .map((n) => n.split(/\s+as\s+/).pop()!.trim()),
      );
      // What runs in the browser: the default export and everything written after it.
      const start = src.search(/\nexport default function/);
      if (start < 0) continue;
      const client = src.slice(start);
      // A use of the name itself: not a property (t.approve), an object key or JSX attribute (approve: / approve=),
      // nor a word inside a string ("kt-approve", "can-bo").
      for (const n of names) if (new RegExp(`(?<![.\\w$"'\\-])${n}\\b(?!\\s*[:=]|["'\\-])`).test(client)) bad.push(`${path.relative(root, f)}: ${n}`);
    }
    expect(bad).toEqual([]);
  });
});
