/**
 * The data model for the whole yearly process of QĐ 4725:
 * organisation tree → schools → cycles (pinning a catalogue edition) → assessments
 * (self-assessment, return for more evidence, external assessment, recognition, publication),
 * evidence, certificates and the audit log.
 *
 * Times are stored as UTC epoch milliseconds. Calendar deadlines are local dates
 * (Asia/Ho_Chi_Minh) stored as 'YYYY-MM-DD' text: a deadline includes its whole day.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { ROLE_NAMES as ROLES, SCHOOL_TYPES, type Role, type SchoolType } from "../../domain/roles";
import { UNIT_KINDS } from "../../domain/units";
import { STATES } from "../../domain/assessment-states";

export { ROLES, SCHOOL_TYPES, type Role, type SchoolType };

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/** ministry → province → (district | commune) → school. Offices are units. */
export const units = sqliteTable(
  "units",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: UNIT_KINDS }).notNull(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    /** Folded (lower case, no marks, đ→d) for search. */
    searchKey: text("search_key").notNull(),
    parentId: integer("parent_id").references((): AnySQLiteColumn => units.id, { onDelete: "restrict" }),
    /**
     * The ids from the root down to this unit, "/1/7/42/". Maintained by SQLite triggers (migration
     * 0004) on every insert and move, never written by the app: a subtree is one indexed range.
     */
    path: text("path").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("units_code_uq").on(t.code), index("units_parent_idx").on(t.parentId), index("units_path_idx").on(t.path)],
);


export const schools = sqliteTable(
  "schools",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Mã trường: the official code. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    searchKey: text("search_key").notNull(),
    type: text("type", { enum: SCHOOL_TYPES }).notNull(),
    managingUnitId: integer("managing_unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    /** The office that reviews this school: set per school, never derived from its type. */
    reviewingUnitId: integer("reviewing_unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** The managing and reviewing units' paths (units.path), kept by triggers: scope is two indexed ranges. */
    managingPath: text("managing_path").notNull().default(""),
    reviewingPath: text("reviewing_path").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("schools_code_uq").on(t.code),
    index("schools_managing_idx").on(t.managingUnitId),
    index("schools_reviewing_idx").on(t.reviewingUnitId),
    index("schools_managing_path_idx").on(t.managingPath),
    index("schools_reviewing_path_idx").on(t.reviewingPath),
  ],
);


/**
 * A user belongs either to a school (school roles) or to a unit (office roles);
 * system admins may have neither. Roles are a set (user_roles).
 */
export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    searchKey: text("search_key").notNull(),
    passwordHash: text("password_hash").notNull(),
    unitId: integer("unit_id").references(() => units.id, { onDelete: "restrict" }),
    schoolId: integer("school_id").references(() => schools.id, { onDelete: "restrict" }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
    /** Set when an admin sets the password (new account, reset); cleared when the user changes it. */
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [uniqueIndex("users_username_uq").on(t.username), index("users_unit_idx").on(t.unitId), index("users_school_idx").on(t.schoolId)],
);

export const userRoles = sqliteTable(
  "user_roles",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

/** Server-side sessions; the cookie holds a random token, the table its sha256. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Login throttling: one row per key ("u:<username>" or "ip:<address>"). */
export const loginThrottle = sqliteTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull().default(0),
    windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
  },
  (t) => [index("login_throttle_window_idx").on(t.windowStart)],
);

/** Catalogue editions: versioned data. A published edition is immutable (enforced by triggers). */
export const catalogueEditions = sqliteTable("catalogue_editions", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  status: text("status", { enum: ["draft", "published"] }).notNull(),
  content: text("content", { mode: "json" }).notNull(),
  contentHash: text("content_hash").notNull(),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  publishedAt: integer("published_at", { mode: "timestamp_ms" }),
});

