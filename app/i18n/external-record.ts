/**
 * Strings of the external assessment record (biên bản đánh giá ngoài): the PDF drawn by
 * app/server/pdf/external-record.server.ts and the errors of its route
 * (/danh-gia/:id/bien-ban.pdf).
 */
import type { TeamRole } from "~/domain/review";

export const externalRecord = {
  vi: {
    errors: {
      badId: "Mã hồ sơ không hợp lệ.",
      notFound: "Không tìm thấy hồ sơ đánh giá.",
      forbidden: "Bạn không có quyền xem biên bản đánh giá ngoài của hồ sơ này.",
      state: "Hồ sơ chưa được duyệt để đánh giá ngoài: chưa có biên bản đánh giá ngoài.",
      renderFailed: "Không tạo được tệp PDF của biên bản. Vui lòng thử lại sau.",
      busy: "Máy chủ đang tạo nhiều văn bản, vui lòng thử lại sau ít giây.",
    },

    pdf: {
      /** Number and symbol: the clerk fills the number when the record is registered. */
      number: (n: string | null) => (n ? `Số: ${n}` : "Số:        /BB-……"),
      draft: "DỰ THẢO",
      title: "BIÊN BẢN",
      subtitleLines: (year: string) => ["Đánh giá ngoài mức độ chuyển đổi số của cơ sở giáo dục", `năm học ${year}`],
      docTitle: (school: string, year: string) => `Biên bản đánh giá ngoài mức độ chuyển đổi số của cơ sở giáo dục năm học ${year} — ${school}`,
      subject: "Biên bản đánh giá ngoài mức độ chuyển đổi số theo Quyết định số 4725/QĐ-BGDĐT",
      keywords: "chuyển đổi số, đánh giá ngoài, biên bản, 4725/QĐ-BGDĐT",

      /** "Hôm nay, ngày 05 tháng 12 năm 2026, tại Trường …, Phòng … tiến hành đánh giá ngoài …". */
      opening: (day: string, month: string, year: string, school: string, office: string) =>
        `Hôm nay, ngày ${day} tháng ${month} năm ${year}, tại ${school}, ${office} tiến hành đánh giá ngoài mức độ chuyển đổi số của cơ sở giáo dục theo Bộ chỉ số đánh giá mức độ chuyển đổi số.`,
      openingNoDate: (school: string, office: string) =>
        `Hôm nay, ngày …… tháng …… năm ……, tại ${school}, ${office} tiến hành đánh giá ngoài mức độ chuyển đổi số của cơ sở giáo dục theo Bộ chỉ số đánh giá mức độ chuyển đổi số.`,

      partI: "I. THÀNH PHẦN",
      teamHeading: (office: string) => `1. Đoàn đánh giá ngoài của ${office}`,
      teamIntro: "Đoàn đánh giá gồm:",
      member: (n: number, name: string, title: string, role: string) => `${n}. ${title ? `${name}, ${title}` : name} — ${role};`,
      teamEmpty: "Đoàn đánh giá gồm: ……………………………………………",
      roles: { truong_doan: "Trưởng đoàn", thanh_vien: "Thành viên", thu_ky: "Thư ký" } satisfies Record<TeamRole, string>,
      schoolHeading: "2. Cơ sở giáo dục được đánh giá",
      schoolName: (name: string) => `- Tên cơ sở giáo dục: ${name};`,
      schoolCode: (code: string) => `- Mã cơ sở giáo dục: ${code};`,
      schoolType: (type: string) => `- Loại hình: ${type};`,
      schoolManaging: (unit: string) => `- Cơ quan quản lý: ${unit};`,
      schoolHead: (name: string | null) => `- Đại diện cơ sở giáo dục: ${name ? `${name}, ` : "…………………………, "}Hiệu trưởng.`,

      partII: "II. KẾT QUẢ ĐÁNH GIÁ NGOÀI",
      itemsHeading: "1. Kết quả theo từng tiêu chí",
      itemsIntro: "Kết quả tự đánh giá của cơ sở giáo dục và kết quả đánh giá ngoài của đoàn theo từng tiêu chí:",
      itemCols: { code: "Mã", content: "Nội dung", max: "Điểm tối đa", self: "Tự đánh giá", external: "Đánh giá ngoài", reason: "Lý do điều chỉnh" },
      groupHeading: (code: string, title: string) => `Nhóm ${code}. ${title}`,
      groupTotal: (code: string) => `Cộng nhóm ${code}`,
      met: "Đạt",
      notMet: "Chưa đạt",
      unanswered: "—",
      changedNote: (n: number) => (n ? `Có ${n} tiêu chí có kết quả đánh giá ngoài khác kết quả tự đánh giá.` : "Không có tiêu chí nào có kết quả đánh giá ngoài khác kết quả tự đánh giá."),
      summaryHeading: "2. Tổng hợp kết quả",
      summaryCols: { group: "Nhóm", self: "Tự đánh giá", external: "Đánh giá ngoài", points: "Điểm", level: "Mức" },
      summaryGroup: (code: string, title: string) => `Nhóm ${code}. ${title}`,
      summaryInstitution: "Mức của cơ sở giáo dục",
      points: (points: string, max: string) => `${points}/${max}`,
      level: (level: number, name: string) => `Mức ${level} – ${name}`,
      mandatoryUnmet: (codes: string[]) => `(Chưa đạt điều kiện bắt buộc ${codes.join(", ")})`,
      selfLevel: (level: number, name: string) => `- Kết quả tự đánh giá của cơ sở giáo dục: Mức ${level} – ${name}.`,
      externalLevel: (level: number, name: string) => `- Kết quả đánh giá ngoài của đoàn: Mức ${level} – ${name}.`,

      partIII: "III. KẾT LUẬN",
      closing: "Biên bản được lập thành 02 bản có giá trị như nhau: cơ sở giáo dục giữ 01 bản, đơn vị đánh giá giữ 01 bản.",

      signSchool: "ĐẠI DIỆN CƠ SỞ GIÁO DỤC",
      signSchoolNote: "(Ký, ghi rõ họ tên và đóng dấu)",
      signSecretary: "THƯ KÝ",
      signSecretaryNote: "(Ký, ghi rõ họ tên)",
      signLeader: "TRƯỞNG ĐOÀN",
      signLeaderNote: "(Ký, ghi rõ họ tên)",
    },
  },
};

export type ExternalRecordStrings = (typeof externalRecord)["vi"];
