export const auth = {
  vi: {
    title: "Đăng nhập",
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
    locked: (minutes: number) => `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
    csrf: "Phiên biểu mẫu đã hết hạn. Vui lòng nhập lại và đăng nhập.",
    expired: "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
    loggedOut: "Bạn đã đăng xuất.",
    forgot: "Quên mật khẩu? Liên hệ quản trị của đơn vị bạn để được cấp lại.",
  },
};