/** A yearly assessment cycle opened by an office for the schools in its scope. */
export const cycles = sqliteTable(
  "cycles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolYear: text("school_year").notNull(),
    ownerUnitId: integer("owner_unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    editionId: text("edition_id")
      .notNull()
      .references(() => catalogueEditions.id, { onDelete: "restrict" }),
    /** Local dates (Asia/Ho_Chi_Minh), inclusive. */
    selfAssessmentDeadline: text("self_assessment_deadline").notNull(),
    reviewDeadline: text("review_deadline").notNull(),
    status: text("status", { enum: ["open", "closed"] }).notNull().default("open"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("cycles_unit_year_uq").on(t.ownerUnitId, t.schoolYear)],
);

/** The states are declared once, in the domain's state machine. */
export const ASSESSMENT_STATUSES = STATES;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/**
 * One school's assessment in one cycle. `version` increases with every change
 * (optimistic concurrency: a save names the version it was based on).
 * Cached levels are written by the service from the scoring engine, never computed here.
 */
export const assessments = sqliteTable(
  "assessments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cycleId: integer("cycle_id")
      .notNull()
      .references(() => cycles.id, { onDelete: "restrict" }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    status: text("status", { enum: ASSESSMENT_STATUSES }).notNull().default("draft"),
    version: integer("version").notNull().default(1),
    /** Per-school extension of the self-assessment deadline (local date). */
    deadlineOverride: text("deadline_override"),
    selfLevel: integer("self_level"),
    externalLevel: integer("external_level"),
    /** Free-text sections of the self-assessment report (JSON object). */
    reportText: text("report_text", { mode: "json" }),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
    submittedBy: integer("submitted_by").references(() => users.id, { onDelete: "set null" }),
    approvedAt: integer("approved_at", { mode: "timestamp_ms" }),
    approvedBy: integer("approved_by").references(() => users.id, { onDelete: "set null" }),
    recognisedAt: integer("recognised_at", { mode: "timestamp_ms" }),
    recognisedLevel: integer("recognised_level"),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    /** The reviewer of the office assigned to this file (null: the office's reviewers share it). */
    reviewerId: integer("reviewer_id").references(() => users.id, { onDelete: "set null" }),
    /** The current submission round (lần nộp): 0 before the first submission. */
    round: integer("round").notNull().default(0),
    returnedAt: integer("returned_at", { mode: "timestamp_ms" }),
    /** The external assessment team (đoàn đánh giá), JSON: { date, members: [{ name, title, role }] }. */
    externalTeam: text("external_team", { mode: "json" }),
    externalFinishedAt: integer("external_finished_at", { mode: "timestamp_ms" }),
    externalFinishedBy: integer("external_finished_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("assessments_cycle_school_uq").on(t.cycleId, t.schoolId),
    index("assessments_school_idx").on(t.schoolId),
    index("assessments_cycle_status_idx").on(t.cycleId, t.status),
    index("assessments_reviewer_idx").on(t.reviewerId),
  ],
);

/**
 * Answers per item. phase 'self' is the school's; phase 'external' is the office's re-scoring.
 * value holds the rule-typed answer (boolean, {numerator, denominator}, option id, or info object).
 */
export const answers = sqliteTable(
  "answers",
  {
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: ["self", "external"] }).notNull(),
    itemCode: text("item_code").notNull(),
    value: text("value", { mode: "json" }),
    note: text("note"),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    /** The assessment version this answer was written at (per-item conflict detection). */
    version: integer("version").notNull().default(0),
    /**
     * Carried forward (dùng lại kết quả năm trước) from this earlier assessment and not confirmed
     * yet; a save of the item, or its confirmation, clears it. Null: the school's own answer.
     */
    carriedFrom: integer("carried_from"),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.phase, t.itemCode] })],
);

/** Stored blobs, content-addressed by sha256. Shared by all evidence rows with the same content. */
export const blobs = sqliteTable("blobs", {
  sha256: text("sha256").primaryKey(),
  size: integer("size").notNull(),
  mime: text("mime").notNull(),
  createdAt: createdAt(),
});

