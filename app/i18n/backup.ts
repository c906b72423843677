/**
 * Strings of the backup and restore commands (npm run backup / npm run restore). The commands
 * print each message as "vi | en", as the score CLI does.
 */
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

export const backupText = {
  vi: {
    backupUsage:
      "Cách dùng: npm run backup -- THƯ_MỤC. Sao lưu cơ sở dữ liệu (DATABASE_PATH) và các tệp minh chứng (EVIDENCE_DIR) vào THƯ_MỤC (chưa có hoặc rỗng).",
    restoreUsage:
      "Cách dùng: npm run restore -- THƯ_MỤC. Khôi phục bản sao lưu trong THƯ_MỤC vào thư mục dữ liệu trống (DATABASE_PATH, EVIDENCE_DIR).",
    unknownOption: (opt: string) => `Tùy chọn không hợp lệ: ${opt}.`,
    oneDir: "Cần đúng một thư mục.",
    noDatabase: (file: string) => `Không tìm thấy cơ sở dữ liệu ${file}.`,
    targetNotEmpty: (dir: string) => `Thư mục ${dir} đã có dữ liệu; hãy chọn một thư mục mới hoặc rỗng.`,
    targetIsFile: (p: string) => `${p} là một tệp, không phải thư mục.`,
    targetInsideEvidence: (dir: string) => `Không được sao lưu vào bên trong thư mục minh chứng (${dir}).`,
    integrity: (result: string) => `Bản chụp cơ sở dữ liệu không toàn vẹn: ${result}.`,
    hashMismatch: (sha: string, file: string) => `Tệp minh chứng ${file} không khớp mã băm ${sha} (tệp bị hỏng).`,
    sizeMismatch: (sha: string, expected: number, got: number) => `Tệp minh chứng ${sha} có ${got} byte, cơ sở dữ liệu ghi ${expected} byte.`,
    retrying: (n: number, attempt: number) => `${n} tệp minh chứng bị xóa sau khi chụp cơ sở dữ liệu; chụp lại (lần ${attempt + 1}).`,
    missingFiles: (n: number, list: string) => `Thiếu ${n} tệp minh chứng mà cơ sở dữ liệu còn tham chiếu: ${list}.`,
    backupDone: (dir: string, at: string, files: number, bytes: number) =>
      `Đã sao lưu vào ${dir} lúc ${at}: cơ sở dữ liệu và ${files} tệp minh chứng (${mb(bytes)} MB).`,

    notABackup: (dir: string) => `${dir} không phải là một bản sao lưu hoàn chỉnh (thiếu manifest.json).`,
    badManifest: (why: string) => `Tệp manifest.json không hợp lệ: ${why}.`,
    dbExists: (file: string) => `Đã có cơ sở dữ liệu tại ${file}; chỉ khôi phục vào thư mục dữ liệu trống.`,
    evidenceNotEmpty: (dir: string) => `Thư mục minh chứng ${dir} đã có tệp; chỉ khôi phục vào thư mục trống.`,
    newerMigration: (id: string) => `Bản sao lưu dùng lược đồ ${id}, mới hơn phiên bản ứng dụng này; hãy cập nhật ứng dụng trước.`,
    unknownMigration: (id: string) => `Lược đồ ${id} của bản sao lưu không có trong ứng dụng này.`,
    damagedDb: "Tệp cơ sở dữ liệu trong bản sao lưu không khớp manifest (bị hỏng hoặc bị sửa).",
    countMismatch: (table: string, expected: number, got: number) => `Bảng ${table} có ${got} dòng, manifest ghi ${expected}.`,
    fkViolations: (n: number) => `Cơ sở dữ liệu khôi phục có ${n} vi phạm khóa ngoại.`,
    fileCountMismatch: (expected: number, got: number, bytes: number, gotBytes: number) =>
      `Bản sao lưu có ${got} tệp minh chứng (${gotBytes} byte), manifest ghi ${expected} tệp (${bytes} byte).`,
    missingInBackup: (n: number, list: string) => `Bản sao lưu thiếu ${n} tệp minh chứng: ${list}.`,
    strayFile: (file: string) => `Tệp lạ trong bản sao lưu: ${file}.`,
    restoreDone: (file: string, dir: string, created: string, files: number) =>
      `Đã khôi phục bản sao lưu lúc ${created} vào ${file} và ${dir} (${files} tệp minh chứng). Có thể khởi động máy chủ.`,

    unexpected: (msg: string) => `Lỗi không mong đợi: ${msg}`,
  },
  en: {
    backupUsage: "Usage: npm run backup -- DIR. Backs up the database (DATABASE_PATH) and the evidence files (EVIDENCE_DIR) into DIR (absent or empty).",
    restoreUsage: "Usage: npm run restore -- DIR. Restores the backup in DIR into an empty data folder (DATABASE_PATH, EVIDENCE_DIR).",
    unknownOption: (opt: string) => `Unknown option: ${opt}.`,
    oneDir: "Exactly one folder is needed.",
    noDatabase: (file: string) => `Database ${file} not found.`,
    targetNotEmpty: (dir: string) => `${dir} is not empty; choose a new or empty folder.`,
    targetIsFile: (p: string) => `${p} is a file, not a folder.`,
    targetInsideEvidence: (dir: string) => `Cannot back up into the evidence folder (${dir}).`,
    integrity: (result: string) => `The database snapshot fails its integrity check: ${result}.`,
    hashMismatch: (sha: string, file: string) => `Evidence file ${file} does not match its sha256 ${sha} (damaged file).`,
    sizeMismatch: (sha: string, expected: number, got: number) => `Evidence file ${sha} has ${got} bytes, the database says ${expected}.`,
    retrying: (n: number, attempt: number) => `${n} evidence file(s) were deleted after the database snapshot; taking a new snapshot (attempt ${attempt + 1}).`,
    missingFiles: (n: number, list: string) => `${n} evidence file(s) the database still refers to are missing: ${list}.`,
    backupDone: (dir: string, at: string, files: number, bytes: number) => `Backed up into ${dir} at ${at}: the database and ${files} evidence file(s) (${mb(bytes)} MB).`,

    notABackup: (dir: string) => `${dir} is not a complete backup (no manifest.json).`,
    badManifest: (why: string) => `Invalid manifest.json: ${why}.`,
    dbExists: (file: string) => `A database already exists at ${file}; restore only into an empty data folder.`,
    evidenceNotEmpty: (dir: string) => `The evidence folder ${dir} holds files; restore only into an empty one.`,
    newerMigration: (id: string) => `The backup uses schema ${id}, newer than this version of the app; update the app first.`,
    unknownMigration: (id: string) => `The backup's schema ${id} is unknown to this app.`,
    damagedDb: "The backup's database file does not match its manifest (damaged or modified).",
    countMismatch: (table: string, expected: number, got: number) => `Table ${table} has ${got} rows, the manifest says ${expected}.`,
    fkViolations: (n: number) => `The restored database has ${n} foreign key violation(s).`,
    fileCountMismatch: (expected: number, got: number, bytes: number, gotBytes: number) =>
      `The backup holds ${got} evidence file(s) (${gotBytes} bytes), the manifest says ${expected} (${bytes} bytes).`,
    missingInBackup: (n: number, list: string) => `The backup lacks ${n} evidence file(s): ${list}.`,
    strayFile: (file: string) => `Unexpected file in the backup: ${file}.`,
    restoreDone: (file: string, dir: string, created: string, files: number) =>
      `Restored the backup of ${created} into ${file} and ${dir} (${files} evidence file(s)). The server can be started.`,

    unexpected: (msg: string) => `Unexpected error: ${msg}`,
  },
};
