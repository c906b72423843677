import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { UnitForm } from "~/components/admin/UnitForm";
import { unitSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, canCreateUnitUnder } from "~/server/policy.server";
import { getUnit, OrgError, updateUnit } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields, unitRefs } from "~/server/services/unit-search.server";
import { notFound, parseId } from "~/server/validate.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? t.units.editTitle(data.unit.name) : t.units.title} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  authorize(user, "unit.manage", { kind: "unit", unitId: id });
  const unit = getUnit(id) ?? notFound(t.errors.unitNotFound);
  return json({
    unit: { id: unit.id, kind: unit.kind, code: unit.code, name: unit.name, parentId: unit.parentId },
    // The parent picker starts from the current parent and searches /quan-tri/don-vi/tim, leaving
    // out this unit and those below it (a unit under its own subtree is refused by updateUnit too).
    parent: unit.parentId == null ? null : (unitRefs(user, [unit.parentId]).get(unit.parentId) ?? null),
    allowRoot: canCreateUnitUnder(user, null),
  });
}

const UNIT_FIELDS = ["parentId"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  const id = parseId(params.id);
  authorize(user, "unit.manage", { kind: "unit", unitId: id });
  // The picker's no-JavaScript code field becomes the id the schema reads (unit-search.server).
  const { form: formData, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const submission = parseWithZod(formData, { schema: unitSchema });
  // The chosen parent goes back with an error, so the form shows its name again.
  const reply = (r: ReturnType<typeof submission.reply>) => ({ ...r, units: postedUnits(formData, UNIT_FIELDS, user) });
  if (submission.status !== "success" || codeErrors) return json(reply(submission.reply({ fieldErrors: codeErrors ?? {} })), { status: 400 });
  const parentId = submission.value.parentId ?? null;
  if (parentId == null && !canCreateUnitUnder(user, null)) {
    return json(reply(submission.reply({ fieldErrors: { parentId: [t.units.required.parent] } })), { status: 400 });
  }
  if (!canCreateUnitUnder(user, parentId)) throw json({ error: t.units.parentOutOfScope }, { status: 403 });
  if (!getUnit(id)) notFound(t.errors.unitNotFound);
  try {
    updateUnit(id, { ...submission.value, parentId }, user.id);
    return redirect(`/quan-tri/don-vi/${id}?saved=1`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] } })), { status: 400 });
    throw e;
  }
}

export default function EditUnit() {
  const { unit, parent, allowRoot } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <section className="card" aria-labelledby="unit-edit-title">
      <h1 id="unit-edit-title">{t.units.editTitle(unit.name)}</h1>
      {saved && !lastResult ? (
        <p className="alert alert--ok" role="status">
          {saved === "created" ? t.common.created : t.common.saved}
        </p>
      ) : null}
      <UnitForm
        key={unit.id}
        lastResult={lastResult}
        parent={lastResult ? (lastResult.units?.parentId ?? null) : parent}
        unitId={unit.id}
        allowRoot={allowRoot}
        defaultValue={unit}
      />
      <p>
        <Link to="/quan-tri/don-vi">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