/** A school's evidence library: files and links, reusable across cycles. */
export const evidence = sqliteTable(
  "evidence",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["file", "link"] }).notNull(),
    title: text("title").notNull(),
    /** Original (sanitised) file name, Vietnamese kept for display. */
    fileName: text("file_name"),
    sha256: text("sha256").references(() => blobs.sha256, { onDelete: "restrict" }),
    url: text("url"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("evidence_school_idx").on(t.schoolId), index("evidence_sha256_idx").on(t.sha256)],
);

/** Evidence attached to an item of an assessment, with its generated code (e.g. MC-1.3-01). */
export const evidenceLinks = sqliteTable(
  "evidence_links",
  {
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    itemCode: text("item_code").notNull(),
    evidenceId: integer("evidence_id")
      .notNull()
      .references(() => evidence.id, { onDelete: "restrict" }),
    code: text("code").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.itemCode, t.evidenceId] }),
    uniqueIndex("evidence_links_code_uq").on(t.assessmentId, t.code),
    index("evidence_links_evidence_idx").on(t.evidenceId),
  ],
);

/**
 * The office's requests ("yêu cầu bổ sung"), per item (item_code) or on the whole file (null), made
 * when it returns a file in a round. The school answers each (reply, "đã bổ sung"); a request stays
 * open across rounds until the reviewer closes it (resolved_at).
 */
export const reviewComments = sqliteTable(
  "review_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    itemCode: text("item_code"),
    body: text("body").notNull(),
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    /** The round the request was made in (assessments.round when returned). */
    round: integer("round").notNull().default(0),
    reply: text("reply"),
    /** The school marked it done ("đã bổ sung"). */
    addressed: integer("addressed", { mode: "boolean" }).notNull().default(false),
    repliedAt: integer("replied_at", { mode: "timestamp_ms" }),
    repliedBy: integer("replied_by").references(() => users.id, { onDelete: "set null" }),
    resolvedBy: integer("resolved_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("review_comments_assessment_idx").on(t.assessmentId)],
);

/**
 * One row per submission (lần nộp): what the school sent in that round, frozen (answers, notes,
 * points and evidence per item), so the reviewer sees what changed since the round it checked.
 * `outcome` is the office's decision on the round (returned, approved), null while it waits.
 */
export const assessmentRounds = sqliteTable(
  "assessment_rounds",
  {
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
    submittedBy: integer("submitted_by").references(() => users.id, { onDelete: "set null" }),
    snapshot: text("snapshot", { mode: "json" }).notNull(),
    outcome: text("outcome", { enum: ["returned", "approved"] }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.round] })],
);

/**
 * In-app notifications, one row per recipient, written in the transaction of the act they tell of.
 * `emailed_at` is for a later e-mail channel: a sender would pick the rows still null (an outbox).
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    assessmentId: integer("assessment_id").references(() => assessments.id, { onDelete: "cascade" }),
    schoolId: integer("school_id").references(() => schools.id, { onDelete: "cascade" }),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    details: text("details", { mode: "json" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    emailedAt: integer("emailed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.readAt),
    index("notifications_assessment_idx").on(t.assessmentId),
    index("notifications_school_idx").on(t.schoolId),
    index("notifications_actor_idx").on(t.actorId),
  ],
);

/**
 * A recognition decision (quyết định công nhận) of an issuing office (the schools' reviewing
 * unit) for one school year. Prepared as a draft (number, date, signer may still be empty),
 * checked, then issued: every file of the decision is recognised in one transaction. A decision
 * may be revoked as a whole (every certificate of it revoked).
 */
