/**
 * The office's checking page (/danh-gia/:id/kiem-tra) and the external assessment page
 * (/danh-gia/:id/danh-gia-ngoai, its save /danh-gia-ngoai/luu) through their real loaders and
 * actions on a real SQLite file: what each role sees, the rows each post writes, field errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, auditLog, reviewComments } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { createLinkEvidence } from "~/server/services/evidence.server";
import * as checkRoute from "~/routes/danh-gia.$id.kiem-tra";
import * as externalRoute from "~/routes/danh-gia.$id.danh-gia-ngoai._index";
import * as externalSave from "~/routes/danh-gia.$id.danh-gia-ngoai.luu";

useTestDatabase("review-pages");

const pw = "mat-khau-kiem-thu";
const u: Record<string, number> = {};
let id = 0;

const row = () => getDb().select().from(assessments).where(eq(assessments.id, id)).get()!;
const lastAudit = () => getDb().select().from(auditLog).where(eq(auditLog.assessmentId, id)).orderBy(desc(auditLog.id)).limit(1).get()!;
const params = () => ({ id: String(id) });

beforeAll(async () => {
  const P = createUnit({ kind: "province", code: "RP", name: "Sở R", parentId: null }, null);
  const D = createUnit({ kind: "district", code: "RD", name: "Phòng R", parentId: P }, null);
  const s = createSchool({ code: "R-A", name: "Trường Tiểu học Rạng Đông", type: "TH", managingUnitId: D, reviewingUnitId: D }, null);
  u.rev = await createUser({ username: "rp.rev", displayName: "Cán bộ Phòng", password: pw, roles: ["office_reviewer"], unitId: D }, null);
  u.so = await createUser({ username: "rp.so", displayName: "Cán bộ Sở", password: pw, roles: ["office_reviewer", "office_admin"], unitId: P }, null);
  u.head = await createUser({ username: "rp.head", displayName: "Hiệu trưởng R", password: pw, roles: ["school_head"], schoolId: s }, null);
  expect(openCycle({ ownerUnitId: D, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.so).ok).toBe(true);
  id = getDb().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;
  const base = row().version;
  expect(saveAnswers(id, { baseVersion: base, changes: { "1.1": { value: true }, "1.2": { value: true }, "2.1": { value: true }, "2.2": { value: true }, "1.3.1": { value: true, note: "Có kế hoạch" } } }, u.head).ok).toBe(true);
  expect(createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: "https://rangdong.edu.vn/ke-hoach", title: "Kế hoạch CĐS" }, u.head).ok).toBe(true);
  expect(submitAssessment(id, u.head)).toMatchObject({ ok: true });
});

describe("the checking page", () => {
  it("shows the reviewer the school's answers, points, note and evidence, with the acts it may take", async () => {
    const res = await run(checkRoute.loader as never, (await browserAs("rp.rev")).get(`/danh-gia/${id}/kiem-tra`), params());
    expect(res.status).toBe(200);
    const d = (await res.json()) as { canReturn: boolean; canApprove: boolean; page: { groups: { indicators: { items: { code: string; answer: string; note: string | null; evidence: { title: string }[]; points: string | null }[] }[] }[]; rounds: { round: number }[] } };
    expect(d).toMatchObject({ canReturn: true, canApprove: true });
    const items = d.page.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
    expect(items.find((i) => i.code === "1.3.1")).toMatchObject({ answer: "Có", note: "Có kế hoạch", evidence: [{ title: "Kế hoạch CĐS" }] });
    expect(d.page.rounds.map((r) => r.round)).toEqual([1]);
  });

  it("the Sở above reads it without acts; the school is sent to its list of requests", async () => {
    const so = await run(checkRoute.loader as never, (await browserAs("rp.so")).get(`/danh-gia/${id}/kiem-tra`), params());
    expect(await so.json()).toMatchObject({ canReturn: false, canApprove: false, canWithdraw: false });
    const school = await run(checkRoute.loader as never, (await browserAs("rp.head")).get(`/danh-gia/${id}/kiem-tra`), params());
    expect(school.status).toBe(302);
    expect(school.headers.get("Location")).toBe(`/danh-gia/${id}/yeu-cau`);
    // Nor may either of them post.
    const post = await run(checkRoute.action as never, (await browserAs("rp.so")).post(`/danh-gia/${id}/kiem-tra`, { intent: "return", version: String(row().version), comment: "Thử" }), params());
    expect(post.status).toBe(403);
    expect(row().status).toBe("submitted");
  });

  it("a return with nothing asked is refused at the comment; with a request per item it writes the rows", async () => {
    const b = await browserAs("rp.rev");
    const empty = await run(checkRoute.action as never, b.post(`/danh-gia/${id}/kiem-tra`, { intent: "return", version: String(row().version), comment: " ", "request.1.3.1": "" }), params());
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ ok: false, fieldErrors: { comment: expect.stringContaining("ít nhất một yêu cầu") } });
    const stale = await run(checkRoute.action as never, b.post(`/danh-gia/${id}/kiem-tra`, { intent: "return", version: String(row().version - 1), "request.1.3.1": "Bổ sung" }), params());
    expect(stale.status).toBe(409);
    expect(row().status).toBe("submitted");

    const v = row().version;
    const ok = await run(checkRoute.action as never, b.post(`/danh-gia/${id}/kiem-tra`, { intent: "return", version: String(v), comment: "Hồ sơ cần bổ sung minh chứng.", "request.1.3.1": "Đính kèm kế hoạch có chữ ký." }), params());
    expect(ok.status).toBe(200);
    expect(row()).toMatchObject({ status: "returned", version: v + 1 });
    const rows = getDb().select().from(reviewComments).where(eq(reviewComments.assessmentId, id)).orderBy(reviewComments.id).all();
    expect(rows.map((r) => [r.itemCode, r.body, r.round, r.authorId])).toEqual([
      ["1.3.1", "Đính kèm kế hoạch có chữ ký.", 1, u.rev],
      [null, "Hồ sơ cần bổ sung minh chứng.", 1, u.rev],
    ]);
    expect(lastAudit()).toMatchObject({ action: "assessment.return", actorId: u.rev });
  });

  it("approve needs the confirmation, then copies the answers into the external phase", async () => {
    expect(submitAssessment(id, u.head)).toMatchObject({ ok: true });
    const b = await browserAs("rp.rev");
    const no = await run(checkRoute.action as never, b.post(`/danh-gia/${id}/kiem-tra`, { intent: "approve", version: String(row().version) }), params());
    expect(no.status).toBe(422);
    expect(await no.json()).toMatchObject({ fieldErrors: { confirm: expect.any(String) } });
    expect(row().status).toBe("submitted");
    const yes = await run(checkRoute.action as never, b.post(`/danh-gia/${id}/kiem-tra`, { intent: "approve", version: String(row().version), confirm: "yes" }), params());
    expect(yes.status).toBe(200);
    expect(row()).toMatchObject({ status: "approved", approvedBy: u.rev, round: 2 });
    const ext = getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "external"))).all();
    expect(ext.map((a) => a.itemCode).sort()).toEqual(["1.1", "1.2", "1.3.1", "2.1", "2.2"]);
  });
});

describe("the external assessment page", () => {
  it("hides the unfinished external answers from the school", async () => {
    const res = await run(externalRoute.loader as never, (await browserAs("rp.head")).get(`/danh-gia/${id}/danh-gia-ngoai`), params());
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ view: "hidden" });
    expect(text).not.toContain("externalResult");
  });

  it("the reviewer changes an item; finishing without its reason is refused at the item, with it the level is stored", async () => {
    const b = await browserAs("rp.rev");
    const page = (await (await run(externalRoute.loader as never, b.get(`/danh-gia/${id}/danh-gia-ngoai`), params())).json()) as { canEdit: boolean; version: number };
    expect(page.canEdit).toBe(true);
    const save = await run(externalSave.action as never, b.post(`/danh-gia/${id}/danh-gia-ngoai/luu`, { payload: JSON.stringify({ baseVersion: page.version, changes: { "1.3.1": { value: false } } }) }), params());
    expect(save.status).toBe(200);
    expect(getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "external"), eq(answers.itemCode, "1.3.1"))).get()).toMatchObject({ value: false, updatedBy: u.rev });
    // The school's own answer is untouched.
    expect(getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "self"), eq(answers.itemCode, "1.3.1"))).get()).toMatchObject({ value: true });

    const refused = await run(externalRoute.action as never, b.post(`/danh-gia/${id}/danh-gia-ngoai`, { intent: "finish", version: String(row().version) }), params());
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ fieldErrors: { "reason.1.3.1": expect.any(String) } });
    expect(row().status).toBe("approved");

    expect(saveAnswers(id, { baseVersion: row().version, changes: { "1.3.1": { note: "Kế hoạch chưa được phê duyệt." } }, phase: "external" }, u.rev).ok).toBe(true);
    const team = await run(
      externalRoute.action as never,
      b.post(`/danh-gia/${id}/danh-gia-ngoai`, { intent: "team", version: String(row().version), date: "2099-06-10", number: "05/BB-ĐGN", conclusion: "", "member.0.name": "Nguyễn Văn An", "member.0.title": "Phó Trưởng phòng", "member.0.role": "truong_doan", "member.1.name": "", "member.1.title": "", "member.1.role": "thanh_vien" }),
      params(),
    );
    expect(team.status).toBe(200);
    expect(row().externalTeam).toEqual({ date: "2099-06-10", number: "05/BB-ĐGN", conclusion: null, members: [{ name: "Nguyễn Văn An", title: "Phó Trưởng phòng", role: "truong_doan" }] });
    const done = await run(externalRoute.action as never, b.post(`/danh-gia/${id}/danh-gia-ngoai`, { intent: "finish", version: String(row().version) }), params());
    expect(done.status).toBe(200);
    expect(row()).toMatchObject({ status: "assessed", externalFinishedBy: u.rev });
    expect(typeof row().externalLevel).toBe("number");
    expect(lastAudit()).toMatchObject({ action: "assessment.external.finish", details: { changed: ["1.3.1"] } });
  });

  it("once finished the school sees the differences with the reasons; saves are locked", async () => {
    const res = await run(externalRoute.loader as never, (await browserAs("rp.head")).get(`/danh-gia/${id}/danh-gia-ngoai`), params());
    const d = (await res.json()) as { view: string; changed: string[]; notes: Record<string, string>; canEdit: boolean };
    expect(d).toMatchObject({ view: "form", changed: ["1.3.1"], canEdit: false, notes: { "1.3.1": "Kế hoạch chưa được phê duyệt." } });
    const b = await browserAs("rp.rev");
    const locked = await run(externalSave.action as never, b.post(`/danh-gia/${id}/danh-gia-ngoai/luu`, { payload: JSON.stringify({ baseVersion: row().version, changes: { "1.1": { value: false } } }) }), params());
    expect(locked.status).toBe(423);
    const reopenNo = await run(externalRoute.action as never, b.post(`/danh-gia/${id}/danh-gia-ngoai`, { intent: "reopen", reason: "" }), params());
    expect(reopenNo.status).toBe(422);
    const school = await run(externalRoute.action as never, (await browserAs("rp.head")).post(`/danh-gia/${id}/danh-gia-ngoai`, { intent: "reopen", reason: "Xin mở lại" }), params());
    expect(school.status).toBe(403);
    expect(row().status).toBe("assessed");
  });
});
