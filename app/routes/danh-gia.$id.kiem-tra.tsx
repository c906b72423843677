/**
 * /danh-gia/:id/kiem-tra — the reviewing office checks a submitted file: per item the school's
 * answer, points, explanation, note and evidence (PDF and images previewed inline), the requests
 * made on it and what changed since the round the office returned. The reviewer of the school's
 * reviewing office (policy assessment.review) returns the file with per-item requests and/or an
 * overall comment, closes requests, approves it (with a confirmation), or withdraws an approval
 * with a reason. Offices above read the page; school users are sent to their list of requests.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { CsrfInput } from "~/components/CsrfInput";
import { allows } from "~/domain/assessment-states";
import { REASON_MAX, REQUEST_MAX, type RequestView } from "~/domain/review";
import { pick } from "~/i18n";
import { checkUi } from "~/i18n/check";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { can, worksAtSchool } from "~/server/policy.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { checkPage, type CheckEvidence, type CheckItem } from "~/server/services/check-page.server";
import { approve, closeRequest, returnFile, withdraw } from "~/server/services/review.server";
import { formatDateTime } from "~/utils/time";

const t = pick(checkUi);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title} — ${data.header.schoolName}` : "CĐS 4725" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a, header } = await requireAssessment(request, params, "school.read", { hideForbidden: true });
  if (worksAtSchool(user)) throw redirect(`/danh-gia/${a.id}/yeu-cau`);
  const canReview = can(user, "assessment.review", { kind: "school", schoolId: a.schoolId });
  return json({
    header,
    version: a.version,
    status: a.status,
    page: checkPage(a),
    canReturn: canReview && allows(a.status, "return"),
    canApprove: canReview && allows(a.status, "approve"),
    canClose: canReview && allows(a.status, "closeRequest"),
    canWithdraw: canReview && allows(a.status, "withdraw"),
    hasExternal: a.status === "approved" || a.status === "assessed" || a.status === "recognised",
  });
}

const version = z.coerce.number().int().nonnegative();
const intent = z.union([
  z.object({ intent: z.literal("return"), version, comment: z.string().max(REQUEST_MAX * 2).default("") }),
  z.object({ intent: z.literal("approve"), version, confirm: z.literal("yes").optional() }),
  z.object({ intent: z.literal("withdraw"), reason: z.string().max(REASON_MAX * 2).default("") }),
  z.object({ intent: z.string().regex(/^close:[1-9]\d{0,15}$/).transform((s) => s as `close:${string}`) }),
]);

type ActionData = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

function refused(r: { kind: string; message: string; fieldErrors?: Record<string, string> }) {
  const status = r.kind === "invalid" ? 422 : r.kind === "not-found" ? 404 : 409;
  const message = r.kind === "stale" ? t.stale : r.message;
  return json<ActionData>({ ok: false, message, fieldErrors: r.fieldErrors }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.review");
  const form = await readForm(request);
  await assertCsrf(request, form);
  const fields: Record<string, string> = {};
  const requests: Record<string, string> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    if (k.startsWith("request.")) requests[k.slice("request.".length)] = v;
    else fields[k] = v;
  }
  const p = intent.safeParse(fields);
  if (!p.success) return json<ActionData>({ ok: false, message: t.badInput }, { status: 400 });
  const d = p.data;
  if (d.intent === "return") {
    const r = returnFile(a.id, { requests, comment: d.comment, expectedVersion: d.version }, user.id);
    return r.ok ? json<ActionData>({ ok: true, message: t.returned(r.requests) }) : refused(r);
  }
  if (d.intent === "approve") {
    if (d.confirm !== "yes") return json<ActionData>({ ok: false, message: t.approveMustConfirm, fieldErrors: { confirm: t.approveMustConfirm } }, { status: 422 });
    const r = approve(a.id, user.id, { expectedVersion: d.version });
    return r.ok ? json<ActionData>({ ok: true, message: t.approved }) : refused(r);
  }
  if (d.intent === "withdraw") {
    const r = withdraw(a.id, d.reason, user.id);
    return r.ok ? json<ActionData>({ ok: true, message: t.withdrawn }) : refused(r);
  }
  const r = closeRequest(a.id, Number(d.intent.slice("close:".length)), user.id);
  return r.ok ? json<ActionData>({ ok: true, message: t.requestClosed }) : refused(r);
}

function requestState(r: RequestView): string {
  if (r.resolvedAt) return t.requestState.closed;
  if (r.addressed) return t.requestState.addressed;
  if ((r.reply ?? "").trim()) return t.requestState.replied;
  return t.requestState.open;
}

function Requests({ list, code, canClose }: { list: RequestView[]; code: string; canClose: boolean }) {
  if (!list.length) return null;
  return (
    <ul className="requests" aria-label={`${t.requests} ${code}`}>
      {list.map((r) => (
        <li key={r.id} className={`request${r.resolvedAt ? " request--closed" : ""}`} data-request={r.id}>
          <p>
            <strong>{requestState(r)}</strong> · <span className="muted">{t.requestFrom(r.round, r.author, formatDateTime(r.createdAt))}</span>
          </p>
          <p className="request__body">{r.body}</p>
          {r.reply || r.addressed ? (
            <p className="request__reply">
              <span className="muted">{t.reply(r.repliedBy, r.repliedAt ? formatDateTime(r.repliedAt) : "")}</span> {r.reply}
            </p>
          ) : null}
          {canClose && !r.resolvedAt ? (
            <button type="submit" name="intent" value={`close:${r.id}`} className="button button--secondary button--small" aria-label={t.closeLabel(code)} formNoValidate>
              {t.close}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Preview({ e }: { e: CheckEvidence }) {
  const [open, setOpen] = useState(false);
  if (!e.preview) return null;
  return (
    <details className="evidence-preview" onToggle={(ev) => setOpen((ev.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t.previewShow}</summary>
      {/* Rendered only once opened: 60 entries never load 60 files. Without JS the link opens it. */}
      {open ? (
        e.preview.as === "pdf" ? (
          <iframe src={e.preview.href} title={t.preview(e.title)} className="evidence-preview__frame" />
        ) : (
          <img src={e.preview.href} alt={t.preview(e.title)} className="evidence-preview__image" />
        )
      ) : (
        <a href={e.preview.href} target="_blank" rel="noreferrer">
          {t.preview(e.title)}
        </a>
      )}
    </details>
  );
}

