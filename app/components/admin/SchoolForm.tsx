import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { Checkbox } from "~/components/CheckboxGroup";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { UnitPicker, typedUnitCode, unitLabel, type UnitRef } from "~/components/UnitPicker";
import { SCHOOL_TYPES, type SchoolType } from "~/domain/roles";
import { schoolEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { FormErrors, asString } from "./shared";

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
  /**
   * The chosen units (from the school, or from the post shown again after an error), shown in the
   * unit pickers. The pickers search the units of the user's scope; the placement rule is checked
   * by the action (policy.placeSchool).
   */
  units?: Partial<Record<"managingUnitId" | "reviewingUnitId", UnitRef>>;
  /** The reviewing office was set by a higher level: shown, kept, not offered for change. */
  reviewingLocked?: UnitRef | null;
  /** Edit form: also shows the active flag. */
  edit?: boolean;
}

export function SchoolForm({ lastResult, defaultValue, units, reviewingLocked, edit }: SchoolFormProps) {
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
      <UnitPicker
        label={t.schools.managingUnit}
        name={fields.managingUnitId.name}
        defaultValue={units?.managingUnitId ?? null}
        defaultText={typedUnitCode(form.initialValue, fields.managingUnitId.name)}
        error={fields.managingUnitId.errors}
        required
      />
      {reviewingLocked ? (
        <>
          <Field label={t.schools.reviewingUnit} name="" value={unitLabel(reviewingLocked)} hint={t.schools.reviewingHint} error={fields.reviewingUnitId.errors} readOnly />
          <input type="hidden" name={fields.reviewingUnitId.name} value={String(reviewingLocked.id)} />
        </>
      ) : (
        <UnitPicker
          label={t.schools.reviewingUnit}
          name={fields.reviewingUnitId.name}
          defaultValue={units?.reviewingUnitId ?? null}
          defaultText={typedUnitCode(form.initialValue, fields.reviewingUnitId.name)}
          error={fields.reviewingUnitId.errors}
          hint={t.schools.reviewingHint}
          required
        />
      )}
      {edit ? <Checkbox label={t.schools.activeLabel} name={fields.active.name} defaultChecked={fields.active.initialValue === "on"} /> : null}
      <button type="submit" className="button" disabled={busy}>
        {busy ? t.common.saving : t.common.save}
      </button>
    </Form>
  );
}
