export const home = {
  vi: {
    title: "Trang chủ",
    nextSteps: "Việc cần làm tiếp theo",
    system: {
      heading: "Quản trị hệ thống",
      summary: (u: number, s: number, n: number) => `Hệ thống có ${u} đơn vị, ${s} trường và ${n} tài khoản.`,
      editions: (p: number, d: number) => `${p} phiên bản bộ chỉ số đã công bố, ${d} bản nháp.`,
      steps: [
        "Kiểm tra cây đơn vị: Bộ → Sở → Phòng/xã → trường.",
        "Nhập danh sách trường từ tệp CSV và chỉ định đơn vị đánh giá cho từng trường.",
        "Tạo tài khoản quản trị cho từng Sở GDĐT.",
        "Công bố phiên bản bộ chỉ số trước khi các đơn vị mở đợt đánh giá.",
      ],
    },
    officeAdmin: {
      heading: (unit: string) => `Quản trị — ${unit}`,
      summary: (u: number, s: number, n: number) => `Đơn vị của bạn quản lý ${u} đơn vị trực thuộc, ${s} trường và ${n} tài khoản.`,
      cycles: (n: number) => (n > 0 ? `Đang có ${n} đợt đánh giá mở.` : "Chưa có đợt đánh giá nào đang mở."),
      steps: [
        "Rà soát danh sách trường và đơn vị đánh giá ngoài của từng trường.",
        "Cấp tài khoản cho Hiệu trưởng và cán bộ phụ trách của các trường.",
        "Mở đợt đánh giá năm học (hạn tự đánh giá mặc định 31/5, hạn đánh giá ngoài 20/6).",
      ],
    },
    reviewer: {
      heading: (unit: string) => `Đánh giá ngoài — ${unit}`,
      summary: (n: number) => `Đơn vị của bạn được giao đánh giá ${n} trường.`,
      openList: "Xem danh sách hồ sơ các trường",
      awaiting: (n: number) => (n > 0 ? `${n} hồ sơ tự đánh giá đang chờ kiểm tra.` : "Hiện chưa có hồ sơ nào chờ kiểm tra."),
      steps: [
        "Kiểm tra hồ sơ tự đánh giá các trường đã gửi: duyệt, hoặc trả lại kèm yêu cầu bổ sung minh chứng.",
        "Thực hiện đánh giá ngoài: chấm lại từng chỉ số dựa trên minh chứng.",
        "Công nhận mức độ chuyển đổi số trước hạn 20/6.",
      ],
    },
    school: {
      code: "Mã trường",
      openAssessment: "Mở hồ sơ tự đánh giá",
      noCycle: "Chưa có đợt đánh giá nào được mở cho trường. Đơn vị quản lý sẽ mở đợt đánh giá của năm học; trong lúc chờ, hãy xem bộ chỉ số và chuẩn bị minh chứng.",
      cycle: (year: string, status: string, deadline: string) => `Năm học ${year}: hồ sơ ${status}. Hạn tự đánh giá: ${deadline}.`,
      status: {
        draft: "đang soạn",
        submitted: "đã gửi, chờ kiểm tra",
        returned: "bị trả lại, cần bổ sung",
        approved: "đã được duyệt",
        recognised: "đã được công nhận",
      } as Record<string, string>,
      stepsHead: [
        "Đọc bộ chỉ số và phân công cán bộ thu thập minh chứng cho từng chỉ số.",
        "Theo dõi tiến độ tự đánh giá của nhà trường.",
        "Khi hồ sơ đầy đủ, Hiệu trưởng kiểm tra lần cuối và gửi cho đơn vị đánh giá trước hạn 31/5.",
      ],
      stepsStaff: [
        "Đọc bộ chỉ số, đặc biệt các điều kiện bắt buộc 1.1, 1.2, 2.1, 2.2.",
        "Chuẩn bị minh chứng (kế hoạch, quy chế, ảnh chụp hệ thống, danh sách) cho các tiêu chí được giao.",
        "Nhập thông tin và đính kèm minh chứng; Hiệu trưởng sẽ kiểm tra và gửi.",
      ],
    },
    viewCatalogue: "Xem bộ chỉ số",
  },
};
