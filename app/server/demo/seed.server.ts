/**
 * The demo province: one Sở, a district-shaped unit (pre-2025) and two communes (two-tier model
 * since 1/7/2025), 32 schools of every type, and the five demo accounts.
 * Used only by `npm run demo`, on its own database file.
 */
import type { Db } from "../db/client.server";
import type { SchoolType } from "../db/schema.server";
import { createSchool, createUnit, createUser } from "../services/org.server";
import { defaultDeadlines, openCycle } from "../services/cycles.server";
import { newestPublished } from "../services/catalogue.server";
import { seedReviewStates } from "./review-states.server";
import { previousSchoolYear, recogniseByDecision, seedPreviousYear } from "./previous-year.server";
import { localDateOf } from "~/utils/time";
import { ensureDemoSigningKey } from "../signing/self-signed.server";
import { currentSchoolYear } from "~/domain/school-year";

export const DEMO_PASSWORD = "matkhau-demo";

const TH_NAMES = ["Nguyễn Du", "Kim Đồng", "Lê Văn Tám", "Võ Thị Sáu", "Trần Quốc Toản", "Hoà Bình", "Ánh Dương", "Hùng Vương", "Đinh Tiên Hoàng", "Âu Cơ", "Bế Văn Đàn"];
const THCS_NAMES = ["Lý Tự Trọng", "Chu Văn An", "Nguyễn Trãi", "Phan Bội Châu", "Lương Thế Vinh", "Đoàn Thị Điểm", "Ngô Quyền", "Quang Trung"];
const THPT_NAMES = ["Lê Quý Đôn", "Nguyễn Huệ", "Trần Phú", "Phan Chu Trinh", "Hàn Thuyên"];

