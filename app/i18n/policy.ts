/** Strings of the authorization door (app/server/policy): refusals and the school placement rule. */
export const policyUi = {
  vi: {
    forbidden: "Bạn không có quyền truy cập nội dung này.",
    assessment: {
      badId: "Mã hồ sơ không hợp lệ.",
      notFound: "Không tìm thấy hồ sơ đánh giá.",
      unauthenticated: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    },
    placement: {
      /** Form field messages. */
      reviewingNotAbove: "Đơn vị đánh giá ngoài phải là đơn vị quản lý của trường hoặc một đơn vị cấp trên của đơn vị đó.",
      reviewingLocked: "Đơn vị đánh giá ngoài của trường này do cấp trên phân công; chỉ cấp trên đó mới thay đổi được.",
      /** Import row messages, naming the codes of the row. */
      rowReviewingNotAbove: (reviewing: string, managing: string) =>
        `Đơn vị đánh giá ngoài "${reviewing}" phải là đơn vị quản lý "${managing}" hoặc một đơn vị cấp trên của đơn vị đó.`,
      rowReviewingLocked: (school: string) =>
        `Đơn vị đánh giá ngoài của trường "${school}" do cấp trên phân công; chỉ cấp trên đó mới thay đổi được.`,
    },
  },
};
