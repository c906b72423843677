export const auth = {
  vi: {
    title: "Đăng nhập",
    publicCatalogue: "Xem bộ chỉ số đánh giá mức độ chuyển đổi số (không cần đăng nhập)",
    publishedResults: "Xem kết quả đánh giá đã công bố (không cần đăng nhập)",
    intro: "Dùng tài khoản do đơn vị quản lý cấp cho bạn.",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    submit: "Đăng nhập",
    submitting: "Đang đăng nhập…",
    required: {
      username: "Vui lòng nhập tên đăng nhập.",
      password: "Vui lòng nhập mật khẩu.",
    },
    tooLong: "Giá trị quá dài.",
    invalid: "Tên đăng nhập hoặc mật khẩu không đúng.",
    /** The wait of a throttled sign-in: seconds under a minute, whole minutes above. */
    throttled: (ms: number) =>
      ms < 60_000
        ? `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.max(1, Math.ceil(ms / 1000))} giây.`
        : `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(ms / 60_000)} phút.`,
    csrf: "Phiên biểu mẫu đã hết hạn. Vui lòng nhập lại và đăng nhập.",
    expired: "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
    loggedOut: "Bạn đã đăng xuất.",
    forgot: "Quên mật khẩu? Liên hệ quản trị của đơn vị bạn để được cấp lại.",
    account: {
      changeLink: "Đổi mật khẩu",
      title: "Đổi mật khẩu",
      intro: "Chọn một mật khẩu chỉ mình bạn biết, ít nhất 10 ký tự.",
      mustChangeIntro: "Quản trị đã đặt mật khẩu cho tài khoản của bạn. Hãy chọn mật khẩu của riêng bạn trước khi tiếp tục.",
      mustChange: "Bạn cần đổi mật khẩu do quản trị cấp trước khi tiếp tục.",
      currentPassword: "Mật khẩu hiện tại",
      newPassword: "Mật khẩu mới",
      newPasswordHint: "Ít nhất 10 ký tự, khác mật khẩu hiện tại.",
      confirmPassword: "Nhập lại mật khẩu mới",
      submit: "Đổi mật khẩu",
      submitting: "Đang lưu…",
      required: {
        currentPassword: "Vui lòng nhập mật khẩu hiện tại.",
        newPassword: "Vui lòng nhập mật khẩu mới.",
        confirmPassword: "Vui lòng nhập lại mật khẩu mới.",
      },
      tooShort: "Mật khẩu mới cần ít nhất 10 ký tự.",
      tooLong: "Mật khẩu quá dài (tối đa 200 ký tự).",
      mismatch: "Mật khẩu nhập lại không khớp.",
      sameAsCurrent: "Mật khẩu mới phải khác mật khẩu hiện tại.",
      wrongCurrent: "Mật khẩu hiện tại không đúng.",
      changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.",
      /** Admin screens. */
      mustChangeBadge: "Phải đổi mật khẩu ở lần đăng nhập tới",
      adminSetHint: "Người dùng phải đổi mật khẩu này ở lần đăng nhập tới.",
    },
  },
};
