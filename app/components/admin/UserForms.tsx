import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { Checkbox, CheckboxGroup } from "~/components/CheckboxGroup";
import { CsrfInput } from "~/components/CsrfInput";
import { Field } from "~/components/Field";
import { UnitPicker, typedUnitCode, type UnitRef } from "~/components/UnitPicker";
import type { Role } from "~/domain/roles";
import { passwordResetSchema, userCreateSchema, userEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { unitPickerUi } from "~/i18n/unit-picker";
import { auth } from "~/i18n/auth";
import { FormErrors, asList, asString } from "./shared";

interface ScopeProps {
  /** Roles the signed-in user may grant. */
  grantable: Role[];
  /** The chosen unit (the account's, or the post's shown again after an error). */
  unit?: UnitRef | null;
}

/** The parts of conform's field metadata the scope fields use. */
interface FieldLike {
  name: string;
  initialValue?: unknown;
  errors?: string[];
}

function ScopeFields({
  fields,
  grantable,
  unit,
  initialValue,
}: ScopeProps & { fields: { roles: FieldLike; unitId: FieldLike; schoolCode: FieldLike }; initialValue: unknown }) {
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
      <UnitPicker
        label={t.users.unit}
        name={fields.unitId.name}
        defaultValue={unit ?? null}
        defaultText={typedUnitCode(initialValue, fields.unitId.name)}
        error={fields.unitId.errors}
        emptyLabel={pick(unitPickerUi).emptyNoUnit}
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

export function UserCreateForm({ lastResult, grantable, unit }: ScopeProps & { lastResult?: SubmissionResult<string[]> | null }) {
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
      <ScopeFields fields={fields} grantable={grantable} unit={unit} initialValue={form.initialValue} />
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
  unit,
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
      <ScopeFields fields={fields} grantable={grantable} unit={unit} initialValue={form.initialValue} />
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
