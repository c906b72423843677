import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pick } from "~/i18n";
import { home } from "~/i18n/home";
import { requireUser } from "~/server/auth/session.server";
import { homeFor } from "~/server/services/home.server";
import { formatLocalDate } from "~/utils/time";

export const meta: MetaFunction = () => [{ title: "Trang chủ — CĐS 4725" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Home shows only the user's own unit or school: no target to authorize beyond the session.
  // Every link it offers is a policy answer (home.offers).
  return json({ home: homeFor(user) });
}

type Cert = NonNullable<NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["home"]["assessment"]>["certificate"]>;

/**
 * The latest file's certificate: valid, its level, decision and the public links (PDF, verification:
 * anyone may open them by token); revoked, the revocation's date and reason, and no link that
 * would present it as valid.
 */
function CertificateFacts({ c, history }: { c: Cert; history: boolean }) {
  const t = pick(home).school.certificate;
  if (c.revokedOn != null)
    return (
      <p className="alert alert--warn" data-testid="home-certificate" data-certificate="revoked">
        {t.revoked(c.serial, formatLocalDate(c.revokedOn), c.revokeReason ?? "")}
        {history ? (
          <>
            {" "}
            <Link to="/danh-gia?tat-ca">{t.history}</Link>
          </>
        ) : null}
      </p>
    );
  const token = encodeURIComponent(c.token);
  return (
    <div className="alert" data-testid="home-certificate" data-certificate="valid">
      <p>
        <strong className="level">{t.recognised(c.levelTitle)}</strong>
      </p>
      <p>
        {t.decision(c.decisionNumber, formatLocalDate(c.decidedOn))}
        <strong>{c.serial}</strong>.
      </p>
      <p className="actions">
        <a className="button" href={`/xac-minh/${token}.pdf`} download>
          {t.download}
        </a>
        <a href={`/xac-minh/${token}`}>{t.verify}</a>
        {history ? <Link to="/danh-gia?tat-ca">{t.history}</Link> : null}
      </p>
    </div>
  );
}

export default function Home() {
  const { home: h } = useLoaderData<typeof loader>();
  const isHead = h.offers.submit;
  const t = pick(home);
  const c = h.counts;
  return (
    <div className="home">
      {h.roles.includes("school") ? (
        <section className="card" data-home-role={isHead ? "school_head" : "school_staff"} aria-labelledby="home-school">
          <h1 id="home-school">{h.schoolName}</h1>
          <p className="muted">
            {t.school.code}: {h.schoolCode}
          </p>
          {h.assessment ? (
            <>
              <p data-testid="home-status" data-status={h.assessment.status}>
                {t.school.cycle(h.assessment.schoolYear, h.assessment.statusLabel)}{" "}
                {h.assessment.status === "draft" || h.assessment.status === "returned" ? t.school.deadline(formatLocalDate(h.assessment.deadline)) : null}
              </p>
              <p className="muted">{h.assessment.next}</p>
              {h.assessment.status === "returned" ? (
                <p className={h.assessment.unansweredRequests ? "alert alert--warn" : "alert"} data-testid="home-requests">
                  {t.school.requests(h.assessment.openRequests, h.assessment.unansweredRequests)}{" "}
                  {h.offers.requests ? <Link to={`/danh-gia/${h.assessment.id}/yeu-cau`}>{t.school.openRequests}</Link> : null}
                </p>
              ) : null}
              {h.assessment.externalLevel != null ? (
                <p data-testid="home-external">
                  <strong className="level">{t.school.externalLevel(h.assessment.externalLevel)}</strong>
                  {h.assessment.recognisedLevel != null && !h.assessment.certificate ? <> {t.school.recognisedLevel(h.assessment.recognisedLevel)}</> : null}
                </p>
              ) : null}
              {h.assessment.certificate ? <CertificateFacts c={h.assessment.certificate} history={h.offers.openAssessment} /> : null}
            </>
          ) : (
            <p>{t.school.noCycle}</p>
          )}
          {h.earlier?.length ? (
            <section aria-labelledby="home-earlier" data-testid="home-earlier">
              <h2 id="home-earlier">{t.school.earlierTitle}</h2>
              <ul>
                {h.earlier.map((f) => (
                  <li key={f.id} data-status={f.status}>
                    {h.offers.openAssessment ? <Link to={`/danh-gia/${f.id}`}>{t.school.earlierFile(f.schoolYear)}</Link> : t.school.earlierFile(f.schoolYear)}: {f.statusLabel}.{" "}
                    <span className="muted">{f.next}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <h2>{t.nextSteps}</h2>
          <ol className="next-steps">
            {(t.school.steps[h.assessment?.status ?? "none"] ?? t.school.steps.none)[isHead ? "head" : "staff"].map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          <p className="actions">
            {h.assessment && h.offers.openAssessment ? (
              <Link className="button" to={`/danh-gia/${h.assessment.id}`}>
                {t.school.openAssessment}
              </Link>
            ) : null}
            {h.assessment && h.offers.openAssessment ? <Link to={`/danh-gia/${h.assessment.id}/ke-hoach`}>{t.school.plan}</Link> : null}
            {h.offers.results ? <Link to={h.offers.results}>{t.school.results}</Link> : null}
            <Link to="/chi-so">{t.viewCatalogue}</Link>
            <Link to="/cong-bo">{t.publishedResults}</Link>
          </p>
        </section>
      ) : null}
      {h.roles.includes("system_admin") ? (
        <section className="card" data-home-role="system_admin" aria-labelledby="home-system">
          <h1 id="home-system">{t.system.heading}</h1>
          <p>{t.system.summary(c.units ?? 0, c.schools ?? 0, c.users ?? 0)}</p>
          <p>{t.system.editions(c.publishedEditions ?? 0, c.draftEditions ?? 0)}</p>
          <h2>{t.nextSteps}</h2>
          <ol className="next-steps">
            {t.system.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </section>
      ) : null}
      {h.roles.includes("office_admin") ? (
        <section className="card" data-home-role="office_admin" aria-labelledby="home-office-admin">
          <h1 id="home-office-admin">{t.officeAdmin.heading(h.unitName ?? "")}</h1>
          <p>{t.officeAdmin.summary(c.units ?? 0, c.schools ?? 0, c.users ?? 0)}</p>
          <p>{t.officeAdmin.cycles(c.openCycles ?? 0)}</p>
          <h2>{t.nextSteps}</h2>
          <ol className="next-steps">
            {t.officeAdmin.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </section>
      ) : null}
      {h.roles.includes("office_reviewer") ? (
        <section className="card" data-home-role="office_reviewer" aria-labelledby="home-reviewer">
          {h.roles.includes("office_admin") ? (
            <h2 id="home-reviewer">{t.reviewer.heading(h.unitName ?? "")}</h2>
          ) : (
            <h1 id="home-reviewer">{t.reviewer.heading(h.unitName ?? "")}</h1>
          )}
          <p>{t.reviewer.summary(c.assignedSchools ?? 0)}</p>
          <ul data-testid="home-waiting">
            <li>
              <strong>{t.reviewer.mine(c.assignedToMe ?? 0)}</strong>
            </li>
            <li>{t.reviewer.awaiting(c.awaitingReview ?? 0, c.unassigned ?? 0)}</li>
            <li>{t.reviewer.external(c.externalInProgress ?? 0, c.externalMine ?? 0)}</li>
          </ul>
          {h.offers.reviewList ? (
            <p className="actions">
              <Link className="button" to="/ho-so?trang-thai=submitted">
                {t.reviewer.openList}
              </Link>
              {c.externalInProgress ? <Link to="/ho-so?trang-thai=approved">{t.reviewer.openExternal}</Link> : null}
              {h.offers.stats ? <Link to="/thong-ke">{t.openStats}</Link> : null}
            </p>
          ) : null}
          <h3>{t.nextSteps}</h3>
          <ol className="next-steps">
            {t.reviewer.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
