import type { Role } from "~/domain/roles";

export const shell = {
  vi: {
    appName: "CĐS 4725",
    appLongName: "Đánh giá mức độ chuyển đổi số cơ sở giáo dục",
    skipToContent: "Bỏ qua, đến nội dung chính",
    mainNav: "Điều hướng chính",
    login: "Đăng nhập",
    logout: "Đăng xuất",
    signedInAs: "Đang đăng nhập:",
    nav: {
      home: "Trang chủ",
      assessment: "Tự đánh giá",
      reviews: "Hồ sơ các trường",
      cycles: "Đợt đánh giá",
      catalogue: "Bộ chỉ số",
      units: "Đơn vị",
      schools: "Trường học",
      users: "Người dùng",
      editions: "Phiên bản bộ chỉ số",
    },
    roles: {
      school_staff: "Cán bộ, giáo viên nhà trường",
      school_head: "Hiệu trưởng",
      office_reviewer: "Cán bộ đánh giá (cơ quan quản lý)",
      office_admin: "Quản trị đơn vị",
      system_admin: "Quản trị hệ thống",
    } satisfies Record<Role, string>,
    footer: "Theo Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ Giáo dục và Đào tạo.",
    error: {
      title: "Đã xảy ra lỗi",
      notFoundTitle: "Không tìm thấy trang",
      notFound: "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.",
      forbiddenTitle: "Không có quyền truy cập",
      forbidden: "Bạn không có quyền xem hoặc thay đổi nội dung này. Nếu bạn cho rằng đây là nhầm lẫn, hãy liên hệ quản trị đơn vị.",
      badRequestTitle: "Yêu cầu không hợp lệ",
      generic: "Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu đã lưu không bị ảnh hưởng. Vui lòng thử lại sau ít phút.",
      backHome: "Về trang chủ",
      reload: "Tải lại trang",
      code: "Mã lỗi",
    },
  },
};
