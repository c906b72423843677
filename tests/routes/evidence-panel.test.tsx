// @vitest-environment jsdom
/** The EvidencePanel through Remix's router stub: labels, CSRF first, read-only mode, fetcher posts. */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import { EvidencePanel } from "~/components/evidence/EvidencePanel";
import type { EvidenceEntry } from "~/domain/evidence";

afterEach(cleanup);

const entries: EvidenceEntry[] = [
  { itemCode: "1.3.1", code: "MC-1.3.1-01", evidenceId: 11, kind: "file", title: "Kế hoạch CĐS 2025", fileName: "Kế hoạch CĐS 2025.pdf", mime: "application/pdf", size: 1536, url: null },
  { itemCode: "1.3.1", code: "MC-1.3.1-02", evidenceId: 12, kind: "file", title: "Danh sách", fileName: "Danh sách.xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", size: 2048, url: null },
  { itemCode: "1.3.1", code: "MC-1.3.1-03", evidenceId: 13, kind: "link", title: "LMS", fileName: null, mime: null, size: null, url: "https://lms.example.edu.vn/" },
  { itemCode: "1.3.1", code: "MC-1.3.1-04", evidenceId: 14, kind: "link", title: "Xấu", fileName: null, mime: null, size: null, url: "javascript:alert(1)" },
  { itemCode: "2.2", code: "MC-2.2-01", evidenceId: 15, kind: "file", title: "Khác", fileName: "x.pdf", mime: "application/pdf", size: 10, url: null },
];

function stub(opts: { editable: boolean; onChange?: () => void; posted?: FormData[]; maxBytes?: number }) {
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: null }),
      children: [
        {
          path: "danh-gia/:id",
          Component: () => <EvidencePanel assessmentId={7} itemCode="1.3.1" entries={entries} editable={opts.editable} onChange={opts.onChange} maxBytes={opts.maxBytes} />,
        },
        {
          path: "danh-gia/:id/minh-chung",
          action: async ({ request }) => {
            const fd = await request.formData();
            opts.posted?.push(fd);
            return json({ ok: true, intent: fd.get("intent"), itemCode: "1.3.1", message: "Đã thêm liên kết MC-1.3.1-05.", entries: [] });
          },
        },
      ],
    },
  ]);
}

describe("EvidencePanel", () => {
  it("lists this item's evidence with download, preview and remove controls, all labelled", async () => {
    const Stub = stub({ editable: true });
    render(<Stub initialEntries={["/danh-gia/7"]} />);
    const list = await screen.findByRole("list", { name: "Danh sách minh chứng của tiêu chí 1.3.1" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(4);
    expect(screen.queryByText("MC-2.2-01")).toBeNull();
    expect(screen.getByRole("link", { name: "Tải về MC-1.3.1-01: Kế hoạch CĐS 2025" }).getAttribute("href")).toBe("/minh-chung/11");
    expect(screen.getByRole("link", { name: /Xem trước MC-1.3.1-01/ }).getAttribute("href")).toBe("/minh-chung/11?xem=1");
    expect(screen.queryByRole("link", { name: /Xem trước MC-1.3.1-02/ })).toBeNull();
    const lms = screen.getByRole("link", { name: /Mở liên kết MC-1.3.1-03/ });
    expect(lms.getAttribute("rel")).toContain("noopener");
    expect(screen.queryByRole("link", { name: /MC-1.3.1-04/ })).toBeNull();
    expect(screen.getAllByRole("button", { name: /^Gỡ minh chứng MC-1.3.1-0\d/ })).toHaveLength(4);

    const file = screen.getByLabelText("Chọn tệp") as HTMLInputElement;
    expect(file.type).toBe("file");
    expect(file.accept).toContain(".pdf");
    expect(file.accept).toContain(".docx");
    expect(file.accept).toContain(".mp4");
    expect(screen.getByLabelText("Tên minh chứng (không bắt buộc)")).toBeTruthy();
    expect((screen.getByLabelText("Địa chỉ liên kết (http:// hoặc https://)") as HTMLInputElement).type).toBe("url");
    expect(screen.getByLabelText("Tên liên kết")).toBeTruthy();

    // The CSRF token is the first field of every form (checked before the file is read).
    for (const form of Array.from(document.querySelectorAll("form"))) {
      const first = form.querySelector("input") as HTMLInputElement;
      expect(first.name).toBe("_csrf");
      expect(first.value).toBe("token-123");
      expect(form.getAttribute("action")).toBe("/danh-gia/7/minh-chung");
    }
    const uploadForm = file.closest("form")!;
    expect(uploadForm.getAttribute("enctype")).toBe("multipart/form-data");
    // The file input comes after every other field of its form.
    const names = Array.from(uploadForm.querySelectorAll("input")).map((i) => i.name);
    expect(names.slice(0, 3)).toEqual(["_csrf", "intent", "itemCode"]);
  });

  it("is read-only when the assessment is not editable", async () => {
    const Stub = stub({ editable: false });
    render(<Stub initialEntries={["/danh-gia/7"]} />);
    await screen.findByRole("list", { name: "Danh sách minh chứng của tiêu chí 1.3.1" });
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.queryByLabelText("Chọn tệp")).toBeNull();
    expect(screen.getByRole("link", { name: "Tải về MC-1.3.1-01: Kế hoạch CĐS 2025" })).toBeTruthy();
  });

  it("adds a link through the fetcher, asking for JSON, and reports the result", async () => {
    const posted: FormData[] = [];
    let changed = 0;
    const Stub = stub({ editable: true, posted, onChange: () => changed++ });
    render(<Stub initialEntries={["/danh-gia/7"]} />);
    fireEvent.change(await screen.findByLabelText("Địa chỉ liên kết (http:// hoặc https://)"), { target: { value: "https://truong.edu.vn/ke-hoach" } });
    fireEvent.change(screen.getByLabelText("Tên liên kết"), { target: { value: "Trang kế hoạch" } });
    fireEvent.click(screen.getByRole("button", { name: "Thêm liên kết" }));
    await waitFor(() => expect(changed).toBe(1));
    const fd = posted[0];
    expect(Object.fromEntries(fd)).toMatchObject({ _csrf: "token-123", intent: "link", itemCode: "1.3.1", url: "https://truong.edu.vn/ke-hoach", title: "Trang kế hoạch", _json: "1" });
    expect((await screen.findByRole("status")).textContent).toBe("Đã thêm liên kết MC-1.3.1-05.");
  });

  it("refuses a file over the size limit before sending it", async () => {
    const posted: FormData[] = [];
    const Stub = stub({ editable: true, posted, maxBytes: 1024 });
    render(<Stub initialEntries={["/danh-gia/7"]} />);
    const input = (await screen.findByLabelText("Chọn tệp")) as HTMLInputElement;
    const big = new File([new Uint8Array(4096)], "lon.pdf", { type: "application/pdf" });
    fireEvent.change(input, { target: { files: [big] } });
    fireEvent.submit(input.closest("form")!);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Tệp quá lớn: tối đa 1 KB mỗi tệp.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(posted).toHaveLength(0);
  });
});
