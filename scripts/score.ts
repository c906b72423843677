/**
 * Score CLI: npm run -s score -- FILE
 *
 * FILE: {"answers": {"1.1": true, "1.6.1": {"numerator": 29, "denominator": 200}, "1.7.2": "co-ban", …},
 *        "catalogue": "qd-4725-2022"}   (catalogue optional: default = newest published edition)
 * Prints the result as JSON on stdout (points as JSON numbers). Exit status:
 *   0 scored; 2 invalid input (file, JSON, answers, unknown catalogue, invalid edition file): one line
 *   per problem on stderr, nothing on stdout; 1 unexpected internal error.
 * Editions are read from indicators/<id>/edition.json (override the folder with CDS_INDICATORS_DIR).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEditionJson, selectDefaultEdition, type Edition } from "../app/domain/catalogue";
import { scoreAssessment, validateAnswers } from "../app/domain/scoring";

class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

const line = (vi: string, en: string) => `${vi} | ${en}`;

function indicatorsDir(): string {
  return process.env.CDS_INDICATORS_DIR
    ? path.resolve(process.env.CDS_INDICATORS_DIR)
    : fileURLToPath(new URL("../indicators", import.meta.url));
}

function loadEditionFile(file: string): Edition {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new InputError([line(`Không đọc được tệp bộ chỉ số ${file} (${why}).`, `Cannot read edition file ${file} (${why}).`)]);
  }
  const r = parseEditionJson(text);
  if (!r.ok) throw new InputError(r.errors.map((err) => `${file}: ${line(err.vi, err.en)}`));
  return r.edition;
}

function editionFiles(dir: string): { id: string; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "edition.json")))
    .map((d) => ({ id: d.name, file: path.join(dir, d.name, "edition.json") }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function loadEdition(catalogue: string | undefined): Edition {
  const dir = indicatorsDir();
  const files = editionFiles(dir);
  const known = files.map((f) => f.id).join(", ") || "—";
  if (catalogue !== undefined) {
    const f = files.find((x) => x.id === catalogue);
    if (!f)
      throw new InputError([
        line(`Không có bộ chỉ số "${catalogue}"; các bộ chỉ số có: ${known}.`, `Unknown catalogue "${catalogue}"; available: ${known}.`),
      ]);
    const edition = loadEditionFile(f.file);
    if (edition.id !== catalogue)
      throw new InputError([
        line(
          `${f.file}: mã phiên bản "${edition.id}" khác tên thư mục "${catalogue}".`,
          `${f.file}: edition id "${edition.id}" differs from its folder "${catalogue}".`,
        ),
      ]);
    return edition;
  }
  const editions: Edition[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      editions.push(loadEditionFile(f.file));
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.lines);
      else throw e;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const chosen = selectDefaultEdition(editions);
  if (!chosen)
    throw new InputError([line(`Không có bộ chỉ số nào đã ban hành trong ${dir}.`, `No published catalogue edition in ${dir}.`)]);
  return chosen;
}

const toPoints = (h: number) => h / 100;

export function run(argv: string[]): { stdout: string; warnings: string[] } {
  const args = argv.filter((a) => a !== "--");
  if (args.length !== 1)
    throw new InputError([
      line("Cách dùng: npm run -s score -- TỆP.json (đúng một tệp).", "Usage: npm run -s score -- FILE.json (exactly one file)."),
    ]);
  const file = args[0];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new InputError([line(`Không đọc được tệp ${file} (${why}).`, `Cannot read file ${file} (${why}).`)]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new InputError([line(`Tệp ${file} không phải JSON hợp lệ: ${why}`, `File ${file} is not valid JSON: ${why}`)]);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new InputError([
      line(`Tệp ${file} phải chứa một đối tượng JSON {"answers": {…}}.`, `File ${file} must hold a JSON object {"answers": {…}}.`),
    ]);
  const obj = input as Record<string, unknown>;
  const problems: string[] = [];
  const answersRaw = obj.answers;
  if (typeof answersRaw !== "object" || answersRaw === null || Array.isArray(answersRaw))
    problems.push(
      line(
        `Thiếu đối tượng "answers" (dạng {"mã tiêu chí": giá trị}) trong ${file}.`,
        `Missing "answers" object ({"item code": value}) in ${file}.`,
      ),
    );
  const catalogue = obj.catalogue;
  if (catalogue !== undefined && typeof catalogue !== "string")
    problems.push(line(`"catalogue" phải là chuỗi (mã bộ chỉ số).`, `"catalogue" must be a string (an edition id).`));
  if (problems.length > 0) throw new InputError(problems);

  const edition = loadEdition(catalogue as string | undefined);
  const v = validateAnswers(edition, answersRaw);
  if (v.errors.length > 0) throw new InputError(v.errors.map((e) => line(e.vi, e.en)));

  const r = scoreAssessment(edition, v.answers);
  const groups: Record<string, { points: number; max: number; level: number }> = {};
  for (const g of r.groups) groups[g.code] = { points: toPoints(g.points), max: toPoints(g.max), level: g.level };
  const indicators: Record<string, { points: number; max: number; band?: number }> = {};
  for (const i of r.indicators) {
    if (!i.scored) continue;
    indicators[i.code] = { points: toPoints(i.points), max: toPoints(i.max), ...(i.band ? { band: i.band.level } : {}) };
  }
  const items: Record<string, { points: number; max: number; met?: boolean; explanation: string }> = {};
  for (const it of r.items) {
    items[it.code] = {
      points: toPoints(it.points),
      max: toPoints(it.max),
      ...(it.rule === "mandatory" ? { met: it.met === true } : {}),
      explanation: it.explanation,
    };
  }
  const out = { catalogue: edition.id, level: r.level, mandatoryUnmet: r.mandatoryUnmet, groups, indicators, items };
  return {
    stdout: JSON.stringify(out, null, 2) + "\n",
    warnings: v.warnings.map((w) => `cảnh báo: ${w.vi} | warning: ${w.en}`),
  };
}

function main(): void {
  try {
    const { stdout, warnings } = run(process.argv.slice(2));
    for (const w of warnings) process.stderr.write(w + "\n");
    process.stdout.write(stdout);
    process.exitCode = 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(e.lines.join("\n") + "\n");
      process.exitCode = 2;
    } else {
      const why = e instanceof Error ? e.message : String(e);
      process.stderr.write(line(`Lỗi nội bộ: ${why}`, `Internal error: ${why}`) + "\n");
      process.exitCode = 1;
    }
  }
}

main();
