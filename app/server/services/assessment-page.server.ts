/**
 * Loading an assessment for a page: parse the id, require a user, ask the policy, then read.
 * Shared by every /danh-gia/:id route so each stays thin and none forgets the policy.
 */
import { json } from "@remix-run/node";
import { z } from "zod";
import { isEditableBySchool, STATE_LABELS } from "~/domain/assessment-states";
import { requireUser, type CurrentUser } from "../auth/session.server";
import { authorize, can, type Action } from "../policy.server";
import { getAssessment, type AssessmentRecord } from "./assessments.server";

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export interface AssessmentHeaderData {
  id: number;
  schoolName: string;
  schoolCode: string;
  schoolYear: string;
  status: AssessmentRecord["status"];
  statusLabel: string;
  next: string;
  deadline: string;
  extended: boolean;
  editionId: string;
  canEdit: boolean;
  canSubmit: boolean;
}

/** Throws 400 for a bad id, 404 for an unknown one, 403 outside the user's scope. */
export async function loadAssessmentFor(request: Request, params: unknown, action: Action = "school.read"): Promise<{ user: CurrentUser; a: AssessmentRecord; header: AssessmentHeaderData }> {
  const user = await requireUser(request);
  const p = idParam.safeParse(params);
  if (!p.success) throw json({ error: "Mã hồ sơ không hợp lệ." }, { status: 400 });
  const a = getAssessment(p.data.id);
  if (!a) throw json({ error: "Không tìm thấy hồ sơ đánh giá." }, { status: 404 });
  authorize(user, action, { kind: "school", schoolId: a.schoolId });
  return { user, a, header: headerFor(user, a) };
}

/** What the tabs header of every assessment page shows (call after the policy allowed reading). */
export function headerFor(user: CurrentUser, a: AssessmentRecord): AssessmentHeaderData {
  const target = { kind: "school" as const, schoolId: a.schoolId };
  const editable = isEditableBySchool(a.status);
  return {
    id: a.id,
    schoolName: a.schoolName,
    schoolCode: a.schoolCode,
    schoolYear: a.schoolYear,
    status: a.status,
    statusLabel: STATE_LABELS[a.status].vi,
    next: STATE_LABELS[a.status].next,
    deadline: a.deadline,
    extended: a.extended,
    editionId: a.editionId,
    canEdit: editable && can(user, "assessment.edit", target),
    canSubmit: editable && can(user, "assessment.submit", target),
  };
}
