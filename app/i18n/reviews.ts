export const reviewsUi = {
  vi: {
    title: "Hồ sơ các trường",
    intro: "Hồ sơ tự đánh giá của các trường thuộc phạm vi đơn vị bạn. Mở một hồ sơ để xem phiếu, minh chứng, báo cáo và nhật ký.",
    search: "Tìm trường (mã hoặc tên)",
    status: "Trạng thái",
    all: "Tất cả",
    filter: "Lọc",
    school: "Trường",
    year: "Năm học",
    level: "Mức tự đánh giá",
    reviewer: "Đơn vị đánh giá",
    submittedAt: "Gửi lúc",
    none: "Không có hồ sơ nào phù hợp.",
    awaitingLink: "Xem các hồ sơ đang chờ kiểm tra",
    // The open cycles of the office's scope, above the list.
    openCycles: "Đợt đánh giá đang mở",
    cycleHeading: (year: string, unit: string) => `Năm học ${year} — ${unit}`,
    reviewDeadline: (date: string, days: number) =>
      `Hạn kiểm tra, đánh giá ngoài và công nhận: ${date} (${days > 0 ? `còn ${days} ngày` : days === 0 ? "hôm nay" : `đã quá ${-days} ngày`}).`,
    selfDeadline: (date: string) => `Hạn tự đánh giá của các trường: ${date}.`,
    countsLabel: (year: string) => `Số hồ sơ năm học ${year} theo trạng thái`,
    overdueCount: (n: number) => `Quá hạn: ${n} hồ sơ`,
    noneOverdue: "Không có hồ sơ quá hạn.",
    overdueOnly: "Chỉ hồ sơ quá hạn",
    overdueBadge: "quá hạn",

  },
};