export const recognitionDecisions = sqliteTable(
  "recognition_decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    issuingUnitId: integer("issuing_unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    schoolYear: text("school_year").notNull(),
    status: text("status", { enum: ["draft", "issued", "revoked"] }).notNull().default("draft"),
    /** "123/QĐ-SGDĐT"; unique per issuing office once set. */
    number: text("number"),
    /** The decision's date, a local date 'YYYY-MM-DD'. */
    decidedOn: text("decided_on"),
    place: text("place"),
    signerName: text("signer_name"),
    signerTitle: text("signer_title"),
    /** The "Căn cứ …" lines, JSON array of strings (editable). */
    bases: text("bases", { mode: "json" }),
    /** Optimistic concurrency of the draft's edits. */
    version: integer("version").notNull().default(1),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }),
    issuedBy: integer("issued_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: integer("revoked_by").references(() => users.id, { onDelete: "set null" }),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    uniqueIndex("recognition_decisions_number_uq").on(t.issuingUnitId, t.number).where(sql`number IS NOT NULL`),
    index("recognition_decisions_unit_year_idx").on(t.issuingUnitId, t.schoolYear),
    index("recognition_decisions_created_by_idx").on(t.createdBy),
    index("recognition_decisions_issued_by_idx").on(t.issuedBy),
    index("recognition_decisions_revoked_by_idx").on(t.revokedBy),
  ],
);

/** The files a decision recognises (chosen while it is a draft). */
export const recognitionDecisionItems = sqliteTable(
  "recognition_decision_items",
  {
    decisionId: integer("decision_id")
      .notNull()
      .references(() => recognitionDecisions.id, { onDelete: "cascade" }),
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.decisionId, t.assessmentId] }), index("recognition_decision_items_assessment_idx").on(t.assessmentId)],
);

/**
 * Recognition certificates (giấy công nhận), one per recognised file and issue. Serial numbers run
 * per issuing office and calendar year of the decision without gaps (serial_no 1, 2, …; issued
 * inside the decision's write transaction). The token (≥ 128 random bits, base64url) is the
 * public verification key. A revoked certificate stays, with its date and reason; re-issuing
 * makes a new certificate with a new serial.
 */
export const certificates = sqliteTable(
  "certificates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    decisionId: integer("decision_id")
      .notNull()
      .references(() => recognitionDecisions.id, { onDelete: "restrict" }),
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "restrict" }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    issuingUnitId: integer("issuing_unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    schoolYear: text("school_year").notNull(),
    serialYear: integer("serial_year").notNull(),
    serialNo: integer("serial_no").notNull(),
    /** The printed serial, e.g. "SGD-2026-0001". */
    serial: text("serial").notNull(),
    level: integer("level").notNull(),
    token: text("token").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
    issuedBy: integer("issued_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: integer("revoked_by").references(() => users.id, { onDelete: "set null" }),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    uniqueIndex("certificates_serial_uq").on(t.issuingUnitId, t.serialYear, t.serialNo),
    uniqueIndex("certificates_token_uq").on(t.token),
    index("certificates_assessment_idx").on(t.assessmentId),
    index("certificates_decision_idx").on(t.decisionId),
    index("certificates_school_idx").on(t.schoolId),
    index("certificates_issued_by_idx").on(t.issuedBy),
    index("certificates_revoked_by_idx").on(t.revokedBy),
  ],
);

/**
 * The scoring engine's stored result of a file, per phase ('self', 'external'): one row for the
 * institution (kind 'institution', code ''), each group, each indicator and each item. Written by
 * the transition door in the transaction that changes the answers (never computed elsewhere);
 * rollups are SQL aggregates over these rows. Points are integer hundredths. `level` is the level
 * of the institution or group, or an indicator's band where the edition defines bands; `met` is an
 * item's met/not met (mandatory and boolean items: met; ratio and choice items: points above 0), or
 * an indicator's "every mandatory condition met"; `option` a choice item's chosen option.
 */
export const assessmentResults = sqliteTable(
  "assessment_results",
  {
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: ["self", "external"] }).notNull(),
    kind: text("kind", { enum: ["institution", "group", "indicator", "item"] }).notNull(),
    code: text("code").notNull(),
    points: integer("points").notNull(),
    max: integer("max").notNull(),
    level: integer("level"),
    met: integer("met", { mode: "boolean" }),
    option: text("option"),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.phase, t.kind, t.code] })],
);

