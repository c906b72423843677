/**
 * Scoring benchmark: npm run bench:score
 * Generates 53,000 random valid assessments (one per school nationally) with a seeded PRNG,
 * before timing, then scores them all with explanations and prints the throughput.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEditionJson, type Edition } from "../app/domain/catalogue";
import { scoreAssessment, type Answers, type AnswerValue } from "../app/domain/scoring";

const COUNT = Number(process.env.BENCH_COUNT ?? 53_000);
const SEED = Number(process.env.BENCH_SEED ?? 4725);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomAnswers(edition: Edition, rand: () => number): Answers {
  const int = (n: number) => Math.floor(rand() * n);
  const answers: Record<string, AnswerValue> = {};
  for (const g of edition.groups)
    for (const ind of g.indicators)
      for (const it of ind.items) {
        if (rand() < 0.05) continue; // some unanswered
        switch (it.rule) {
          case "mandatory":
            answers[it.code] = rand() < 0.9;
            break;
          case "boolean":
            answers[it.code] = rand() < 0.6;
            break;
          case "ratio": {
            const denominator = 1 + int(300);
            answers[it.code] = { numerator: int(denominator + 1), denominator };
            break;
          }
          case "choice":
            answers[it.code] = it.options[int(it.options.length)].id;
            break;
        }
      }
  return answers;
}

function main(): void {
  const file = fileURLToPath(new URL("../indicators/qd-4725-2022/edition.json", import.meta.url));
  const parsed = parseEditionJson(readFileSync(file, "utf8"));
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(`${e.vi} | ${e.en}`);
    process.exit(2);
  }
  const edition = parsed.edition;
  const rand = prng(SEED);
  const assessments: Answers[] = [];
  for (let i = 0; i < COUNT; i++) assessments.push(randomAnswers(edition, rand));

  // Warm-up (JIT), not timed.
  for (let i = 0; i < Math.min(2000, COUNT); i++) scoreAssessment(edition, assessments[i]);

  const levels = [0, 0, 0, 0];
  const t0 = performance.now();
  for (const a of assessments) levels[scoreAssessment(edition, a).level]++;
  const ms = performance.now() - t0;

  const perSecond = Math.round((COUNT / ms) * 1000);
  console.log(`scored ${COUNT} assessments in ${ms.toFixed(1)} ms (${perSecond} assessments/s)`);
  console.log(`levels: Mức 1 ${levels[1]}, Mức 2 ${levels[2]}, Mức 3 ${levels[3]}`);
  console.log(ms < 1000 ? "OK: under 1 s" : "SLOW: over 1 s");
}

main();
