// @vitest-environment jsdom
/**
 * /truong/:schoolId/ket-qua rendered through Remix's test stub from loader-shaped data: the years
 * table (levels, group points in Vietnamese numbers, which phase they are of), the radar chart's
 * canvas with its text label, and under it the table of the same figures in Vietnamese percent
 * format (formatTenths), one column per series with its number of schools. With nothing
 * published: the friendly message, no chart, the school's own column only.
 */
import { createElement } from "react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import type { SchoolResults } from "~/server/services/school-results.server";
import * as page from "~/routes/truong.$schoolId.ket-qua";

afterEach(cleanup);

const PATH = "/truong/7/ket-qua";

const base: SchoolResults = {
  school: { id: 7, name: "Trường Tiểu học Nguyễn Du", code: "99000001", type: "TH" },
  years: [
    {
      assessmentId: 11,
      schoolYear: "2025-2026",
      status: "recognised",
      statusLabel: "Đã công nhận",
      selfLevel: 2,
      externalLevel: 2,
      recognisedLevel: 2,
      pointsPhase: "external",
      groups: { "1": { points: 7250, max: 10000 }, "2": { points: 8000, max: 10000 } },
    },
    {
      assessmentId: 12,
      schoolYear: "2026-2027",
      status: "approved",
      statusLabel: "Đã duyệt, đang đánh giá ngoài",
      selfLevel: 3,
      externalLevel: null,
      recognisedLevel: null,
      pointsPhase: "self",
      groups: { "1": { points: 9000, max: 10000 }, "2": { points: 9550, max: 10000 } },
    },
  ],
  groups: [
    { code: "1", title: "Chuyển đổi số trong dạy, học" },
    { code: "2", title: "Chuyển đổi số trong quản trị cơ sở giáo dục" },
  ],
  own: { source: "recognised", schoolYear: "2025-2026", assessmentId: 11 },
  comparisonYear: "2025-2026",
  subUnit: { name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", schools: 11 },
  province: { name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", schools: 32 },
  sameType: { name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", schools: 12 },
  indicators: [
    { code: "1.3", title: "Triển khai phần mềm dạy học trực tuyến", max: 3000, own: 826, subUnit: 750, province: 701, sameType: 699 },
    { code: "1.4", title: "Học liệu số", max: 1000, own: 1000, subUnit: 905, province: 880, sameType: null },
  ],
};

function show(data: SchoolResults) {
  const Stub = createRemixStub([{ path: "/truong/:schoolId/ket-qua", Component: page.default, loader: () => json(data) }]);
  render(createElement(Stub, { initialEntries: [PATH] }));
}

const headers = (table: HTMLElement) => within(table).getAllByRole("columnheader").map((h) => h.textContent);
const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((c) => c.textContent);

describe("the school's results page", () => {
  it("renders the years table, the radar chart and the table of the same figures", async () => {
    show(base);
    await screen.findByRole("heading", { level: 1, name: "Kết quả của trường" });

    const [years, position] = screen.getAllByRole("table");
    expect(headers(years)).toEqual(["Năm học", "Trạng thái hồ sơ", "Tự đánh giá", "Đánh giá ngoài", "Được công nhận", "Điểm nhóm 1", "Điểm nhóm 2", "Điểm theo"]);
    const yr = within(years).getAllByRole("row").slice(1);
    // Newest first.
    expect(within(yr[0]).getByRole("rowheader").textContent).toBe("2026-2027");
    expect(cells(yr[0])).toEqual(["Đã duyệt, đang đánh giá ngoài", "Mức 3", "Chưa có", "Chưa có", "90/100", "95,5/100", "Tự đánh giá"]);
    expect(cells(yr[1])).toEqual(["Đã công nhận", "Mức 2", "Mức 2", "Mức 2", "72,5/100", "80/100", "Đánh giá ngoài"]);

    const canvas = screen.getByTestId("chart");
    expect(canvas.tagName).toBe("CANVAS");
    expect(canvas.getAttribute("role")).toBe("img");
    expect(canvas.getAttribute("aria-label")).toContain("Biểu đồ radar");
    expect(canvas.getAttribute("aria-label")).toContain("Trung bình Sở Giáo dục và Đào tạo tỉnh Đông Sơn");

    expect(headers(position)).toEqual([
      "Chỉ số",
      "Điểm tối đa",
      "Trường",
      "Trung bình Phòng Giáo dục và Đào tạo thành phố Đông Sơn(11 trường)",
      "Trung bình Sở Giáo dục và Đào tạo tỉnh Đông Sơn(32 trường)",
      "Trung bình trường tiểu học trong tỉnh(12 trường)",
    ]);
    const pr = within(position).getAllByRole("row").slice(1);
    expect(within(pr[0]).getByRole("rowheader").textContent).toBe("1.3. Triển khai phần mềm dạy học trực tuyến");
    expect(cells(pr[0])).toEqual(["30", "82,6%", "75,0%", "70,1%", "69,9%"]);
    expect(cells(pr[1])).toEqual(["10", "100,0%", "90,5%", "88,0%", "—"]);
    expect(screen.getByText("Giá trị của trường: kết quả được công nhận năm học 2025-2026.")).toBeTruthy();
    expect(screen.getByText(/kết quả đã được công bố của năm học 2025-2026/)).toBeTruthy();
  });

  it("with nothing published: a friendly message, no chart, the school's own values only, labelled as its self-assessment", async () => {
    show({
      ...base,
      own: { source: "self", schoolYear: "2026-2027", assessmentId: 12 },
      comparisonYear: null,
      subUnit: null,
      province: null,
      sameType: null,
      indicators: base.indicators.map((i) => ({ ...i, subUnit: null, province: null, sameType: null })),
    });
    await screen.findByRole("heading", { level: 1, name: "Kết quả của trường" });
    expect(screen.getByRole("status").textContent).toMatch(/^Chưa có kết quả nào được công bố để so sánh\./);
    expect(screen.queryByTestId("chart")).toBeNull();
    expect(screen.getByText("Giá trị của trường: kết quả tự đánh giá đã gửi năm học 2026-2027 (chưa được công nhận).")).toBeTruthy();
    const position = screen.getAllByRole("table")[1];
    expect(headers(position)).toEqual(["Chỉ số", "Điểm tối đa", "Trường"]);
    expect(within(position).getAllByRole("row").slice(1).map(cells)).toEqual([
      ["30", "82,6%"],
      ["10", "100,0%"],
    ]);
  });
});
