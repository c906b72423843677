// @vitest-environment jsdom
/** The schools list and form rendered through Remix's router stub, with stubbed loader/action data. */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import SchoolsList from "~/routes/quan-tri.truong._index";
import NewSchool from "~/routes/quan-tri.truong.moi";

afterEach(cleanup);

const unitRef = (id: number, code: string, name: string) => ({ id, code, name });

function listData(canManage: boolean) {
  return {
    list: {
      rows: [
        { id: 7, code: "99000001", name: "Trường Tiểu học Đông Sơn", type: "TH", active: true, managingUnit: unitRef(3, "P01", "Phòng GDĐT Đông Sơn"), reviewingUnit: unitRef(3, "P01", "Phòng GDĐT Đông Sơn"), canManage },
        { id: 9, code: "99000002", name: "Trường THCS Đông Sơn", type: "THCS", active: false, managingUnit: unitRef(4, "X01", "UBND xã Hoà Phú"), reviewingUnit: unitRef(2, "S99", "Sở GDĐT"), canManage },
      ],
      page: 1,
      pageCount: 3,
      pageSize: 20,
      total: 45,
      sortedBy: "name",
    },
    unit: { selected: null, text: null, error: null },
    filters: { q: "dong son", type: "", unit: "" },
    canManage,
  };
}

function stub(Component: () => JSX.Element, path: string, loader: () => Response, action?: () => Response | null) {
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: null }),
      children: [{ path, Component, loader, action: action ?? (() => null) }],
    },
  ]);
}

