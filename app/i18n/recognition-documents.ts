/**
 * Strings of the recognition documents: the decision (quyết định công nhận, drawn by
 * app/server/pdf/decision.server.ts), the certificate (giấy công nhận,
 * app/server/pdf/certificate.server.ts) and the errors of their routes
 * (/cong-nhan/:id/quyet-dinh.pdf, /xac-minh/:token.pdf).
 */
export const recognitionDocuments = {
  vi: {
    errors: {
      badId: "Không tìm thấy quyết định công nhận.",
      notFound: "Không tìm thấy quyết định công nhận.",
      forbidden: "Bạn không có quyền xem quyết định công nhận này.",
      certificateNotFound: "Không tìm thấy giấy công nhận.",
      renderFailed: "Không tạo được tệp PDF. Vui lòng thử lại sau.",
      busy: "Máy chủ đang tạo nhiều văn bản, vui lòng thử lại sau ít giây.",
    },

    decision: {
      draft: "DỰ THẢO",
      revoked: "ĐÃ THU HỒI",
      /** The number, or the blank the clerk fills while it is a draft. */
      number: (n: string | null) => (n ? `Số: ${n}` : "Số:        /QĐ-……"),
      title: "QUYẾT ĐỊNH",
      subtitleLines: (year: string) => ["Về việc công nhận mức độ chuyển đổi số", `của cơ sở giáo dục năm học ${year}`],
      docTitle: (number: string | null, year: string) =>
        `Quyết định${number ? ` số ${number}` : ""} về việc công nhận mức độ chuyển đổi số của cơ sở giáo dục năm học ${year}`,
      subject: "Quyết định công nhận mức độ chuyển đổi số của cơ sở giáo dục theo Quyết định số 4725/QĐ-BGDĐT",
      keywords: "chuyển đổi số, công nhận, quyết định, 4725/QĐ-BGDĐT",
      decides: "QUYẾT ĐỊNH:",
      article: (n: number) => `Điều ${n}.`,
      article1: (count: number, year: string) =>
        `Công nhận ${count} cơ sở giáo dục đạt mức độ chuyển đổi số năm học ${year} (có danh sách kèm theo).`,
      article1Levels: (parts: string[]) => `Trong đó: ${parts.join("; ")}.`,
      levelCount: (title: string, n: number) => `${title}: ${n} cơ sở`,
      article2: "Quyết định này có hiệu lực kể từ ngày ký.",
      article3: (office: string) =>
        `Chánh Văn phòng, Trưởng các phòng, ban có liên quan thuộc ${office}; Thủ trưởng các cơ sở giáo dục có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.`,
      recipients: (parent: string) => ["- Như Điều 3;", ...(parent ? [`- ${parent} (để báo cáo);`] : []), "- Lưu: VT."],
      /** A deputy signs for the head ("KT. GIÁM ĐỐC" above "PHÓ GIÁM ĐỐC"). */
      signFor: (head: string) => `KT. ${head}`,
      signNote: "(Ký, ghi rõ họ tên và đóng dấu)",
      annexTitle: (year: string) => `DANH SÁCH CƠ SỞ GIÁO DỤC ĐƯỢC CÔNG NHẬN ĐẠT MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM HỌC ${year}`,
      annexRef: (number: string | null, date: string, office: string) =>
        `(Kèm theo Quyết định số ${number ?? "……"} ngày ${date} của ${office})`,
      annexCols: { no: "STT", school: "Tên cơ sở giáo dục", code: "Mã", type: "Loại hình", subUnit: "Đơn vị quản lý", group: (code: string) => `Nhóm ${code}`, level: "Mức được công nhận" },
      annexEmpty: "Chưa có cơ sở giáo dục nào trong danh sách.",
      levelShort: (level: number) => `Mức ${level}`,
      legend: (parts: string[]) => `Ghi chú: ${parts.join("; ")}.`,
      /** Files that are not in a state to be recognised are named in the draft. */
      revokedNote: "Giấy công nhận đã thu hồi",
    },

    certificate: {
      title: "GIẤY CÔNG NHẬN",
      docTitle: (school: string, year: string) => `Giấy công nhận mức độ chuyển đổi số năm học ${year} — ${school}`,
      subject: "Giấy công nhận mức độ chuyển đổi số của cơ sở giáo dục theo Quyết định số 4725/QĐ-BGDĐT",
      keywords: "chuyển đổi số, giấy công nhận, 4725/QĐ-BGDĐT",
      bookTitle: "Giấy công nhận mức độ chuyển đổi số (tập in)",
      /** "Đạt mức độ chuyển đổi số: Mức 2 – Mức đáp ứng cơ bản". */
      level: (title: string) => `Đạt mức độ chuyển đổi số: ${title}`,
      schoolYear: (year: string) => `Năm học ${year}`,
      decisionRef: (number: string, date: string, authority: string) => `(Theo Quyết định số ${number} ngày ${date} của ${authority})`,
      serial: (serial: string) => `Số: ${serial}`,
      revoked: (date: string) => `ĐÃ THU HỒI ngày ${date}`,
      revokedNote: "Giấy công nhận này không còn hiệu lực.",
      verifyHint: "Quét mã để xác minh",
    },

    fileNames: {
      decisionAscii: (n: string) => `quyet-dinh-cong-nhan-${n}.pdf`,
      decisionUtf8: (n: string) => `quyết-định-công-nhận-${n}.pdf`,
      draft: "du-thao",
      certificateAscii: (code: string, serial: string) => `giay-cong-nhan-${code}-${serial}.pdf`,
      certificateUtf8: (code: string, serial: string) => `giấy-công-nhận-${code}-${serial}.pdf`,
    },
  },
};
