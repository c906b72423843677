/**
 * The score CLI, run as a real process: `npx tsx scripts/score.ts FILE`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fullMarks, ITEM_CODES, rawEdition, rawItem, ROOT } from "./_fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cds-score-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function writeInput(content: unknown): string {
  const file = path.join(tmp, `input-${++n}.json`);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function score(file: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/score.ts", file], {
      cwd: ROOT,
      env: { ...process.env, ...env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr: stripNpmNoise(stderr) }));
  });
}

/** npx may print its own config warnings; they are not ours. */
const stripNpmNoise = (s: string) =>
  s
    .split("\n")
    .filter((l) => !l.startsWith("npm warn"))
    .join("\n");

const stderrLines = (r: Run) => r.stderr.split("\n").filter((l) => l.trim() !== "");

function expectInvalid(r: Run, lines: number) {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(stderrLines(r)).toHaveLength(lines);
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
}

describe("score CLI", () => {
  it("full marks", async () => {
    const r = await score(writeInput({ answers: fullMarks() }));
    expect(r.stderr.trim()).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["catalogue", "level", "mandatoryUnmet", "groups", "indicators", "items"]);
    expect(out.catalogue).toBe("qd-4725-2022");
    expect(out.level).toBe(3);
    expect(out.mandatoryUnmet).toEqual([]);
    expect(out.groups).toEqual({ "1": { points: 100, max: 100, level: 3 }, "2": { points: 100, max: 100, level: 3 } });
    expect(out.indicators).toEqual({
      "1.3": { points: 30, max: 30, band: 3 },
      "1.4": { points: 10, max: 10 },
      "1.5": { points: 20, max: 20 },
      "1.6": { points: 20, max: 20 },
      "1.7": { points: 20, max: 20 },
      "2.3": { points: 70, max: 70 },
      "2.4": { points: 30, max: 30 },
    });
    expect(Object.keys(out.items)).toEqual(ITEM_CODES);
    for (const code of ITEM_CODES) expect(out.items[code].points).toBe(out.items[code].max);
    expect(out.items["1.1"]).toMatchObject({ points: 0, max: 0, met: true });
    expect(out.items["2.3.3"]).toMatchObject({ points: 10, max: 10 });
    expect("met" in out.items["2.3.3"]).toBe(false);
  });

  it("the example: 1.1, 1.3.1, 1.6.1 = 29/200, 1.7.2 = co-ban", async () => {
    const r = await score(
      writeInput({ answers: { "1.1": true, "1.3.1": true, "1.6.1": { numerator: 29, denominator: 200 }, "1.7.2": "co-ban" } }),
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // Group 1: 1.3 = 6 (band 1, < 10), 1.6 = 7 × 29/200 = 1.015 → 1.02, 1.7 = 5 → 12.02 → Mức 1.
    // 1.2, 2.1, 2.2 unanswered → unmet → both groups and the institution Mức 1.
    expect(out).toMatchObject({
      catalogue: "qd-4725-2022",
      level: 1,
      mandatoryUnmet: ["1.2", "2.1", "2.2"],
      groups: { "1": { points: 12.02, max: 100, level: 1 }, "2": { points: 0, max: 100, level: 1 } },
    });
    expect(out.indicators["1.3"]).toEqual({ points: 6, max: 30, band: 1 });
    expect(out.indicators["1.6"]).toEqual({ points: 1.02, max: 20 });
    expect(out.indicators["1.7"]).toEqual({ points: 5, max: 20 });
    expect(out.items["1.6.1"]).toEqual({ points: 1.02, max: 7, explanation: "7 × 29/200 = 1,015 → 1,02" });
    expect(out.items["1.1"]).toMatchObject({ points: 0, max: 0, met: true });
    expect(out.items["1.2"]).toMatchObject({ points: 0, max: 0, met: false });
    expect(out.items["1.4"]).toMatchObject({ points: 0, max: 10 });
  });

  it("a 72.5 group at Mức 2 and the institution at the lower group level", async () => {
    const answers = {
      ...fullMarks(),
      "1.5.1": { numerator: 1, denominator: 2 }, // 15 × 1/2 = 7.5
      "1.5.2": false,
      "1.6.1": { numerator: 0, denominator: 40 },
      "1.6.2": { numerator: 0, denominator: 40 },
      "1.6.3": { numerator: 5, denominator: 6 }, // 6 × 5/6 = 5
    };
    // Group 1: 30 + 10 + 7.5 + 5 + 20 = 72.5 → Mức 2; group 2: 100 → Mức 3; institution Mức 2.
    const r = await score(writeInput({ answers, catalogue: "qd-4725-2022" }));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.groups).toEqual({ "1": { points: 72.5, max: 100, level: 2 }, "2": { points: 100, max: 100, level: 3 } });
    expect(out.level).toBe(2);
  });

  it("warns on stderr (exit 0) when the LMS info is missing", async () => {
    const r = await score(writeInput({ answers: { "1.3.2": true } }));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).indicators["1.3"].points).toBe(6);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toContain("1.3.lms");
  });

  it("refuses invalid answers: one line per problem, exit 2, nothing on stdout", async () => {
    const r = await score(
      writeInput({
        answers: {
          "9.9": true, // unknown code
          "1.1": "yes", // boolean expected
          "1.6.1": { numerator: 250, denominator: 200 }, // numerator > denominator
          "1.6.2": { numerator: 2.5, denominator: 10 }, // not whole
          "1.6.3": { numerator: 0, denominator: 0 }, // denominator 0
          "1.7.1": { numerator: -1, denominator: 3 }, // negative
          "1.4": 5, // ratio expected
          "1.7.2": "kha", // unknown option
        },
      }),
    );
    expectInvalid(r, 8);
    for (const code of ["9.9", "1.1", "1.6.1", "1.6.2", "1.6.3", "1.7.1", "1.4", "1.7.2"]) expect(r.stderr).toContain(`${code}:`);
    expect(r.stderr).toContain("tử số (250) lớn hơn mẫu số (200)");
    expect(r.stderr).toContain("numerator (250) is greater than denominator (200)");
  });

  it.each([
    ["an unknown option", { answers: { "1.7.2": "kha" } }, 'không có phương án "kha"'],
    ["an unknown catalogue", { catalogue: "qd-9999", answers: {} }, 'Không có bộ chỉ số "qd-9999"'],
    ["a missing answers object", { catalogue: "qd-4725-2022" }, 'Thiếu đối tượng "answers"'],
    ["answers as an array", { answers: [] }, 'Thiếu đối tượng "answers"'],
    ["a non-object file", [1, 2], "phải chứa một đối tượng JSON"],
    ["a non-string catalogue", { catalogue: 4725, answers: {} }, '"catalogue" phải là chuỗi'],
  ])("refuses %s", async (_name, content, message) => {
    const r = await score(writeInput(content));
    expectInvalid(r, 1);
    expect(r.stderr).toContain(message);
  });

  it("refuses invalid JSON", async () => {
    const r = await score(writeInput('{"answers": {"1.1": true,}'));
    expectInvalid(r, 1);
    expect(r.stderr).toContain("không phải JSON hợp lệ");
  });

  it("refuses an unreadable file", async () => {
    const r = await score(path.join(tmp, "does-not-exist.json"));
    expectInvalid(r, 1);
    expect(r.stderr).toContain("Không đọc được tệp");
    expect(r.stderr).toContain("ENOENT");
  });

  describe("with another indicators folder (CDS_INDICATORS_DIR)", () => {
    function indicatorsDir(editions: any[]): string {
      const dir = fs.mkdtempSync(path.join(tmp, "indicators-"));
      for (const e of editions) {
        fs.mkdirSync(path.join(dir, e.id));
        fs.writeFileSync(path.join(dir, e.id, "edition.json"), JSON.stringify(e));
      }
      return dir;
    }

    it("refuses an invalid edition file, naming the offending code", async () => {
      const broken = rawEdition();
      rawItem(broken, "2.3.3").max = 30;
      const dir = indicatorsDir([broken]);
      const input = writeInput({ answers: { "1.1": true } });
      for (const r of [
        await score(input, { CDS_INDICATORS_DIR: dir }),
        await score(writeInput({ catalogue: "qd-4725-2022", answers: {} }), { CDS_INDICATORS_DIR: dir }),
      ]) {
        expectInvalid(r, 1);
        expect(r.stderr).toContain("Chỉ số 2.3: tổng điểm tối đa của các tiêu chí là 90, khác 70.");
        expect(r.stderr).toContain("Indicator 2.3: item maxima add up to 90, not 70.");
      }
    });

    it("defaults to the newest published edition by publishedAt, ignoring drafts", async () => {
      const newer = { ...rawEdition(), id: "qd-4725-2030", publishedAt: "2030-01-01" };
      const draft = { ...rawEdition(), id: "qd-4725-2040", publishedAt: "2040-01-01", status: "draft" };
      const dir = indicatorsDir([rawEdition(), newer, draft]);
      const r = await score(writeInput({ answers: {} }), { CDS_INDICATORS_DIR: dir });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).catalogue).toBe("qd-4725-2030");
      const pinned = await score(writeInput({ catalogue: "qd-4725-2022", answers: {} }), { CDS_INDICATORS_DIR: dir });
      expect(JSON.parse(pinned.stdout).catalogue).toBe("qd-4725-2022");
    });
  });
});