/**
 * Publication (công bố) of a school year's recognised results for a unit's subtree. One row per
 * unit and year; withdrawing keeps the row with its date (publishing again clears it). Only
 * recognised, unrevoked results of schools managed in the subtree are ever shown publicly.
 */
export const publications = sqliteTable(
  "publications",
  {
    unitId: integer("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    schoolYear: text("school_year").notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }).notNull(),
    publishedBy: integer("published_by").references(() => users.id, { onDelete: "set null" }),
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
    withdrawnBy: integer("withdrawn_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.schoolYear] }),
    index("publications_published_by_idx").on(t.publishedBy),
    index("publications_withdrawn_by_idx").on(t.withdrawnBy),
  ],
);

/**
 * The school's action plan (kế hoạch cải thiện) of an assessment: actions generated from the gaps
 * (an unmet mandatory condition, an item below its maximum; kind 'gap', with the item and the
 * points it would gain) or added by the school (kind 'own'). Each has an owner in the school, a
 * due date (local), a status and notes; `carried_from` is the action of the previous year's plan
 * it continues. `version` guards concurrent edits.
 */
export const actionItems = sqliteTable(
  "action_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    assessmentId: integer("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["gap", "own"] }).notNull(),
    itemCode: text("item_code"),
    title: text("title").notNull(),
    /** Points toward the next level the action would gain (hundredths; 0 for a mandatory condition or an own action). */
    gain: integer("gain").notNull().default(0),
    /** Order in the plan (the "Để đạt mức tiếp theo" order for generated actions). */
    position: integer("position").notNull().default(0),
    ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
    dueDate: text("due_date"),
    status: text("status", { enum: ["todo", "doing", "done"] }).notNull().default("todo"),
    notes: text("notes"),
    carriedFrom: integer("carried_from").references((): AnySQLiteColumn => actionItems.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("action_items_assessment_idx").on(t.assessmentId),
    index("action_items_school_idx").on(t.schoolId),
    index("action_items_carried_idx").on(t.carriedFrom),
    index("action_items_owner_idx").on(t.ownerId),
  ],
);

/** Evidence linked to an action of the plan. */
export const actionItemEvidence = sqliteTable(
  "action_item_evidence",
  {
    actionId: integer("action_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    evidenceId: integer("evidence_id")
      .notNull()
      .references(() => evidence.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.evidenceId] }), index("action_item_evidence_evidence_idx").on(t.evidenceId)],
);

/**
 * Long work started from a page (a decision's ZIP of certificates, its merged PDF): its progress
 * in the database so that any server process can show it and the page can be left and come back
 * to. `heartbeat_at` is renewed while it runs: a job whose process died is seen as failed.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    decisionId: integer("decision_id").references(() => recognitionDecisions.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull().default("running"),
    total: integer("total").notNull().default(0),
    done: integer("done").notNull().default(0),
    /** The finished file, relative to the jobs directory. */
    file: text("file"),
    error: text("error"),
    createdAt: createdAt(),
    heartbeatAt: integer("heartbeat_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("jobs_decision_idx").on(t.decisionId, t.kind), index("jobs_user_idx").on(t.userId)],
);

/** Append-only audit log: every state change, save, upload and administrative act. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    schoolId: integer("school_id").references(() => schools.id, { onDelete: "set null" }),
    unitId: integer("unit_id").references(() => units.id, { onDelete: "set null" }),
    assessmentId: integer("assessment_id").references(() => assessments.id, { onDelete: "set null" }),
    details: text("details", { mode: "json" }),
  },
  (t) => [index("audit_school_idx").on(t.schoolId), index("audit_assessment_idx").on(t.assessmentId), index("audit_at_idx").on(t.at)],
);

/**
 * Cross-process leases (several server processes share one SQLite file): a key is held by one owner
 * until it releases it or the lease expires (app/server/db/lease.server.ts).
 */
export const leases = sqliteTable("leases", {
  key: text("key").primaryKey(),
  owner: text("owner").notNull(),
  expiresAt: integer("expires_at").notNull(),
});
