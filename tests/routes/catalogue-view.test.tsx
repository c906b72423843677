// @vitest-environment jsdom
/**
 * The public catalogue (/chi-so) through Remix's router stub: choice options by name (never an
 * id such as `chua-dap-ung`), level and band lines without "Mức 3 (Mức 3)" or "Mức 3 — Mức 3".
 */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import CataloguePage from "~/routes/chi-so._index";
import { loadEdition } from "../unit/_fixtures";

afterEach(cleanup);

function stub() {
  const edition = loadEdition();
  const row = { id: edition.id, status: "published", publishedAt: "2022-12-30T00:00:00.000Z", contentHash: "a".repeat(64) };
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "t", user: null }),
      children: [{ path: "chi-so", Component: CataloguePage, loader: () => json({ found: { row, edition } }) }],
    },
  ]);
}

describe("public catalogue", () => {
  it("shows choice options by name and points, never by id", async () => {
    const Stub = stub();
    const { container } = render(<Stub initialEntries={["/chi-so"]} />);
    const row = (await screen.findByText("1.7.2")).closest("tr")!;
    const options = [...row.querySelectorAll("li")].map((li) => li.textContent);
    expect(options).toEqual(["Chưa đáp ứng (dưới mức cơ bản): 0 điểm", "Đáp ứng cơ bản: 5 điểm", "Đáp ứng tốt (mỗi học sinh một máy tính): 7 điểm"]);
    const text = container.textContent ?? "";
    for (const id of ["chua-dap-ung", "co-ban", "tu-xay-dung"]) expect(text).not.toContain(id);
  });

  it("prints each level and band name once", async () => {
    const Stub = stub();
    const { container } = render(<Stub initialEntries={["/chi-so"]} />);
    const levels = (await screen.findByRole("heading", { name: "Mức độ chuyển đổi số" })).closest("section")!;
    expect([...levels.querySelectorAll("ul")[0].querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "Mức 1 – Mức chưa đáp ứng: 0 ≤ x < 50",
      "Mức 2 – Mức đáp ứng cơ bản: 50 ≤ x ≤ 75",
      "Mức 3 – Mức đáp ứng tốt: 75 < x ≤ 100",
    ]);
    // 1.3's diagnostic bands are named "Mức 1".."Mức 3": each is printed once.
    const ind = container.querySelector("#chi-so-1\\.3")!;
    expect(ind.textContent).toContain("Mức 1: 0 ≤ x < 10; Mức 2: 10 ≤ x ≤ 20; Mức 3: 20 < x ≤ 30");
    const text = container.textContent ?? "";
    expect(text).not.toMatch(/Mức (\d) \(Mức \1\)|Mức (\d) [—–] Mức \2\b/);
  });
});
