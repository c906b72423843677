/**
 * The recognition pages (/cong-nhan, /cong-nhan/:id) through their loaders and actions on a real
 * SQLite file: who sees and who acts, the draft's field messages, adding the eligible files by
 * type, issuing with its confirmation, revoking and re-issuing a certificate, revoking the
 * decision; the rows each act writes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, certificates, recognitionDecisionItems, recognitionDecisions } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import * as index from "~/routes/cong-nhan._index";
import * as page from "~/routes/cong-nhan.$id";
import { localDateOf } from "~/utils/time";

useTestDatabase("recognition-pages");
const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const today = localDateOf(Date.now());
const row = (a: number) => getDb().select().from(assessments).where(eq(assessments.id, a)).get()!;
const idOf = (s: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;

type Loaded = {
  decision: { id: number; status: string; version: number; number: string | null };
  manage: boolean;
  files: { total: number; rows: { code: string; certificate: { id: number; serial: string; revokedAt: number | null } | null }[] };
  check: { missing: Record<string, string>; notReady: string[]; late: number } | null;
  add: { eligible: number; subUnits: { id: number; name: string; files: number }[] } | null;
};
type Acted = { ok: boolean; message: string; fieldErrors?: Record<string, string> };

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "RP", name: "Sở Trang Công Nhận", parentId: null }, null);
  id.X = createUnit({ kind: "commune", code: "RP-X", name: "Xã Trang", parentId: id.P }, null);
  id.Q = createUnit({ kind: "province", code: "RQP", name: "Sở Bên Kia", parentId: null }, null);
  id.admin = await createUser({ username: "rp.admin", displayName: "Quản Trị Sở", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.P }, null);
  id.xrev = await createUser({ username: "rp.xrev", displayName: "Cán Bộ Xã", password: pw, roles: ["office_reviewer"], unitId: id.X }, null);
  id.q = await createUser({ username: "rp.q", displayName: "Sở Bên Kia", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.Q }, null);
  for (const [k, type] of [["s1", "TH"], ["s2", "THCS"], ["s3", "TH"]] as const) {
    id[k] = createSchool({ code: `RP-${k}`, name: `Trường ${k.toUpperCase()}`, type, managingUnitId: id.X, reviewingUnitId: id.P }, null);
    id[`head.${k}`] = await createUser({ username: `rp.head.${k}`, displayName: `HT ${k}`, password: pw, roles: ["school_head"], schoolId: id[k] }, null);
  }
  expect(openCycle({ ownerUnitId: id.P, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, id.admin)).toMatchObject({ ok: true, created: 3 });
  // Every file finished its external assessment (kept as the school's result).
  for (const k of ["s1", "s2", "s3"]) {
    const f = idOf(id[k]);
    expect(saveAnswers(f, { baseVersion: row(f).version, changes: { "1.1": { value: true }, "2.1": { value: true } } }, id[`head.${k}`])).toMatchObject({ ok: true });
    expect(submitAssessment(f, id[`head.${k}`])).toMatchObject({ ok: true });
    expect(approve(f, id.admin)).toMatchObject({ ok: true });
    expect(keepSelf([f], id.admin).done).toEqual([f]);
  }
});

describe("/cong-nhan", () => {
  it("lists the scope's decisions; the issuing office starts a draft for a year with files; others may not", async () => {
    const admin = await browserAs("rp.admin");
    const list = (await (await run(index.loader, admin.get("/cong-nhan"))).json()) as { canCreate: boolean; years: { year: string; eligible: number }[]; decisions: unknown[] };
    expect(list).toMatchObject({ canCreate: true, years: [{ year: "2098-2099", eligible: 3 }], decisions: [] });
    expect((await run(index.action, admin.post("/cong-nhan", { intent: "create", schoolYear: "2001-2002" }))).status).toBe(400);
    const made = await run(index.action, admin.post("/cong-nhan", { intent: "create", schoolYear: "2098-2099" }));
    expect(made.status).toBe(302);
    id.decision = Number(made.headers.get("Location")!.split("/").pop());
    expect(getDb().select().from(recognitionDecisions).where(eq(recognitionDecisions.id, id.decision)).get()).toMatchObject({ issuingUnitId: id.P, status: "draft", createdBy: id.admin });

    // The commune's reviewer reads nothing of the province's and cannot create for it.
    const xrev = await browserAs("rp.xrev");
    const theirs = (await (await run(index.loader, xrev.get("/cong-nhan"))).json()) as { decisions: unknown[]; years: unknown[] };
    expect(theirs).toMatchObject({ decisions: [], years: [] });
    expect((await run(page.loader, xrev.get(`/cong-nhan/${id.decision}`), { id: String(id.decision) })).status).toBe(403);
    expect((await run(page.loader, (await browserAs("rp.q")).get(`/cong-nhan/${id.decision}`), { id: String(id.decision) })).status).toBe(403);
    const head = await browserAs("rp.head.s1");
    expect((await run(index.loader, head.get("/cong-nhan"))).status).toBe(403);
    expect((await run(page.loader, admin.get("/cong-nhan/999999"), { id: "999999" })).status).toBe(404);
    expect((await run(page.loader, admin.get("/cong-nhan/abc"), { id: "abc" })).status).toBe(400);
  });
});

describe("/cong-nhan/:id", () => {
  const at = () => `/cong-nhan/${id.decision}`;
  const params = () => ({ id: String(id.decision) });
  const load = async (user = "rp.admin") => (await (await run(page.loader, (await browserAs(user)).get(at()), params())).json()) as Loaded;
  const act = async (fields: Record<string, string | string[]>, user = "rp.admin") => {
    const res = await run(page.action, (await browserAs(user)).post(at(), fields), params());
    return { status: res.status, body: (await res.json()) as Acted };
  };

  it("saves the draft's fields, with the messages at the fields", async () => {
    const d = await load();
    expect(d.check!.missing).toMatchObject({ number: "Nhập số quyết định.", files: "Chưa chọn hồ sơ nào cho quyết định." });
    const bad = await act({ intent: "save", version: String(d.decision.version), number: "abc", decidedOn: "2999-12-31", place: "Hà Nội", signerName: "Lê Văn Ký", signerTitle: "Giám đốc", bases: "" });
    expect(bad.status).toBe(422);
    expect(bad.body.fieldErrors).toEqual({ number: "Số quyết định có dạng 123/QĐ-SGDĐT.", decidedOn: "Ngày quyết định không được sau ngày hôm nay." });
    const good = await act({ intent: "save", version: String(d.decision.version), number: "45/QĐ-SGDĐT", decidedOn: today, place: "Hà Nội", signerName: "Lê Văn Ký", signerTitle: "Giám đốc", bases: "Căn cứ một;\n\n  Căn cứ hai.  " });
    expect(good).toEqual({ status: 200, body: { ok: true, message: "Đã lưu dự thảo." } });
    expect(getDb().select().from(recognitionDecisions).where(eq(recognitionDecisions.id, id.decision)).get()).toMatchObject({ number: "45/QĐ-SGDĐT", decidedOn: today, bases: ["Căn cứ một;", "Căn cứ hai."] });
    // A stale tab.
    expect((await act({ intent: "save", version: String(d.decision.version), number: "46/QĐ-SGDĐT", decidedOn: today, place: "Hà Nội", signerName: "x", signerTitle: "y", bases: "" })).status).toBe(409);
    // Only the issuing office acts: the commune's reviewer is refused before anything is read.
    expect((await act({ intent: "save", version: "2", number: "1/QĐ-X", decidedOn: today, place: "x", signerName: "x", signerTitle: "x", bases: "" }, "rp.xrev")).status).toBe(403);
  });

  it("adds the eligible files by type, removes one, and shows the check", async () => {
    const before = await load();
    expect(before.add).toMatchObject({ eligible: 3, subUnits: [{ id: id.X, name: "Xã Trang", files: 3 }] });
    const th = await act({ intent: "add", type: "TH", subUnit: "" });
    expect(th.body).toMatchObject({ ok: true, message: "Đã thêm 2 hồ sơ." });
    expect((await act({ intent: "add", type: "", subUnit: String(id.Q) })).status).toBe(400);
    const all = await act({ intent: "add", type: "", subUnit: String(id.X) });
    expect(all.body.message).toBe("Đã thêm 1 hồ sơ.");
    expect((await load()).files.total).toBe(3);
    const removed = await act({ intent: "remove", ids: [String(idOf(id.s2))] });
    expect(removed.body.message).toBe("Đã bỏ 1 hồ sơ.");
    const items = getDb().select().from(recognitionDecisionItems).where(eq(recognitionDecisionItems.decisionId, id.decision)).all().map((r) => r.assessmentId).sort();
    expect(items).toEqual([idOf(id.s1), idOf(id.s3)].sort());
    const d = await load();
    expect(d.check).toEqual({ missing: {}, notReady: [], late: 0, files: 2 });
    expect(d.files.rows.map((r) => r.code)).toEqual(["RP-s1", "RP-s3"]);
  });

  it("issues with its confirmation: every file recognised with a certificate", async () => {
    const d = await load();
    const unconfirmed = await act({ intent: "issue", version: String(d.decision.version) });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.fieldErrors).toEqual({ confirm: "Hãy đánh dấu ô xác nhận trước khi ban hành." });
    expect(row(idOf(id.s1)).status).toBe("assessed");
    const issued = await act({ intent: "issue", version: String(d.decision.version), confirm: "1" });
    expect(issued).toEqual({ status: 200, body: { ok: true, message: "Đã ban hành quyết định, công nhận 2 trường." } });
    expect(row(idOf(id.s1))).toMatchObject({ status: "recognised", recognisedLevel: row(idOf(id.s1)).externalLevel });
    expect(row(idOf(id.s2)).status).toBe("assessed");
    const after = await load();
    expect(after.decision.status).toBe("issued");
    expect(after.check).toBeNull();
    expect(after.add).toBeNull();
    const year = today.slice(0, 4);
    expect(after.files.rows.map((r) => r.certificate?.serial)).toEqual([`RP-${year}-0001`, `RP-${year}-0002`]);
    // The page refuses draft edits now.
    expect((await act({ intent: "add", type: "", subUnit: "" })).status).toBe(409);
  });

  it("revokes a certificate with a reason, re-issues it, then revokes the decision", async () => {
    const cert = (await load()).files.rows[0].certificate!;
    const empty = await act({ intent: "revoke-certificate", certificateId: String(cert.id), reason: " " });
    expect(empty.status).toBe(422);
    expect(empty.body.fieldErrors).toEqual({ reason: "Vui lòng nêu lý do thu hồi." });
    expect((await act({ intent: "revoke-certificate", certificateId: "999999", reason: "x" })).status).toBe(404);
    expect((await act({ intent: "revoke-certificate", certificateId: String(cert.id), reason: "Minh chứng không đúng" })).body).toEqual({ ok: true, message: "Đã thu hồi giấy công nhận." });
    expect(getDb().select().from(certificates).where(eq(certificates.id, cert.id)).get()).toMatchObject({ revokeReason: "Minh chứng không đúng", revokedBy: id.admin });
    expect(row(idOf(id.s1)).status).toBe("assessed");
    const year = today.slice(0, 4);
    expect((await act({ intent: "reissue", certificateId: String(cert.id) })).body).toEqual({ ok: true, message: `Đã cấp lại giấy công nhận số RP-${year}-0003.` });
    const certs = getDb().select().from(certificates).where(and(eq(certificates.decisionId, id.decision))).orderBy(asc(certificates.id)).all();
    expect(certs.map((c) => [c.serial, c.revokedAt != null])).toEqual([
      [`RP-${year}-0001`, true],
      [`RP-${year}-0002`, false],
      [`RP-${year}-0003`, false],
    ]);
    const whole = await act({ intent: "revoke-decision", reason: "Ban hành nhầm năm học" });
    expect(whole.body).toEqual({ ok: true, message: "Đã thu hồi quyết định và 2 giấy công nhận." });
    expect((await load()).decision.status).toBe("revoked");
    expect([row(idOf(id.s1)).status, row(idOf(id.s3)).status]).toEqual(["assessed", "assessed"]);
  });
});
