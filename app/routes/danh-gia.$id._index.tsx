import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AssessmentForm } from "~/components/assessment/AssessmentForm";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { EvidencePanel } from "~/components/evidence/EvidencePanel";
import type { Edition } from "~/domain/catalogue";
import type { AnswerValue } from "~/domain/scoring";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { answersOf, editionOf } from "~/server/services/assessments.server";
import { evidenceForAssessment, evidenceLimits } from "~/server/services/evidence.server";

const t = pick(assessmentUi);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title(data.header.schoolYear)} — ${data.header.schoolName}` : "CĐS 4725" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a, header } = await requireAssessment(request, params);
  const set = answersOf(a.id);
  const evidence = evidenceForAssessment(a.id);
  const evidenceCounts: Record<string, number> = {};
  for (const e of evidence) evidenceCounts[e.itemCode] = (evidenceCounts[e.itemCode] ?? 0) + 1;
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
  });
}

export default function AssessmentPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <div>
      <AssessmentHeader {...d.header} />
      {!d.header.canEdit ? <p className="alert">{t.readOnly}</p> : null}
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
        renderItemExtra={(code) => (
          <EvidencePanel assessmentId={d.header.id} itemCode={code} entries={d.evidence.filter((e) => e.itemCode === code)} editable={d.header.canEdit} maxBytes={d.maxBytes} />
        )}
      />
    </div>
  );
}
