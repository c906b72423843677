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
  },
};
