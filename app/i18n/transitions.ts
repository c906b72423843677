/** Messages of the assessment service's door: refusals of a change, in Vietnamese. */
import { STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";

export const transitions = {
  vi: {
    notFound: "Không tìm thấy hồ sơ.",
    notAllowed: (s: AssessmentState) => `Thao tác không phù hợp với trạng thái hiện tại của hồ sơ (${STATE_LABELS[s].vi}).`,
    stale: "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang.",
    locked: "Hồ sơ đang ở trạng thái không cho phép sửa.",
    invalid: "Dữ liệu gửi lên không hợp lệ.",
    conflict: "Một số mục vừa được người khác thay đổi. Hãy chọn giữ giá trị của bạn hay dùng giá trị của họ.",
    deadlinePassed: "Đã quá hạn tự đánh giá. Hãy đề nghị đơn vị quản lý gia hạn cho trường.",
    missingInfo: (codes: string[]) => `Còn thiếu thông tin bắt buộc: ${codes.join(", ")}.`,
    cannotSubmit: "Hồ sơ không ở trạng thái có thể gửi.",
    wrongState: "Thao tác không phù hợp với trạng thái hiện tại của hồ sơ.",
    reasonRequired: "Vui lòng nêu lý do.",
    cycleClosed: "Đợt đánh giá đã đóng.",
    noExternal: "Hồ sơ chưa có kết quả đánh giá ngoài, chưa thể công nhận.",
    extensionReason: "Vui lòng nêu lý do gia hạn.",
    extensionNotLater: "Hạn mới phải sau hạn hiện tại.",
    extensionState: "Chỉ gia hạn được cho hồ sơ chưa gửi hoặc đang bị trả lại.",
    reportLocked: "Hồ sơ đã gửi, không thể sửa báo cáo.",
    reportConflict: "Một số phần của báo cáo vừa được người khác sửa. Các phần khác đã được lưu; hãy chọn nội dung cho phần bị trùng.",
  },
};
