// @vitest-environment jsdom
/**
 * The school's side of recognition on a real SQLite file: a recognised school's home has its
 * certificate (level and its name, the decision, the public PDF and verification links); after a
 * revocation the home says so (date, reason) and offers no link that presents it as valid; the
 * school's list (/danh-gia) has its certificates over two school years, a revoked one marked; a
 * school user of another school sees none of them. The pages are rendered from the loaders' data.
 */
import { createElement } from "react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, certificates, cycles } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment, type AnswerChange } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, revokeCertificate, updateDecision } from "~/server/services/recognition.server";
import { getEdition } from "~/server/services/catalogue.server";
import { homeFor } from "~/server/services/home.server";
import { levelTitle } from "~/domain/recognition";
import { formatLocalDate, localDateOf } from "~/utils/time";
import * as homePage from "~/routes/_index";
import * as listPage from "~/routes/danh-gia._index";

useTestDatabase("school-certificates");
afterEach(cleanup);

const pw = "mat-khau-kiem-thu";
const u: Record<string, number> = {};
const unit: Record<string, number> = {};
const school: Record<string, number> = {};
const today = localDateOf(Date.now());
const Y1 = "2094-2095";
const Y2 = "2095-2096";
const SELF: Record<string, AnswerChange["value"]> = {
  "1.1": true,
  "1.2": true,
  "1.3.1": true,
  "1.4": { numerator: 1, denominator: 1 },
  "1.5.1": { numerator: 1, denominator: 1 },
  "1.6.1": { numerator: 1, denominator: 1 },
  "2.1": true,
  "2.2": true,
  "2.3.1": true,
};
const db = () => getDb();
const fileOf = (schoolId: number, year: string) =>
  db().select({ id: assessments.id, version: assessments.version, externalLevel: assessments.externalLevel, status: assessments.status }).from(assessments).innerJoin(cycles, eq(assessments.cycleId, cycles.id)).where(and(eq(assessments.schoolId, schoolId), eq(cycles.schoolYear, year))).get()!;
const certOf = (assessmentId: number) => db().select().from(certificates).where(eq(certificates.assessmentId, assessmentId)).all();

/** A file in "assessed": answered, submitted, approved, kept. */
function assessed(schoolId: number, year: string, head: number): number {
  const f = fileOf(schoolId, year);
  const changes = Object.fromEntries(Object.entries(SELF).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(f.id, { baseVersion: f.version, changes }, head)).toMatchObject({ ok: true });
  expect(submitAssessment(f.id, head)).toMatchObject({ ok: true });
  expect(approve(f.id, u.admin)).toMatchObject({ ok: true, status: "approved" });
  expect(keepSelf([f.id], u.admin).done).toEqual([f.id]);
  expect(fileOf(schoolId, year).status).toBe("assessed");
  return f.id;
}

/** Issues a decision of the Sở recognising the files. */
function issue(year: string, number: string, files: number[]) {
  const c = createDecision(unit.P, year, u.admin);
  if (!c.ok) throw new Error(c.message);
  const up = updateDecision(c.id, { number, decidedOn: today, place: "Hà Nội", signerName: "Nguyễn Văn Giám", signerTitle: "Giám đốc", bases: ["Căn cứ A."] }, u.admin, 1);
  if (!up.ok) throw new Error(up.message);
  const ch = changeDecisionFiles(c.id, { add: files }, u.admin);
  if (!ch.ok) throw new Error(ch.message);
  expect(issueDecision(c.id, u.admin, ch.version)).toMatchObject({ ok: true, recognised: files.length });
}

let f1: number;
let f2: number;
let title: (level: number) => string;

