/** The body-limit table: which route gets which limit, which writes are anonymous, which bodies are forms. */
import { afterEach, describe, expect, it } from "vitest";
import {
  ANSWER_SAVE_LIMIT,
  bodyLimitFor,
  CATALOGUE_UPLOAD_LIMIT,
  DEFAULT_BODY_LIMIT,
  describeBodyLimits,
  isAnonymousWrite,
  isFormContentType,
  MULTIPART_OVERHEAD,
  REPORT_FORM_LIMIT,
  SCHOOL_IMPORT_LIMIT,
} from "~/server/http/body-limits.server";
import { DEFAULT_EVIDENCE_MAX_BYTES } from "~/server/services/evidence.server";
import { MAX_IMPORT_BYTES } from "~/server/services/school-import.server";

afterEach(() => {
  delete process.env.EVIDENCE_MAX_BYTES;
});

describe("bodyLimitFor", () => {
  it("gives login, logout and plain forms 16 KB, and GET/HEAD no body at all", () => {
    expect(DEFAULT_BODY_LIMIT).toBe(16 * 1024);
    for (const p of ["/login", "/logout", "/quan-tri/nguoi-dung/moi", "/danh-gia/3/nop", "/quan-tri/chi-so/qd-4725-2022", "/khong-co"]) {
      expect(bodyLimitFor("POST", p)).toBe(DEFAULT_BODY_LIMIT);
    }
    expect(bodyLimitFor("GET", "/danh-gia/3/luu")).toBe(0);
    expect(bodyLimitFor("HEAD", "/")).toBe(0);
    expect(bodyLimitFor("OPTIONS", "/danh-gia/3/luu")).toBe(ANSWER_SAVE_LIMIT);
  });

  it("gives each large route what its payload needs", () => {
    expect(bodyLimitFor("POST", "/danh-gia/3/luu")).toBe(ANSWER_SAVE_LIMIT);
    expect(ANSWER_SAVE_LIMIT).toBeGreaterThanOrEqual(200 * 4000 * 3);
    expect(bodyLimitFor("POST", "/danh-gia/3/bao-cao")).toBe(REPORT_FORM_LIMIT);
    expect(REPORT_FORM_LIMIT).toBeGreaterThanOrEqual(6 * 20_000 * 9);
    expect(bodyLimitFor("POST", "/quan-tri/truong/nhap")).toBe(SCHOOL_IMPORT_LIMIT);
    expect(SCHOOL_IMPORT_LIMIT).toBeGreaterThan((MAX_IMPORT_BYTES * 4) / 3);
    expect(bodyLimitFor("POST", "/quan-tri/chi-so")).toBe(CATALOGUE_UPLOAD_LIMIT);
    expect(bodyLimitFor("POST", "/danh-gia/3/minh-chung")).toBe(DEFAULT_EVIDENCE_MAX_BYTES + MULTIPART_OVERHEAD);
  });

  it("follows EVIDENCE_MAX_BYTES for evidence uploads", () => {
    process.env.EVIDENCE_MAX_BYTES = String(5 * 1024 * 1024);
    expect(bodyLimitFor("POST", "/danh-gia/3/minh-chung")).toBe(5 * 1024 * 1024 + MULTIPART_OVERHEAD);
  });

  it("matches paths the way the router does: decoded, any case, trailing slash", () => {
    expect(bodyLimitFor("POST", "/Danh-Gia/3/LUU/")).toBe(ANSWER_SAVE_LIMIT);
    expect(bodyLimitFor("POST", "/danh-gia/3/%6Cuu")).toBe(ANSWER_SAVE_LIMIT);
    expect(bodyLimitFor("POST", "/danh-gia/3/luu/extra")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("POST", "/x/danh-gia/3/luu")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("POST", "/%E0%A4%A")).toBe(DEFAULT_BODY_LIMIT);
  });

  it("lists every rule for the README", () => {
    const rows = describeBodyLimits();
    expect(rows.map((r) => r.route)).toEqual([
      "/danh-gia/:id/luu",
      "/danh-gia/:id/danh-gia-ngoai/luu",
      "/danh-gia/:id/kiem-tra",
      "/danh-gia/:id/bao-cao",
      "/danh-gia/:id/minh-chung",
      "/quan-tri/truong/nhap",
      "/quan-tri/chi-so",
      "every other request (login, logout, plain forms)",
    ]);
  });
});

describe("isAnonymousWrite", () => {
  it("allows only /login and /logout", () => {
    for (const p of ["/login", "/logout", "/LOGIN", "/login/", "/l%6Fgin"]) expect(isAnonymousWrite(p)).toBe(true);
    for (const p of ["/", "/login/x", "/loginx", "/danh-gia/3/luu", "/quan-tri/nguoi-dung/moi", "/login%2F"]) expect(isAnonymousWrite(p)).toBe(false);
  });
});

describe("isFormContentType", () => {
  it("accepts the two form encodings only", () => {
    expect(isFormContentType("application/x-www-form-urlencoded")).toBe(true);
    expect(isFormContentType("application/x-www-form-urlencoded;charset=UTF-8")).toBe(true);
    expect(isFormContentType("multipart/form-data; boundary=----WebKitFormBoundaryabc")).toBe(true);
    expect(isFormContentType('multipart/form-data; boundary="a b"')).toBe(true);
    for (const t of [undefined, "", "text/plain", "application/json", "multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=x"]) {
      expect(isFormContentType(t)).toBe(false);
    }
  });
});
