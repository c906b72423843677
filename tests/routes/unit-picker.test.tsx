// @vitest-environment jsdom
/**
 * The unit picker (ARIA combobox + listbox): search as you type, ↓/↑ with aria-activedescendant,
 * Enter chooses, Esc closes, the id in a hidden input under the field's name; before hydration (no
 * JavaScript) the text input itself is the `<name>__ma` code field.
 */
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UnitPicker, type UnitRef } from "~/components/UnitPicker";

const P01: UnitRef = { id: 3, code: "P01", name: "Phòng GDĐT Đông Sơn", kind: "district", parentName: "Sở GDĐT Thanh Hoá" };
const P02: UnitRef = { id: 4, code: "P02", name: "Phòng GDĐT Đông Hưng", kind: "district", parentName: "Sở GDĐT Thái Bình" };
const X01: UnitRef = { id: 9, code: "X01", name: "UBND xã Đông Sơn", kind: "commune", parentName: "Sở GDĐT Thanh Hoá" };

let search: ReturnType<typeof vi.fn>;
beforeEach(() => {
  search = vi.fn(async (_url: string) => new Response(JSON.stringify({ units: [P01, P02, X01], more: true }), { headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", search);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const hidden = (c: HTMLElement, name: string) => c.querySelector(`input[type="hidden"][name="${name}"]`) as HTMLInputElement;

describe("without JavaScript", () => {
  it("is a labelled text field for the unit code, prefilled with the chosen unit, and posts the id too", () => {
    const html = renderToString(<UnitPicker label="Đơn vị quản lý" name="managingUnitId" defaultValue={P01} required />);
    expect(html).toMatch(/<input[^>]*role="combobox"[^>]*name="managingUnitId__ma"[^>]*value="P01 — Phòng GDĐT Đông Sơn"/);
    expect(html).toContain('<input type="hidden" name="managingUnitId" value="3"/>');
    expect(html).toContain("hãy nhập đúng mã đơn vị");
    expect(html).toContain("Đã chọn: P01 — Phòng GDĐT Đông Sơn (Quận/huyện (Phòng GDĐT), thuộc Sở GDĐT Thanh Hoá).");
  });

  it("shows again the code typed before an error", () => {
    const html = renderToString(<UnitPicker label="Đơn vị" name="unitId" defaultText="P99" error="Không tìm thấy đơn vị có mã «P99»." />);
    expect(html).toMatch(/name="unitId__ma"[^>]*value="P99"/);
    expect(html).toContain('aria-invalid="true"');
  });
});

describe("with JavaScript", () => {
  it("loses the text field's name once hydrated: only the id is posted", () => {
    const { container } = render(<UnitPicker label="Đơn vị quản lý" name="managingUnitId" defaultValue={P01} />);
    const box = screen.getByRole("combobox", { name: "Đơn vị quản lý" });
    expect(box.getAttribute("name")).toBeNull();
    expect(hidden(container, "managingUnitId").value).toBe("3");
    expect(box.getAttribute("aria-autocomplete")).toBe("list");
    expect(box.getAttribute("aria-expanded")).toBe("false");
  });

  it("searches as you type, moves with ↓/↑ (aria-activedescendant), chooses with Enter", async () => {
    const { container } = render(
      <form>
        <UnitPicker label="Đơn vị quản lý" name="managingUnitId" debounceMs={0} />
      </form>,
    );
    const box = screen.getByRole("combobox", { name: "Đơn vị quản lý" }) as HTMLInputElement;
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: "dong" } });
    const list = await screen.findByRole("listbox", { name: "Đơn vị quản lý" });
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0][0]).toBe("/quan-tri/don-vi/tim?q=dong");
    expect(box.getAttribute("aria-expanded")).toBe("true");
    expect(box.getAttribute("aria-controls")).toBe(list.id);
    const options = within(list).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual([
      "P01 — Phòng GDĐT Đông Sơn · Quận/huyện (Phòng GDĐT), thuộc Sở GDĐT Thanh Hoá",
      "P02 — Phòng GDĐT Đông Hưng · Quận/huyện (Phòng GDĐT), thuộc Sở GDĐT Thái Bình",
      "X01 — UBND xã Đông Sơn · Xã/phường, thuộc Sở GDĐT Thanh Hoá",
    ]);
    // The count is announced, and that there are more.
    expect(container.querySelector('[role="status"]')!.textContent).toContain("3 đơn vị phù hợp, còn nữa");
    expect(box.getAttribute("aria-activedescendant")).toBeNull();
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(box.getAttribute("aria-activedescendant")).toBe(options[0].id);
    expect(options[0].getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(box.getAttribute("aria-activedescendant")).toBe(options[2].id);
    fireEvent.keyDown(box, { key: "ArrowDown" }); // wraps
    expect(box.getAttribute("aria-activedescendant")).toBe(options[0].id);
    fireEvent.keyDown(box, { key: "ArrowUp" }); // wraps back
    fireEvent.keyDown(box, { key: "ArrowUp" });
    expect(box.getAttribute("aria-activedescendant")).toBe(options[1].id);
    const enter = fireEvent.keyDown(box, { key: "Enter" });
    expect(enter).toBe(false); // default prevented: Enter chooses, it does not submit the form
    expect(box.value).toBe("P02 — Phòng GDĐT Đông Hưng");
    expect(hidden(container, "managingUnitId").value).toBe("4");
    expect(box.getAttribute("aria-expanded")).toBe("false");
    expect(box.getAttribute("aria-activedescendant")).toBeNull();
    expect(container.textContent).toContain("Đã chọn: P02 — Phòng GDĐT Đông Hưng");
    // Typing again drops the choice until a unit is chosen again.
    fireEvent.change(box, { target: { value: "P02 — Phòng" } });
    expect(hidden(container, "managingUnitId").value).toBe("");
  });

  it("closes with Esc without choosing, and puts the chosen unit back on a second Esc", async () => {
    const { container } = render(<UnitPicker label="Đơn vị" name="unitId" defaultValue={P01} debounceMs={0} />);
    const box = screen.getByRole("combobox", { name: "Đơn vị" }) as HTMLInputElement;
    fireEvent.focus(box);
    fireEvent.keyDown(box, { key: "ArrowDown" }); // opens the list, searching for everything
    await screen.findByRole("listbox");
    expect(search.mock.calls[0][0]).toBe("/quan-tri/don-vi/tim?q=");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(fireEvent.keyDown(box, { key: "Escape" })).toBe(false);
    expect(box.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(hidden(container, "unitId").value).toBe("3");
    fireEvent.change(box, { target: { value: "xyz" } });
    await screen.findByRole("listbox");
    fireEvent.keyDown(box, { key: "Escape" });
    expect(box.getAttribute("aria-expanded")).toBe("false");
    fireEvent.keyDown(box, { key: "Escape" });
    expect(box.value).toBe("");
  });

  it("chooses with the mouse, and takes an exact code typed without choosing when leaving the field", async () => {
    const { container } = render(<UnitPicker label="Đơn vị" name="unitId" debounceMs={0} />);
    const box = screen.getByRole("combobox", { name: "Đơn vị" }) as HTMLInputElement;
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: "X01" } });
    const option = await screen.findByRole("option", { name: /X01/ });
    fireEvent.mouseDown(option);
    fireEvent.click(option);
    expect(hidden(container, "unitId").value).toBe("9");
    fireEvent.change(box, { target: { value: "P01" } });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
    fireEvent.blur(box);
    expect(hidden(container, "unitId").value).toBe("3");
    expect(box.value).toBe("P01 — Phòng GDĐT Đông Sơn");
  });

  it("says so when the search finds nothing or fails, and marks its error for assistive technology", async () => {
    search.mockImplementationOnce(async () => new Response(JSON.stringify({ units: [], more: false }), { headers: { "Content-Type": "application/json" } }));
    const { container } = render(<UnitPicker label="Đơn vị" name="unitId" debounceMs={0} error="Vui lòng chọn đơn vị." />);
    const box = screen.getByRole("combobox", { name: "Đơn vị" });
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(box.getAttribute("aria-describedby")).toContain(screen.getByText("Vui lòng chọn đơn vị.").id);
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: "không có" } });
    await vi.waitFor(() => expect(container.querySelector('[role="status"]')!.textContent).toBe("Không tìm thấy đơn vị phù hợp trong phạm vi của bạn."));
    search.mockImplementationOnce(async () => new Response("{}", { status: 403 }));
    fireEvent.change(box, { target: { value: "x" } });
    await vi.waitFor(() => expect(container.querySelector('[role="status"]')!.textContent).toBe("Không tải được danh sách đơn vị. Hãy thử lại."));
  });

  it("passes its restrictions to the search", async () => {
    render(<UnitPicker label="Đơn vị cấp trên" name="parentId" excludeSubtreeOf={7} purpose="dot" debounceMs={0} />);
    const box = screen.getByRole("combobox", { name: "Đơn vị cấp trên" });
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: "so" } });
    await screen.findByRole("listbox");
    expect(search.mock.calls[0][0]).toBe("/quan-tri/don-vi/tim?q=so&muc-dich=dot&ngoai=7");
  });
});
