// @vitest-environment jsdom
/** The CSV import page: the preview shows every row with its errors, and offers to confirm only a clean file. */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import ImportSchools from "~/routes/quan-tri.truong.nhap";

afterEach(cleanup);

const row = (line: number, code: string, errors: string[], action: string | null, changes: string[] = []) => ({
  line,
  code,
  name: `Trường ${code}`,
  type: "TH",
  managingUnitCode: "A1",
  reviewingUnitCode: "A1",
  errors,
  action,
  changes,
  schoolId: null,
});

function stub(actionData: unknown) {
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: null }),
      children: [{ path: "quan-tri/truong/nhap", Component: ImportSchools, loader: () => json({ maxMb: 2 }), action: () => json(actionData) }],
    },
  ]);
}

async function uploadAndPreview() {
  const input = (await screen.findByLabelText("Tệp CSV")) as HTMLInputElement;
  expect(input.type).toBe("file");
  const file = new File(["mã trường,tên\n"], "truong.csv", { type: "text/csv" });
  Object.defineProperty(input, "files", { value: [file] });
  fireEvent.change(input);
  fireEvent.submit(input.form!);
  return screen.findByRole("heading", { name: "Xem trước" });
}

describe("school import preview", () => {
  it("shows every row, marks the rows with errors and offers no confirmation", async () => {
    const Stub = stub({
      stage: "preview",
      payload: "eA==",
      preview: {
        sha256: "a".repeat(64),
        fileErrors: [],
        warnings: [],
        rows: [
          row(2, "N01", [], "create"),
          row(3, "N02", ['Loại hình "MN" không hợp lệ. Dùng một trong: TH, THCS, THPT, TH&THCS, THCS&THPT, TH-THCS-THPT, GDTX.'], null),
          row(4, "N03", ['Không tìm thấy đơn vị quản lý có mã "ZZZ".', 'Đơn vị đánh giá ngoài "B" nằm ngoài phạm vi của bạn.'], null),
        ],
        counts: { total: 3, create: 1, update: 0, unchanged: 0, errors: 2 },
        ok: false,
      },
    });
    render(<Stub initialEntries={["/quan-tri/truong/nhap"]} />);
    await uploadAndPreview();
    expect(screen.getByText("3 dòng: 1 tạo mới, 0 cập nhật, 0 không đổi, 2 dòng lỗi.")).toBeTruthy();
    expect(screen.getByText(/Có 2 dòng lỗi/)).toBeTruthy();
    const table = screen.getByRole("table", { name: "Các dòng trong tệp" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0].className).toBe("");
    expect(rows[0].textContent).toContain("Tạo mới");
    expect(rows[1].className).toBe("row--error");
    expect(rows[1].textContent).toContain('Loại hình "MN" không hợp lệ');
    expect(within(rows[2]).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      'Không tìm thấy đơn vị quản lý có mã "ZZZ".',
      'Đơn vị đánh giá ngoài "B" nằm ngoài phạm vi của bạn.',
    ]);
    expect(screen.queryByRole("button", { name: "Xác nhận nhập" })).toBeNull();
    expect(screen.getByText("Chưa có dữ liệu nào được ghi.")).toBeTruthy();
  });

  it("offers the confirmation for a clean file, carrying the text and its hash", async () => {
    const Stub = stub({
      stage: "preview",
      payload: "bcOjIHRyxrDhu51uZw==",
      preview: {
        sha256: "b".repeat(64),
        fileErrors: [],
        warnings: [],
        rows: [row(2, "N01", [], "create"), row(3, "OLD1", [], "update", ["name", "reviewingUnit"]), row(4, "OLD2", [], "unchanged")],
        counts: { total: 3, create: 1, update: 1, unchanged: 1, errors: 0 },
        ok: true,
      },
    });
    const { container } = render(<Stub initialEntries={["/quan-tri/truong/nhap"]} />);
    await uploadAndPreview();
    expect(screen.getByText("Cập nhật (tên, đơn vị đánh giá ngoài)")).toBeTruthy();
    const confirm = screen.getByRole("button", { name: "Xác nhận nhập" });
    const form = confirm.closest("form")!;
    expect(form.getAttribute("enctype")).toBe("multipart/form-data");
    expect((form.querySelector('input[name="intent"]') as HTMLInputElement).value).toBe("confirm");
    expect((form.querySelector('input[name="payload"]') as HTMLInputElement).value).toBe("bcOjIHRyxrDhu51uZw==");
    expect((form.querySelector('input[name="sha256"]') as HTMLInputElement).value).toBe("b".repeat(64));
    expect((form.querySelector('input[name="_csrf"]') as HTMLInputElement).value).toBe("token-123");
    expect(container.querySelectorAll("tr.row--error")).toHaveLength(0);
  });

  it("says so when nothing would change", async () => {
    const Stub = stub({
      stage: "preview",
      payload: "eA==",
      preview: { sha256: "c".repeat(64), fileErrors: [], warnings: [], rows: [row(2, "OLD2", [], "unchanged")], counts: { total: 1, create: 0, update: 0, unchanged: 1, errors: 0 }, ok: true },
    });
    render(<Stub initialEntries={["/quan-tri/truong/nhap"]} />);
    await uploadAndPreview();
    expect(screen.getByText(/Không có thay đổi nào: cả 1 dòng/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Xác nhận nhập" })).toBeNull();
  });
});
