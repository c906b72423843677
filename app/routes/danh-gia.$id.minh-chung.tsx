/**
 * /danh-gia/:id/minh-chung — the evidence of one assessment (danh mục minh chứng).
 *
 * GET: the list by item with codes; ?item=<code> opens the EvidencePanel of that item.
 * POST intents (the school, while the assessment is editable):
 *   upload  multipart: _csrf (first), intent, itemCode (one or more), title?, file (last)
 *   link    itemCode, url, title
 *   attach  evidenceId, itemCode (one or more) — reuse from the school's library
 *   detach  evidenceId, itemCode
 * Fetch callers (Accept: application/json, or the `_json=1` field the EvidencePanel adds) get JSON;
 * plain forms are redirected back (redirectTo, or ?item=). Refusals are JSON with a 4xx status and a
 * Vietnamese message for the field concerned (a plain form re-renders this page with it).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EvidencePanel } from "~/components/evidence/EvidencePanel";
import { formatBytes, groupByItem, type EvidenceActionData, type EvidenceEntry } from "~/domain/evidence";
import { isEditableBySchool, STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { EvidenceOpenLinks } from "~/components/evidence/EvidenceOpenLinks";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { headerFor, requireAssessment } from "~/server/services/assessment-page.server";
import { evidence as strings } from "~/i18n/evidence";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { can } from "~/server/policy.server";
import { safeRedirect } from "~/server/request.server";
import {
  assessmentItems,
  attachEvidence,
  createFileEvidence,
  createLinkEvidence,
  detachEvidence,
  evidenceForAssessment,
  evidenceLimits,
  uploadPrecheck,
  type EvidenceFailure,
} from "~/server/services/evidence.server";
import { getEvidenceStorage } from "~/server/storage/storage.server";
import { parseEvidenceUpload, UploadError, type UploadedFile } from "~/server/storage/upload.server";

const t = pick(strings);

const evidenceIdSchema = z.coerce.number({ invalid_type_error: t.errors.notFound }).int().positive(t.errors.notFound).max(Number.MAX_SAFE_INTEGER);

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("upload"), itemCodes: z.array(z.string()), title: z.string().optional() }),
  z.object({ intent: z.literal("link"), itemCodes: z.array(z.string()), url: z.string().default(""), title: z.string().default("") }),
  z.object({ intent: z.literal("attach"), itemCodes: z.array(z.string()), evidenceId: evidenceIdSchema }),
  z.object({ intent: z.literal("detach"), itemCodes: z.array(z.string()).length(1, t.errors.itemRequired), evidenceId: evidenceIdSchema }),
]);

/** Bodies of the non-file intents are small. */
const URLENCODED_MAX = 64 * 1024;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${t.listTitle}${data ? ` — ${data.assessment.schoolName} ${data.assessment.schoolYear}` : ""} — CĐS 4725` },
];

/** The one assessment door; a malformed id is the same 404 as an unknown one on these pages. */
const load = (request: Request, params: LoaderFunctionArgs["params"], action: "evidence.read" | "assessment.edit") =>
  requireAssessment(request, params, action, { badIdStatus: 404, messages: { notFound: t.errors.assessmentNotFound } });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a } = await load(request, params, "evidence.read");
  const canEdit = isEditableBySchool(a.status) && can(user, "assessment.edit", { kind: "school", schoolId: a.schoolId });
  const items = assessmentItems(a).map(({ code, text, indicatorCode, hints }) => ({ code, text, indicatorCode, hints }));
  const wanted = new URL(request.url).searchParams.get("item");
  const selectedItem = items.find((i) => i.code === wanted)?.code ?? null;
  return json({
    header: headerFor(user, a),
    assessment: { id: a.id, schoolId: a.schoolId, schoolName: a.schoolName, schoolYear: a.schoolYear, status: a.status },
    canEdit,
    items,
    selectedItem,
    entries: evidenceForAssessment(a.id),
    maxBytes: evidenceLimits().maxBytes,
  });
}

type Failure = { status: EvidenceFailure["status"] | 403; field: EvidenceFailure["field"]; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await load(request, params, "assessment.edit");
  const assessmentId = a.id;
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");

  const refuse = (f: Failure, intent: string | null = null) =>
    json({ ok: false as const, intent, field: f.field, message: f.message } satisfies EvidenceActionData, {
      status: f.status,
      // The body may not have been read to the end: do not reuse this connection.
      headers: { Connection: "close" },
    });

  // Refusals that need no body, before a byte of it is read.
  if (!isEditableBySchool(a.status)) return refuse({ status: 409, field: "form", message: t.errors.locked });
  const headerToken = request.headers.get("x-csrf-token");
  if (headerToken !== null && !(await isValidCsrf(request, new FormData()))) return refuse({ status: 403, field: "form", message: t.errors.csrf });

  const contentType = request.headers.get("Content-Type") ?? "";
  let formData: FormData;
  let upload: UploadedFile | null = null;
  if (contentType.startsWith("multipart/form-data")) {
    try {
      const parsed = await parseEvidenceUpload(request, {
        storage: getEvidenceStorage(),
        maxBytes: evidenceLimits().maxBytes,
        verifyCsrf: async (fieldsSoFar) => {
          if (!(await isValidCsrf(request, fieldsSoFar))) return false;
          // A file is coming: refuse now if the school has no room left at all.
          const pre = uploadPrecheck(assessmentId);
          if (!pre.ok) throw new UploadError(pre.status === 413 || pre.status === 409 || pre.status === 404 ? pre.status : 400, pre.field === "file" ? "file" : "form", pre.message, "precheck");
          return true;
        },
      });
      formData = parsed.formData;
      upload = parsed.file;
    } catch (e) {
      if (e instanceof UploadError) return refuse({ status: e.status, field: e.field, message: e.message }, "upload");
      throw e;
    }
  } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
    if (Number(request.headers.get("Content-Length") ?? 0) > URLENCODED_MAX) return refuse({ status: 413, field: "form", message: t.errors.fieldTooLong });
    formData = await request.formData();
  } else {
    return refuse({ status: 400, field: "form", message: t.errors.malformed });
  }

  const discard = async () => {
    if (upload) await upload.staged.discard().catch(() => undefined);
  };
  if (!(await isValidCsrf(request, formData))) {
    await discard();
    return refuse({ status: 403, field: "form", message: t.errors.csrf });
  }

  const str = (k: string) => {
    const v = formData.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = intentSchema.safeParse({
    intent: str("intent"),
    itemCodes: formData.getAll("itemCode").filter((v): v is string => typeof v === "string"),
    title: str("title"),
    url: str("url"),
    evidenceId: str("evidenceId"),
  });
  if (!parsed.success) {
    await discard();
    const issue = parsed.error.issues[0];
    const field = issue.path[0] === "evidenceId" ? "evidenceId" : issue.path[0] === "itemCodes" ? "itemCode" : "form";
    return refuse({ status: 400, field, message: field === "form" ? t.errors.intent : issue.message }, str("intent") ?? null);
  }
  const input = parsed.data;
  if (input.intent !== "upload") await discard();

  if (input.intent === "upload" && !upload) return refuse({ status: 400, field: "file", message: t.errors.noFile }, "upload");
  let result: Awaited<ReturnType<typeof perform>>;
  try {
    result = await perform(input, upload, assessmentId, user.id);
  } finally {
    // A no-op once the service has committed or discarded it; otherwise nothing is left behind.
    await discard();
  }

  if (!result.ok) return refuse(result, input.intent);
  if (wantsJson || str("_json") === "1") {
    const entries = evidenceForAssessment(assessmentId).filter((e) => e.itemCode === result.itemCode);
    return json({ ok: true as const, intent: input.intent, itemCode: result.itemCode, message: result.message, entries } satisfies EvidenceActionData);
  }
  const back = `/danh-gia/${assessmentId}/minh-chung?item=${encodeURIComponent(result.itemCode)}`;
  const to = safeRedirect(str("redirectTo"), back);
  // A reuse from the library page (a plain form) comes back there with its confirmation: the codes made.
  if (input.intent === "attach" && to.startsWith("/truong/")) {
    const u = new URL(to, "http://x");
    u.searchParams.set("da-dung", (result.message.match(/MC-[^\s,)]+/g) ?? []).join(","));
    return redirect(u.pathname + u.search, 303);
  }
  return redirect(to, 303);
}

type Intent = z.infer<typeof intentSchema>;

/** Runs one intent through the evidence service. */
async function perform(input: Intent, upload: UploadedFile | null, assessmentId: number, actorId: number): Promise<{ ok: true; message: string; itemCode: string } | EvidenceFailure> {
  const codes = (links: { code: string }[]) => links.map((l) => l.code).join(", ");
  switch (input.intent) {
    case "upload": {
      const up = upload!;
      const r = await createFileEvidence(
        { assessmentId, itemCodes: input.itemCodes, title: input.title, upload: { staged: up.staged, fileName: up.fileName, mime: up.type.mime } },
        actorId,
      );
      return r.ok ? { ok: true, message: t.uploaded(codes(r.links)), itemCode: r.links[0].itemCode } : r;
    }
    case "link": {
      const r = createLinkEvidence({ assessmentId, itemCodes: input.itemCodes, url: input.url, title: input.title }, actorId);
      return r.ok ? { ok: true, message: t.linkAdded(codes(r.links)), itemCode: r.links[0].itemCode } : r;
    }
    case "attach": {
      const r = attachEvidence({ assessmentId, evidenceId: input.evidenceId, itemCodes: input.itemCodes }, actorId);
      return r.ok ? { ok: true, message: t.attached(codes(r.links)), itemCode: r.links[0].itemCode } : r;
    }
    case "detach": {
      const r = await detachEvidence({ assessmentId, evidenceId: input.evidenceId, itemCode: input.itemCodes[0] }, actorId);
      return r.ok ? { ok: true, message: t.removed, itemCode: input.itemCodes[0] } : r;
    }
  }
}

export default function AssessmentEvidence() {
  const { header, assessment, canEdit, items, selectedItem, entries, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EvidenceActionData | undefined;
  const byItem = groupByItem(entries as EvidenceEntry[]);
  const selected = selectedItem ? items.find((i) => i.code === selectedItem) : null;
  const base = `/danh-gia/${assessment.id}/minh-chung`;

  return (
    <section aria-labelledby="evidence-title">
      <AssessmentHeader {...header} />
      <h2 id="evidence-title">{t.listTitle}</h2>
      <p className="muted">
        {t.listIntro(assessment.schoolName, assessment.schoolYear)} · {STATE_LABELS[assessment.status].vi} · {t.total(entries.length)}
      </p>
      <p className="actions">
        <Link to={`/truong/${assessment.schoolId}/minh-chung`}>{t.library}</Link>
      </p>
      {actionData ? (
        actionData.ok ? (
          <p className="alert alert--ok" role="status">
            {actionData.message}
          </p>
        ) : (
          <p className="alert alert--error" role="alert">
            {actionData.message}
          </p>
        )
      ) : null}
      {!isEditableBySchool(assessment.status) ? <p className="alert alert--warn">{t.readOnly}</p> : null}

      {selected ? (
        <div className="card">
          <p>
            <strong>{t.itemHeading(selected.code, selected.text)}</strong>
          </p>
          <EvidencePanel
            assessmentId={assessment.id}
            itemCode={selected.code}
            entries={entries as EvidenceEntry[]}
            editable={canEdit}
            maxBytes={maxBytes}
          />
          <p>
            <Link to={base}>{t.backToList}</Link>
          </p>
        </div>
      ) : null}

      {entries.length === 0 ? <p>{t.noEvidenceAtAll}</p> : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t.listTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.colCode}</th>
              <th scope="col">{t.colTitle}</th>
              <th scope="col">{t.colKind}</th>
              <th scope="col">{t.colActions}</th>
            </tr>
          </thead>
          {items.map((item) => {
            const list = byItem.get(item.code) ?? [];
            return (
              <tbody key={item.code}>
                <tr>
                  <th scope="rowgroup" colSpan={4} style={{ textAlign: "left", background: "#f3f6fa" }}>
                    {t.itemHeading(item.code, item.text)}{" "}
                    <Link to={`${base}?item=${encodeURIComponent(item.code)}#mc-${item.code}`} aria-label={t.manageItemLabel(item.code)} style={{ fontWeight: 400 }}>
                      {t.manageItem}
                    </Link>
                  </th>
                </tr>
                {list.map((e) => (
                  <tr key={e.code}>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td>
                      {e.title}
                      {e.fileName && e.fileName !== e.title ? <div className="muted">{e.fileName}</div> : null}
                    </td>
                    <td>{e.kind === "file" ? `${t.kindFile}, ${formatBytes(e.size)}` : t.kindLink}</td>
                    <td>
                      <span className="actions">
                        <EvidenceOpenLinks entry={e} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
      </div>
    </section>
  );
}
