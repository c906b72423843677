import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { Checkbox, CheckboxGroup } from "~/components/CheckboxGroup";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import type { Role } from "~/domain/roles";
import { passwordResetSchema, userCreateSchema, userEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { auth } from "~/i18n/auth";
import { FormErrors, asList, asString, unitOptions, type UnitOption } from "./shared";

interface ScopeProps {
  /** Roles the signed-in user may grant. */
  grantable: Role[];
  units: UnitOption[];
}

/** The parts of conform's field metadata the scope fields use. */
interface FieldLike {
  name: string;
  initialValue?: unknown;
  errors?: string[];
}

function ScopeFields({ fields, grantable, units }: ScopeProps & { fields: { roles: FieldLike; unitId: FieldLike; schoolCode: FieldLike } }) {
  const t = pick(admin);
  return (
    <>
      <CheckboxGroup
        legend={t.users.roles}
        name={fields.roles.name}
        hint={t.users.rolesHint}
        options={grantable.map((r) => ({ value: r, label: t.roles[r] }))}
        defaultValue={asList(fields.roles.initialValue)}
        error={fields.roles.errors}
      />
      <SelectField
        label={t.users.unit}
        name={fields.unitId.name}
        defaultValue={asString(fields.unitId.initialValue) ?? ""}
        error={fields.unitId.errors}
        placeholder={t.users.unitPlaceholder}
        options={unitOptions(units)}
      />
      <Field
        label={t.users.schoolCode}
        name={fields.schoolCode.name}
        defaultValue={asString(fields.schoolCode.initialValue)}
        error={fields.schoolCode.errors}
        hint={t.users.schoolCodeHint}
        spellCheck={false}
      />
    </>
  );
}

function SubmitButton({ label }: { label?: string }) {
  const t = pick(admin).common;
  const busy = useNavigation().state === "submitting";
  return (
    <button type="submit" className="button" disabled={busy}>
      {busy ? t.saving : (label ?? t.save)}
    </button>
  );
}

export function UserCreateForm({ lastResult, grantable, units }: ScopeProps & { lastResult?: SubmissionResult<string[]> | null }) {
  const t = pick(admin);
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: userCreateSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <CsrfInput />
      <Field
        label={t.users.username}
        name={fields.username.name}
        defaultValue={asString(fields.username.initialValue)}
        error={fields.username.errors}
        hint={t.users.usernameHint}
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        required
      />
      <Field
        label={t.users.displayName}
        name={fields.displayName.name}
        defaultValue={asString(fields.displayName.initialValue)}
        error={fields.displayName.errors}
        required
      />
      <ScopeFields fields={fields} grantable={grantable} units={units} />
      <Field
        label={t.users.password}
        name={fields.password.name}
        type="password"
        autoComplete="new-password"
        error={fields.password.errors}
        hint={`${t.users.passwordHint} ${pick(auth).account.adminSetHint}`}
        minLength={10}
        required
      />
      <SubmitButton />
    </Form>
  );
}

export interface UserEditValue {
  displayName: string;
  roles: Role[];
  unitId: number | null;
  schoolCode: string | null;
  active: boolean;
}

export function UserEditForm({
  lastResult,
  grantable,
  units,
  defaultValue,
}: ScopeProps & { lastResult?: SubmissionResult<string[]> | null; defaultValue: UserEditValue }) {
  const t = pick(admin);
  const [form, fields] = useForm({
    id: "user-profile",
    lastResult,
    defaultValue: {
      displayName: defaultValue.displayName,
      roles: defaultValue.roles,
      unitId: defaultValue.unitId == null ? "" : String(defaultValue.unitId),
      schoolCode: defaultValue.schoolCode ?? "",
      active: defaultValue.active ? "on" : "",
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: userEditSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <CsrfInput />
      <input type="hidden" name="intent" value="profile" />
      <Field
        label={t.users.displayName}
        name={fields.displayName.name}
        defaultValue={asString(fields.displayName.initialValue)}
        error={fields.displayName.errors}
        required
      />
      <ScopeFields fields={fields} grantable={grantable} units={units} />
      <Checkbox label={t.users.activeLabel} name={fields.active.name} defaultChecked={fields.active.initialValue === "on"} hint={t.users.activeHint} />
      <SubmitButton />
    </Form>
  );
}

export function PasswordResetForm({ lastResult }: { lastResult?: SubmissionResult<string[]> | null }) {
  const t = pick(admin);
  const [form, fields] = useForm({
    id: "user-password",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordResetSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <CsrfInput />
      <input type="hidden" name="intent" value="password" />
      <Field
        label={t.users.newPassword}
        name={fields.password.name}
        type="password"
        autoComplete="new-password"
        error={fields.password.errors}
        hint={`${t.users.newPasswordHint} ${pick(auth).account.adminSetHint}`}
        minLength={10}
        required
      />
      <SubmitButton label={t.users.resetSubmit} />
    </Form>
  );
}
