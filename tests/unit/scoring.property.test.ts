/**
 * Properties of the scoring engine over random answers (fast-check).
 */
import fc from "fast-check";
import type { Edition, Item } from "~/domain/catalogue";
import { scoreAssessment, validateAnswers, type Answers, type AnswerValue, type ScoreResult } from "~/domain/scoring";
import { loadEdition, testEditionRaw } from "./_fixtures";

const editions: Edition[] = [loadEdition(), loadEdition(testEditionRaw())];
const items = (e: Edition): Item[] => e.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));

const ratioArb = fc.oneof(
  fc.integer({ min: 1, max: 500 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
).chain((denominator) => fc.record({ numerator: fc.integer({ min: 0, max: denominator }), denominator: fc.constant(denominator) }));

function valueArb(item: Item): fc.Arbitrary<AnswerValue | undefined> {
  const value: fc.Arbitrary<AnswerValue> =
    item.rule === "mandatory" || item.rule === "boolean"
      ? fc.boolean()
      : item.rule === "ratio"
        ? ratioArb
        : fc.constantFrom(...item.options.map((o) => o.id));
  return fc.option(value, { nil: undefined, freq: 4 });
}

function answersArb(e: Edition): fc.Arbitrary<Record<string, AnswerValue>> {
  const entries = items(e).map((it) => valueArb(it).map((v) => [it.code, v] as const));
  return fc.tuple(...entries).map((pairs) => {
    const out: Record<string, AnswerValue> = {};
    for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
    return out;
  });
}

const editionAndAnswers = fc.constantFrom(...editions).chain((e) => answersArb(e).map((a) => ({ e, a })));

/** Every number of a result as a map, to compare two results. */
function scoresOf(r: ScoreResult) {
  return {
    items: new Map(r.items.map((i) => [i.code, i.points])),
    indicators: new Map(r.indicators.map((i) => [i.code, i.points])),
    groups: new Map(r.groups.map((g) => [g.code, { points: g.points, level: g.level }])),
    level: r.level,
  };
}

/** b ≥ a everywhere (points and levels). */
function expectNotLower(a: ScoreResult, b: ScoreResult) {
  const A = scoresOf(a);
  const B = scoresOf(b);
  for (const [k, v] of A.items) expect(B.items.get(k)!).toBeGreaterThanOrEqual(v);
  for (const [k, v] of A.indicators) expect(B.indicators.get(k)!).toBeGreaterThanOrEqual(v);
  for (const [k, v] of A.groups) {
    expect(B.groups.get(k)!.points).toBeGreaterThanOrEqual(v.points);
    expect(B.groups.get(k)!.level).toBeGreaterThanOrEqual(v.level);
  }
  expect(B.level).toBeGreaterThanOrEqual(A.level);
}

describe("scoring properties", () => {
  it("generated answers are valid for validateAnswers", () => {
    fc.assert(
      fc.property(editionAndAnswers, ({ e, a }) => {
        expect(validateAnswers(e, a).errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("points are whole hundredths within [0, max] for items, indicators and groups, and add up", () => {
    fc.assert(
      fc.property(editionAndAnswers, ({ e, a }) => {
        const r = scoreAssessment(e, a);
        for (const x of [...r.items, ...r.indicators, ...r.groups]) {
          expect(Number.isInteger(x.points)).toBe(true);
          expect(x.points).toBeGreaterThanOrEqual(0);
          expect(x.points).toBeLessThanOrEqual(x.max);
        }
        for (const ind of r.indicators) {
          const sum = r.items.filter((i) => i.indicatorCode === ind.code).reduce((s, i) => s + i.points, 0);
          expect(ind.points).toBe(sum);
        }
        for (const g of r.groups) {
          const sum = r.indicators.filter((i) => i.groupCode === g.code).reduce((s, i) => s + i.points, 0);
          expect(g.points).toBe(sum);
          expect(g.level).toBeLessThanOrEqual(g.pointsLevel);
        }
        expect(r.level).toBe(Math.min(...r.groups.map((g) => g.level)));
      }),
      { numRuns: 300 },
    );
  });

  it("meeting one more boolean or mandatory item never lowers any score or level", () => {
    fc.assert(
      fc.property(
        editionAndAnswers.chain(({ e, a }) => {
          const candidates = items(e).filter((i) => i.rule === "boolean" || i.rule === "mandatory");
          return fc.constantFrom(...candidates).map((item) => ({ e, a, item }));
        }),
        ({ e, a, item }) => {
          const before = scoreAssessment(e, a);
          const after = scoreAssessment(e, { ...a, [item.code]: true });
          expectNotLower(before, after);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("raising a ratio numerator (up to the denominator) never lowers any score or level", () => {
    fc.assert(
      fc.property(
        editionAndAnswers.chain(({ e, a }) => {
          const ratios = items(e).filter((i) => i.rule === "ratio");
          return fc
            .tuple(fc.constantFrom(...ratios), ratioArb, fc.double({ min: 0, max: 1, noNaN: true }))
            .map(([item, r, t]) => {
              const raised = r.numerator + Math.floor((r.denominator - r.numerator) * t);
              return { e, a, code: item.code, low: r, high: { numerator: Math.min(raised, r.denominator), denominator: r.denominator } };
            });
        }),
        ({ e, a, code, low, high }) => {
          const before = scoreAssessment(e, { ...a, [code]: low });
          const after = scoreAssessment(e, { ...a, [code]: high });
          expectNotLower(before, after);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("choosing a better-paid option never lowers any score", () => {
    const e = editions[0];
    const choices = items(e).filter((i) => i.rule === "choice");
    fc.assert(
      fc.property(answersArb(e), fc.constantFrom(...choices), (a, item) => {
        if (item.rule !== "choice") return;
        const sorted = [...item.options].sort((x, y) => x.points - y.points);
        for (let k = 1; k < sorted.length; k++) {
          expectNotLower(
            scoreAssessment(e, { ...a, [item.code]: sorted[k - 1].id }),
            scoreAssessment(e, { ...a, [item.code]: sorted[k].id }),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it("results do not depend on the order of the answer keys", () => {
    fc.assert(
      fc.property(
        editionAndAnswers.chain(({ e, a }) => {
          const keys = Object.keys(a);
          return fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }).map((order) => ({ e, a, order }));
        }),
        ({ e, a, order }) => {
          const shuffled: Record<string, AnswerValue> = {};
          for (const k of order) shuffled[k] = a[k];
          expect(scoreAssessment(e, shuffled as Answers)).toEqual(scoreAssessment(e, a));
        },
      ),
      { numRuns: 200 },
    );
  });
});
