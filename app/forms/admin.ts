/**
 * Form schemas of the administration screens, shared by the browser (conform's onValidate) and
 * the server (parseWithZod in actions). Isomorphic: no server imports here.
 */
import { z } from "zod";
import { ROLE_NAMES, SCHOOL_TYPES, type Role } from "~/domain/roles";
import { UNIT_KINDS } from "~/domain/units";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

const t = pick(admin);

/** Codes of units and schools: letters, digits, dot, dash, underscore; at most 32 characters. */
export const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,49}$/;
export { UNIT_KINDS } from "~/domain/units";
export type { UnitKind as UnitKindName } from "~/domain/units";
export const NAME_MAX = 200;
export const DISPLAY_NAME_MAX = 120;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const SCHOOL_ROLES: readonly Role[] = ["school_staff", "school_head"];
export const OFFICE_ROLES: readonly Role[] = ["office_reviewer", "office_admin"];

const idField = (message: string) =>
  z.number({ required_error: message, invalid_type_error: message }).int(message).positive(message).max(2_147_483_647, message);

const text = (required: string, max: number, tooLong: string) =>
  z.string({ required_error: required }).trim().min(1, required).max(max, tooLong);

export const unitSchema = z.object({
  kind: z.enum(UNIT_KINDS, { errorMap: () => ({ message: t.units.required.kind }) }),
  code: z.string({ required_error: t.units.required.code }).trim().min(1, t.units.required.code).regex(CODE_RE, t.units.codeFormat),
  name: text(t.units.required.name, NAME_MAX, t.units.nameTooLong),
  parentId: idField(t.units.required.parent).optional(),
});

const schoolFields = {
  code: z.string({ required_error: t.schools.required.code }).trim().min(1, t.schools.required.code).regex(CODE_RE, t.schools.codeFormat),
  name: text(t.schools.required.name, NAME_MAX, t.schools.nameTooLong),
  type: z.enum(SCHOOL_TYPES, { errorMap: () => ({ message: t.schools.required.type }) }),
  managingUnitId: idField(t.schools.required.managingUnitId),
  reviewingUnitId: idField(t.schools.required.reviewingUnitId),
};

export const schoolCreateSchema = z.object(schoolFields);
export const schoolEditSchema = z.object({ ...schoolFields, active: z.boolean().default(false) });

const roleList = z
  .array(z.enum(ROLE_NAMES, { errorMap: () => ({ message: t.errors.roleNotGrantable }) }), { required_error: t.users.required.roles })
  .min(1, t.users.required.roles);

const scopeFields = {
  roles: roleList,
  unitId: idField(t.users.unitNotFound).optional(),
  schoolCode: z.string().trim().max(32, t.users.schoolNotFound).optional(),
};

interface ScopeValue {
  roles: Role[];
  unitId?: number;
  schoolCode?: string;
}

/** School roles need a school and nothing else; office roles need a unit; system admins may have neither. */
function refineScope(v: ScopeValue, ctx: z.RefinementCtx) {
  const school = v.roles.some((r) => SCHOOL_ROLES.includes(r));
  const office = v.roles.some((r) => OFFICE_ROLES.includes(r));
  const system = v.roles.includes("system_admin");
  if (school && (office || system)) {
    ctx.addIssue({ code: "custom", path: ["roles"], message: t.users.mixedRoles });
    return;
  }
  if (school) {
    if (!v.schoolCode) ctx.addIssue({ code: "custom", path: ["schoolCode"], message: t.users.required.school });
    if (v.unitId != null) ctx.addIssue({ code: "custom", path: ["unitId"], message: t.users.unitNotForSchoolRoles });
  } else {
    if (v.schoolCode) ctx.addIssue({ code: "custom", path: ["schoolCode"], message: t.users.schoolOnlyForSchoolRoles });
    if (office && v.unitId == null) ctx.addIssue({ code: "custom", path: ["unitId"], message: t.users.required.unit });
  }
}

const password = z
  .string({ required_error: t.users.required.password })
  .min(1, t.users.required.password)
  .min(PASSWORD_MIN, t.users.passwordTooShort)
  .max(PASSWORD_MAX, t.users.passwordTooLong);

export const userCreateSchema = z
  .object({
    username: z
      .string({ required_error: t.users.required.username })
      .trim()
      .toLowerCase()
      .min(1, t.users.required.username)
      .regex(USERNAME_RE, t.users.usernameFormat),
    displayName: text(t.users.required.displayName, DISPLAY_NAME_MAX, t.users.displayNameTooLong),
    ...scopeFields,
    password,
  })
  .superRefine(refineScope);

export const userEditSchema = z
  .object({
    displayName: text(t.users.required.displayName, DISPLAY_NAME_MAX, t.users.displayNameTooLong),
    ...scopeFields,
    active: z.boolean().default(false),
  })
  .superRefine(refineScope);

export const passwordResetSchema = z.object({ password });
