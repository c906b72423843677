/**
 * Group commit (app/server/http/save-batch.server.ts): the lean save handler runs the saves that
 * arrive in one turn of the event loop in one IMMEDIATE transaction, each as a SAVEPOINT.
 * Checked on a real SQLite file, with the rows each save writes:
 *   - saves queued together share one transaction and each writes its answer, version and audit entry;
 *   - a save the door refuses (a conflict with an earlier save of the same batch) writes nothing,
 *     and the others still commit;
 *   - a save that throws rolls the batch back; the others are run again alone and written once;
 *   - a save is answered only once its rows are readable from another connection (committed).
 */
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, auditLog } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { answersForSave, answersOf, getAssessment, saveAnswersFor } from "~/server/services/assessments.server";
import { batchStats, inSaveBatch, MAX_BATCH } from "~/server/http/save-batch.server";

const file = useTestDatabase("save-batch");
const PW = "mat-khau-kiem-thu-lo";
const ids: number[] = [];
let head = 0;

beforeAll(async () => {
  const p = createUnit({ kind: "province", code: "SB-P", name: "Sở Lô", parentId: null }, null);
  const schools = ["A", "B", "C"].map((c) => createSchool({ code: `SB-${c}`, name: `Trường ${c}`, type: "TH", managingUnitId: p, reviewingUnitId: p }, null));
  const admin = await createUser({ username: "sb.so", displayName: "Sở Lô", password: PW, roles: ["office_admin"], unitId: p }, null);
  head = await createUser({ username: "sb.head", displayName: "Hiệu trưởng A", password: PW, roles: ["school_head"], schoolId: schools[0] }, null);
  openCycle({ ownerUnitId: p, schoolYear: "2094-2095", editionId: "qd-4725-2022", selfAssessmentDeadline: "2095-05-31", reviewDeadline: "2095-06-20" }, admin);
  for (const s of schools) ids.push(getDb().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id);
});

const version = (id: number) => getDb().select({ v: assessments.version }).from(assessments).where(eq(assessments.id, id)).get()!.v;
const audits = (id: number) => getDb().select().from(auditLog).where(eq(auditLog.assessmentId, id)).all().length;
const answer = (id: number, code: string) =>
  getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "self"), eq(answers.itemCode, code))).get();
const save = (id: number, baseVersion: number, code: string, value: boolean, seen = baseVersion) =>
  inSaveBatch(() => saveAnswersFor(getAssessment(id)!, { baseVersion, changes: { [code]: { value, seen } } }, head));

