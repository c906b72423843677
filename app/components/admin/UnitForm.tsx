import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { UnitPicker, typedUnitCode, type UnitRef } from "~/components/UnitPicker";
import { UNIT_KINDS, unitSchema, type UnitKindName } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { unitPickerUi } from "~/i18n/unit-picker";
import { FormErrors, asString } from "./shared";

interface UnitFormProps {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: { kind: UnitKindName; code: string; name: string; parentId: number | null };
  /** The chosen parent unit (from the unit, or from the post shown again after an error). */
  parent?: UnitRef | null;
  /** Editing this unit: the parent picker leaves out the unit and the units below it. */
  unitId?: number;
  /** System admins may create root units (no parent). */
  allowRoot: boolean;
}

export function UnitForm({ lastResult, defaultValue, parent, unitId, allowRoot }: UnitFormProps) {
  const t = pick(admin);
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: defaultValue ? { ...defaultValue, parentId: defaultValue.parentId == null ? "" : String(defaultValue.parentId) } : undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: unitSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <CsrfInput />
      <SelectField
        label={t.units.kind}
        name={fields.kind.name}
        defaultValue={asString(fields.kind.initialValue) ?? ""}
        error={fields.kind.errors}
        placeholder={t.units.kindPlaceholder}
        options={UNIT_KINDS.map((k) => ({ value: k, label: t.unitKinds[k] }))}
        required
      />
      <Field
        label={t.units.code}
        name={fields.code.name}
        defaultValue={asString(fields.code.initialValue)}
        error={fields.code.errors}
        hint={t.units.codeHint}
        autoCapitalize="characters"
        spellCheck={false}
        required
      />
      <Field label={t.units.name} name={fields.name.name} defaultValue={asString(fields.name.initialValue)} error={fields.name.errors} required />
      <UnitPicker
        label={t.units.parent}
        name={fields.parentId.name}
        defaultValue={parent ?? null}
        defaultText={typedUnitCode(form.initialValue, fields.parentId.name)}
        error={fields.parentId.errors}
        emptyLabel={allowRoot ? pick(unitPickerUi).emptyRoot : undefined}
        excludeSubtreeOf={unitId}
        required={!allowRoot}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? t.common.saving : t.common.save}
      </button>
    </Form>
  );
}
