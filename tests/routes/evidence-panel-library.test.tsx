// @vitest-environment jsdom
/**
 * The evidence panel's library (issue 11, point 4), rendered with createRemixStub: it loads when
 * "Thêm minh chứng…" is opened, shows last year's codes, reuses an evidence for the item with one
 * post (CSRF, intent attach, JSON), confirms with the items and codes, and searches and switches
 * between "Dùng gần đây" and "Năm học trước".
 */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, expect, it } from "vitest";
import { EvidencePanel } from "~/components/evidence/EvidencePanel";
afterEach(cleanup);
it("reuses from the library and confirms", async () => {
  const posted: FormData[] = [];
  const urls: string[] = [];
  let changed = 0;
  const Stub = createRemixStub([{ id: "root", path: "/", loader: () => json({ csrf: "tok" }), children: [
    { path: "danh-gia/:id", Component: () => <EvidencePanel assessmentId={7} itemCode="1.3.1" entries={[]} editable onChange={() => changed++} /> },
    { path: "danh-gia/:id/thu-vien", loader: ({ request }) => { urls.push(request.url); return json({ ok: true, source: "gan-day", q: "", page: 1, pages: 1, total: 1, previousAssessment: { id: 3, schoolYear: "2024-2025" }, canAttach: true, libraryHref: "/truong/1/minh-chung", entries: [{ evidenceId: 42, kind: "link", title: "Kế hoạch", fileName: null, size: null, created: "01/10/2024", here: [], previous: [{ itemCode: "1.3.1", code: "MC-1.3.1-01" }] }] }); } },
    { path: "danh-gia/:id/minh-chung", action: async ({ request }) => { const fd = await request.formData(); posted.push(fd); return json({ ok: true, intent: "attach", itemCode: "1.3.1", message: "x", entries: [{ itemCode: "1.3.1", code: "MC-1.3.1-02", evidenceId: 42, kind: "link", title: "Kế hoạch", fileName: null, mime: null, size: null, url: "https://a" }] }); } },
  ] }]);
  render(<Stub initialEntries={["/danh-gia/7"]} />);
  const details = (await screen.findByText(/Thêm minh chứng cho tiêu chí 1.3.1/)).closest("details")!;
  details.open = true;
  fireEvent(details, new Event("toggle"));
  const btn = await screen.findByRole("button", { name: "Dùng «Kế hoạch» cho tiêu chí 1.3.1" });
  expect(screen.getByText("Năm trước: MC-1.3.1-01")).toBeTruthy();
  expect(screen.getByRole("button", { name: "Năm học trước (2024-2025)" })).toBeTruthy();
  fireEvent.click(btn);
  await waitFor(() => expect(changed).toBe(1));
  expect(Object.fromEntries(posted[0])).toMatchObject({ _csrf: "tok", intent: "attach", evidenceId: "42", itemCode: "1.3.1", _json: "1" });
  await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Đã dùng minh chứng «Kế hoạch» cho tiêu chí 1.3.1 (mã MC-1.3.1-02)."));
  fireEvent.change(screen.getByLabelText("Tìm trong thư viện (tên minh chứng, tên tệp)"), { target: { value: "ke hoach" } });
  fireEvent.click(screen.getByRole("button", { name: "Tìm" }));
  fireEvent.click(screen.getByRole("button", { name: "Năm học trước (2024-2025)" }));
  await waitFor(() => expect(urls.some((u) => u.includes("nguon=nam-truoc") && u.includes("q=ke+hoach"))).toBe(true));
});