describe("group commit of the answer saves", () => {
  it("saves queued in one turn share one transaction; each writes its answer, its version and one audit entry", async () => {
    const v = ids.map(version);
    const n = ids.map(audits);
    const t0 = batchStats.transactions;
    const r = await Promise.all([save(ids[0], v[0], "1.3.1", true), save(ids[1], v[1], "1.3.1", true), save(ids[2], v[2], "1.3.2", true)]);
    expect(batchStats.transactions - t0).toBe(1);
    expect(r.map((x) => x.ok && x.version)).toEqual([v[0] + 1, v[1] + 1, v[2] + 1]);
    expect(ids.map(version)).toEqual([v[0] + 1, v[1] + 1, v[2] + 1]);
    expect(ids.map(audits)).toEqual([n[0] + 1, n[1] + 1, n[2] + 1]);
    expect([answer(ids[0], "1.3.1")?.value, answer(ids[1], "1.3.1")?.value, answer(ids[2], "1.3.2")?.value]).toEqual([true, true, true]);
    expect(answer(ids[0], "1.3.1")).toMatchObject({ version: v[0] + 1, updatedBy: head });
  });

  it("a save refused in a batch (it conflicts with an earlier save of the same batch) writes nothing; the others commit", async () => {
    const v = ids.map(version);
    const n = ids.map(audits);
    // Both start from the same version of assessment 0 and change 1.3.3 differently: the second conflicts.
    const [first, second, other] = await Promise.all([save(ids[0], v[0], "1.3.3", true), save(ids[0], v[0], "1.3.3", false), save(ids[1], v[1], "1.3.3", true)]);
    expect(first).toMatchObject({ ok: true, version: v[0] + 1 });
    expect(second).toMatchObject({ ok: false, kind: "conflict", version: v[0] + 1 });
    expect(other).toMatchObject({ ok: true, version: v[1] + 1 });
    expect([version(ids[0]), version(ids[1])]).toEqual([v[0] + 1, v[1] + 1]);
    expect([audits(ids[0]), audits(ids[1])]).toEqual([n[0] + 1, n[1] + 1]);
    expect(answer(ids[0], "1.3.3")).toMatchObject({ value: true, version: v[0] + 1 });
  });

  it("a save that throws rolls its batch back; the other saves run again alone and are written once", async () => {
    const v = ids.map(version);
    const n = ids.map(audits);
    const retried = batchStats.retriedAlone;
    // Like the door: its own transaction (a SAVEPOINT in the batch), which writes, then fails.
    const c = getDb().$client;
    const faulty = inSaveBatch(() =>
      c.transaction(() => {
        c.prepare("UPDATE assessments SET version = version + 100 WHERE id = ?").run(ids[2]);
        throw new Error("lỗi giữa chừng");
      })(),
    );
    const [a, , b] = await Promise.allSettled([save(ids[0], v[0], "1.3.4", true), faulty, save(ids[1], v[1], "1.3.4", true)]);
    expect(batchStats.retriedAlone - retried).toBe(3);
    expect(a).toMatchObject({ status: "fulfilled", value: { ok: true, version: v[0] + 1 } });
    expect(b).toMatchObject({ status: "fulfilled", value: { ok: true, version: v[1] + 1 } });
    await expect(faulty).rejects.toThrow("lỗi giữa chừng");
    expect(ids.map(version)).toEqual([v[0] + 1, v[1] + 1, v[2]]);
    expect(ids.map(audits)).toEqual([n[0] + 1, n[1] + 1, n[2]]);
  });

  it("a save is answered after its COMMIT: another connection already reads its row", async () => {
    const v = ids.map(version);
    const other = new Database(file(), { readonly: true });
    try {
      const seen: unknown[] = [];
      const read = () => other.prepare("SELECT value, version FROM answers WHERE assessment_id = ? AND phase = 'self' AND item_code = '1.3.5'").get(ids[0]);
      await Promise.all([
        save(ids[0], v[0], "1.3.5", true).then(() => seen.push(read())),
        save(ids[1], v[1], "1.3.5", true).then(() => seen.push(read())),
      ]);
      expect(seen).toEqual([
        { value: "true", version: v[0] + 1 },
        { value: "true", version: v[0] + 1 },
      ]);
    } finally {
      other.close();
    }
  });

  it(`holds at most ${MAX_BATCH} saves in one transaction; the rest go in the next`, async () => {
    const t0 = batchStats.transactions;
    const s0 = batchStats.saves;
    let v = version(ids[2]);
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < MAX_BATCH + 3; i++) jobs.push(save(ids[2], v, "2.3.1", i % 2 === 0, 0).then((r) => r));
    const r = (await Promise.all(jobs)) as { ok: boolean }[];
    expect(batchStats.transactions - t0).toBe(2);
    expect(batchStats.saves - s0).toBe(MAX_BATCH + 3);
    // Every save starts from version v: the first sets the item; the ones that send another value conflict with it.
    expect(r.map((x) => x.ok)).toEqual(r.map((_, i) => i % 2 === 0));
    v = version(ids[2]);
    expect(answer(ids[2], "2.3.1")).toMatchObject({ value: true, version: v });
  });

  it("the save reads every value, and the whole row (note, who, when) of the items it sends and of those written after its base, as answersOf does", async () => {
    const id = ids[1];
    const v = version(id);
    await save(id, v, "2.3.1", true);
    await inSaveBatch(() => saveAnswersFor(getAssessment(id)!, { baseVersion: v + 1, changes: { "1.5.2": { value: true, note: "Ghi chú của 1.5.2" } } }, head));
    const full = answersOf(id, "self");
    const lean = answersForSave(id, "self", v + 1, ["1.3.1"], getDb());
    expect(lean.answers).toEqual(full.answers);
    expect(Object.keys(lean.meta).sort()).toEqual(["1.3.1", "1.5.2"]);
    expect(lean.meta["1.3.1"]).toEqual(full.meta["1.3.1"]);
    expect(lean.meta["1.5.2"]).toEqual(full.meta["1.5.2"]);
    expect(lean.meta["1.5.2"]).toMatchObject({ version: v + 2, updatedById: head, updatedBy: "Hiệu trưởng A" });
    expect(lean.notes).toEqual({ "1.5.2": "Ghi chú của 1.5.2" });
    expect(Object.keys(full.meta).length).toBeGreaterThan(2);
  });

  it("when the database cannot be opened, every waiting save fails with that error and the next ones go through", async () => {
    const broken = () => {
      throw new Error("không mở được cơ sở dữ liệu");
    };
    const a = inSaveBatch(() => 1, broken);
    const b = inSaveBatch(() => 2);
    await expect(a).rejects.toThrow("không mở được cơ sở dữ liệu");
    await expect(b).rejects.toThrow("không mở được cơ sở dữ liệu");
    const v = version(ids[0]);
    await expect(save(ids[0], v, "1.7.3", true)).resolves.toMatchObject({ ok: true, version: v + 1 });
  });
});
