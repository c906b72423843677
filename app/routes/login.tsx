import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { auth } from "~/i18n/auth";
import { isValidCsrf, rotatePreSession } from "~/server/auth/csrf.server";
import { knownDeviceId, rememberDevice } from "~/server/auth/device.server";
import { authenticate } from "~/server/auth/login.server";
import { CHANGE_PASSWORD_PATH, createSession, getUser } from "~/server/auth/session.server";
import { clientIp, safeRedirect } from "~/server/request.server";
import { readForm } from "~/server/forms.server";

const t = pick(auth);

/** The most of the user name a refusal echoes back (the password and the other fields never are). */
const ECHO_MAX = 100;

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

type Replying = { reply: (options?: { formErrors?: string[]; hideFields?: string[] }) => SubmissionResult<string[]> };

/**
 * conform's reply without its echoes: the user name once, capped at ECHO_MAX characters; nothing of
 * the password, the CSRF token, redirectTo or the names of whatever other fields were posted.
 */
function refusal(submission: Replying, formErrors?: string[]) {
  const reply = submission.reply({ formErrors, hideFields: ["password"] });
  const given = reply.initialValue?.username;
  const username = typeof given === "string" ? given.slice(0, ECHO_MAX) : "";
  const error: Record<string, string[]> = {};
  for (const key of ["", "username", "password", "redirectTo"]) {
    const e = reply.error?.[key];
    if (e) error[key] = e;
  }
  return { status: "error" as const, initialValue: { username }, error };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return json(refusal(submission), { status: 400 });
  if (!(await isValidCsrf(request, formData))) return json(refusal(submission, [t.csrf]), { status: 403 });
  const { username, password, redirectTo } = submission.value;
  const deviceId = await knownDeviceId(request, username);
  const result = await authenticate(username, password, clientIp(context), Date.now(), { deviceId });
  if (!result.ok) {
    if (result.reason === "throttled") {
      return json(refusal(submission, [t.throttled(result.retryAfterMs)]), {
        status: 429,
        headers: { "Retry-After": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) },
      });
    }
    return json(refusal(submission, [t.invalid]), { status: 401 });
  }
  // A new session (so a new CSRF token), this browser remembered for the account, a new pre-session.
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(result.userId));
  headers.append("Set-Cookie", await rememberDevice(request, username));
  headers.append("Set-Cookie", await rotatePreSession());
  const to = safeRedirect(redirectTo);
  const next = result.mustChangePassword ? `${CHANGE_PASSWORD_PATH}?${new URLSearchParams({ redirectTo: to }).toString()}` : to;
  return redirect(next, { headers });
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
      {/* What anyone may read without an account. */}
      <p>
        <Link to="/chi-so">{t.publicCatalogue}</Link>
      </p>
      <p>
        <Link to="/cong-bo">{t.publishedResults}</Link>
      </p>
    </section>
  );
}
