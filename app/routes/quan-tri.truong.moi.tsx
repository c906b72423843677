import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SchoolForm } from "~/components/admin/SchoolForm";
import { schoolCreateSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, placeSchool, placementFormErrors } from "~/server/policy.server";
import { createSchool, OrgError, unitChoices } from "~/server/services/org.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.schools.createTitle} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  const units = unitChoices(user);
  return json({ managingUnits: units, reviewingUnits: units });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await assertCsrf(request, formData);
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  const submission = parseWithZod(formData, { schema: schoolCreateSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const input = submission.value;
  // Ids come from the form: the one placement rule (policy.placeSchool) is asked before anything is written.
  const placementErrors = placementFormErrors(placeSchool(user, input));
  if (placementErrors) return json(submission.reply({ fieldErrors: placementErrors }), { status: 400 });
  try {
    const id = createSchool(input, user.id);
    return redirect(`/quan-tri/truong/${id}?saved=created`);
  } catch (e) {
    if (e instanceof OrgError) return json(submission.reply({ fieldErrors: { [e.field]: [e.message] } }), { status: 400 });
    throw e;
  }
}

export default function NewSchool() {
  const { managingUnits, reviewingUnits } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="school-new-title">
      <h1 id="school-new-title">{t.schools.createTitle}</h1>
      <SchoolForm lastResult={lastResult} managingUnits={managingUnits} reviewingUnits={reviewingUnits} />
      <p>
        <Link to="/quan-tri/truong">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
