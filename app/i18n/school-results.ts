/** The school's view of its results (/truong/:schoolId/ket-qua). */
import type { SchoolType } from "~/domain/roles";

export const schoolResults = {
  vi: {
    title: "Kết quả của trường",
    intro: (name: string, code: string) => `${name} (mã trường ${code}): mức đạt được qua các năm học và vị trí của trường theo từng chỉ số.`,
    errors: {
      notFound: "Không tìm thấy trường.",
    },
    years: {
      heading: "Mức đạt được qua các năm học",
      none: "Trường chưa có hồ sơ đánh giá nào.",
      caption: "Mức tự đánh giá, đánh giá ngoài, công nhận và điểm từng nhóm tiêu chí theo năm học",
      cols: {
        year: "Năm học",
        status: "Trạng thái hồ sơ",
        self: "Tự đánh giá",
        external: "Đánh giá ngoài",
        recognised: "Được công nhận",
        group: (code: string) => `Điểm nhóm ${code}`,
        pointsOf: "Điểm theo",
      },
      level: (n: number) => `Mức ${n}`,
      notYet: "Chưa có",
      points: (p: string, max: string) => `${p}/${max}`,
      phase: { external: "Đánh giá ngoài", self: "Tự đánh giá" } as Record<"external" | "self", string>,
      groupsNote: (list: string) => `Nhóm tiêu chí: ${list}.`,
    },
    position: {
      heading: "Vị trí của trường theo từng chỉ số",
      ownRecognised: (year: string) => `Giá trị của trường: kết quả được công nhận năm học ${year}.`,
      ownSelf: (year: string) => `Giá trị của trường: kết quả tự đánh giá đã gửi năm học ${year} (chưa được công nhận).`,
      ownNone: "Trường chưa có kết quả đã gửi hoặc được công nhận để so sánh.",
      averagesOf: (year: string) => `Các giá trị trung bình tính trên kết quả đã được công bố của năm học ${year} (tỉ lệ điểm đạt được trên điểm tối đa của chỉ số).`,
      nothingPublished: "Chưa có kết quả nào được công bố để so sánh. Khi Sở GDĐT công bố kết quả năm học, trang này sẽ hiện mức trung bình của đơn vị, của tỉnh và của các trường cùng loại hình để trường tự đối chiếu. Dưới đây là giá trị của riêng trường.",
      chartLabel: (series: string) => `Biểu đồ radar tỉ lệ điểm theo chỉ số: ${series}. Số liệu ở bảng dưới.`,
      caption: "Tỉ lệ điểm đạt được trên điểm tối đa theo chỉ số",
      cols: {
        indicator: "Chỉ số",
        max: "Điểm tối đa",
      },
      series: {
        own: "Trường",
        subUnit: (name: string) => `Trung bình ${name}`,
        province: (name: string) => `Trung bình ${name}`,
        sameType: (type: string) => `Trung bình trường ${type} trong tỉnh`,
      },
      schools: (n: number) => `${n} trường`,
      none: "—",
    },
    typeNames: {
      TH: "tiểu học",
      THCS: "THCS",
      THPT: "THPT",
      "TH&THCS": "liên cấp TH&THCS",
      "THCS&THPT": "liên cấp THCS&THPT",
      "TH-THCS-THPT": "phổ thông nhiều cấp học",
      GDTX: "GDTX",
    } satisfies Record<SchoolType, string>,
  },
};
