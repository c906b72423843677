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
      mine: (n: number) => (n > 0 ? `${n} hồ sơ được phân công cho bạn chờ kiểm tra.` : "Không có hồ sơ nào được phân công cho bạn đang chờ kiểm tra."),
      awaiting: (n: number, unassigned: number) =>
        n > 0 ? `Đơn vị có ${n} hồ sơ tự đánh giá chờ kiểm tra${unassigned > 0 ? `, trong đó ${unassigned} hồ sơ chưa phân công` : ""}.` : "Hiện chưa có hồ sơ nào chờ kiểm tra.",
      external: (n: number, mine: number) =>
        n > 0 ? `${n} hồ sơ đã duyệt đang đánh giá ngoài${mine > 0 ? ` (${mine} hồ sơ được phân công cho bạn)` : ""}.` : "Không có hồ sơ nào đang đánh giá ngoài.",
      openList: "Xem hồ sơ chờ kiểm tra",
      openExternal: "Xem hồ sơ đang đánh giá ngoài",
      steps: [
        "Mở danh sách hồ sơ chờ kiểm tra; trong từng hồ sơ, đối chiếu thông tin và minh chứng của từng tiêu chí.",
        "Duyệt hồ sơ, hoặc trả lại kèm yêu cầu bổ sung theo từng tiêu chí hoặc nhận xét chung.",
        "Với hồ sơ đã duyệt: chấm lại từng tiêu chí dựa trên minh chứng, nêu lý do ở tiêu chí có kết quả khác tự đánh giá, rồi hoàn thành đánh giá ngoài.",
        "Với hồ sơ đã hoàn thành đánh giá ngoài: lập và ban hành quyết định công nhận ở trang Công nhận, trước hạn kiểm tra, đánh giá ngoài và công nhận của đợt; giấy công nhận được cấp cho từng trường.",
      ],
    },
    school: {
      code: "Mã trường",
      openAssessment: "Mở hồ sơ tự đánh giá",
      results: "Kết quả của trường qua các năm",
      plan: "Kế hoạch cải thiện",
      // A new year does not bury the old one: the earlier files still in an open cycle.
      earlierTitle: "Hồ sơ năm học trước đang được xử lý",
      earlierFile: (year: string) => `Hồ sơ năm học ${year}`,
      noCycle: "Chưa có đợt đánh giá nào được mở cho trường. Đơn vị quản lý sẽ mở đợt đánh giá của năm học; trong lúc chờ, hãy xem bộ chỉ số và chuẩn bị minh chứng.",
      cycle: (year: string, status: string) => `Năm học ${year}. Trạng thái hồ sơ: ${status}.`,
      deadline: (d: string) => `Hạn tự đánh giá: ${d}.`,
      requests: (open: number, unanswered: number) =>
        open > 0
          ? `Đơn vị đánh giá có ${open} yêu cầu bổ sung đang mở${unanswered > 0 ? `, ${unanswered} yêu cầu chưa trả lời` : ", đều đã được trả lời"}.`
          : "Không còn yêu cầu bổ sung nào đang mở.",
      openRequests: "Xem và trả lời các yêu cầu bổ sung",
      externalLevel: (n: number) => `Kết quả đánh giá ngoài: Mức ${n}.`,
      recognisedLevel: (n: number) => `Mức được công nhận: Mức ${n}.`,
      /** The latest file's certificate while valid: "Được công nhận: Mức 2 – Mức đáp ứng cơ bản". */
      certificate: {
        recognised: (levelTitle: string) => `Được công nhận: ${levelTitle}`,
        decision: (number: string, date: string) => `Quyết định công nhận số ${number} ngày ${date}; giấy công nhận số `,
        download: "Tải giấy công nhận (PDF)",
        verify: "Trang xác minh",
        revoked: (serial: string, date: string, reason: string) => `Giấy công nhận số ${serial} đã bị thu hồi ngày ${date}. Lý do: ${reason}`,
        history: "Xem giấy công nhận qua các năm",
      },
      /** What to do next, per state of the file: the head's steps and the staff's. */
      steps: {
        none: {
          head: ["Đọc bộ chỉ số và chuẩn bị minh chứng (kế hoạch, quy chế, ảnh chụp hệ thống, danh sách) cho từng tiêu chí."],
          staff: ["Đọc bộ chỉ số và chuẩn bị minh chứng (kế hoạch, quy chế, ảnh chụp hệ thống, danh sách) cho từng tiêu chí."],
        },
        draft: {
          head: [
            "Mở hồ sơ tự đánh giá: nhập thông tin từng tiêu chí và đính kèm minh chứng; cán bộ, giáo viên của trường cùng nhập được.",
            "Viết báo cáo tự đánh giá (mục I–V) ở trang Báo cáo.",
            "Kiểm tra lần cuối ở trang Gửi hồ sơ và gửi cho đơn vị đánh giá trước hạn.",
          ],
          staff: [
            "Đọc bộ chỉ số, đặc biệt các điều kiện bắt buộc.",
            "Nhập thông tin và đính kèm minh chứng cho các tiêu chí; hồ sơ tự lưu khi bạn nhập.",
            "Hiệu trưởng kiểm tra lần cuối và gửi hồ sơ.",
          ],
        },
        submitted: {
          head: ["Hồ sơ đã gửi và đang chờ đơn vị đánh giá kiểm tra; trong thời gian này hồ sơ không sửa được.", "Nếu hồ sơ bị trả lại, các yêu cầu bổ sung sẽ hiện tại đây và trong hồ sơ."],
          staff: ["Hồ sơ đã gửi và đang chờ đơn vị đánh giá kiểm tra; trong thời gian này hồ sơ không sửa được.", "Nếu hồ sơ bị trả lại, các yêu cầu bổ sung sẽ hiện tại đây và trong hồ sơ."],
        },
        returned: {
          head: [
            "Đọc các yêu cầu bổ sung của đơn vị đánh giá.",
            "Bổ sung thông tin, minh chứng ở từng tiêu chí được yêu cầu, rồi trả lời yêu cầu hoặc đánh dấu “Đã bổ sung”.",
            "Gửi lại hồ sơ ở trang Gửi hồ sơ.",
          ],
          staff: [
            "Đọc các yêu cầu bổ sung của đơn vị đánh giá.",
            "Bổ sung thông tin, minh chứng ở từng tiêu chí được yêu cầu, rồi trả lời yêu cầu hoặc đánh dấu “Đã bổ sung”.",
            "Hiệu trưởng gửi lại hồ sơ.",
          ],
        },
        approved: {
          head: ["Hồ sơ đã được duyệt; đơn vị đánh giá đang đánh giá ngoài. Hồ sơ không sửa được trong thời gian này.", "Kết quả đánh giá ngoài sẽ hiện tại đây khi đơn vị đánh giá hoàn thành."],
          staff: ["Hồ sơ đã được duyệt; đơn vị đánh giá đang đánh giá ngoài. Hồ sơ không sửa được trong thời gian này.", "Kết quả đánh giá ngoài sẽ hiện tại đây khi đơn vị đánh giá hoàn thành."],
        },
        assessed: {
          head: ["Đơn vị đánh giá đã hoàn thành đánh giá ngoài; chờ quyết định công nhận."],
          staff: ["Đơn vị đánh giá đã hoàn thành đánh giá ngoài; chờ quyết định công nhận."],
        },
        recognised: {
          head: ["Kết quả đã được công nhận. Báo cáo tự đánh giá vẫn xem và tải được ở trang Báo cáo."],
          staff: ["Kết quả đã được công nhận. Báo cáo tự đánh giá vẫn xem và tải được ở trang Báo cáo."],
        },
      } as Record<string, { head: string[]; staff: string[] }>,
    },
    viewCatalogue: "Xem bộ chỉ số",
    publishedResults: "Kết quả đã công bố",
    openStats: "Thống kê kết quả",
  },
};
