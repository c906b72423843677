import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { pick } from "~/i18n";
import { auditUi } from "~/i18n/audit";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { auditForAssessment } from "~/server/services/audit-view.server";
import { formatDateTime } from "~/utils/time";

const t = pick(auditUi);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a, header } = await requireAssessment(request, params, "audit.read");
  return json({ header, entries: auditForAssessment(a.id) });
}

export default function AuditPage() {
  const { header, entries } = useLoaderData<typeof loader>();
  return (
    <div>
      <AssessmentHeader {...header} />
      <h2>{t.title}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.what}</th>
              <th scope="col">{t.details}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actor ?? "–"}</td>
                <td>{t.actions[e.action as keyof typeof t.actions] ?? e.action}</td>
                <td>{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
