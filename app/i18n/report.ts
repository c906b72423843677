/**
 * Strings of the self-assessment report: the page where the school writes the free-text
 * sections, and the PDF (outline of Phụ lục 2, seed 002: "BÁO CÁO kết quả thực hiện đánh giá
 * mức độ chuyển đổi số của cơ sở giáo dục năm học …").
 *
 * Isomorphic (no server imports): the route component uses the labels and hints too.
 */

import { REPORT_SECTION_KEYS, REPORT_SECTION_MAX, type ReportSectionKey } from "~/domain/report";
import { formatDateTime } from "~/utils/time";

/** The sections are declared once, in the domain; re-exported for the page and the PDF. */
export { REPORT_SECTION_KEYS, REPORT_SECTION_MAX, type ReportSectionKey };

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

interface SectionText {
  /** Heading as printed in the PDF. */
  heading: string;
  /** Label of the textarea on the page (carries the outline number). */
  label: string;
  /** What to write, from the outline. */
  hint: string;
}

export const report = {
  vi: {
    sections: {
      leadership: {
        heading: "I. Công tác lãnh đạo, chỉ đạo",
        label: "I. Công tác lãnh đạo, chỉ đạo",
        hint: "1. Triển khai các văn bản chỉ đạo; 2. Ban hành các văn bản, công tác hướng dẫn, bồi dưỡng, tập huấn.",
      },
      process: {
        heading: "1. Quá trình thực hiện tại cơ sở giáo dục",
        label: "II.1. Quá trình thực hiện tại cơ sở giáo dục",
        hint: "Thành lập nhóm/bộ phận tự đánh giá, phân công, thu thập minh chứng, các bước tự đánh giá theo bộ chỉ số.",
      },
      results: {
        heading: "2. Kết quả mức độ chuyển đổi số của đơn vị",
        label: "II.2. Kết quả mức độ chuyển đổi số của đơn vị",
        hint: "Nhận xét chung về kết quả. Bảng điểm từng chỉ số, mức đạt được và danh mục minh chứng được đưa vào báo cáo tự động từ phần tự đánh giá.",
      },
      difficulties: {
        heading: "III. Khó khăn, vướng mắc khi triển khai",
        label: "III. Khó khăn, vướng mắc khi triển khai",
        hint: "Những khó khăn về hạ tầng, thiết bị, nhân lực, kinh phí, phần mềm… khi triển khai.",
      },
      directions: {
        heading: "IV. Phương hướng nhiệm vụ trọng tâm năm học tiếp theo",
        label: "IV. Phương hướng nhiệm vụ trọng tâm năm học tiếp theo",
        hint: "Các nhiệm vụ, giải pháp trọng tâm để nâng mức độ chuyển đổi số trong năm học tới.",
      },
      proposals: {
        heading: "V. Đề xuất, kiến nghị",
        label: "V. Đề xuất, kiến nghị",
        hint: "Đề xuất, kiến nghị với cơ quan quản lý cấp trên.",
      },
    } satisfies Record<ReportSectionKey, SectionText>,

    page: {
      title: "Báo cáo tự đánh giá",
      heading: (school: string, year: string) => `Báo cáo kết quả tự đánh giá — ${school}, năm học ${year}`,
      intro:
        "Nhà trường viết các phần nội dung của báo cáo theo đề cương. Bảng kết quả tự đánh giá, mức đạt được, danh mục minh chứng, phần đầu văn bản và phần ký được tạo tự động khi tải báo cáo PDF.",
      download: "Tải báo cáo PDF",
      save: "Lưu nội dung báo cáo",
      saved: "Đã lưu nội dung báo cáo.",
      readOnly: "Hồ sơ đã gửi: nội dung báo cáo chỉ xem, không sửa được.",
      noEditRight: "Bạn chỉ có quyền xem nội dung báo cáo này.",
      empty: "(Chưa có nội dung)",
      partII: "II. Kết quả thực hiện",
      formError: "Vui lòng sửa các lỗi được đánh dấu bên dưới.",
      counter: (n: number) => `${thousands(n)}/${thousands(REPORT_SECTION_MAX)} ký tự`,
      back: "← Hồ sơ tự đánh giá",
      evidenceHeading: "Danh mục minh chứng",
      evidenceIntro: "Mỗi minh chứng được liệt kê một lần, với mọi mã của nó trong hồ sơ (một tệp dùng cho nhiều tiêu chí có nhiều mã).",
      evidenceNone: "Chưa có minh chứng nào được gắn với hồ sơ tự đánh giá.",
      evidenceCols: { no: "STT", codes: "Mã minh chứng", title: "Tên minh chứng", items: "Tiêu chí", kind: "Loại" },
      evidenceFile: "Tệp",
      evidenceLink: "Liên kết",
    },

    conflict: {
      intro: (by: string | null, at: number | null) =>
        `Phần này vừa được ${by ?? "người khác"} sửa${at ? ` lúc ${formatDateTime(at)}` : ""} sau khi bạn mở trang. Nội dung của bạn vẫn ở ô bên dưới, chưa được lưu.`,
      theirsLabel: "Nội dung đang được lưu:",
      keepMine: "Giữ nội dung của tôi",
      takeTheirs: "Dùng nội dung của họ",
    },

    errors: {
      badId: "Mã hồ sơ không hợp lệ.",
      notFound: "Không tìm thấy hồ sơ tự đánh giá.",
      badRequest: "Yêu cầu không hợp lệ.",
      tooBig: "Nội dung gửi lên quá lớn.",
      tooLong: (n: number) =>
        `Phần này dài ${thousands(n)} ký tự, vượt quá giới hạn ${thousands(REPORT_SECTION_MAX)} ký tự. Vui lòng rút gọn.`,
      notString: "Nội dung không hợp lệ.",
      locked: "Hồ sơ đã gửi, không thể sửa báo cáo.",
      renderFailed: "Không tạo được tệp PDF của báo cáo. Vui lòng thử lại sau.",
      busy: "Máy chủ đang tạo nhiều báo cáo, vui lòng thử lại sau ít giây.",
    },

    pdf: {
      /** Number and symbol: the clerk (văn thư) fills the number when the report is registered. */
      number: (n: string | null) => (n ? `Số: ${n}` : "Số:        /BC-……"),
      title: "BÁO CÁO",
      subtitle: (year: string) => `Kết quả thực hiện đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học ${year}`,
      /** The title as set: the school year on its own line. */
      subtitleLines: (year: string) => ["Kết quả thực hiện đánh giá mức độ chuyển đổi số của cơ sở giáo dục", `năm học ${year}`],
      docTitle: (school: string, year: string) =>
        `Báo cáo kết quả thực hiện đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học ${year} — ${school}`,
      subject: "Báo cáo tự đánh giá mức độ chuyển đổi số theo Quyết định số 4725/QĐ-BGDĐT",
      keywords: "chuyển đổi số, tự đánh giá, 4725/QĐ-BGDĐT",
      partII: "II. Kết quả thực hiện",
      tableIntro: (decision: string | null) =>
        decision
          ? `Kết quả tự đánh giá theo Bộ chỉ số đánh giá mức độ chuyển đổi số ban hành kèm theo Quyết định số ${decision} của Bộ trưởng Bộ Giáo dục và Đào tạo:`
          : "Kết quả tự đánh giá theo Bộ chỉ số đánh giá mức độ chuyển đổi số:",
      scoreCols: { code: "Mã", content: "Nội dung", max: "Điểm tối đa", points: "Điểm đạt", evidence: "Minh chứng" },
      mandatory: "Bắt buộc",
      met: "Đạt",
      notMet: "Chưa đạt",
      unanswered: "—",
      groupHeading: (code: string, title: string) => `Nhóm ${code}. ${title}`,
      groupTotal: (code: string, level: number, name: string) => `Cộng nhóm ${code}: Mức ${level} – ${name}`,
      groupCapped: (pointsLevel: number, codes: string[]) =>
        `(Theo điểm đạt Mức ${pointsLevel}; chưa đạt điều kiện bắt buộc ${codes.join(", ")})`,
      ratioWork: (s: string) => `Cách tính: ${s}`,
      choiceWork: (s: string) => `Lựa chọn: ${s}`,
      unansweredNote: (n: number, total: number) =>
        `Dấu “—”: tiêu chí chưa được đánh giá, tính 0 điểm (${n}/${total} tiêu chí chưa đánh giá).`,
      level: (level: number, name: string) => `Mức ${level} – ${name}`,
      institution: (level: number, name: string) => `Kết quả tự đánh giá mức độ chuyển đổi số của nhà trường: Mức ${level} – ${name}.`,
      groupLine: (code: string, title: string, points: string, max: string, level: number, name: string) =>
        `Nhóm ${code} (${title}): ${points}/${max} điểm, Mức ${level} – ${name}.`,
      infoHeading: (title: string) => `${title} (không tính điểm):`,
      infoField: (label: string, value: string) => `${label}: ${value}`,
      notesHeading: "Ghi chú của nhà trường theo từng tiêu chí:",
      noteLine: (code: string, text: string) => `- ${code}: ${text}`,
      mandatoryAllMet: "Tất cả các điều kiện bắt buộc đều đạt.",
      mandatoryUnmet: "Điều kiện bắt buộc chưa đạt:",
      recipientReport: (unit: string) => `- ${unit} (để báo cáo);`,
      recipientArchive: "- Lưu: VT.",
      signTitle: "HIỆU TRƯỞNG",
      signNote: "(Ký, ghi rõ họ tên và đóng dấu)",
      evidenceAnnex: "PHỤ LỤC",
      evidenceTitle: "DANH MỤC MINH CHỨNG",
      evidenceSubtitle: (school: string, year: string) =>
        `(Kèm theo Báo cáo kết quả thực hiện đánh giá mức độ chuyển đổi số năm học ${year} của ${school})`,
      evidenceCols: { no: "STT", code: "Mã minh chứng", title: "Tên minh chứng", item: "Tiêu chí", where: "Loại/đường dẫn" },
      evidenceNone: "Chưa có minh chứng nào được gắn với hồ sơ tự đánh giá.",
      evidenceFile: "Tệp:",
      evidenceLink: "Liên kết:",
      dots: "…",
    },
  },
};

export type ReportStrings = (typeof report)["vi"];
