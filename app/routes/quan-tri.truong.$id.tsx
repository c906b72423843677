import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { SchoolForm } from "~/components/admin/SchoolForm";
import { schoolEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, authorizeArea, can, placeSchool, placementFormErrors, reviewingUnitLocked } from "~/server/policy.server";
import { getSchool, getUnit, OrgError, updateSchool } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields, unitRefAnyScope, unitRefs } from "~/server/services/unit-search.server";
import { notFound, parseId } from "~/server/validate.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? t.schools.editTitle(data.school.name) : t.schools.title} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "unit.read"); // the admin area: office and system users only
  const id = parseId(params.id);
  // The policy refuses unknown ids too (403) for everyone but system admins (then 404 below).
  authorize(user, "school.read", { kind: "school", schoolId: id });
  const school = getSchool(id) ?? notFound(t.errors.schoolNotFound);
  const canManage = can(user, "school.manage", { kind: "school", schoolId: id });
  const unitName = (unitId: number) => {
    const u = getUnit(unitId);
    return u ? `${u.code} — ${u.name}` : "";
  };
  // The placement rule (policy): a reviewing office set by a higher level is kept as it is, and
  // then it is shown, not offered; otherwise the picker searches the units in scope (the shape rule
  // is a field error). The pickers start from the school's units.
  const locked = canManage && reviewingUnitLocked(user, school) ? unitRefAnyScope(school.reviewingUnitId) : null;
  const chosen = canManage ? unitRefs(user, [school.managingUnitId, school.reviewingUnitId]) : new Map();
  const units = {
    managingUnitId: chosen.get(school.managingUnitId),
    reviewingUnitId: chosen.get(school.reviewingUnitId),
  };
  return json({
    school: {
      id: school.id,
      code: school.code,
      name: school.name,
      type: school.type,
      managingUnitId: school.managingUnitId,
      reviewingUnitId: school.reviewingUnitId,
      active: school.active,
    },
    managingUnitName: unitName(school.managingUnitId),
    reviewingUnitName: unitName(school.reviewingUnitId),
    canManage,
    units,
    reviewingLocked: locked,
  });
}

const UNIT_FIELDS = ["managingUnitId", "reviewingUnitId"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  const id = parseId(params.id);
  authorize(user, "school.manage", { kind: "school", schoolId: id });
  // The pickers' no-JavaScript code fields become the ids the schema reads (unit-search.server).
  const { form: formData, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const submission = parseWithZod(formData, { schema: schoolEditSchema });
  // The chosen units go back with an error, so the form shows their names again.
  const reply = (r: ReturnType<typeof submission.reply>) => ({ ...r, units: postedUnits(formData, UNIT_FIELDS, user) });
  if (submission.status !== "success" || codeErrors) return json(reply(submission.reply({ fieldErrors: codeErrors ?? {} })), { status: 400 });
  const input = submission.value;
  const current = getSchool(id) ?? notFound(t.errors.schoolNotFound);
  // The one placement rule (policy.placeSchool), the same the CSV import asks.
  const placementErrors = placementFormErrors(placeSchool(user, input, current));
  if (placementErrors) return json(reply(submission.reply({ fieldErrors: placementErrors })), { status: 400 });
  try {
    updateSchool(id, input, user.id);
    return redirect(`/quan-tri/truong/${id}?saved=1`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] } })), { status: 400 });
    throw e;
  }
}

export default function EditSchool() {
  const { school, managingUnitName, reviewingUnitName, canManage, units, reviewingLocked } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <section className="card" aria-labelledby="school-edit-title">
      <h1 id="school-edit-title">{t.schools.editTitle(school.name)}</h1>
      {saved && !lastResult ? (
        <p className="alert alert--ok" role="status">
          {saved === "created" ? t.common.created : t.common.saved}
        </p>
      ) : null}
      {canManage ? (
        <SchoolForm
          key={school.id}
          edit
          lastResult={lastResult}
          defaultValue={school}
          units={{ ...units, ...lastResult?.units }}
          reviewingLocked={reviewingLocked}
        />
      ) : (
        <>
          <p className="alert">{t.common.readOnly}</p>
          <dl className="details">
            <dt>{t.schools.code}</dt>
            <dd>{school.code}</dd>
            <dt>{t.schools.name}</dt>
            <dd>{school.name}</dd>
            <dt>{t.schools.type}</dt>
            <dd>{t.schoolTypes[school.type]}</dd>
            <dt>{t.schools.managingUnit}</dt>
            <dd>{managingUnitName}</dd>
            <dt>{t.schools.reviewingUnit}</dt>
            <dd>{reviewingUnitName}</dd>
            <dt>{t.common.status}</dt>
            <dd>{school.active ? t.common.active : t.common.inactive}</dd>
          </dl>
        </>
      )}
      <p>
        <Link to="/quan-tri/truong">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
