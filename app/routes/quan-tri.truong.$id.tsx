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
import { getSchool, getUnit, OrgError, unitChoices, updateSchool } from "~/server/services/org.server";
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
  const units = canManage ? unitChoices(user) : [];
  // The placement rule (policy): a reviewing office set by a higher level is kept as it is, and
  // then it is the only one offered; otherwise any unit in scope (the shape rule is a field error).
  const reviewingUnits = !canManage ? [] : reviewingUnitLocked(user, school) ? reviewingChoice(school.reviewingUnitId) : units;
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
    reviewingUnits,
  });
}

function reviewingChoice(unitId: number) {
  const u = getUnit(unitId);
  return u ? [{ id: u.id, code: u.code, name: u.name, kind: u.kind, depth: 0 }] : [];
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await assertCsrf(request, formData);
  const user = await requireUser(request);
  const id = parseId(params.id);
  authorize(user, "school.manage", { kind: "school", schoolId: id });
  const submission = parseWithZod(formData, { schema: schoolEditSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const input = submission.value;
  const current = getSchool(id) ?? notFound(t.errors.schoolNotFound);
  // The one placement rule (policy.placeSchool), the same the CSV import asks.
  const placementErrors = placementFormErrors(placeSchool(user, input, current));
  if (placementErrors) return json(submission.reply({ fieldErrors: placementErrors }), { status: 400 });
  try {
    updateSchool(id, input, user.id);
    return redirect(`/quan-tri/truong/${id}?saved=1`);
  } catch (e) {
    if (e instanceof OrgError) return json(submission.reply({ fieldErrors: { [e.field]: [e.message] } }), { status: 400 });
    throw e;
  }
}

export default function EditSchool() {
  const { school, managingUnitName, reviewingUnitName, canManage, units, reviewingUnits } = useLoaderData<typeof loader>();
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
        <SchoolForm key={school.id} edit lastResult={lastResult} defaultValue={school} managingUnits={units} reviewingUnits={reviewingUnits} />
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
