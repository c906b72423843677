import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { SchoolForm } from "~/components/admin/SchoolForm";
import { schoolCreateSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, placeSchool, placementFormErrors } from "~/server/policy.server";
import { createSchool, OrgError } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields } from "~/server/services/unit-search.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.schools.createTitle} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  // The unit pickers search /quan-tri/don-vi/tim; nothing to send beforehand.
  return json({});
}

const UNIT_FIELDS = ["managingUnitId", "reviewingUnitId"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  // The pickers' no-JavaScript code fields become the ids the schema reads (unit-search.server).
  const { form: formData, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const submission = parseWithZod(formData, { schema: schoolCreateSchema });
  // The chosen units go back with an error, so the form shows their names again.
  const reply = (r: ReturnType<typeof submission.reply>) => ({ ...r, units: postedUnits(formData, UNIT_FIELDS, user) });
  if (submission.status !== "success" || codeErrors) return json(reply(submission.reply({ fieldErrors: codeErrors ?? {} })), { status: 400 });
  const input = submission.value;
  // Ids come from the form: the one placement rule (policy.placeSchool) is asked before anything is written.
  const placementErrors = placementFormErrors(placeSchool(user, input));
  if (placementErrors) return json(reply(submission.reply({ fieldErrors: placementErrors })), { status: 400 });
  try {
    const id = createSchool(input, user.id);
    return redirect(`/quan-tri/truong/${id}?saved=created`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] } })), { status: 400 });
    throw e;
  }
}

export default function NewSchool() {
  const lastResult = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="school-new-title">
      <h1 id="school-new-title">{t.schools.createTitle}</h1>
      <SchoolForm lastResult={lastResult} units={lastResult?.units} />
      <p>
        <Link to="/quan-tri/truong">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
