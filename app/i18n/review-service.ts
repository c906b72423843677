/** Messages of the review service (app/server/services/review.server.ts), in Vietnamese. */
export const reviewService = {
  vi: {
    notFound: "Không tìm thấy hồ sơ.",
    wrongState: "Thao tác không phù hợp với trạng thái hiện tại của hồ sơ.",
    cycleClosed: "Đợt đánh giá đã đóng.",
    assignClosed: (school: string) => `${school}: đợt đánh giá đã đóng, không phân công được.`,
    invalid: "Vui lòng kiểm tra các ô được đánh dấu.",
    unknownItem: (code: string) => `Tiêu chí ${code} không có trong bộ chỉ số của đợt.`,
    tooLong: (n: number) => `Nội dung dài quá ${n.toLocaleString("vi-VN")} ký tự.`,
    returnNeedsRequest: "Trả lại hồ sơ cần ít nhất một yêu cầu bổ sung theo tiêu chí hoặc một nhận xét chung.",
    requestNotFound: "Không tìm thấy yêu cầu bổ sung này trong hồ sơ.",
    requestClosed: "Yêu cầu này đã được đơn vị đánh giá đóng.",
    replyNeeded: "Vui lòng nhập nội dung trả lời hoặc đánh dấu “Đã bổ sung”.",
    reasonRequired: "Vui lòng nêu lý do.",
    itemReasonRequired: "Tiêu chí có kết quả khác tự đánh giá: vui lòng nêu lý do.",
    reasonsMissing: (codes: string[]) => `Chưa nêu lý do cho các tiêu chí có kết quả khác tự đánh giá: ${codes.join(", ")}.`,
    keepSkipped: (school: string) => `${school}: hồ sơ không ở trạng thái đang đánh giá ngoài, đã bỏ qua.`,
    notReviewerOf: (school: string) => `${school}: người được chọn không phải cán bộ kiểm tra của đơn vị đánh giá trường này.`,
    assignState: (school: string) => `${school}: hồ sơ đã được công nhận, không phân công lại.`,
  },
};