describe("schools list", () => {
  it("has a labelled search box, one table row per school and a pager keeping the search", async () => {
    const Stub = stub(SchoolsList, "quan-tri/truong", () => json(listData(true)));
    render(<Stub initialEntries={["/quan-tri/truong?q=dong+son"]} />);
    const search = (await screen.findByLabelText("Tìm theo mã trường hoặc tên trường")) as HTMLInputElement;
    expect(search.type).toBe("search");
    expect(search.name).toBe("q");
    expect(search.value).toBe("dong son");
    expect(screen.getByRole("search")).toBeTruthy();
    expect((screen.getByLabelText("Loại hình") as HTMLSelectElement).name).toBe("type");
    // The unit filter is a picker: a combobox whose id goes in the hidden "unit" field of the search form.
    const unitFilter = screen.getByRole("combobox", { name: "Đơn vị (quản lý hoặc đánh giá)" });
    // Once hydrated (the picker's effect has run, which findBy… does not wait for), the text field has no name.
    await waitFor(() => expect(unitFilter.getAttribute("name")).toBeNull());
    expect(screen.getByRole("search").querySelector('input[type="hidden"][name="unit"]')).toBeTruthy();

    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3); // header + 2
    expect(within(rows[1]).getByRole("link", { name: "Trường Tiểu học Đông Sơn" }).getAttribute("href")).toBe("/quan-tri/truong/7");
    expect(rows[2].textContent).toContain("UBND xã Hoà Phú");
    expect(rows[2].textContent).toContain("Sở GDĐT");
    expect(rows[2].textContent).toContain("Ngừng hoạt động");
    expect(within(table).getByText(/45 kết quả/)).toBeTruthy();

    const pager = screen.getByRole("navigation", { name: "Phân trang" });
    expect(pager.textContent).toContain("Trang 1/3 · 45 kết quả");
    expect(within(pager).queryByRole("link", { name: "Trang trước" })).toBeNull();
    expect(within(pager).getByRole("link", { name: "Trang sau" }).getAttribute("href")).toBe("/quan-tri/truong?q=dong+son&page=2");
    expect(screen.getByRole("link", { name: "Thêm trường" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Nhập từ tệp CSV" }).getAttribute("href")).toBe("/quan-tri/truong/nhap");
  });

  it("is read-only for a reviewer", async () => {
    const Stub = stub(SchoolsList, "quan-tri/truong", () => json(listData(false)));
    render(<Stub initialEntries={["/quan-tri/truong"]} />);
    expect(await screen.findByText("Bạn chỉ có quyền xem nội dung này.")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Thêm trường" })).toBeNull();
  });
});

describe("new school form", () => {
  const loader = () => json({});
  const P01 = { id: 3, code: "P01", name: "Phòng GDĐT Đông Sơn", kind: "district", parentName: "Sở GDĐT" };

  it("labels every field and shows the server's duplicate-code error at the field", async () => {
    const Stub = stub(NewSchool, "quan-tri/truong/moi", loader, () =>
      json(
        {
          status: "error",
          initialValue: { code: "99000001", name: "Trường Mới", type: "TH", managingUnitId: "3", reviewingUnitId: "3" },
          error: { code: ["Mã trường đã tồn tại."] },
          units: { managingUnitId: P01, reviewingUnitId: P01 },
        },
        { status: 400 },
      ),
    );
    const { container } = render(<Stub initialEntries={["/quan-tri/truong/moi"]} />);
    for (const label of ["Mã trường", "Tên trường", "Loại hình"]) expect(await screen.findByLabelText(label, { exact: false })).toBeTruthy();
    // The unit pickers: labelled comboboxes with their listbox (named like the field).
    for (const label of ["Đơn vị quản lý", "Đơn vị đánh giá ngoài"]) {
      const box = screen.getByRole("combobox", { name: label });
      const list = container.querySelector(`[id="${box.getAttribute("aria-controls")}"]`)!;
      expect([list.getAttribute("role"), list.getAttribute("aria-label")]).toEqual(["listbox", label]);
    }
    expect((container.querySelector('input[name="_csrf"]') as HTMLInputElement).value).toBe("token-123");
    fireEvent.change(screen.getByLabelText("Mã trường", { exact: false }), { target: { value: "99000001" } });
    fireEvent.change(screen.getByLabelText("Tên trường", { exact: false }), { target: { value: "Trường Mới" } });
    fireEvent.change(screen.getByLabelText("Loại hình", { exact: false }), { target: { value: "TH" } });
    // Each unit is chosen in its picker: typed, found by the search route, chosen with ↓ and Enter.
    const search = vi.fn(async (_url: string) => new Response(JSON.stringify({ units: [P01], more: false }), { headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", search);
    for (const label of ["Đơn vị quản lý", "Đơn vị đánh giá ngoài"]) {
      const box = screen.getByRole("combobox", { name: label });
      fireEvent.focus(box);
      fireEvent.change(box, { target: { value: "p01" } });
      await screen.findByRole("option", { name: /P01 — Phòng GDĐT Đông Sơn/ });
      fireEvent.keyDown(box, { key: "ArrowDown" });
      fireEvent.keyDown(box, { key: "Enter" });
      expect((box as HTMLInputElement).value).toBe("P01 — Phòng GDĐT Đông Sơn");
    }
    expect(search.mock.calls[0][0]).toBe("/quan-tri/don-vi/tim?q=p01");
    vi.unstubAllGlobals();
    fireEvent.click(screen.getByRole("button", { name: "Lưu" }));
    const error = await screen.findByText("Mã trường đã tồn tại.");
    const input = screen.getByLabelText("Mã trường", { exact: false });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(error.id);
    // The units the server sent back are shown again by name, and their ids posted again.
    const managing = screen.getByRole("combobox", { name: "Đơn vị quản lý" }) as HTMLInputElement;
    expect(managing.value).toBe("P01 — Phòng GDĐT Đông Sơn");
    expect(container.querySelector('input[type="hidden"][name="managingUnitId"]')!.getAttribute("value")).toBe("3");
    expect(container.textContent).toContain("Đã chọn: P01 — Phòng GDĐT Đông Sơn (Quận/huyện (Phòng GDĐT), thuộc Sở GDĐT).");
  });

  it("validates in the browser, in Vietnamese, without posting", async () => {
    let posted = false;
    const Stub = stub(NewSchool, "quan-tri/truong/moi", loader, () => {
      posted = true;
      return null;
    });
    render(<Stub initialEntries={["/quan-tri/truong/moi"]} />);
    fireEvent.click(await screen.findByRole("button", { name: "Lưu" }));
    expect(await screen.findByText("Vui lòng nhập mã trường.")).toBeTruthy();
    expect(screen.getByText("Vui lòng chọn đơn vị đánh giá ngoài.")).toBeTruthy();
    expect(posted).toBe(false);
  });
});
