/** Strings of the downloads (CSV / Excel exports). */
export const exportStrings = {
  vi: {
    downloadCsv: "Tải CSV",
    downloadXlsx: "Tải Excel",
    filtersApply: "Tệp tải về gồm mọi trang của danh sách, theo bộ lọc đang chọn.",
    schools: {
      sheet: "Danh sách trường",
      fileBase: "danh-sach-truong",
    },
  },
};
