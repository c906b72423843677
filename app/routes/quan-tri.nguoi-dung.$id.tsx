import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PasswordResetForm, UserEditForm } from "~/components/admin/UserForms";
import { passwordResetSchema, userEditSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser, type CurrentUser } from "~/server/auth/session.server";
import { authorizeArea, authorizeRoles, authorizeUser, grantableRoles, resolveUserTarget } from "~/server/policy.server";
import { getUserDetail, OrgError, resetUserPassword, updateUser } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields, unitRefs } from "~/server/services/unit-search.server";
import { badRequest, notFound, parseId } from "~/server/validate.server";
import { auth } from "~/i18n/auth";
import { formatDateTime } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(admin);
const ta = pick(auth).account;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? t.users.editTitle(data.account.displayName) : t.users.title} — CĐS 4725` }];

/** The account and the policy check: the target of user.manage is the account's unit/school, so it is read first. */
function loadManaged(user: CurrentUser, id: number) {
  authorizeArea(user, "user.manage");
  const account = getUserDetail(id) ?? notFound(t.errors.userNotFound);
  authorizeUser(user, account);
  return account;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const account = loadManaged(user, id);
  const grantable = grantableRoles(user);
  return json({
    account: {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      roles: account.roles,
      unitId: account.unitId,
      schoolCode: account.schoolCode,
      active: account.active,
      lastLoginAt: account.lastLoginAt,
      mustChangePassword: account.mustChangePassword,
    },
    grantable,
    // The unit picker starts from the account's unit and searches /quan-tri/don-vi/tim.
    unit: account.unitId == null ? null : (unitRefs(user, [account.unitId]).get(account.unitId) ?? null),
  });
}

const UNIT_FIELDS = ["unitId"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  const id = parseId(params.id);
  const account = loadManaged(user, id);
  // The picker's no-JavaScript code field becomes the id the schema reads (unit-search.server).
  const { form: formData, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const intent = formData.get("intent");

  if (intent === "password") {
    const submission = parseWithZod(formData, { schema: passwordResetSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply({ hideFields: ["password"] }), units: {} as ReturnType<typeof postedUnits> }, { status: 400 });
    await resetUserPassword(id, submission.value.password, user.id);
    return redirect(`/quan-tri/nguoi-dung/${id}?saved=password`);
  }
  if (intent !== "profile") badRequest(t.errors.badIntent);

  const submission = parseWithZod(formData, { schema: userEditSchema });
  // The chosen unit goes back with an error, so the form shows its name again.
  const reply = (r: ReturnType<typeof submission.reply>) => ({ intent, result: r, units: postedUnits(formData, UNIT_FIELDS, user) });
  if (submission.status !== "success" || codeErrors) return json(reply(submission.reply({ fieldErrors: codeErrors ?? {} })), { status: 400 });
  const v = submission.value;
  // Roles already held that this admin may not grant are refused by authorizeUser above (system admins).
  authorizeRoles(user, v.roles);
  const resolved = resolveUserTarget(user, v);
  if (!resolved.ok) return json(reply(submission.reply({ fieldErrors: { [resolved.field]: [resolved.message] } })), { status: 400 });
  authorizeUser(user, resolved.target);
  if (id === user.id) {
    const lostAdmin = (["system_admin", "office_admin"] as const).some((r) => account.roles.includes(r) && !v.roles.includes(r));
    if (!v.active || lostAdmin) return json(reply(submission.reply({ formErrors: [t.users.selfLockout] })), { status: 400 });
  }
  try {
    updateUser(id, { displayName: v.displayName, roles: v.roles, unitId: resolved.target.unitId, schoolId: resolved.target.schoolId, active: v.active }, user.id);
    return redirect(`/quan-tri/nguoi-dung/${id}?saved=1`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] } })), { status: 400 });
    throw e;
  }
}

export default function EditUser() {
  const { account, grantable, unit } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <section className="card" aria-labelledby="user-edit-title">
      <h1 id="user-edit-title">{t.users.editTitle(account.displayName)}</h1>
      <p className="muted">
        {t.users.username}: <strong>{account.username}</strong> · {t.users.lastLogin}: {account.lastLoginAt ? formatDateTime(account.lastLoginAt) : t.users.never}
        {account.mustChangePassword ? <> · {ta.mustChangeBadge}</> : null}
      </p>
      {saved && !data ? (
        <p className="alert alert--ok" role="status">
          {saved === "created" ? t.common.created : saved === "password" ? t.users.passwordReset : t.common.saved}
        </p>
      ) : null}
      <h2>{t.users.profileHeading}</h2>
      <UserEditForm
        key={account.id}
        lastResult={data?.intent === "profile" ? data.result : undefined}
        grantable={grantable}
        unit={data?.intent === "profile" ? (data.units.unitId ?? null) : unit}
        defaultValue={{ ...account }}
      />
      <h2>{t.users.passwordHeading}</h2>
      <PasswordResetForm lastResult={data?.intent === "password" ? data.result : undefined} />
      <p>
        <Link to="/quan-tri/nguoi-dung">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