beforeAll(async () => {
  unit.P = createUnit({ kind: "province", code: "GC", name: "Sở Giấy Công Nhận", parentId: null }, null);
  unit.X = createUnit({ kind: "commune", code: "GC-X", name: "Xã Giấy Công Nhận", parentId: unit.P }, null);
  school.A = createSchool({ code: "GC-A", name: "Trường Tiểu học An Bình", type: "TH", managingUnitId: unit.X, reviewingUnitId: unit.P }, null);
  school.B = createSchool({ code: "GC-B", name: "Trường Tiểu học Bình Minh", type: "TH", managingUnitId: unit.X, reviewingUnitId: unit.P }, null);
  u.admin = await createUser({ username: "gc.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin", "office_reviewer"], unitId: unit.P }, null);
  u.headA = await createUser({ username: "gc.heada", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: school.A }, null);
  u.staffA = await createUser({ username: "gc.staffa", displayName: "Giáo viên A", password: pw, roles: ["school_staff"], schoolId: school.A }, null);
  u.headB = await createUser({ username: "gc.headb", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: school.B }, null);
  for (const [year, end] of [[Y1, "2095"], [Y2, "2096"]] as const)
    expect(openCycle({ ownerUnitId: unit.P, schoolYear: year, editionId: "qd-4725-2022", selfAssessmentDeadline: `${end}-05-31`, reviewDeadline: `${end}-06-20` }, u.admin)).toMatchObject({ ok: true });
  const names = getEdition("qd-4725-2022")!.edition.groupLevels;
  title = (level: number) => levelTitle(level, names);
  // Year one: school A recognised. Year two: school A recognised again.
  issue(Y1, "31/QĐ-SGDĐT", [assessed(school.A, Y1, u.headA)]);
  f1 = fileOf(school.A, Y1).id;
  f2 = assessed(school.A, Y2, u.headA);
  issue(Y2, "32/QĐ-SGDĐT", [f2]);
});

async function homeData(username: string) {
  const b = await browserAs(username);
  const res = await run(homePage.loader, b.get("/"));
  expect(res.status).toBe(200);
  return (await res.json()) as { home: ReturnType<typeof homeFor> };
}

async function listData(username: string) {
  const b = await browserAs(username);
  return run(listPage.loader, b.get("/danh-gia"));
}

/** Renders a route's component with the data its loader gave. */
function renderRoute(path: string, Component: () => unknown, data: unknown) {
  const Stub = createRemixStub([{ path, Component: Component as () => JSX.Element, loader: () => json(data) }]);
  render(createElement(Stub, { initialEntries: [path] }));
}

describe("the school's home shows its certificate", () => {
  it("recognised: the level with its name, the decision, the serial and the public links", async () => {
    const cert = certOf(f2)[0];
    const level = fileOf(school.A, Y2).externalLevel!;
    expect(title(level)).toMatch(new RegExp(`^Mức ${level} – \\S`));
    const { home } = await homeData("gc.heada");
    expect(home.assessment).toMatchObject({ id: f2, schoolYear: Y2, status: "recognised", recognisedLevel: level });
    expect(home.assessment!.certificate).toEqual({
      serial: cert.serial,
      token: cert.token,
      level,
      levelTitle: title(level),
      decisionNumber: "32/QĐ-SGDĐT",
      decidedOn: today,
      revokedOn: null,
      revokeReason: null,
    });
    // The teacher sees the same certificate.
    expect(homeFor(loadUser(u.staffA)!).assessment!.certificate).toMatchObject({ serial: cert.serial, revokedOn: null });

    await renderRoute("/", homePage.default, { home });
    const box = await screen.findByTestId("home-certificate");
    expect(box.getAttribute("data-certificate")).toBe("valid");
    expect(box.textContent).toContain(`Được công nhận: ${title(level)}`);
    expect(box.textContent).toContain(`Quyết định công nhận số 32/QĐ-SGDĐT ngày ${formatLocalDate(today)}; giấy công nhận số ${cert.serial}.`);
    expect(within(box).getByRole("link", { name: "Tải giấy công nhận (PDF)" }).getAttribute("href")).toBe(`/xac-minh/${cert.token}.pdf`);
    expect(within(box).getByRole("link", { name: "Trang xác minh" }).getAttribute("href")).toBe(`/xac-minh/${cert.token}`);
    expect(within(box).getByRole("link", { name: "Xem giấy công nhận qua các năm" }).getAttribute("href")).toBe("/danh-gia?tat-ca");
  });

  it("another school's user sees none of it", async () => {
    const { home } = await homeData("gc.headb");
    expect(home.schoolName).toBe("Trường Tiểu học Bình Minh");
    expect(home.assessment).toMatchObject({ status: "draft", certificate: null });
  });
});

