/**
 * The organisation tree and accounts: units, schools, users.
 * Every multi-row change runs in one transaction with its audit entry.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { countRows, getDb } from "../db/client.server";
import { schools, units, userRoles, users, type Role, type SchoolType } from "../db/schema.server";
import { hashPassword } from "../auth/password.server";
import { writeAudit } from "./audit.server";
import { cleanText, foldVietnamese } from "~/utils/text";

export type UnitKind = (typeof units.$inferSelect)["kind"];

export interface NewUnit {
  kind: UnitKind;
  code: string;
  name: string;
  parentId: number | null;
}

export function createUnit(input: NewUnit, actorId: number | null, db: Db = getDb()): number {
  const name = cleanText(input.name);
  return db.transaction((tx) => {
    const row = tx
      .insert(units)
      .values({ kind: input.kind, code: input.code.trim(), name, searchKey: foldVietnamese(`${input.code} ${name}`), parentId: input.parentId })
      .returning({ id: units.id })
      .get();
    writeAudit(tx, { actorId, action: "unit.create", entityType: "unit", entityId: row.id, unitId: row.id, details: input });
    return row.id;
  });
}

export interface NewSchool {
  code: string;
  name: string;
  type: SchoolType;
  managingUnitId: number;
  reviewingUnitId: number;
}

export function createSchool(input: NewSchool, actorId: number | null, db: Db = getDb()): number {
  const name = cleanText(input.name);
  return db.transaction((tx) => {
    const row = tx
      .insert(schools)
      .values({ ...input, code: input.code.trim(), name, searchKey: foldVietnamese(`${input.code} ${name}`) })
      .returning({ id: schools.id })
      .get();
    writeAudit(tx, { actorId, action: "school.create", entityType: "school", entityId: row.id, schoolId: row.id, details: input });
    return row.id;
  });
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  unitId?: number | null;
  schoolId?: number | null;
}

export async function createUser(input: NewUser, actorId: number | null, db: Db = getDb()): Promise<number> {
  const passwordHash = await hashPassword(input.password);
  const username = input.username.trim().toLowerCase();
  const displayName = cleanText(input.displayName);
  return db.transaction((tx) => {
    const row = tx
      .insert(users)
      .values({
        username,
        displayName,
        searchKey: foldVietnamese(`${username} ${displayName}`),
        passwordHash,
        unitId: input.unitId ?? null,
        schoolId: input.schoolId ?? null,
      })
      .returning({ id: users.id })
      .get();
    for (const role of new Set(input.roles)) tx.insert(userRoles).values({ userId: row.id, role }).run();
    writeAudit(tx, {
      actorId,
      action: "user.create",
      entityType: "user",
      entityId: row.id,
      unitId: input.unitId ?? null,
      schoolId: input.schoolId ?? null,
      details: { username, displayName, roles: input.roles },
    });
    return row.id;
  });
}

export function countUsers(db: Db = getDb()): number {
  return countRows(users, undefined, db);
}

export function getUnit(id: number, db: Db = getDb()) {
  return db.select().from(units).where(eq(units.id, id)).get();
}

export function getSchool(id: number, db: Db = getDb()) {
  return db.select().from(schools).where(eq(schools.id, id)).get();
}
