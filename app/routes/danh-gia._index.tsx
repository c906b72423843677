import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { schoolCertificates } from "~/i18n/school-certificates";
import { requireUser } from "~/server/auth/session.server";
import { worksAtSchool } from "~/server/policy.server";
import { assessmentsOfSchool } from "~/server/services/assessments.server";
import { certificateHistory } from "~/server/services/home.server";
import { formatLocalDate } from "~/utils/time";

const t = pick(assessmentUi);
const tc = pick(schoolCertificates);

export const meta: MetaFunction = () => [{ title: `${t.listTitle} — CĐS 4725` }];

/**
 * A school's assessments and its certificates over the years (revoked ones marked, never as
 * valid); with exactly one assessment and no certificate yet, go straight to it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The policy's question for the self-assessment area: a school user who may read its own school.
  if (!worksAtSchool(user)) throw redirect("/");
  const list = assessmentsOfSchool(user.schoolId);
  const certificates = certificateHistory(user.schoolId);
  if (list.length === 1 && certificates.length === 0 && new URL(request.url).searchParams.get("tat-ca") === null) throw redirect(`/danh-gia/${list[0].id}`);
  return json({ list: list.map((a) => ({ ...a, label: STATE_LABELS[a.status].vi })), certificates });
}

export default function AssessmentList() {
  const { list, certificates } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t.listTitle}</h1>
      {list.length === 0 ? <p className="alert">{t.noAssessment}</p> : null}
      <ul>
        {list.map((a) => (
          <li key={a.id}>
            <Link to={`/danh-gia/${a.id}`}>
              {t.title(a.schoolYear)} — {a.label}
            </Link>
          </li>
        ))}
      </ul>
      <section aria-labelledby="school-certificates">
        <h2 id="school-certificates">{tc.heading}</h2>
        {certificates.length === 0 ? (
          <p className="muted">{tc.none}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="school-certificates">
              <thead>
                <tr>
                  <th scope="col">{tc.cols.year}</th>
                  <th scope="col">{tc.cols.level}</th>
                  <th scope="col">{tc.cols.serial}</th>
                  <th scope="col">{tc.cols.decision}</th>
                  <th scope="col">{tc.cols.status}</th>
                  <th scope="col">{tc.cols.links}</th>
                </tr>
              </thead>
              <tbody>
                {certificates.map((c) => {
                  const token = encodeURIComponent(c.token);
                  const revoked = c.revokedOn != null;
                  return (
                    <tr key={c.id} data-certificate={revoked ? "revoked" : "valid"}>
                      <td>{c.schoolYear}</td>
                      <td>{c.levelTitle}</td>
                      <td>{c.serial}</td>
                      <td>{tc.decision(c.decisionNumber, c.decidedOn ? formatLocalDate(c.decidedOn) : "–")}</td>
                      <td>{revoked ? <span className="badge badge--f">{tc.revoked(formatLocalDate(c.revokedOn!), c.revokeReason ?? "")}</span> : tc.valid}</td>
                      <td className="actions">
                        {/* A revoked certificate is not offered for download; its verification page says it was revoked. */}
                        {revoked ? null : (
                          <a href={`/xac-minh/${token}.pdf`} download aria-label={tc.pdfLabel(c.serial)}>
                            {tc.pdf}
                          </a>
                        )}
                        <a href={`/xac-minh/${token}`} aria-label={tc.verifyLabel(c.serial)}>
                          {tc.verify}
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