describe("the school's certificates over the years (/danh-gia)", () => {
  it("lists both years, newest first, each valid, with its links", async () => {
    const res = await listData("gc.heada");
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.list.map((a: { schoolYear: string }) => a.schoolYear).sort()).toEqual([Y1, Y2]);
    const [c2, c1] = [certOf(f2)[0], certOf(f1)[0]];
    expect(data.certificates.map((c: { schoolYear: string; serial: string; decisionNumber: string; revokedOn: string | null; token: string }) => [c.schoolYear, c.serial, c.decisionNumber, c.revokedOn, c.token])).toEqual([
      [Y2, c2.serial, "32/QĐ-SGDĐT", null, c2.token],
      [Y1, c1.serial, "31/QĐ-SGDĐT", null, c1.token],
    ]);
    expect(c1.serial).not.toBe(c2.serial);
  });

  it("another school's user: its own list, without school A's certificates", async () => {
    const res = await listData("gc.headb");
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.list.map((a: { id: number }) => a.id).sort()).toEqual([fileOf(school.B, Y1).id, fileOf(school.B, Y2).id].sort());
    expect(data.certificates).toEqual([]);
    await renderRoute("/danh-gia", listPage.default, data);
    expect(await screen.findByText("Trường chưa có giấy công nhận nào.")).toBeTruthy();
    expect(screen.queryByTestId("school-certificates")).toBeNull();
  });
});

describe("after a revocation", () => {
  it("the home says it was revoked (date, reason) and offers no download; the list marks it, the other year stays valid", async () => {
    const cert = certOf(f2)[0];
    expect(revokeCertificate(cert.id, "Sai số liệu minh chứng", u.admin)).toEqual({ ok: true });
    const revokedOn = localDateOf(db().select().from(certificates).where(eq(certificates.id, cert.id)).get()!.revokedAt!);

    const { home } = await homeData("gc.heada");
    expect(home.assessment).toMatchObject({ id: f2, status: "assessed", recognisedLevel: null });
    expect(home.assessment!.certificate).toMatchObject({ serial: cert.serial, revokedOn, revokeReason: "Sai số liệu minh chứng" });
    await renderRoute("/", homePage.default, { home });
    const box = await screen.findByTestId("home-certificate");
    expect(box.getAttribute("data-certificate")).toBe("revoked");
    expect(box.textContent).toContain(`Giấy công nhận số ${cert.serial} đã bị thu hồi ngày ${formatLocalDate(revokedOn)}. Lý do: Sai số liệu minh chứng`);
    expect(box.textContent).not.toContain("Được công nhận");
    expect(screen.queryByRole("link", { name: "Tải giấy công nhận (PDF)" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Trang xác minh" })).toBeNull();
    expect(document.querySelector(`a[href^="/xac-minh/${cert.token}"]`)).toBeNull();
    cleanup();

    const data = await (await listData("gc.heada")).json();
    expect(data.certificates.map((c: { schoolYear: string; revokedOn: string | null; revokeReason: string | null }) => [c.schoolYear, c.revokedOn, c.revokeReason])).toEqual([
      [Y2, revokedOn, "Sai số liệu minh chứng"],
      [Y1, null, null],
    ]);
    await renderRoute("/danh-gia", listPage.default, data);
    const table = await screen.findByTestId("school-certificates");
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Năm học", "Mức", "Số giấy", "Quyết định (số, ngày)", "Trạng thái", "Tải về, xác minh"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const cells = rows.map((r) => within(r).getAllByRole("cell").map((c) => c.textContent));
    const c1 = certOf(f1)[0];
    expect(cells).toEqual([
      [Y2, title(cert.level), cert.serial, `Số 32/QĐ-SGDĐT ngày ${formatLocalDate(today)}`, `Đã thu hồi ngày ${formatLocalDate(revokedOn)} — Sai số liệu minh chứng`, "Xác minh"],
      [Y1, title(c1.level), c1.serial, `Số 31/QĐ-SGDĐT ngày ${formatLocalDate(today)}`, "Còn hiệu lực", "PDFXác minh"],
    ]);
    // The revoked row: only its verification page (which says "Đã thu hồi"), no download.
    expect(within(rows[0]).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([`/xac-minh/${cert.token}`]);
    expect(within(rows[1]).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([`/xac-minh/${c1.token}.pdf`, `/xac-minh/${c1.token}`]);
    expect(within(rows[1]).getByRole("link", { name: `PDF giấy công nhận số ${c1.serial}` })).toBeTruthy();
  });

  it("another school's user still sees none of them", async () => {
    const data = await (await run(listPage.loader, (await browserAs("gc.headb")).get("/danh-gia?tat-ca"))).json();
    expect(data.certificates).toEqual([]);
    expect((await homeData("gc.headb")).home.assessment!.certificate).toBeNull();
  });
});
