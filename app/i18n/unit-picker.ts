/** The searchable unit picker of the admin forms and filters (app/components/UnitPicker.tsx). */
export const unitPickerUi = {
  vi: {
    hint: "Gõ tên hoặc mã đơn vị rồi chọn trong danh sách gợi ý.",
    noScriptHint: "Nếu danh sách gợi ý không hiện, hãy nhập đúng mã đơn vị (ví dụ: P01).",
    selected: (label: string) => `Đã chọn: ${label}.`,
    noneSelected: "Chưa chọn đơn vị.",
    emptyMeans: (label: string) => `Để trống: ${label}.`,
    emptyRoot: "không có đơn vị cấp trên (đơn vị gốc)",
    emptyNoUnit: "tài khoản không thuộc đơn vị nào",
    emptyAll: "mọi đơn vị",
    loading: "Đang tìm đơn vị…",
    results: (n: number, more: boolean) =>
      `${n} đơn vị phù hợp${more ? ", còn nữa: hãy gõ thêm để thu hẹp" : ""}. Dùng phím mũi tên lên, xuống để chọn, Enter để xác nhận, Esc để đóng.`,
    none: "Không tìm thấy đơn vị phù hợp trong phạm vi của bạn.",
    failed: "Không tải được danh sách đơn vị. Hãy thử lại.",
    under: (name: string) => `thuộc ${name}`,
    notFound: (code: string) => `Không tìm thấy đơn vị có mã «${code}» trong phạm vi của bạn. Hãy chọn trong danh sách gợi ý hoặc nhập đúng mã đơn vị.`,
    unauthenticated: "Vui lòng đăng nhập để tìm đơn vị.",
    badQuery: "Từ khoá tìm đơn vị không hợp lệ (tối đa 100 ký tự).",
  },
};
