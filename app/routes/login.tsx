import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { auth } from "~/i18n/auth";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { authenticate } from "~/server/auth/login.server";
import { createSession, getUser } from "~/server/auth/session.server";
import { clientIp, safeRedirect } from "~/server/request.server";

const t = pick(auth);

const schema = z.object({
  username: z.string({ required_error: t.required.username }).trim().min(1, t.required.username).max(100, t.tooLong),
  password: z.string({ required_error: t.required.password }).min(1, t.required.password).max(200, t.tooLong),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await getUser(request)) throw redirect(redirectTo);
  return json({ redirectTo, expired: url.searchParams.get("expired") === "1", loggedOut: url.searchParams.get("out") === "1" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  if (!(await isValidCsrf(request, formData))) {
    return json(submission.reply({ formErrors: [t.csrf], hideFields: ["password"] }), { status: 403 });
  }
  const { username, password, redirectTo } = submission.value;
  const result = await authenticate(username, password, clientIp(context));
  if (!result.ok) {
    const message = result.reason === "locked" ? t.locked(Math.max(1, Math.ceil(result.retryAfterMs / 60000))) : t.invalid;
    return json(submission.reply({ formErrors: [message], hideFields: ["password"] }), { status: result.reason === "locked" ? 429 : 401 });
  }
  const cookie = await createSession(result.userId);
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { redirectTo, expired, loggedOut } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const busy = navigation.state === "submitting";
  const passwordRef = useRef<HTMLInputElement>(null);
  // A refused password is cleared, so the next attempt starts empty.
  useEffect(() => {
    if (lastResult && passwordRef.current) passwordRef.current.value = "";
  }, [lastResult]);
  return (
    <section className="card form" aria-labelledby="login-title">
      <h1 id="login-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {expired ? <p className="alert alert--warn">{t.expired}</p> : null}
      {loggedOut ? <p className="alert alert--ok">{t.loggedOut}</p> : null}
      {form.errors?.length ? (
        <div className="alert alert--error" role="alert" id={form.errorId}>
          {form.errors.join(" ")}
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className={`field${fields.username.errors ? " field--error" : ""}`}>
          <label htmlFor={fields.username.id}>{t.username}</label>
          <input {...getInputProps(fields.username, { type: "text" })} autoComplete="username" autoCapitalize="none" spellCheck={false} />
          {fields.username.errors ? (
            <p className="field-error" id={fields.username.errorId}>
              {fields.username.errors[0]}
            </p>
          ) : null}
        </div>
        <div className={`field${fields.password.errors ? " field--error" : ""}`}>
          <label htmlFor={fields.password.id}>{t.password}</label>
          <input {...getInputProps(fields.password, { type: "password" })} ref={passwordRef} autoComplete="current-password" />
          {fields.password.errors ? (
            <p className="field-error" id={fields.password.errorId}>
              {fields.password.errors[0]}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t.submitting : t.submit}
        </button>
      </Form>
      <p className="muted">{t.forgot}</p>
    </section>
  );
}
