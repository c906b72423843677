import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { auth } from "~/i18n/auth";
import { changeOwnPassword } from "~/server/auth/account.server";
import { assertCsrf } from "~/server/auth/csrf.server";
import { CHANGE_PASSWORD_PATH, sessionUser } from "~/server/auth/session.server";
import { clientIp, safeRedirect } from "~/server/request.server";
import { readForm } from "~/server/forms.server";

const t = pick(auth);
const a = t.account;

const schema = z
  .object({
    currentPassword: z.string({ required_error: a.required.currentPassword }).min(1, a.required.currentPassword).max(200, a.tooLong),
    newPassword: z.string({ required_error: a.required.newPassword }).min(10, a.tooShort).max(200, a.tooLong),
    confirmPassword: z.string({ required_error: a.required.confirmPassword }).max(200, a.tooLong),
    redirectTo: z.string().max(2048).optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: a.mismatch, path: ["confirmPassword"] });

const HIDDEN = ["currentPassword", "newPassword", "confirmPassword"];

export const meta: MetaFunction = () => [{ title: `${a.title} — CĐS 4725` }];

/** The signed-in user (without the must-change redirect: this is where it leads), else /login. */
async function requireOwnSession(request: Request) {
  const found = await sessionUser(request);
  if (found) return found;
  const params = new URLSearchParams({ redirectTo: CHANGE_PASSWORD_PATH });
  if (request.headers.get("Cookie")?.includes("cds_session=")) params.set("expired", "1");
  throw redirect(`/login?${params.toString()}`);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { mustChangePassword } = await requireOwnSession(request);
  const url = new URL(request.url);
  return json({
    mustChange: mustChangePassword,
    redirectTo: safeRedirect(url.searchParams.get("redirectTo")),
    changed: url.searchParams.get("doi") === "1",
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionId } = await requireOwnSession(request);
  const formData = await readForm(request);
  await assertCsrf(request, formData);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: HIDDEN }), { status: 400 });
  const v = submission.value;
  const result = await changeOwnPassword({
    userId: user.id,
    currentPassword: v.currentPassword,
    newPassword: v.newPassword,
    keepSessionId: sessionId,
    ip: clientIp(context),
  });
  if (!result.ok) {
    if (result.kind === "throttled") {
      return json(submission.reply({ formErrors: [t.throttled(result.retryAfterMs)], hideFields: HIDDEN }), {
        status: 429,
        headers: { "Retry-After": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) },
      });
    }
    const fieldErrors: Record<string, string[]> = result.kind === "wrong-current" ? { currentPassword: [a.wrongCurrent] } : { newPassword: [a.sameAsCurrent] };
    return json(submission.reply({ fieldErrors, hideFields: HIDDEN }), { status: 400 });
  }
  const to = safeRedirect(v.redirectTo);
  return redirect(to === "/" || to.startsWith(CHANGE_PASSWORD_PATH) ? `${CHANGE_PASSWORD_PATH}?doi=1` : to);
}

export default function ChangePassword() {
  const { mustChange, redirectTo, changed } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const busy = navigation.state === "submitting";
  const errorOf = (f: { errors?: string[]; errorId: string }) =>
    f.errors ? (
      <p className="field-error" id={f.errorId}>
        {f.errors[0]}
      </p>
    ) : null;
  return (
    <section className="card form" aria-labelledby="password-title">
      <h1 id="password-title">{a.title}</h1>
      {mustChange ? <p className="alert alert--warn">{a.mustChangeIntro}</p> : <p className="muted">{a.intro}</p>}
      {changed && !lastResult ? (
        <p className="alert alert--ok" role="status">
          {a.changed}
        </p>
      ) : null}
      {form.errors?.length ? (
        <div className="alert alert--error" role="alert" id={form.errorId}>
          {form.errors.join(" ")}
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className={`field${fields.currentPassword.errors ? " field--error" : ""}`}>
          <label htmlFor={fields.currentPassword.id}>{a.currentPassword}</label>
          <input {...getInputProps(fields.currentPassword, { type: "password" })} autoComplete="current-password" />
          {errorOf(fields.currentPassword)}
        </div>
        <div className={`field${fields.newPassword.errors ? " field--error" : ""}`}>
          <label htmlFor={fields.newPassword.id}>{a.newPassword}</label>
          <span className="hint" id={`${fields.newPassword.id}-hint`}>
            {a.newPasswordHint}
          </span>
          <input
            {...getInputProps(fields.newPassword, { type: "password" })}
            aria-describedby={[`${fields.newPassword.id}-hint`, fields.newPassword.errors ? fields.newPassword.errorId : null].filter(Boolean).join(" ")}
            autoComplete="new-password"
          />
          {errorOf(fields.newPassword)}
        </div>
        <div className={`field${fields.confirmPassword.errors ? " field--error" : ""}`}>
          <label htmlFor={fields.confirmPassword.id}>{a.confirmPassword}</label>
          <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
          {errorOf(fields.confirmPassword)}
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? a.submitting : a.submit}
        </button>
      </Form>
    </section>
  );
}
