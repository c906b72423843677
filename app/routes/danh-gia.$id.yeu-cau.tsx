/**
 * /danh-gia/:id/yeu-cau — every request of the reviewing office on this file (yêu cầu bổ sung),
 * open ones first, then closed ones: the item (a link to it in the form), the office's text, the
 * round, the school's reply and the request's state. Whoever reads the file reads this page (the
 * office too). While the file is returned, the school's users answer each open request here or at
 * the item in the form: intent "respond" (policy assessment.edit), a reply and/or "Đã bổ sung",
 * through the review service's respond(). A plain form is redirected back to the item's anchor
 * (from=form) or to the request in this list; a fetcher (`_json=1`) gets JSON.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { RequestBox, type RespondResult } from "~/components/assessment/RequestBox";
import { allows } from "~/domain/assessment-states";
import { REQUEST_MAX } from "~/domain/review";
import { pick } from "~/i18n";
import { requestsUi } from "~/i18n/requests";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { requestsOf, respond } from "~/server/services/review.server";

const t = pick(requestsUi);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title} — ${data.header.schoolName}` : "CĐS 4725" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a, header } = await requireAssessment(request, params, "school.read");
  const requests = requestsOf(a.id);
  return json({ header, requests, canReply: header.canEdit && allows(a.status, "respond") });
}

const respondBody = z.object({
  requestId: z.string().regex(/^[1-9]\d{0,9}$/, t.badRequestId).transform(Number).pipe(z.number().int().positive().max(2_147_483_647, t.badRequestId)),
  reply: z.string().max(REQUEST_MAX, t.tooLong(REQUEST_MAX)).default(""),
  addressed: z.enum(["1", "on", "true"]).optional().transform((v) => v !== undefined),
  from: z.enum(["form", "list"]).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.edit");
  const form = await readForm(request);
  await assertCsrf(request, form);
  const wantsJson = form.get("_json") === "1" || (request.headers.get("Accept") ?? "").includes("application/json");
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const posted = Number(str("requestId"));
  const requestId = Number.isSafeInteger(posted) && posted > 0 ? posted : null;
  const answer = (body: RespondResult, status: number) => json<RespondResult>(body, { status });

  if (str("intent") !== "respond") return answer({ ok: false, requestId, message: t.badIntent }, 400);
  const b = respondBody.safeParse({ requestId: str("requestId"), reply: str("reply"), addressed: str("addressed"), from: str("from") });
  const values = { reply: str("reply") ?? "", addressed: str("addressed") !== undefined };
  if (!b.success) {
    const e = b.error.flatten().fieldErrors;
    if (e.requestId || e.from || e.addressed) return answer({ ok: false, requestId, message: t.badRequestId, values }, 400);
    return answer({ ok: false, requestId, message: e.reply?.[0] ?? t.badRequestId, fieldErrors: { reply: e.reply?.[0] }, values }, 400);
  }
  const { requestId: rid, reply, addressed, from } = b.data;
  const r = respond(a.id, rid, { reply, addressed }, user.id);
  if (!r.ok) {
    if (r.kind === "invalid") {
      const reply = (r as { fieldErrors?: { reply?: string } }).fieldErrors?.reply ?? r.message;
      return answer({ ok: false, requestId: rid, message: reply, fieldErrors: { reply }, values }, 400);
    }
    if (r.kind === "not-found") return answer({ ok: false, requestId: rid, message: t.notFound }, 404);
    if (r.kind === "state") return answer({ ok: false, requestId: rid, message: t.wrongState, values }, 409);
    if (r.kind === "stale") return answer({ ok: false, requestId: rid, message: t.stale, values }, 409);
    return answer({ ok: false, requestId: rid, message: r.message, values }, 409);
  }
  if (wantsJson) return answer({ ok: true, requestId: rid, message: t.saved }, 200);
  if (from === "form") {
    const code = requestsOf(a.id).find((x) => x.id === rid)?.itemCode ?? null;
    return redirect(code ? `/danh-gia/${a.id}#tieu-chi-${code}` : `/danh-gia/${a.id}#yeu-cau-chung`, 303);
  }
  return redirect(`/danh-gia/${a.id}/yeu-cau#yc-${rid}`, 303);
}

export default function RequestsPage() {
  const { header, requests, canReply } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>() ?? null;
  const open = requests.filter((r) => r.resolvedAt == null);
  const closed = requests.filter((r) => r.resolvedAt != null);
  // A refusal about no open request of this list (closed meanwhile, unknown id) shows at the top.
  const orphan = posted && !posted.ok && !(canReply && open.some((r) => r.id === posted.requestId)) ? posted : null;
  return (
    <div>
      <AssessmentHeader {...header} />
      <h2>{t.title}</h2>
      <p className="muted">{t.listIntro}</p>
      {orphan ? (
        <p className="alert alert--error" role="alert">
          {orphan.message}
        </p>
      ) : null}
      {!requests.length ? <p>{t.none}</p> : null}
      {requests.length ? (
        <>
          <section aria-labelledby="yc-open">
            <h3 id="yc-open">
              {t.open} ({open.length})
            </h3>
            {open.length ? (
              open.map((r) => <RequestBox key={r.id} assessmentId={header.id} request={r} canReply={canReply} from="list" posted={posted} linkItem />)
            ) : (
              <p className="muted">{t.noOpen}</p>
            )}
          </section>
          <section aria-labelledby="yc-closed">
            <h3 id="yc-closed">
              {t.closed} ({closed.length})
            </h3>
            {closed.length ? (
              closed.map((r) => <RequestBox key={r.id} assessmentId={header.id} request={r} canReply={false} from="list" linkItem />)
            ) : (
              <p className="muted">{t.noClosed}</p>
            )}
          </section>
        </>
      ) : null}
      <p>
        <Link to={`/danh-gia/${header.id}`}>{t.backToForm}</Link>
      </p>
    </div>
  );
}
