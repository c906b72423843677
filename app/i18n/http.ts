/** Answers the server itself gives, before a route runs (body limits, cross-site posts, expired sessions). */
const mb = (bytes: number) => {
  const v = bytes / 1024 / 1024;
  return v >= 1 ? `${Number.isInteger(v) ? v : v.toFixed(1).replace(".", ",")} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
};

export const http = {
  vi: {
    tooLargeTitle: "Dữ liệu gửi lên quá lớn",
    tooLarge: (limitBytes: number) => `Dữ liệu gửi lên quá lớn (tối đa ${mb(limitBytes)} cho yêu cầu này). Yêu cầu không được xử lý.`,
    noBodyAllowed: "Yêu cầu này không được kèm dữ liệu.",
    crossSiteTitle: "Yêu cầu bị từ chối",
    crossSite: "Yêu cầu bị từ chối: gửi từ trang web khác.",
    unauthenticatedTitle: "Cần đăng nhập",
    unauthenticated: "Phiên làm việc đã hết hạn hoặc bạn chưa đăng nhập. Vui lòng đăng nhập lại.",
    unsupportedTypeTitle: "Dữ liệu gửi lên không đúng dạng",
    unsupportedType: "Dữ liệu gửi lên phải là một biểu mẫu (application/x-www-form-urlencoded hoặc multipart/form-data).",
    badRequestTitle: "Yêu cầu không hợp lệ",
    badRequest: "Yêu cầu không hợp lệ.",
    backHome: "Về trang chủ",
  },
};
