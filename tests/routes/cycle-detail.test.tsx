// @vitest-environment jsdom
/**
 * The cycle detail page through Remix's router stub: counts by status, filters in the URL, an
 * accessible pager, and the per-school extension posted with a fetcher that updates its own row
 * (new deadline, confirmation in a live region, field error at the reason) without loading the
 * list again.
 */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import CycleDetail, { shouldRevalidate } from "~/routes/quan-tri.dot-danh-gia.$id";

afterEach(cleanup);

const row = (id: number, school: string, code: string, over: Partial<{ override: string | null; canExtend: boolean; status: string }> = {}) => ({
  id,
  schoolId: id + 100,
  school,
  code,
  type: "TH",
  managingUnit: "Phòng GDĐT Đông Sơn",
  status: over.status ?? "draft",
  statusLabel: "Đang soạn",
  override: over.override ?? null,
  selfLevel: null,
  canExtend: over.canExtend ?? true,
});

/** Schools without an assessment in the cycle (the loader's `missing`); none unless a test sets them. */
let missing: { total: number; rows: { id: number; code: string; name: string }[] } = { total: 0, rows: [] };
afterEach(() => {
  missing = { total: 0, rows: [] };
});

function data() {
  return {
    missing,
    cycle: { id: 1, schoolYear: "2025-2026", self: "2026-05-31", unit: "Sở GDĐT Thanh Hoá" },
    counts: { draft: 1480, submitted: 15, returned: 3, approved: 2, recognised: 0, total: 1500 },
    list: {
      rows: [row(11, "Trường Tiểu học Đông Sơn", "38000011"), row(12, "Trường THCS Hoà Phú", "38000012", { override: "2026-06-15" }), row(13, "Trường THPT Lê Lợi", "38000013", { canExtend: false })],
      page: 2,
      pageCount: 75,
      pageSize: 20,
      total: 1500,
      sortedBy: "name",
    },
    filters: { q: "", status: "", type: "", unit: "", pageSize: "20" },
    unit: { selected: null, text: null, error: null },
  };
}

function stub(action: (fd: FormData) => Response) {
  const calls = { loader: 0, posts: [] as FormData[] };
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: null }),
      shouldRevalidate: () => false,
      children: [
        {
          path: "quan-tri/dot-danh-gia/:id",
          Component: CycleDetail,
          shouldRevalidate,
          loader: () => {
            calls.loader++;
            return json(data());
          },
          action: async ({ request }) => {
            const fd = await request.formData();
            calls.posts.push(fd);
            return action(fd);
          },
        },
      ],
    },
  ]);
  return { Stub, calls };
}