export async function seedDemoData(db: Db): Promise<void> {
  const ministry = createUnit({ kind: "ministry", code: "BGDDT", name: "Bộ Giáo dục và Đào tạo", parentId: null }, null, db);
  const so = createUnit({ kind: "province", code: "S99", name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", parentId: ministry }, null, db);
  // Issue 9: the demo's two reviewing offices sign their decisions and certificates with self-signed
  // certificates (<SIGNING_DIR>/<code>.p12 and .pass, made once), so every demo decision is signed.
  // Offices without a certificate (the communes, any new office) get unsigned documents.
  ensureDemoSigningKey({ code: "S99", name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn" });
  const phong = createUnit({ kind: "district", code: "S99-P01", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: so }, null, db);
  ensureDemoSigningKey({ code: "S99-P01", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn" });
  const xa1 = createUnit({ kind: "commune", code: "S99-X01", name: "UBND xã Hoà Phú", parentId: so }, null, db);
  const xa2 = createUnit({ kind: "commune", code: "S99-X02", name: "UBND xã Tân Lập", parentId: so }, null, db);

  const schools: { code: string; name: string; type: SchoolType; managing: number; reviewing: number }[] = [];
  let n = 1;
  const code = () => `99${String(n++).padStart(6, "0")}`;
  // District shape: the Phòng manages and reviews its TH and THCS.
  TH_NAMES.slice(0, 5).forEach((nm) => schools.push({ code: code(), name: `Trường Tiểu học ${nm}`, type: "TH", managing: phong, reviewing: phong }));
  THCS_NAMES.slice(0, 4).forEach((nm) => schools.push({ code: code(), name: `Trường THCS ${nm}`, type: "THCS", managing: phong, reviewing: phong }));
  schools.push({ code: code(), name: "Trường TH&THCS Đông Hưng", type: "TH&THCS", managing: phong, reviewing: phong });
  // Two-tier shape: communes manage TH and THCS, the Sở reviews them.
  TH_NAMES.slice(5, 8).forEach((nm) => schools.push({ code: code(), name: `Trường Tiểu học ${nm}`, type: "TH", managing: xa1, reviewing: so }));
  THCS_NAMES.slice(4, 6).forEach((nm) => schools.push({ code: code(), name: `Trường THCS ${nm}`, type: "THCS", managing: xa1, reviewing: so }));
  TH_NAMES.slice(8).forEach((nm) => schools.push({ code: code(), name: `Trường Tiểu học ${nm}`, type: "TH", managing: xa2, reviewing: so }));
  THCS_NAMES.slice(6).forEach((nm) => schools.push({ code: code(), name: `Trường THCS ${nm}`, type: "THCS", managing: xa2, reviewing: so }));
  schools.push({ code: code(), name: "Trường TH&THCS Tân Lập", type: "TH&THCS", managing: xa2, reviewing: so });
  // The Sở manages and reviews THPT, multi-level schools with THPT, and GDTX.
  THPT_NAMES.forEach((nm) => schools.push({ code: code(), name: `Trường THPT ${nm}`, type: "THPT", managing: so, reviewing: so }));
  schools.push({ code: code(), name: "Trường THCS&THPT Đông Sơn", type: "THCS&THPT", managing: so, reviewing: so });
  schools.push({ code: code(), name: "Trường Phổ thông nhiều cấp học Hoà Bình", type: "TH-THCS-THPT", managing: so, reviewing: so });
  schools.push({ code: code(), name: "Trung tâm GDNN-GDTX thành phố Đông Sơn", type: "GDTX", managing: so, reviewing: so });
  schools.push({ code: code(), name: "Trung tâm GDTX tỉnh Đông Sơn", type: "GDTX", managing: so, reviewing: so });
  schools.push({ code: code(), name: "Trường THPT Chuyên Đông Sơn", type: "THPT", managing: so, reviewing: so });
  schools.push({ code: code(), name: "Trường Tiểu học Đông Sơn", type: "TH", managing: phong, reviewing: phong });

  const ids = schools.map((s) => createSchool({ code: s.code, name: s.name, type: s.type, managingUnitId: s.managing, reviewingUnitId: s.reviewing }, null, db));
  const th1 = ids[0]; // Trường Tiểu học Nguyễn Du

  const so_admin = await createUser({ username: "so.demo", displayName: "Nguyễn Thị Hạnh", password: DEMO_PASSWORD, roles: ["office_admin", "office_reviewer"], unitId: so }, null, db);
  await createUser({ username: "admin", displayName: "Đỗ Minh Quân", password: DEMO_PASSWORD, roles: ["system_admin"] }, null, db);
  const phong_rev = await createUser({ username: "phong.demo", displayName: "Trần Văn Đức", password: DEMO_PASSWORD, roles: ["office_reviewer"], unitId: phong }, null, db);
  await createUser({ username: "truong.th1", displayName: "Lê Thị Mai", password: DEMO_PASSWORD, roles: ["school_head"], schoolId: th1 }, null, db);
  await createUser({ username: "giaovien.th1", displayName: "Phạm Quốc Bảo", password: DEMO_PASSWORD, roles: ["school_staff"], schoolId: th1 }, null, db);

  // The Sở has opened the current school year for the whole province.
  const edition = newestPublished(db);
  if (edition) {
    const year = currentSchoolYear();
    const d = defaultDeadlines(year);
    const opened = openCycle({ ownerUnitId: so, schoolYear: year, editionId: edition.row.id, selfAssessmentDeadline: d.self, reviewDeadline: d.review }, so_admin, db, Date.now() - 2 * 24 * 3600 * 1000);
    // Files in every state of the review, for phong.demo (the Phòng's schools) and so.demo (the Sở's).
    // ids[0] is truong.th1's school: its file stays a fresh draft.
    if (opened.ok) {
      const at = (i: number) => ({ id: ids[i], code: schools[i].code, name: schools[i].name });
      const states = await seedReviewStates(
        db,
        opened.cycleId,
        edition.edition,
        [
          { school: at(8), plan: "draft", reviewer: phong_rev }, // Kim Đồng (ids[1]) stays empty for the browser tests
          { school: at(2), plan: "submitted", reviewer: phong_rev },
          { school: at(3), plan: "returned", reviewer: phong_rev },
          { school: at(4), plan: "resubmitted", reviewer: phong_rev },
          { school: at(5), plan: "approved", reviewer: phong_rev },
          { school: at(6), plan: "assessed", reviewer: phong_rev },
          { school: at(7), plan: "submitted", reviewer: phong_rev },
          { school: at(10), plan: "submitted", reviewer: so_admin },
          { school: at(11), plan: "returned", reviewer: so_admin },
          { school: at(12), plan: "resubmitted", reviewer: so_admin },
          { school: at(13), plan: "approved", reviewer: so_admin },
          { school: at(14), plan: "assessed", reviewer: so_admin },
          { school: at(15), plan: "kept", reviewer: so_admin },
          { school: at(16), plan: "recognised", reviewer: so_admin },
        ],
        { password: DEMO_PASSWORD },
      );
      // This year's recognised file: by a decision of the Sở issued today.
      const offices = {
        so: { unitId: so, actor: so_admin, signerName: "Phạm Văn Hùng", signerTitle: "Giám đốc" },
        phong: { unitId: phong, actor: phong_rev, signerName: "Vũ Thị Thu", signerTitle: "Trưởng phòng" },
      };
      recogniseByDecision(db, { ...offices.so, number: "112/QĐ-SGDĐT" }, year, states.toRecognise, localDateOf(Date.now()), PLACE, Date.now());
      // The previous school year, finished: every school recognised by its office's decision, the cycle closed.
      await seedPreviousYear(db, {
        ownerUnitId: so,
        ownerActor: so_admin,
        schoolYear: previousSchoolYear(year),
        edition: edition.edition,
        schools: schools.map((s, i) => ({ id: ids[i], code: s.code, name: s.name, reviewingUnitId: s.reviewing })),
        offices: [
          { ...offices.so, number: "85/QĐ-SGDĐT" },
          { ...offices.phong, number: "42/QĐ-PGDĐT" },
        ],
        place: PLACE,
        password: DEMO_PASSWORD,
      });
    }
  }
}

/** The demo province's place name, printed before the date of its documents. */
const PLACE = "Đông Sơn";

export { currentSchoolYear };
