import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { carryForwardUi } from "~/i18n/carry-forward";
import { report } from "~/i18n/report";
import { requestsUi } from "~/i18n/requests";
import { submitUi } from "~/i18n/submit";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { preSubmitCheck, scoreOf, submitAssessment } from "~/server/services/assessments.server";
import { formatDateTime } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(submitUi);
const tr = pick(report);
const tq = pick(requestsUi);
const tc = pick(carryForwardUi);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a, header } = await requireAssessment(request, params);
  const result = scoreOf(a);
  return json({ header, check: preSubmitCheck(a), level: result.level, levelName: result.levelName, submittedAt: a.submittedAt });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.submit");
  const form = await readForm(request);
  await assertCsrf(request, form);
  if (form.get("confirm") !== "yes") return json({ ok: false as const, message: t.mustConfirm }, { status: 400 });
  const r = submitAssessment(a.id, user.id);
  if (!r.ok) return json({ ok: false as const, message: r.message }, { status: r.kind === "deadline" ? 409 : r.kind === "not-found" ? 404 : 409 });
  return json({ ok: true as const, alreadySubmitted: r.alreadySubmitted, submittedAt: r.submittedAt });
}

/** The start of a request's text, for the warning list. */
const excerpt = (s: string) => (s.length > 160 ? `${s.slice(0, 157).trimEnd()}…` : s);

export default function SubmitPage() {
  const { header, check, level, levelName, submittedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const link = (code: string) => <a href={`/danh-gia/${header.id}#tieu-chi-${code}`}>{code}</a>;
  const list = (codes: string[]) =>
    codes.map((c, i) => (
      <span key={c}>
        {i ? ", " : ""}
        {link(c)}
      </span>
    ));
  return (
    <div>
      <AssessmentHeader {...header} />
      <h2>{t.title}</h2>
      {result?.ok ? (
        <p className="alert alert--ok" role="status">
          {result.alreadySubmitted ? t.already(formatDateTime(result.submittedAt)) : t.done(formatDateTime(result.submittedAt))}
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="alert alert--error" role="alert">
          {result.message}
        </p>
      ) : null}
      {submittedAt && !result ? <p className="alert alert--ok">{t.already(formatDateTime(submittedAt))}</p> : null}

      <section className="card" aria-labelledby="check">
        <h3 id="check">{t.checkTitle}</h3>
        <p>
          {t.level}: <strong className="level">Mức {level} – {levelName}</strong>
        </p>
        <ul className="checklist">
          <li className={check.mandatoryUnmet.length ? "bad" : "ok"}>{check.mandatoryUnmet.length ? <>{t.mandatoryUnmet} {list(check.mandatoryUnmet)}</> : t.mandatoryOk}</li>
          <li className={check.missingInfo.length ? "bad" : "ok"}>{check.missingInfo.length ? <>{t.missingInfo} {list(check.missingInfo)}</> : t.infoOk}</li>
          <li className={check.unanswered.length ? "warn" : "ok"}>{check.unanswered.length ? <>{t.unanswered(check.unanswered.length)} {list(check.unanswered)}</> : t.allAnswered}</li>
          <li className={check.noEvidence.length ? "warn" : "ok"}>{check.noEvidence.length ? <>{t.noEvidence} {list(check.noEvidence)}</> : t.evidenceOk}</li>
          <li className={check.emptySections.length ? "warn" : "ok"}>
            {check.emptySections.length ? (
              <>
                {t.emptySections} {check.emptySections.map((k) => tr.sections[k].label).join("; ")}.{" "}
                <Link to={`/danh-gia/${header.id}/bao-cao`}>{t.writeReport}</Link>
              </>
            ) : (
              t.sectionsOk
            )}
          </li>
          {check.unansweredRequests.length ? (
            <li className="warn" data-check="requests">
              {tq.unansweredWarn(check.unansweredRequests.length)}
              <ul>
                {check.unansweredRequests.map((r) => (
                  <li key={r.id}>
                    <a href={r.itemCode ? `/danh-gia/${header.id}#tieu-chi-${r.itemCode}` : `/danh-gia/${header.id}#yeu-cau-chung`}>{r.itemCode ? tq.item(r.itemCode) : tq.overall}</a>: {excerpt(r.body)}
                  </li>
                ))}
              </ul>
              <Link to={`/danh-gia/${header.id}/yeu-cau`}>{tq.answerThem}</Link>
            </li>
          ) : null}
          {check.unconfirmed.length ? (
            <li className="warn" data-check="carried">
              {tc.unconfirmedWarn(check.unconfirmed.length)} {list(check.unconfirmed)}
            </li>
          ) : null}
          {check.deadlinePassed ? <li className="bad">{t.deadlinePassed}</li> : null}
        </ul>
      </section>

      {header.canSubmit && !result?.ok ? (
        <Form method="post" className="card form">
          <CsrfInput />
          <div className="field checkbox">
            <input id="confirm" type="checkbox" name="confirm" value="yes" required />
            <label htmlFor="confirm">{t.confirmLabel}</label>
          </div>
          <button type="submit" className="button" disabled={busy || !check.canSubmit}>
            {busy ? t.submitting : t.submit}
          </button>
          {!check.canSubmit ? <p className="muted">{t.cannotSubmit}</p> : null}
        </Form>
      ) : null}
      {!header.canSubmit && header.status !== "submitted" ? <p className="muted">{t.headOnly}</p> : null}
    </div>
  );
}
