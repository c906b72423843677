/** The school's certificates over the years, on its list of assessments (/danh-gia). */
export const schoolCertificates = {
  vi: {
    heading: "Giấy công nhận qua các năm",
    none: "Trường chưa có giấy công nhận nào.",
    cols: {
      year: "Năm học",
      level: "Mức",
      serial: "Số giấy",
      decision: "Quyết định (số, ngày)",
      status: "Trạng thái",
      links: "Tải về, xác minh",
    },
    decision: (number: string, date: string) => `Số ${number} ngày ${date}`,
    valid: "Còn hiệu lực",
    revoked: (date: string, reason: string) => `Đã thu hồi ngày ${date} — ${reason}`,
    pdf: "PDF",
    verify: "Xác minh",
    pdfLabel: (serial: string) => `PDF giấy công nhận số ${serial}`,
    verifyLabel: (serial: string) => `Xác minh giấy công nhận số ${serial}`,
  },
};
