import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { UserCreateForm } from "~/components/admin/UserForms";
import { userCreateSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, authorizeRoles, authorizeUser, grantableRoles, resolveUserTarget } from "~/server/policy.server";
import { createUser, OrgError } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields } from "~/server/services/unit-search.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.users.createTitle} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "user.manage");
  // The unit picker searches /quan-tri/don-vi/tim; nothing to send beforehand.
  return json({ grantable: grantableRoles(user) });
}

const UNIT_FIELDS = ["unitId"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  authorizeArea(user, "user.manage");
  // The picker's no-JavaScript code field becomes the id the schema reads (unit-search.server).
  const { form: formData, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const submission = parseWithZod(formData, { schema: userCreateSchema });
  // The chosen unit goes back with an error, so the form shows its name again.
  const reply = (r: ReturnType<typeof submission.reply>) => ({ ...r, units: postedUnits(formData, UNIT_FIELDS, user) });
  if (submission.status !== "success" || codeErrors) return json(reply(submission.reply({ fieldErrors: codeErrors ?? {}, hideFields: ["password"] })), { status: 400 });
  const v = submission.value;
  authorizeRoles(user, v.roles);
  const resolved = resolveUserTarget(user, v);
  if (!resolved.ok) return json(reply(submission.reply({ fieldErrors: { [resolved.field]: [resolved.message] }, hideFields: ["password"] })), { status: 400 });
  authorizeUser(user, resolved.target);
  try {
    const id = await createUser(
      { username: v.username, displayName: v.displayName, password: v.password, roles: v.roles, unitId: resolved.target.unitId, schoolId: resolved.target.schoolId },
      user.id,
    );
    return redirect(`/quan-tri/nguoi-dung/${id}?saved=created`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] }, hideFields: ["password"] })), { status: 400 });
    throw e;
  }
}

export default function NewUser() {
  const { grantable } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="user-new-title">
      <h1 id="user-new-title">{t.users.createTitle}</h1>
      <UserCreateForm lastResult={lastResult} grantable={grantable} unit={lastResult?.units?.unitId} />
      <p>
        <Link to="/quan-tri/nguoi-dung">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
