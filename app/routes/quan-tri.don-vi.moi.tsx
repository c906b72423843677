import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { UnitForm } from "~/components/admin/UnitForm";
import { unitSchema } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, canCreateUnitUnder } from "~/server/policy.server";
import { createUnit, OrgError } from "~/server/services/org.server";
import { postedUnits, resolveUnitFields } from "~/server/services/unit-search.server";
import { readForm } from "~/server/forms.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.units.createTitle} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "unit.create");
  // Office admins may add units anywhere in their subtree (their own unit included): the units they can read.
  // The parent picker searches /quan-tri/don-vi/tim (the units the user can read).
  return json({ allowRoot: canCreateUnitUnder(user, null) });
}

const UNIT_FIELDS = ["parentId"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  const user = await requireUser(request);
  authorizeArea(user, "unit.create");
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
  try {
    const id = createUnit({ ...submission.value, parentId }, user.id);
    return redirect(`/quan-tri/don-vi/${id}?saved=created`);
  } catch (e) {
    if (e instanceof OrgError) return json(reply(submission.reply({ fieldErrors: { [e.field]: [e.message] } })), { status: 400 });
    throw e;
  }
}

export default function NewUnit() {
  const { allowRoot } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="unit-new-title">
      <h1 id="unit-new-title">{t.units.createTitle}</h1>
      <UnitForm lastResult={lastResult} parent={lastResult?.units?.parentId} allowRoot={allowRoot} />
      <p>
        <Link to="/quan-tri/don-vi">{t.common.cancel}</Link>
      </p>
    </section>
  );
}
