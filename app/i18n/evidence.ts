/** Strings of the evidence feature (minh chứng): upload, links, codes, library, downloads. */
const mb = (bytes: number) => {
  const v = bytes / (1024 * 1024);
  return v >= 1 ? `${Number.isInteger(v) ? v : v.toFixed(1).replace(".", ",")} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
};

export const evidence = {
  vi: {
    // Panel (one item of an assessment)
    panelTitle: (itemCode: string) => `Minh chứng cho tiêu chí ${itemCode}`,
    none: "Chưa có minh chứng nào.",
    listLabel: (itemCode: string) => `Danh sách minh chứng của tiêu chí ${itemCode}`,
    download: "Tải về",
    downloadLabel: (code: string, title: string) => `Tải về ${code}: ${title}`,
    preview: "Xem",
    previewLabel: (code: string, title: string) => `Xem trước ${code}: ${title} (mở trong thẻ mới)`,
    openLink: "Mở liên kết",
    openLinkLabel: (code: string, title: string) => `Mở liên kết ${code}: ${title} (mở trong thẻ mới)`,
    remove: "Gỡ",
    removeLabel: (code: string, title: string) => `Gỡ minh chứng ${code}: ${title}`,
    removing: "Đang gỡ…",
    kindFile: "Tệp",
    kindLink: "Liên kết",

    addSummary: (itemCode: string) => `Thêm minh chứng cho tiêu chí ${itemCode} (tệp hoặc liên kết)`,
    uploadLegend: "Tải tệp minh chứng lên",
    fileLabel: "Chọn tệp",
    fileHint: (maxBytes: number) => `PDF, ảnh JPEG/PNG, Word, Excel, PowerPoint hoặc video MP4; tối đa ${mb(maxBytes)} mỗi tệp.`,
    titleLabel: "Tên minh chứng (không bắt buộc)",
    titleHint: "Để trống để dùng tên tệp.",
    uploadButton: "Tải lên",
    uploading: "Đang tải lên…",
    uploaded: (code: string) => `Đã tải lên và đính kèm minh chứng ${code}.`,

    linkLegend: "Thêm liên kết minh chứng",
    urlLabel: "Địa chỉ liên kết (http:// hoặc https://)",
    linkTitleLabel: "Tên liên kết",
    linkButton: "Thêm liên kết",
    linkAdding: "Đang thêm…",
    linkAdded: (code: string) => `Đã thêm liên kết ${code}.`,
    removed: "Đã gỡ minh chứng.",
    /** After a reuse (intent attach): which items it now serves, and their codes ("MC-1.3.1-02, MC-1.4-01"). */
    attached: (codes: string) => {
      const list = codes.split(/,\s*/).filter(Boolean);
      const items = [...new Set(list.map((c) => /^MC-(.+)-\d+$/.exec(c)?.[1] ?? c))];
      return `Đã dùng minh chứng cho tiêu chí ${items.join(", ")} (mã ${list.join(", ")}).`;
    },
    // The library inside the panel (thư viện: tìm, dùng gần đây, năm học trước)
    libraryLegend: "Chọn từ thư viện minh chứng của trường",
    libraryHint: "Dùng lại tệp hoặc liên kết trường đã có, không cần tải lên lại.",
    sourcesLabel: "Danh sách",
    sourceRecent: "Dùng gần đây",
    sourcePrevious: (year: string | null) => (year ? `Năm học trước (${year})` : "Năm học trước"),
    librarySearchLabel: "Tìm trong thư viện (tên minh chứng, tên tệp)",
    librarySearchButton: "Tìm",
    libraryLoading: "Đang tải thư viện…",
    libraryLoadError: "Không tải được thư viện minh chứng. Vui lòng thử lại.",
    libraryResultsLabel: (itemCode: string) => `Minh chứng trong thư viện có thể dùng cho tiêu chí ${itemCode}`,
    libraryCount: (n: number) => `${n} minh chứng`,
    libraryEmptyRecent: "Thư viện của trường chưa có minh chứng nào.",
    libraryEmptyPrevious: "Hồ sơ năm học trước không có minh chứng nào.",
    libraryNoPrevious: "Trường chưa có hồ sơ năm học trước.",
    previousCodes: (codes: string) => `Năm trước: ${codes}`,
    hereCodes: (codes: string) => `Đang dùng trong hồ sơ này: ${codes}`,
    reuseButtonLabel: (title: string, itemCode: string) => `Dùng «${title}» cho tiêu chí ${itemCode}`,
    reusing: "Đang thêm…",
    reusedConfirm: (title: string, itemCode: string, code: string | null) =>
      `Đã dùng minh chứng «${title}» cho tiêu chí ${itemCode}${code ? ` (mã ${code})` : ""}.`,
    libraryFullPage: "Mở trang thư viện minh chứng",
    readOnly: "Hồ sơ đã gửi hoặc đã được duyệt: không thể thay đổi minh chứng.",

    // Errors (shown at the field)
    errors: {
      csrf: "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
      noFile: "Vui lòng chọn tệp cần tải lên.",
      emptyFile: "Tệp rỗng (0 byte). Vui lòng chọn tệp khác.",
      badName: "Tên tệp không hợp lệ. Hãy đổi tên tệp (có chữ hoặc số) rồi tải lại.",
      tooBig: (maxBytes: number) => `Tệp quá lớn: tối đa ${mb(maxBytes)} mỗi tệp.`,
      quota: (quotaBytes: number, usedBytes: number) =>
        `Thư viện minh chứng của trường đã đạt giới hạn dung lượng (${mb(usedBytes)}/${mb(quotaBytes)}). Hãy gỡ bớt minh chứng không dùng hoặc liên hệ đơn vị quản lý.`,
      badType: "Loại tệp không được chấp nhận. Chỉ nhận PDF, ảnh JPEG/PNG, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) và video MP4; nội dung tệp phải đúng loại, không chỉ đổi phần mở rộng.",
      oneFile: "Mỗi lần chỉ tải lên một tệp.",
      malformed: "Dữ liệu gửi lên không hợp lệ. Vui lòng thử lại.",
      fieldTooLong: "Giá trị quá dài.",
      itemCode: "Tiêu chí không có trong bộ chỉ số của hồ sơ này.",
      itemRequired: "Vui lòng chọn tiêu chí.",
      title: "Tên minh chứng dài quá 200 ký tự.",
      titleRequired: "Vui lòng nhập tên liên kết.",
      url: "Địa chỉ liên kết phải bắt đầu bằng http:// hoặc https:// và không quá 2000 ký tự.",
      urlRequired: "Vui lòng nhập địa chỉ liên kết.",
      intent: "Thao tác không hợp lệ.",
      notFound: "Không tìm thấy minh chứng.",
      assessmentNotFound: "Không tìm thấy hồ sơ đánh giá.",
      locked: "Hồ sơ đã gửi, đã duyệt hoặc đã được công nhận: không thể thêm, gỡ hay thay đổi minh chứng.",
      otherSchool: "Minh chứng này thuộc trường khác.",
      deleted: "Minh chứng này đã bị xoá.",
      notLinked: "Minh chứng không được đính kèm ở tiêu chí này.",
      storage: "Không lưu được tệp. Vui lòng thử lại sau.",
      // Office files (DOCX, XLSX, PPTX) checked inside: app/server/storage/office-zip.server.ts
      officeUnsafeEntry: (label: string, entry: string) =>
        `Tệp ${label} chứa thành phần không được phép: "${entry.length > 80 ? `${entry.slice(0, 80)}…` : entry}" (chương trình chạy được, macro, hoặc đường dẫn ra ngoài tệp). Hãy lưu lại tài liệu dưới dạng ${label} thông thường, không có macro hay chương trình đính kèm, rồi tải lên.`,
      officeTooManyEntries: (label: string, max: number) => `Tệp ${label} có quá nhiều thành phần bên trong (hơn ${max}). Hãy tách tài liệu thành nhiều tệp nhỏ hơn.`,
      officeTooBigUnzipped: (label: string, maxBytes: number) =>
        `Tệp ${label} khi giải nén lớn hơn ${mb(maxBytes)} — có thể là tệp nén bất thường ("bom nén"). Hãy giảm dung lượng tài liệu (ví dụ nén ảnh) hoặc tách thành nhiều tệp.`,
      officeDamaged: (label: string) => `Tệp ${label} bị hỏng, có mật khẩu hoặc không đọc được. Hãy mở tài liệu, lưu lại (không đặt mật khẩu) rồi tải lên.`,
    },

    // Assessment evidence list page (danh mục minh chứng)
    listTitle: "Danh mục minh chứng",
    listIntro: (school: string, year: string) => `${school} — năm học ${year}`,
    colCode: "Mã minh chứng",
    colTitle: "Tên minh chứng",
    colItem: "Tiêu chí",
    colKind: "Loại, dung lượng",
    colActions: "Thao tác",
    itemHeading: (code: string, text: string) => `${code}. ${text}`,
    noEvidenceAtAll: "Hồ sơ chưa có minh chứng nào.",
    manageItem: "Quản lý minh chứng",
    manageItemLabel: (code: string) => `Quản lý minh chứng của tiêu chí ${code}`,
    backToList: "Về danh mục minh chứng",
    library: "Thư viện minh chứng của trường",
    total: (n: number) => `${n} minh chứng`,

    // Library
    libraryTitle: "Thư viện minh chứng",
    libraryIntro: "Mọi tệp và liên kết minh chứng của trường, dùng lại được qua các năm học.",
    searchLabel: "Tìm theo tên minh chứng",
    searchButton: "Tìm",
    usedIn: "Đã dùng ở",
    notUsed: "Chưa dùng",
    usage: (year: string, code: string) => `${year}: ${code}`,
    reuseFor: (itemCode: string) => `Dùng cho tiêu chí ${itemCode}`,
    reuseSelected: "Dùng cho tiêu chí đã chọn",
    reuseItemLabel: (title: string) => `Tiêu chí sẽ dùng «${title}»`,
    reuseChoose: "— Chọn tiêu chí —",
    alreadyUsed: (itemCode: string) => `Đã dùng cho tiêu chí ${itemCode}`,
    noCurrent: "Không có hồ sơ đang soạn để dùng lại minh chứng.",
    currentAssessment: (year: string) => `Hồ sơ đang soạn: năm học ${year}`,
    libraryEmpty: "Thư viện chưa có minh chứng nào.",
    noMatch: "Không có minh chứng nào khớp với từ khoá.",
    uploadedAt: "Ngày tải lên",
    prev: "Trang trước",
    next: "Trang sau",
    page: (p: number, n: number) => `Trang ${p}/${n}`,
  },
};

export type EvidenceStrings = typeof evidence.vi;
