import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AssessmentForm } from "~/components/assessment/AssessmentForm";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { CarriedMark, CarryForwardPanel } from "~/components/assessment/CarryForwardPanel";
import { RequestBox } from "~/components/assessment/RequestBox";
import { EvidencePanel } from "~/components/evidence/EvidencePanel";
import { allows } from "~/domain/assessment-states";
import type { Edition } from "~/domain/catalogue";
import type { AnswerValue } from "~/domain/scoring";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { requestsUi } from "~/i18n/requests";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { answersOf, editionOf } from "~/server/services/assessments.server";
import { carryForwardPlan } from "~/server/services/carry-forward.server";
import { evidenceForAssessment, evidenceLimits } from "~/server/services/evidence.server";
import { requestsOf } from "~/server/services/review.server";

const t = pick(assessmentUi);
const tq = pick(requestsUi);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title(data.header.schoolYear)} — ${data.header.schoolName}` : "CĐS 4725" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a, header } = await requireAssessment(request, params);
  const set = answersOf(a.id);
  const evidence = evidenceForAssessment(a.id);
  const evidenceCounts: Record<string, number> = {};
  for (const e of evidence) evidenceCounts[e.itemCode] = (evidenceCounts[e.itemCode] ?? 0) + 1;
  // The office's requests still open (closed ones are in the list at /yeu-cau only).
  const all = requestsOf(a.id);
  const requests = all.filter((r) => r.resolvedAt == null);
  // Carry forward: the panel for those who may edit the file now; the marks for everyone.
  const carry = header.canEdit ? carryForwardPlan(a.id) : null;
  const carried: Record<string, string | null> = {};
  for (const [code, m] of Object.entries(set.meta))
    if (m.carriedFrom != null) carried[code] = carry?.previous?.id === m.carriedFrom ? carry.previous.schoolYear : null;
  return json({
    header,
    version: a.version,
    schoolType: a.schoolType,
    edition: editionOf(a),
    answers: set.answers,
    notes: set.notes,
    itemVersions: Object.fromEntries(Object.entries(set.meta).map(([code, m]) => [code, m.version])),
    evidenceCounts,
    evidence,
    maxBytes: evidenceLimits().maxBytes,
    requests,
    requestTotal: all.length,
    canReply: header.canEdit && allows(a.status, "respond"),
    carry: carry?.previous && carry.editable ? carry : null,
    carried,
  });
}

export default function AssessmentPage() {
  const d = useLoaderData<typeof loader>();
  const overall = d.requests.filter((r) => r.itemCode == null);
  const atItem = (code: string) => d.requests.filter((r) => r.itemCode === code);
  return (
    <div>
      <AssessmentHeader {...d.header} />
      {!d.header.canEdit ? <p className="alert">{t.readOnly}</p> : null}
      {d.requestTotal ? (
        <section id="yeu-cau-chung" aria-labelledby="yeu-cau-chung-title" className={d.requests.length ? "alert alert--warn" : undefined}>
          <h2 id="yeu-cau-chung-title">{tq.title}</h2>
          <p>
            {d.requests.length ? tq.openCount(d.requests.length) : tq.noOpen} <Link to={`/danh-gia/${d.header.id}/yeu-cau`}>{tq.viewAll(d.requestTotal)}</Link>
          </p>
          {overall.map((r) => (
            <RequestBox key={r.id} assessmentId={d.header.id} request={r} canReply={d.canReply} from="form" />
          ))}
        </section>
      ) : null}
      {d.carry ? <CarryForwardPanel plan={d.carry} /> : null}
      <AssessmentForm
        assessmentId={d.header.id}
        schoolType={d.schoolType}
        version={d.version}
        edition={d.edition as unknown as Edition}
        answers={d.answers as Record<string, AnswerValue>}
        notes={d.notes}
        itemVersions={d.itemVersions}
        editable={d.header.canEdit}
        evidenceCounts={d.evidenceCounts}
        renderItemBadge={(code) => (code in d.carried ? <CarriedMark assessmentId={d.header.id} code={code} schoolYear={d.carried[code]} editable={d.header.canEdit} /> : null)}
        renderItemExtra={(code) => (
          <>
            {atItem(code).map((r) => (
              <RequestBox key={r.id} assessmentId={d.header.id} request={r} canReply={d.canReply} from="form" />
            ))}
            <EvidencePanel assessmentId={d.header.id} itemCode={code} entries={d.evidence.filter((e) => e.itemCode === code)} editable={d.header.canEdit} maxBytes={d.maxBytes} />
          </>
        )}
      />
    </div>
  );
}