describe("cycle detail", () => {
  it("shows the counts of the whole cycle as filter links, one row per school and a pager keeping the filters", async () => {
    const { Stub } = stub(() => json({}));
    render(<Stub initialEntries={["/quan-tri/dot-danh-gia/1?page=2&loai=TH"]} />);
    const counts = await screen.findByRole("region", { name: "Số hồ sơ theo trạng thái" });
    expect(within(counts).getByRole("link", { name: "Tất cả: 1500" })).toBeTruthy();
    expect(within(counts).getByRole("link", { name: "Đã gửi, chờ kiểm tra: 15" }).getAttribute("href")).toBe("/quan-tri/dot-danh-gia/1?trang-thai=submitted");
    expect(screen.getByRole("search")).toBeTruthy();
    expect((screen.getByLabelText("Trạng thái") as HTMLSelectElement).name).toBe("trang-thai");
    expect((screen.getByLabelText("Loại hình") as HTMLSelectElement).name).toBe("loai");
    expect((screen.getByLabelText("Số dòng mỗi trang") as HTMLSelectElement).name).toBe("so-dong");
    expect(screen.getByRole("combobox", { name: "Đơn vị (quản lý hoặc đánh giá)" })).toBeTruthy();
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows).toHaveLength(4);
    expect(rows[2].textContent).toContain("15/06/2026 (đã gia hạn)");
    expect(rows[1].textContent).toContain("31/05/2026");
    expect(within(rows[3]).queryByRole("button")).toBeNull();
    const pager = screen.getByRole("navigation", { name: "Phân trang" });
    expect(within(pager).getByText("Trang 2/75 · 1500 kết quả").getAttribute("aria-current")).toBe("page");
    expect(within(pager).getByRole("link", { name: "Trang sau" }).getAttribute("href")).toBe("/quan-tri/dot-danh-gia/1?page=3&loai=TH");
    expect(within(pager).getByRole("link", { name: "Trang trước" }).getAttribute("href")).toBe("/quan-tri/dot-danh-gia/1?loai=TH");
  });

  it("extends one school with a fetcher: the row shows the new date and a confirmation, the list is not loaded again", async () => {
    const { Stub, calls } = stub((fd) =>
      json({ ok: true, assessmentId: Number(fd.get("assessmentId")), deadline: "2026-06-30", message: "Đã gia hạn cho Trường Tiểu học Đông Sơn đến ngày 30/06/2026." }),
    );
    render(<Stub initialEntries={["/quan-tri/dot-danh-gia/1"]} />);
    const rows = within(await screen.findByRole("table")).getAllByRole("row");
    const first = rows[1];
    fireEvent.click(within(first).getByText("Gia hạn", { selector: "summary" }));
    fireEvent.change(within(first).getByLabelText("Hạn mới", { exact: false }), { target: { value: "30/06/2026" } });
    fireEvent.change(within(first).getByLabelText("Lý do gia hạn"), { target: { value: "Mất điện kéo dài" } });
    const loadsBefore = calls.loader;
    fireEvent.click(within(first).getByRole("button", { name: "Gia hạn" }));
    const status = await within(first).findByText("Đã gia hạn cho Trường Tiểu học Đông Sơn đến ngày 30/06/2026.");
    expect(status.getAttribute("role")).toBe("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(first.textContent).toContain("30/06/2026 (đã gia hạn)");
    expect(calls.posts).toHaveLength(1);
    expect(Object.fromEntries(calls.posts[0])).toMatchObject({ _csrf: "token-123", intent: "extend", assessmentId: "11", deadline: "30/06/2026", reason: "Mất điện kéo dài" });
    // The other rows are as they were, and the loader did not run again.
    expect(rows[2].textContent).toContain("15/06/2026");
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.loader).toBe(loadsBefore);
    // The form is emptied for a next extension.
    expect((within(first).getByLabelText("Lý do gia hạn") as HTMLInputElement).value).toBe("");
  });

  it("shows the server's reason error at the reason input of that row only", async () => {
    const { Stub } = stub((fd) => json({ ok: false, assessmentId: Number(fd.get("assessmentId")), errors: { reason: ["Vui lòng nêu lý do gia hạn."] } }, { status: 400 }));
    render(<Stub initialEntries={["/quan-tri/dot-danh-gia/1"]} />);
    const rows = within(await screen.findByRole("table")).getAllByRole("row");
    const second = rows[2];
    fireEvent.click(within(second).getByText("Gia hạn", { selector: "summary" }));
    fireEvent.change(within(second).getByLabelText("Hạn mới", { exact: false }), { target: { value: "30/06/2026" } });
    fireEvent.click(within(second).getByRole("button", { name: "Gia hạn" }));
    const error = await within(second).findByText("Vui lòng nêu lý do gia hạn.");
    const reason = within(second).getByLabelText("Lý do gia hạn");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(reason.getAttribute("aria-describedby")).toContain(error.id);
    await waitFor(() => expect(second.textContent).toContain("15/06/2026"));
    expect(rows[1].textContent).not.toContain("Vui lòng nêu lý do gia hạn.");
  });

  it("offers the schools added after the cycle opened, each with its own labelled button, and all at once", async () => {
    missing = { total: 3, rows: [{ id: 501, code: "38000501", name: "Trường Tiểu học Mới Mở" }, { id: 502, code: "38000502", name: "Trường THCS Sáp Nhập" }] };
    const { Stub } = stub(() => json({}));
    render(<Stub initialEntries={["/quan-tri/dot-danh-gia/1"]} />);
    const section = await screen.findByRole("region", { name: "Trường chưa có hồ sơ trong đợt" });
    expect(section.textContent).toContain("3 trường thuộc phạm vi của đợt");
    expect(section.textContent).toContain("Đang hiện 2 trường đầu tiên trong 3 trường.");
    const all = within(section).getByRole("button", { name: "Tạo hồ sơ cho cả 3 trường" });
    expect((all.closest("form")!.querySelector('input[name="intent"]') as HTMLInputElement).value).toBe("add-missing");
    const one = within(section).getByRole("button", { name: "Tạo hồ sơ cho Trường THCS Sáp Nhập" });
    const form = one.closest("form")!;
    expect((form.querySelector('input[name="intent"]') as HTMLInputElement).value).toBe("add-school");
    expect((form.querySelector('input[name="schoolId"]') as HTMLInputElement).value).toBe("502");
    expect(form.querySelector('input[name="_csrf"]')).toBeTruthy();
  });

  it("shows no such section when every school has its assessment", async () => {
    const { Stub } = stub(() => json({}));
    render(<Stub initialEntries={["/quan-tri/dot-danh-gia/1"]} />);
    await screen.findByRole("region", { name: "Số hồ sơ theo trạng thái" });
    expect(screen.queryByRole("region", { name: "Trường chưa có hồ sơ trong đợt" })).toBeNull();
  });
});
