/**
 * Strings of the province report (báo cáo tổng hợp kết quả đánh giá mức độ chuyển đổi số, drawn by
 * app/server/pdf/province-report.server.ts) and of its route /thong-ke/bao-cao.pdf.
 */
import type { Basis } from "~/domain/stats";
import type { UnitKind } from "~/domain/units";

export const provinceReport = {
  vi: {
    errors: {
      renderFailed: "Không tạo được tệp PDF. Vui lòng thử lại sau.",
      busy: "Máy chủ đang tạo nhiều văn bản, vui lòng thử lại sau ít giây.",
      noData: "Chưa có hồ sơ nào của năm học này trong phạm vi được chọn.",
    },

    title: "BÁO CÁO",
    subtitleLines: (year: string) => ["Tổng hợp kết quả đánh giá mức độ chuyển đổi số", `của cơ sở giáo dục năm học ${year}`],
    docTitle: (unit: string, year: string) => `Báo cáo tổng hợp kết quả đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học ${year} — ${unit}`,
    subject: "Báo cáo tổng hợp kết quả đánh giá mức độ chuyển đổi số của cơ sở giáo dục theo Quyết định số 4725/QĐ-BGDĐT",
    keywords: "chuyển đổi số, báo cáo, thống kê, 4725/QĐ-BGDĐT",
    /** The number the clerk fills ("Số:      /BC-SGDĐT"). */
    number: (abbr: string) => `Số:       /BC-${abbr || "……"}`,
    /** The issuing office's abbreviation in the number, by the kind of its unit. */
    numberAbbr: { ministry: "BGDĐT", province: "SGDĐT", district: "PGDĐT", commune: "UBND" } as Record<UnitKind, string>,
    /** The head's title, by the kind of the unit (the signer of the report). */
    signerTitle: { ministry: "Bộ trưởng", province: "Giám đốc", district: "Trưởng phòng", commune: "Chủ tịch" } as Record<UnitKind, string>,
    signNote: "(Ký, ghi rõ họ tên và đóng dấu)",
    nation: "Bộ Giáo dục và Đào tạo",
    recipients: (parent: string) => [...(parent ? [`- ${parent} (để báo cáo);`] : []), "- Các đơn vị, cơ sở giáo dục trực thuộc;", "- Lưu: VT."],

    intro: (unit: string, year: string) =>
      `Thực hiện Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục, ${unit} báo cáo tổng hợp kết quả đánh giá mức độ chuyển đổi số của các cơ sở giáo dục năm học ${year} như sau:`,
    basisName: { recognised: "kết quả được công nhận", external: "kết quả đánh giá ngoài", self: "kết quả tự đánh giá" } as Record<Basis, string>,
    basisNote: (basis: string, type: string | null, date: string) =>
      `Số liệu tổng hợp theo ${basis}${type ? `, loại hình ${type}` : ""}, tính đến ngày ${date}.`,

    s1: "I. TÌNH HÌNH TRIỂN KHAI",
    cycle: (unit: string, self: string, review: string, closed: boolean) =>
      `Kế hoạch đánh giá do ${unit} triển khai: hạn tự đánh giá ${self}, hạn đánh giá ngoài và công nhận ${review}${closed ? " (đã kết thúc)" : ""}.`,
    noCycle: "Chưa có kế hoạch đánh giá nào của năm học này.",
    totalFiles: (n: number) => `Tổng số hồ sơ đánh giá: ${n} hồ sơ. Tình trạng hồ sơ như sau:`,
    stateCols: { state: "Tình trạng hồ sơ", count: "Số hồ sơ", share: "Tỉ lệ" },
    stateTotal: "Tổng cộng",
    overdue: (sub: number, rev: number) =>
      `Số hồ sơ quá hạn: ${sub} hồ sơ chưa gửi khi đã hết hạn tự đánh giá; ${rev} hồ sơ chưa được công nhận khi đã hết hạn đánh giá ngoài và công nhận.`,

    s2: "II. KẾT QUẢ ĐÁNH GIÁ",
    s2_1: "1. Mức độ chuyển đổi số của cơ sở giáo dục",
    levelLead: (basis: string) => `Theo ${basis}:`,
    otherBases: "Đối chiếu theo các cơ sở số liệu:",
    basisLine: (basis: string, sentence: string) => `- Theo ${basis}: ${sentence}`,
    s2_2: "2. Kết quả theo nhóm tiêu chí",
    groupLine: (code: string, title: string, sentence: string, avg: string | null) => `- Nhóm ${code} (${title}): ${sentence}${avg ? ` Điểm trung bình: ${avg}.` : ""}`,
    s2_3: "3. Kết quả theo đơn vị",
    s2_4: "4. Kết quả theo loại hình trường",
    distCols: { name: "Đơn vị", type: "Loại hình", files: "Số hồ sơ", counted: "Có kết quả", l1: "Mức 1", l2: "Mức 2", l3: "Mức 3", l3Share: "Tỉ lệ Mức 3", avg: "Điểm TB" },
    total: "Toàn bộ",
    s2_5: "5. Kết quả theo chỉ số",
    indCols: { code: "Mã", title: "Chỉ số", avg: "Điểm TB / tối đa", share: "Tỉ lệ điểm TB" },
    mandatoryMet: (met: number, n: number) => `${met}/${n} đạt`,
    weakest: (parts: string[]) => `Các chỉ số có tỉ lệ điểm trung bình thấp nhất: ${parts.join("; ")}.`,
    weakPart: (code: string, title: string, share: string) => `${code} ${title} (${share})`,
    bands: (code: string, title: string, parts: string[]) => `Chỉ số ${code} (${title}) theo mức: ${parts.join("; ")}.`,
    bandPart: (name: string, count: number, share: string) => `${name}: ${count} trường (chiếm ${share})`,
    s2_6: "6. Kết quả theo tiêu chí",
    itemCols: { code: "Mã", title: "Tiêu chí", result: "Kết quả" },
    optionPart: (label: string, count: number, share: string) => `${label}: ${count} trường (${share})`,
    noResults: "Chưa có kết quả.",

    s3: "III. SO SÁNH VỚI NĂM HỌC TRƯỚC",
    yearCols: { year: "Năm học", counted: "Số trường có kết quả", l1: "Mức 1", l2: "Mức 2", l3: "Mức 3", avg: "Điểm TB" },
    noPrevious: "Chưa có số liệu của năm học trước để so sánh.",
    compare: (prev: string, l3Now: string, l3Prev: string, delta: string, avgNow: string | null, avgPrev: string | null) =>
      `So với năm học ${prev}, tỉ lệ cơ sở giáo dục đạt Mức 3 là ${l3Now} (năm học ${prev}: ${l3Prev}, ${delta})` +
      (avgNow && avgPrev ? `; điểm trung bình ${avgNow} (năm học ${prev}: ${avgPrev}).` : "."),
    delta: (pp: string, up: boolean | null) => (up == null ? "không thay đổi" : `${up ? "tăng" : "giảm"} ${pp} điểm phần trăm`),

    s4: "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    proposals: [
      "Tiếp tục chỉ đạo các cơ sở giáo dục hoàn thiện hạ tầng, thiết bị và học liệu số; ưu tiên các chỉ số có tỉ lệ điểm trung bình thấp nêu tại mục II.",
      "Đề nghị cấp trên quan tâm hỗ trợ kinh phí, tập huấn nâng cao năng lực số cho cán bộ quản lý, giáo viên và nhân viên.",
    ],

    chart: {
      levels: "Biểu đồ 1. Số cơ sở giáo dục theo mức độ chuyển đổi số",
      subUnits: "Biểu đồ 2. Cơ cấu mức độ chuyển đổi số theo đơn vị (%)",
      indicators: "Biểu đồ 3. Tỉ lệ điểm trung bình theo chỉ số (%); cột màu đậm: các chỉ số thấp nhất",
      years: "Biểu đồ 4. Tỉ lệ cơ sở giáo dục theo mức qua các năm học (%)",
      schools: "Số trường",
      share: "Tỉ lệ (%)",
      level: (l: number) => `Mức ${l}`,
    },

    fileName: {
      ascii: (year: string) => `bao-cao-tong-hop-chuyen-doi-so-${year}.pdf`,
      utf8: (year: string) => `báo-cáo-tổng-hợp-chuyển-đổi-số-${year}.pdf`,
    },
  },
};
