// @vitest-environment jsdom
/**
 * In-app notifications on a real SQLite database: the /thong-bao loader lists only the user's own
 * notices (newest first, paged with ?truoc=), marking read changes only the user's own rows (a
 * forged id of someone else's stays unread), "mark all", CSRF and sign-in are required, and the
 * header's unread count in the root data drops after marking. The page and the header are rendered
 * from the real loader data (sentences per kind, links, time in Hà Nội, the badge's accessible name).
 */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { AppShell } from "~/components/AppShell";
import { getDb } from "~/server/db/client.server";
import { assessments, notifications } from "~/server/db/schema.server";
import { rootData } from "~/server/root-data.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { notifyIn, type Notice } from "~/server/services/notifications.server";
import * as page from "~/routes/thong-bao";

useTestDatabase("notifications-ui");
afterEach(cleanup);

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const YEAR = "2093-2094";
/** 23/11/2093 08:30 in Hà Nội (01:30 UTC). */
const T0 = Date.UTC(2093, 10, 23, 1, 30);
const MIN = 60_000;

const rowOf = (nid: number) => getDb().select().from(notifications).where(eq(notifications.id, nid)).get()!;
const unreadOf = (userId: number) =>
  getDb()
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .all()
    .map((r) => r.id);
/** The ids of the user's rows, in insertion order. */
const idsOf = (userId: number) =>
  getDb()
    .select({ id: notifications.id })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(notifications.id)
    .all()
    .map((r) => r.id);

function notify(userIds: number[], n: Omit<Notice, "schoolId" | "assessmentId"> & { school?: "S" | "S2" }, at: number) {
  const school = n.school ?? "S";
  getDb().transaction((tx) => {
    notifyIn(tx, userIds, { kind: n.kind, actorId: n.actorId, details: n.details, schoolId: id[school]!, assessmentId: id[`a${school}`]! }, at);
  });
}

