import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { Checkbox } from "~/components/CheckboxGroup";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { SCHOOL_TYPES, type SchoolType } from "~/domain/roles";
import { schoolEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { FormErrors, asString, unitOptions, type UnitOption } from "./shared";

export interface SchoolFormValue {
  code: string;
  name: string;
  type: SchoolType;
  managingUnitId: number;
  reviewingUnitId: number;
  active: boolean;
}

interface SchoolFormProps {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: SchoolFormValue;
  /** Units the user may manage schools under. */
  managingUnits: UnitOption[];
  /** Units the user may name as reviewing office (any unit in scope). */
  reviewingUnits: UnitOption[];
  /** Edit form: also shows the active flag. */
  edit?: boolean;
}

export function SchoolForm({ lastResult, defaultValue, managingUnits, reviewingUnits, edit }: SchoolFormProps) {
  const t = pick(admin);
  const navigation = useNavigation();
  const [form, fields] = useForm<z.infer<typeof schoolEditSchema>>({
    lastResult,
    defaultValue: defaultValue
      ? {
          ...defaultValue,
          managingUnitId: String(defaultValue.managingUnitId),
          reviewingUnitId: String(defaultValue.reviewingUnitId),
          active: defaultValue.active ? "on" : "",
        }
      : undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    // Both forms validate the same fields in the browser; "active" (edit only) never fails.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: schoolEditSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <CsrfInput />
      <Field
        label={t.schools.code}
        name={fields.code.name}
        defaultValue={asString(fields.code.initialValue)}
        error={fields.code.errors}
        hint={t.schools.codeHint}
        spellCheck={false}
        required
      />
      <Field label={t.schools.name} name={fields.name.name} defaultValue={asString(fields.name.initialValue)} error={fields.name.errors} required />
      <SelectField
        label={t.schools.type}
        name={fields.type.name}
        defaultValue={asString(fields.type.initialValue) ?? ""}
        error={fields.type.errors}
        placeholder={t.schools.typePlaceholder}
        options={SCHOOL_TYPES.map((x) => ({ value: x, label: t.schoolTypes[x] }))}
        required
      />
      <SelectField
        label={t.schools.managingUnit}
        name={fields.managingUnitId.name}
        defaultValue={asString(fields.managingUnitId.initialValue) ?? ""}
        error={fields.managingUnitId.errors}
        placeholder={t.schools.unitPlaceholder}
        options={unitOptions(managingUnits)}
        required
      />
      <SelectField
        label={t.schools.reviewingUnit}
        name={fields.reviewingUnitId.name}
        defaultValue={asString(fields.reviewingUnitId.initialValue) ?? ""}
        error={fields.reviewingUnitId.errors}
        hint={t.schools.reviewingHint}
        placeholder={t.schools.unitPlaceholder}
        options={unitOptions(reviewingUnits)}
        required
      />
      {edit ? <Checkbox label={t.schools.activeLabel} name={fields.active.name} defaultChecked={fields.active.initialValue === "on"} /> : null}
      <button type="submit" className="button" disabled={busy}>
        {busy ? t.common.saving : t.common.save}
      </button>
    </Form>
  );
}