function Item({ item, canReturn, canClose, errors }: { item: CheckItem; canReturn: boolean; canClose: boolean; errors: Record<string, string> }) {
  const err = errors[`request.${item.code}`];
  const d = item.diff;
  return (
    <article className={`check-item${d ? " check-item--changed" : ""}`} id={`kt-${item.code}`} data-item={item.code}>
      <h4>
        <strong>{item.code}</strong> {item.text}
        {d ? <span className="badge badge--warn"> {t.changed}</span> : null}
      </h4>
      <dl className="check-item__facts">
        <dt>{t.answer}</dt>
        <dd data-answer={item.code}>{item.answer}</dd>
        {item.points !== null ? (
          <>
            <dt>{t.points}</dt>
            <dd>{t.pointsOf(item.points, item.max ?? "")}</dd>
          </>
        ) : null}
        {item.explanation ? (
          <>
            <dt>{t.explanation}</dt>
            <dd className="muted">{item.explanation}</dd>
          </>
        ) : null}
        {item.note ? (
          <>
            <dt>{t.note}</dt>
            <dd>{item.note}</dd>
          </>
        ) : null}
      </dl>
      {d ? (
        <ul className="check-item__diff" aria-label={t.changed}>
          {d.valueChanged ? <li>{t.changeAnswer(d.beforeText, d.afterText)}</li> : null}
          {d.pointsChanged ? <li>{t.changePoints(((d.before?.p ?? 0) / 100).toLocaleString("vi-VN"), ((d.after?.p ?? 0) / 100).toLocaleString("vi-VN"))}</li> : null}
          {d.noteChanged ? <li>{t.changeNote}</li> : null}
          {d.evidenceAdded.length ? <li>{t.evidenceAdded(d.evidenceAdded.map((e) => e.title).join("; "))}</li> : null}
          {d.evidenceRemoved.length ? <li>{t.evidenceRemoved(d.evidenceRemoved.map((e) => e.title).join("; "))}</li> : null}
        </ul>
      ) : null}
      <div className="check-item__evidence">
        <p className="muted">{t.evidence}</p>
        {item.evidence.length ? (
          <ul>
            {item.evidence.map((e) => (
              <li key={e.evidenceId}>
                <strong>{e.code}</strong> {e.title}{" "}
                {e.href ? (
                  <a href={e.href} {...(e.kind === "link" ? { target: "_blank", rel: "noreferrer" } : {})}>
                    {e.kind === "link" ? t.openLink : t.download}
                  </a>
                ) : null}
                <Preview e={e} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t.noEvidence}</p>
        )}
      </div>
      <Requests list={item.requests} code={item.code} canClose={canClose} />
      {canReturn ? (
        <div className={`field${err ? " field--error" : ""}`}>
          <label htmlFor={`rq-${item.code}`}>{t.newRequest(item.code)}</label>
          <textarea
            id={`rq-${item.code}`}
            name={`request.${item.code}`}
            rows={2}
            maxLength={REQUEST_MAX}
            aria-invalid={err ? true : undefined}
            aria-describedby={`rq-${item.code}-h${err ? ` rq-${item.code}-e` : ""}`}
          />
          <span className="hint" id={`rq-${item.code}-h`}>
            {t.newRequestHint}
          </span>
          {err ? (
            <p className="field-error" id={`rq-${item.code}-e`}>
              {err}
            </p>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

export default function CheckPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const errors = (result && !result.ok ? result.fieldErrors : undefined) ?? {};
  const p = d.page;
  const acting = d.canReturn || d.canApprove || d.canClose || d.canWithdraw;
  return (
    <div>
      <AssessmentHeader {...d.header} />
      <h2>{t.title}</h2>
      {result ? (
        <p className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {d.status === "draft" ? <p className="alert">{t.notYet}</p> : null}
      {!acting && d.status !== "draft" ? <p className="muted">{t.readOnly}</p> : null}
      {acting ? <p className="muted">{t.intro}</p> : null}

      <section className="card" aria-labelledby="kt-summary">
        <h3 id="kt-summary">{t.selfLevel(p.level, p.levelName)}</h3>
        <p>
          {p.groups.map((g) => (
            <span key={g.code} className="check-summary__group">
              {t.group} {g.code}: {t.pointsOf(g.points, g.max)}, Mức {g.level}.{" "}
            </span>
          ))}
        </p>
        <p>{p.reviewer ? t.assigned(p.reviewer) : t.unassigned}</p>
        {p.rounds.length ? (
          <>
            <h4>{t.rounds}</h4>
            <ul>
              {p.rounds.map((r) => (
                <li key={r.round}>{t.roundLine(r.round, formatDateTime(r.submittedAt), r.submittedBy, r.outcome ? t.outcome[r.outcome] : t.outcome.waiting)}</li>
              ))}
            </ul>
          </>
        ) : null}
        {p.changes ? (
          <p className="alert alert--warn" data-testid="round-changes">
            {t.changesTitle(p.changes.round, p.changes.since)}: {p.changes.count ? `${p.changes.count} tiêu chí (đánh dấu “${t.changed}”).` : t.noChanges}
          </p>
        ) : null}
        {d.hasExternal ? (
          <p>
            <Link to={`/danh-gia/${d.header.id}/danh-gia-ngoai`}>{t.toExternal}</Link>
          </p>
        ) : null}
      </section>

      {d.status !== "draft" ? (
        <Form method="post" id="check-form" aria-label={t.returnTitle}>
          <CsrfInput />
          <input type="hidden" name="version" value={d.version} />
          {p.overall.length ? (
            <section className="card" aria-labelledby="kt-overall">
              <h3 id="kt-overall">
                {t.requests}: {t.overall}
              </h3>
              <Requests list={p.overall} code={t.overall} canClose={d.canClose} />
            </section>
          ) : null}
          {p.groups.map((g) => (
            <section key={g.code} className="group" aria-labelledby={`kt-g-${g.code}`}>
              <h3 id={`kt-g-${g.code}`}>
                {t.group} {g.code}. {g.title} — {t.pointsOf(g.points, g.max)}
              </h3>
              {g.indicators.map((ind) => (
                <section key={ind.code} className="card indicator-section" aria-labelledby={`kt-i-${ind.code}`}>
                  <h4 id={`kt-i-${ind.code}`}>
                    {t.indicator} {ind.code}. {ind.title}
                    {ind.points !== null ? ` — ${t.pointsOf(ind.points, ind.max ?? "")}` : ""}
                  </h4>
                  {ind.items.map((item) => (
                    <Item key={item.code} item={item} canReturn={d.canReturn} canClose={d.canClose} errors={errors} />
                  ))}
                </section>
              ))}
            </section>
          ))}
          {d.canReturn ? (
            <section className="card" aria-labelledby="kt-return">
              <h3 id="kt-return">{t.returnTitle}</h3>
              <div className={`field${errors.comment ? " field--error" : ""}`}>
                <label htmlFor="kt-comment">{t.comment}</label>
                <textarea id="kt-comment" name="comment" rows={3} maxLength={REQUEST_MAX} aria-invalid={errors.comment ? true : undefined} aria-describedby={`kt-comment-h${errors.comment ? " kt-comment-e" : ""}`} />
                <span className="hint" id="kt-comment-h">
                  {t.commentHint} {t.returnNote}
                </span>
                {errors.comment ? (
                  <p className="field-error" id="kt-comment-e">
                    {errors.comment}
                  </p>
                ) : null}
              </div>
              <button type="submit" name="intent" value="return" className="button" disabled={busy}>
                {t.returnButton}
              </button>
            </section>
          ) : null}
        </Form>
      ) : null}

      {d.canApprove ? (
        <Form method="post" className="card" aria-labelledby="kt-approve">
          <CsrfInput />
          <input type="hidden" name="version" value={d.version} />
          <h3 id="kt-approve">{t.approveTitle}</h3>
          <p>{t.approveIntro}</p>
          {p.openRequests ? <p className="muted">{t.openRequestsLeft(p.openRequests)}</p> : null}
          <div className={`field field--check${errors.confirm ? " field--error" : ""}`}>
            <label>
              <input type="checkbox" name="confirm" value="yes" aria-invalid={errors.confirm ? true : undefined} aria-describedby={errors.confirm ? "kt-confirm-e" : undefined} /> {t.approveConfirm}
            </label>
            {errors.confirm ? (
              <p className="field-error" id="kt-confirm-e">
                {errors.confirm}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
            {t.approveButton}
          </button>
        </Form>
      ) : null}

      {d.canWithdraw ? (
        <Form method="post" className="card" aria-labelledby="kt-withdraw">
          <CsrfInput />
          <h3 id="kt-withdraw">{t.withdrawTitle}</h3>
          <p>{t.withdrawIntro}</p>
          <div className={`field${errors.reason ? " field--error" : ""}`}>
            <label htmlFor="kt-reason">{t.withdrawReason}</label>
            <textarea id="kt-reason" name="reason" rows={2} maxLength={REASON_MAX} aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? "kt-reason-e" : undefined} />
            {errors.reason ? (
              <p className="field-error" id="kt-reason-e">
                {errors.reason}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="withdraw" className="button button--secondary" disabled={busy}>
            {t.withdrawButton}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
