/**
 * /thong-bao — the signed-in user's in-app notifications, newest first, 30 a page (?truoc=<id>
 * shows the ones older than that id). Each row: one sentence per kind, the time (dd/mm/yyyy HH:mm,
 * Hà Nội), unread marked, a link to the file (school users: the file, or its requests when returned;
 * office users: the checking page). POST with CSRF: intent "read" (ids) or "read-all"; the service
 * touches only the user's own rows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import type { NotificationKind } from "~/domain/review";
import { pick } from "~/i18n";
import { notificationsUi } from "~/i18n/notifications";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";
import { markRead, notificationsOf, unreadCount } from "~/server/services/notifications.server";
import { formatDateTime } from "~/utils/time";

const t = pick(notificationsUi);
const MAX_ID = 2_147_483_647;
const id = z.coerce.number().int().positive().max(MAX_ID);
const query = z.object({
  truoc: z.preprocess((v) => (v === "" || v == null ? undefined : v), z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(MAX_ID)).optional()),
});
const body = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), ids: z.array(id).min(1).max(100) }),
  z.object({ intent: z.literal("read-all") }),
]);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

/** Where a notice leads: school users to their file (its requests when returned), office users to the checking page. */
function hrefOf(kind: NotificationKind, assessmentId: number | null, school: boolean): string | null {
  if (assessmentId == null) return null;
  if (!school) return `/danh-gia/${assessmentId}/kiem-tra`;
  return kind === "returned" ? `/danh-gia/${assessmentId}/yeu-cau` : `/danh-gia/${assessmentId}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const q = query.safeParse({ truoc: new URL(request.url).searchParams.get("truoc") });
  if (!q.success) throw json({ error: t.badPage }, { status: 400 });
  const before = q.data.truoc ?? null;
  const school = user.schoolId != null || user.roles.some((r) => r === "school_head" || r === "school_staff");
  const page = notificationsOf(user.id, before);
  return json({
    rows: page.rows.map((r) => ({ ...r, href: hrefOf(r.kind, r.assessmentId, school) })),
    more: page.more,
    next: page.more && page.rows.length ? page.rows[page.rows.length - 1]!.id : null,
    before,
    unread: unreadCount(user.id),
  });
}

export type MarkResult = { ok: true; changed: number; message: string } | { ok: false; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const b = body.safeParse({ intent: form.get("intent"), ids: form.getAll("id") });
  if (!b.success) return json<MarkResult>({ ok: false, message: t.badForm }, { status: 400 });
  const changed = markRead(user.id, b.data.intent === "read-all" ? "all" : b.data.ids);
  return json<MarkResult>({ ok: true, changed, message: t.marked(changed) });
}

export default function Notifications() {
  const { rows, more, next, before, unread } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div className="actions">
        <p>{t.summary(unread)}</p>
        {unread > 0 ? (
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="read-all" className="button button--secondary" disabled={busy}>
              {t.markAll}
            </button>
          </Form>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {result ? <p className={`alert ${result.ok ? "alert--ok" : "alert--error"}`}>{result.message}</p> : null}
      </div>
      {rows.length === 0 ? (
        <p className="card">{before != null ? t.emptyOlder : t.empty}</p>
      ) : (
        <ol aria-label={t.listLabel} style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {rows.map((n) => {
            const when = formatDateTime(n.createdAt);
            const sentence = t.sentence(n);
            return (
              <li key={n.id} className="card" data-read={n.read ? "true" : "false"} style={n.read ? undefined : { borderLeft: "4px solid var(--brand)" }}>
                <p style={{ margin: "0 0 0.25rem", overflowWrap: "anywhere" }}>
                  {n.read ? <span className="visually-hidden">{t.read}: </span> : <span className="badge badge--f">{t.unread}</span>}{" "}
                  {n.read ? sentence : <strong>{sentence}</strong>}
                </p>
                <p className="muted" style={{ margin: "0 0 0.5rem", fontSize: "0.9rem" }}>
                  <span className="visually-hidden">{t.at}: </span>
                  <time dateTime={new Date(n.createdAt).toISOString()}>{when}</time>
                  {n.actor ? ` · ${t.by(n.actor)}` : null}
                </p>
                <div className="actions">
                  {n.href ? (
                    <a className="button button--small" href={n.href}>
                      {t.open}
                      {n.schoolName && n.schoolYear ? <span className="visually-hidden">{t.openFor(n.schoolName, n.schoolYear)}</span> : null}
                    </a>
                  ) : null}
                  {n.read ? null : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" name="intent" value="read" className="button button--quiet button--small" disabled={busy}>
                        {t.markRead}
                        <span className="visually-hidden">{t.markReadFor(when)}</span>
                      </button>
                    </Form>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {more || before != null ? (
        <p className="actions">
          {more && next != null ? (
            <Link className="button button--secondary" to={`?truoc=${next}`}>
              {t.more}
            </Link>
          ) : null}
          {before != null ? <Link to="/thong-bao">{t.newest}</Link> : null}
        </p>
      ) : null}
    </section>
  );
}
