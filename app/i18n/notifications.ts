/** Strings of the in-app notifications: the header link and the /thong-bao page. */
import type { NotificationKind } from "~/domain/review";

/** What a sentence needs of a notification (NotificationView of notifications.server, as the page receives it). */
export interface NoticeFacts {
  kind: NotificationKind;
  schoolName: string | null;
  schoolYear: string | null;
  details: Record<string, unknown> | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

const vi = {
  // The header link.
  link: "Thông báo",
  unreadLabel: (n: number) => `${n} thông báo chưa đọc`,
  // The page.
  title: "Thông báo",
  intro: "Các thay đổi của hồ sơ liên quan đến bạn, mới nhất ở trên cùng.",
  summary: (n: number) => (n ? `Bạn có ${n} thông báo chưa đọc.` : "Bạn đã đọc hết các thông báo."),
  empty: "Chưa có thông báo nào. Khi hồ sơ liên quan đến bạn được gửi, trả lại, duyệt hoặc đánh giá ngoài, thông báo sẽ hiện ở đây.",
  emptyOlder: "Không còn thông báo cũ hơn.",
  listLabel: "Danh sách thông báo",
  unread: "Chưa đọc",
  read: "Đã đọc",
  by: (who: string) => `Người thực hiện: ${who}`,
  at: "Thời gian",
  open: "Mở hồ sơ",
  openFor: (school: string, year: string) => ` của ${school}, năm học ${year}`,
  markRead: "Đánh dấu đã đọc",
  markReadFor: (when: string) => ` (thông báo lúc ${when})`,
  markAll: "Đánh dấu tất cả đã đọc",
  more: "Xem thêm",
  newest: "Về thông báo mới nhất",
  marked: (n: number) => (n ? `Đã đánh dấu ${n} thông báo là đã đọc.` : "Không có thông báo nào cần đánh dấu."),
  badPage: "Tham số trang không hợp lệ.",
  badForm: "Yêu cầu không hợp lệ: không rõ thông báo cần đánh dấu.",
  /** One Vietnamese sentence per kind. */
  sentence(n: NoticeFacts): string {
    const school = n.schoolName ?? "Nhà trường";
    const year = n.schoolYear ?? "—";
    const file = `Hồ sơ năm học ${year} của ${school}`;
    const d = n.details ?? {};
    switch (n.kind) {
      case "submitted":
        return `${school} đã gửi hồ sơ tự đánh giá năm học ${year}.`;
      case "resubmitted": {
        const round = num(d.round);
        return `${school} đã gửi lại hồ sơ${round ? ` (lần nộp ${round})` : ""}.`;
      }
      case "returned": {
        const requests = num(d.requests);
        return requests ? `${file} đã bị trả lại kèm ${requests} yêu cầu bổ sung.` : `${file} đã bị trả lại để bổ sung.`;
      }
      case "approved":
        return `${file} đã được duyệt và chuyển sang đánh giá ngoài.`;
      case "external-finished": {
        const level = num(d.level);
        const self = num(d.selfLevel);
        const result = level != null ? `: Mức ${level}` : "";
        const kept = d.kept === true ? " (giữ mức tự đánh giá)" : self != null && level != null && self !== level ? ` (tự đánh giá: Mức ${self})` : "";
        return `${file} đã có kết quả đánh giá ngoài${result}${kept}.`;
      }
      case "withdrawn": {
        const reason = str(d.reason);
        return `Quyết định duyệt ${file.charAt(0).toLowerCase()}${file.slice(1)} đã bị thu hồi, hồ sơ trở lại bước kiểm tra.${reason ? ` Lý do: ${reason}` : ""}`;
      }
      case "assigned":
        return `Bạn được phân công kiểm tra hồ sơ năm học ${year} của ${school}.`;
      case "recognised": {
        const level = num(d.level);
        const decision = str(d.decision);
        return `${school} được công nhận đạt mức độ chuyển đổi số${level != null ? ` Mức ${level}` : ""} năm học ${year}${decision ? ` (Quyết định số ${decision})` : ""}.`;
      }
      case "recognition-revoked": {
        const reason = str(d.reason);
        return `Giấy công nhận năm học ${year} của ${school}${str(d.serial) ? ` (số ${str(d.serial)})` : ""} đã bị thu hồi.${reason ? ` Lý do: ${reason}` : ""}`;
      }
      default:
        return `${file} có thay đổi.`;
    }
  },
};

export const notificationsUi = { vi };