async function loaderAs(username: string, path = "/thong-bao") {
  const b = await browserAs(username);
  const res = await run(page.loader, b.get(path));
  return { res, data: res.status === 200 ? ((await res.json()) as Awaited<ReturnType<Awaited<ReturnType<typeof page.loader>>["json"]>>) : null };
}

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "TB", name: "Sở Thông Báo", parentId: null }, null);
  id.S = createSchool({ code: "TB-1", name: "Trường Tiểu học Hoa Sen", type: "TH", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.S2 = createSchool({ code: "TB-2", name: "Trường THCS Bàng", type: "THCS", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.admin = await createUser({ username: "tb.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: id.P }, null);
  id.reviewer = await createUser({ username: "tb.kiemtra", displayName: "Cán bộ Kiểm Tra", password: pw, roles: ["office_reviewer"], unitId: id.P }, null);
  id.head = await createUser({ username: "tb.hieutruong", displayName: "Hiệu trưởng Hoa Sen", password: pw, roles: ["school_head"], schoolId: id.S }, null);
  id.staff = await createUser({ username: "tb.giaovien", displayName: "Giáo viên Hoa Sen", password: pw, roles: ["school_staff"], schoolId: id.S }, null);
  id.head2 = await createUser({ username: "tb.hieutruong2", displayName: "Hiệu trưởng Bàng", password: pw, roles: ["school_head"], schoolId: id.S2 }, null);
  id.fresh = await createUser({ username: "tb.moi", displayName: "Người Mới", password: pw, roles: ["school_staff"], schoolId: id.S2 }, null);
  const r = openCycle({ ownerUnitId: id.P, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2094-05-31", reviewDeadline: "2094-06-20" }, id.admin);
  if (!r.ok) throw new Error(r.message);
  const of = (schoolId: number) => getDb().select({ id: assessments.id }).from(assessments).where(eq(assessments.schoolId, schoolId)).get()!.id;
  id.aS = of(id.S);
  id.aS2 = of(id.S2);

  // The school's users: returned (3 requests), approved, external-finished (Mức 2, self Mức 3), withdrawn.
  notify([id.head, id.staff], { kind: "returned", actorId: id.reviewer, details: { round: 1, requests: 3 } }, T0);
  notify([id.head, id.staff], { kind: "approved", actorId: id.reviewer, details: { round: 2 } }, T0 + 10 * MIN);
  notify([id.head, id.staff], { kind: "external-finished", actorId: id.reviewer, details: { level: 2, selfLevel: 3 } }, T0 + 20 * MIN);
  notify([id.head, id.staff], { kind: "withdrawn", actorId: id.reviewer, details: { reason: "Minh chứng chưa đủ" } }, T0 + 30 * MIN);
  // Another school's head.
  notify([id.head2], { kind: "returned", actorId: id.reviewer, details: { round: 1, requests: 1 }, school: "S2" }, T0);
  // The reviewer: resubmitted (round 2), assigned, submitted.
  notify([id.reviewer], { kind: "resubmitted", actorId: id.head, details: { round: 2 } }, T0 + 40 * MIN);
  notify([id.reviewer], { kind: "assigned", actorId: id.admin }, T0 + 50 * MIN);
  notify([id.reviewer], { kind: "submitted", actorId: id.head2, details: { round: 1 }, school: "S2" }, T0 + 60 * MIN);
});

describe("/thong-bao loader", () => {
  it("lists only the user's own notifications, newest first, with the school, year, actor, details and the school's links", async () => {
    const { res, data } = await loaderAs("tb.hieutruong");
    expect(res.status).toBe(200);
    const own = idsOf(id.head);
    expect(own).toHaveLength(4);
    expect(data!.rows.map((r) => r.id)).toEqual([...own].reverse());
    expect(data!.rows.map((r) => r.kind)).toEqual(["withdrawn", "external-finished", "approved", "returned"]);
    // None of the staff member's copies, nor the other school's.
    const others = [...idsOf(id.staff), ...idsOf(id.head2), ...idsOf(id.reviewer)];
    expect(data!.rows.some((r) => others.includes(r.id))).toBe(false);
    expect(data!.rows[3]).toMatchObject({
      kind: "returned",
      assessmentId: id.aS,
      schoolName: "Trường Tiểu học Hoa Sen",
      schoolYear: YEAR,
      actor: "Cán bộ Kiểm Tra",
      details: { round: 1, requests: 3 },
      createdAt: T0,
      read: false,
      href: `/danh-gia/${id.aS}/yeu-cau`,
    });
    expect(data!.rows[0]!.href).toBe(`/danh-gia/${id.aS}`);
    expect(data).toMatchObject({ unread: 4, more: false, next: null, before: null });
  });

  it("sends office users to the checking page", async () => {
    const { data } = await loaderAs("tb.kiemtra");
    expect(data!.rows.map((r) => [r.kind, r.href])).toEqual([
      ["submitted", `/danh-gia/${id.aS2}/kiem-tra`],
      ["assigned", `/danh-gia/${id.aS}/kiem-tra`],
      ["resubmitted", `/danh-gia/${id.aS}/kiem-tra`],
    ]);
  });

  it("pages with ?truoc=<id>: 30 a page, then the older ones; a bad ?truoc is a 400", async () => {
    for (let i = 0; i < 33; i++) notify([id.fresh], { kind: "returned", actorId: id.reviewer, details: { requests: 1 }, school: "S2" }, T0 + i * MIN);
    const all = idsOf(id.fresh);
    const first = await loaderAs("tb.moi");
    expect(first.data!.rows).toHaveLength(30);
    expect(first.data!.more).toBe(true);
    expect(first.data!.rows[0]!.id).toBe(all[32]);
    expect(first.data!.next).toBe(all[3]);
    const second = await loaderAs("tb.moi", `/thong-bao?truoc=${first.data!.next}`);
    expect(second.data!.rows.map((r) => r.id)).toEqual([all[2], all[1], all[0]]);
    expect(second.data).toMatchObject({ more: false, before: all[3] });
    expect((await loaderAs("tb.moi", "/thong-bao?truoc=abc")).res.status).toBe(400);
    expect((await loaderAs("tb.moi", "/thong-bao?truoc=0")).res.status).toBe(400);
  });

  it("sends an anonymous visitor to /login and back", async () => {
    const anon = await browserAs();
    const res = await run(page.loader, anon.get("/thong-bao"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fthong-bao");
    const post = await run(page.action, anon.post("/thong-bao", { intent: "read-all" }));
    expect(post.status).toBe(302);
    expect(post.headers.get("Location")).toMatch(/^\/login\?/);
  });
});

describe("/thong-bao action", () => {
  it("refuses a post without the CSRF token (403) and changes nothing", async () => {
    const b = await browserAs("tb.hieutruong");
    const res = await run(page.action, b.post("/thong-bao", { intent: "read-all" }, { csrf: null }));
    expect(res.status).toBe(403);
    expect(unreadOf(id.head)).toHaveLength(4);
  });

  it("a bad form is a 400: no ids, a non-numeric id, an unknown intent", async () => {
    const b = await browserAs("tb.hieutruong");
    const forms: Record<string, string>[] = [{ intent: "read" }, { intent: "read", id: "x" }, { intent: "xoa", id: String(idsOf(id.head)[0]) }];
    for (const fields of forms) {
      const res = await run(page.action, b.post("/thong-bao", fields));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, message: "Yêu cầu không hợp lệ: không rõ thông báo cần đánh dấu." });
    }
    expect(unreadOf(id.head)).toHaveLength(4);
  });

  it("marks one of the user's own read; another user's id posted with it stays unread", async () => {
    const b = await browserAs("tb.hieutruong");
    const mine = idsOf(id.head)[0]!;
    const staffCopy = idsOf(id.staff)[0]!;
    const otherSchool = idsOf(id.head2)[0]!;
    // Someone else's alone: nothing changes.
    let res = await run(page.action, b.post("/thong-bao", { intent: "read", id: String(otherSchool) }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, changed: 0 });
    expect(rowOf(otherSchool).readAt).toBeNull();
    // Own with two others: only the own row gets its read_at.
    const before = Date.now();
    res = await run(page.action, b.post("/thong-bao", { intent: "read", id: [String(mine), String(staffCopy), String(otherSchool)] }));
    expect(await res.json()).toEqual({ ok: true, changed: 1, message: "Đã đánh dấu 1 thông báo là đã đọc." });
    expect(rowOf(mine).readAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rowOf(staffCopy).readAt).toBeNull();
    expect(rowOf(otherSchool).readAt).toBeNull();
    expect(unreadOf(id.head)).toHaveLength(3);
    expect(unreadOf(id.staff)).toHaveLength(4);
    // Marking it again changes nothing (its read_at is kept).
    const stamped = rowOf(mine).readAt!.getTime();
    res = await run(page.action, b.post("/thong-bao", { intent: "read", id: String(mine) }));
    expect(await res.json()).toMatchObject({ changed: 0 });
    expect(rowOf(mine).readAt!.getTime()).toBe(stamped);
  });

  it("marks all of the user's own read and nobody else's; the header count in the root data drops", async () => {
    const b = await browserAs("tb.hieutruong");
    expect((await rootData(b.get("/"))).data.unread).toBe(3);
    expect((await rootData((await browserAs("tb.giaovien")).get("/"))).data.unread).toBe(4);
    const res = await run(page.action, b.post("/thong-bao", { intent: "read-all" }));
    expect(await res.json()).toMatchObject({ ok: true, changed: 3 });
    expect(unreadOf(id.head)).toEqual([]);
    for (const nid of idsOf(id.head)) expect(rowOf(nid).readAt).toBeInstanceOf(Date);
    expect(unreadOf(id.staff)).toHaveLength(4);
    expect(unreadOf(id.head2)).toHaveLength(1);
    expect(unreadOf(id.reviewer)).toHaveLength(3);
    expect((await rootData(b.get("/"))).data.unread).toBe(0);
    expect((await rootData((await browserAs("tb.giaovien")).get("/"))).data.unread).toBe(4);
    // Anonymous: no count.
    expect((await rootData((await browserAs()).get("/"))).data).toMatchObject({ user: null, unread: 0 });
    const { data } = await loaderAs("tb.hieutruong");
    expect(data!.rows.every((r) => r.read)).toBe(true);
    expect(data!.unread).toBe(0);
  });
});

describe("the page and the header, from the real loader data", () => {
  async function renderAs(username: string) {
    const b = await browserAs(username);
    const root = (await rootData(b.get("/"))).data;
    const res = await run(page.loader, b.get("/thong-bao"));
    const data = await res.json();
    const Stub = createRemixStub([
      {
        id: "root",
        path: "/",
        loader: () => json(root),
        Component: () => (
          <AppShell user={root.user}>
            <Outlet />
          </AppShell>
        ),
        children: [{ path: "thong-bao", Component: page.default, loader: () => json(data), action: () => null }],
      },
    ]);
    return render(<Stub initialEntries={["/thong-bao"]} />);
  }

  it("shows one sentence per kind, the time in Hà Nội, unread marks, links and per-row forms with the CSRF token", async () => {
    const { container } = await renderAs("tb.giaovien");
    const list = await screen.findByRole("list", { name: "Danh sách thông báo" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(4);
    expect(items[0]!.textContent).toContain("Lý do: Minh chứng chưa đủ");
    expect(items[0]!.textContent).toContain(`Quyết định duyệt hồ sơ năm học ${YEAR} của Trường Tiểu học Hoa Sen đã bị thu hồi, hồ sơ trở lại bước kiểm tra.`);
    expect(items[1]!.textContent).toContain(`Hồ sơ năm học ${YEAR} của Trường Tiểu học Hoa Sen đã có kết quả đánh giá ngoài: Mức 2 (tự đánh giá: Mức 3).`);
    expect(items[2]!.textContent).toContain(`Hồ sơ năm học ${YEAR} của Trường Tiểu học Hoa Sen đã được duyệt và chuyển sang đánh giá ngoài.`);
    const returned = items[3]!;
    expect(returned.textContent).toContain(`Hồ sơ năm học ${YEAR} của Trường Tiểu học Hoa Sen đã bị trả lại kèm 3 yêu cầu bổ sung.`);
    expect(returned.textContent).toContain("23/11/2093 08:30");
    expect(returned.textContent).toContain("Người thực hiện: Cán bộ Kiểm Tra");
    expect(within(returned).getByText("Chưa đọc")).toBeTruthy();
    expect(within(returned).getByRole("link", { name: `Mở hồ sơ của Trường Tiểu học Hoa Sen, năm học ${YEAR}` }).getAttribute("href")).toBe(`/danh-gia/${id.aS}/yeu-cau`);
    const mark = within(returned).getByRole("button", { name: "Đánh dấu đã đọc (thông báo lúc 23/11/2093 08:30)" });
    const form = mark.closest("form")!;
    expect((form.querySelector('input[name="id"]') as HTMLInputElement).value).toBe(String(idsOf(id.staff)[0]));
    expect(mark.getAttribute("value")).toBe("read");
    expect(form.querySelector('input[name="_csrf"]')).toBeTruthy();
    expect(screen.getByRole("button", { name: "Đánh dấu tất cả đã đọc" }).getAttribute("value")).toBe("read-all");
    expect(container.querySelectorAll('input[name="_csrf"]').length).toBeGreaterThanOrEqual(5);
    // The header: "Thông báo (4)" with the count spelled out for screen readers.
    const link = screen.getByRole("link", { name: "Thông báo (4 thông báo chưa đọc)" });
    expect(link.getAttribute("href")).toBe("/thong-bao");
    expect(link.textContent).toContain("Thông báo (4)");
  });

  it("the office's sentences: resubmitted with its round, assigned, submitted", async () => {
    await renderAs("tb.kiemtra");
    const items = within(await screen.findByRole("list", { name: "Danh sách thông báo" })).getAllByRole("listitem");
    expect(items.map((li) => li.querySelector("p")!.textContent!.replace("Chưa đọc", "").trim())).toEqual([
      `Trường THCS Bàng đã gửi hồ sơ tự đánh giá năm học ${YEAR}.`,
      `Bạn được phân công kiểm tra hồ sơ năm học ${YEAR} của Trường Tiểu học Hoa Sen.`,
      "Trường Tiểu học Hoa Sen đã gửi lại hồ sơ (lần nộp 2).",
    ]);
  });

  it("read rows have no mark button; no unread gives a plain header link and no mark-all", async () => {
    await renderAs("tb.hieutruong");
    const items = within(await screen.findByRole("list", { name: "Danh sách thông báo" })).getAllByRole("listitem");
    expect(items).toHaveLength(4);
    for (const li of items) expect(within(li).queryByRole("button")).toBeNull();
    expect(screen.queryByRole("button", { name: "Đánh dấu tất cả đã đọc" })).toBeNull();
    expect(screen.getByRole("link", { name: "Thông báo" }).textContent).toBe("Thông báo");
    expect(screen.getByText("Bạn đã đọc hết các thông báo.")).toBeTruthy();
  });

  it("shows the empty state", async () => {
    await createUser({ username: "tb.trong", displayName: "Chưa Có Gì", password: pw, roles: ["office_reviewer"], unitId: id.P }, null);
    await renderAs("tb.trong");
    expect(await screen.findByText(/^Chưa có thông báo nào\./)).toBeTruthy();
    expect(screen.queryByRole("list", { name: "Danh sách thông báo" })).toBeNull();
  });
});
