/**
 * /cong-nhan/:id — one recognition decision. Offices that read the issuing unit see it
 * (decision.read); the issuing office (decision.manage) edits the draft (number, date, place,
 * signer, "Căn cứ" lines), adds the files whose external assessment is finished (all, or by type
 * or sub-unit) and removes some, checks it, and issues it: every file recognised with its
 * certificate in one transaction. Once issued: the certificates with their serials and
 * verification links; revoke one with a reason and re-issue it, or revoke the whole decision.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { BATCH_KINDS, DECISION_STATUS_LABELS, REVOKE_REASON_MAX, BASIS_MAX, BASES_MAX } from "~/domain/recognition";
import { SCHOOL_TYPES } from "~/domain/roles";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { recognitionUi } from "~/i18n/recognition";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";
import { can } from "~/server/policy.server";
import {
  certificateById,
  changeDecisionFiles,
  decisionById,
  decisionFiles,
  deleteDraft,
  eligibleIds,
  eligibleSubUnits,
  issueCheck,
  issueDecision,
  reissueCertificate,
  revokeCertificate,
  revokeDecision,
  updateDecision,
  type RecognitionFail,
} from "~/server/services/recognition.server";
import { jobsOfDecision, startBatch } from "~/server/services/certificate-batch.server";
import { formatDateTime, formatLocalDate, localDateOf } from "~/utils/time";

const t = pick(recognitionUi);
const ta = pick(admin);
const PAGE = 100;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.heading(data.decision.number, data.decision.schoolYear)} — CĐS 4725` : "CĐS 4725" }];

const idParam = z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number);

/** The decision and the user's rights on it; 404 for no such decision, 403 outside the user's scope. */
async function open(request: Request, params: Record<string, string | undefined>) {
  const user = await requireUser(request);
  const id = idParam.safeParse(params.id);
  if (!id.success) throw json({ error: t.badInput }, { status: 400 });
  const d = decisionById(id.data);
  if (!d) throw json({ error: "Không tìm thấy quyết định." }, { status: 404 });
  const unit = { kind: "unit" as const, unitId: d.issuingUnitId };
  if (!can(user, "decision.read", unit)) throw json({ error: "Bạn không có quyền xem quyết định này." }, { status: 403 });
  return { user, d, manage: can(user, "decision.manage", unit) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { d, manage } = await open(request, params);
  const url = new URL(request.url);
  const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
  const files = decisionFiles(d.id);
  const pageCount = Math.max(1, Math.ceil(files.length / PAGE));
  const shown = files.slice((Math.min(page, pageCount) - 1) * PAGE, Math.min(page, pageCount) * PAGE);
  const draft = d.status === "draft";
  return json({
    decision: {
      id: d.id,
      status: d.status,
      statusLabel: DECISION_STATUS_LABELS[d.status],
      schoolYear: d.schoolYear,
      number: d.number,
      decidedOn: d.decidedOn,
      place: d.place,
      signerName: d.signerName,
      signerTitle: d.signerTitle,
      bases: (d.bases as string[] | null) ?? [],
      version: d.version,
      revokedAt: d.revokedAt ? d.revokedAt.getTime() : null,
      revokeReason: d.revokeReason,
    },
    manage,
    files: { rows: shown, total: files.length, page: Math.min(page, pageCount), pageCount },
    check: draft ? issueCheck(d.id) : null,
    add: draft && manage ? { eligible: eligibleIds(d.issuingUnitId, d.schoolYear, {}, d.id).length, subUnits: eligibleSubUnits(d.issuingUnitId, d.schoolYear) } : null,
    today: localDateOf(),
    jobs: d.status === "issued" ? jobsOfDecision(d.id) : {},
  });
}

const version = z.coerce.number().int().positive();
const text = (max: number) => z.string().max(max).default("");
const intents = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    version,
    number: text(200),
    decidedOn: text(20),
    place: text(400),
    signerName: text(600),
    signerTitle: text(600),
    bases: text((BASIS_MAX + 2) * BASES_MAX * 2),
  }),
  z.object({ intent: z.literal("add"), type: z.enum(["", ...SCHOOL_TYPES]).default(""), subUnit: z.string().regex(/^(|[1-9][0-9]{0,9})$/).default("") }),
  z.object({ intent: z.literal("remove"), ids: z.array(z.coerce.number().int().positive().max(2_147_483_647)).max(PAGE * 2) }),
  z.object({ intent: z.literal("issue"), version, confirm: z.literal("1").optional() }),
  z.object({ intent: z.literal("delete") }),
  z.object({ intent: z.literal("revoke-certificate"), certificateId: z.coerce.number().int().positive().max(2_147_483_647), reason: text(REVOKE_REASON_MAX * 2) }),
  z.object({ intent: z.literal("reissue"), certificateId: z.coerce.number().int().positive().max(2_147_483_647) }),
  z.object({ intent: z.literal("revoke-decision"), reason: text(REVOKE_REASON_MAX * 2) }),
  z.object({ intent: z.literal("batch"), kind: z.enum(BATCH_KINDS) }),
]);

type ActionData = { ok: boolean; message: string; fieldErrors?: Record<string, string>; skipped?: string[]; target?: number };

function refused(r: RecognitionFail, target?: number) {
  const status = r.kind === "invalid" ? 422 : r.kind === "not-found" ? 404 : 409;
  return json<ActionData>({ ok: false, message: r.message, fieldErrors: r.fieldErrors, target }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, d, manage } = await open(request, params);
  const form = await readForm(request);
  await assertCsrf(request, form);
  if (!manage) return json<ActionData>({ ok: false, message: "Bạn không có quyền thực hiện thao tác này." }, { status: 403 });
  const fields: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  fields.ids = form.getAll("ids").filter((v) => typeof v === "string");
  const p = intents.safeParse(fields);
  if (!p.success) return json<ActionData>({ ok: false, message: t.badInput }, { status: 400 });
  const i = p.data;
  switch (i.intent) {
    case "save": {
      const bases = i.bases.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const r = updateDecision(d.id, { number: i.number, decidedOn: i.decidedOn, place: i.place, signerName: i.signerName, signerTitle: i.signerTitle, bases }, user.id, i.version);
      return r.ok ? json<ActionData>({ ok: true, message: t.saved }) : refused(r);
    }
    case "add": {
      const sub = i.subUnit ? eligibleSubUnits(d.issuingUnitId, d.schoolYear).find((s) => s.id === Number(i.subUnit)) : undefined;
      if (i.subUnit && !sub) return json<ActionData>({ ok: false, message: t.badInput }, { status: 400 });
      const ids = eligibleIds(d.issuingUnitId, d.schoolYear, { type: i.type || undefined, unitPath: sub?.path }, d.id);
      const r = changeDecisionFiles(d.id, { add: ids }, user.id);
      return r.ok ? json<ActionData>({ ok: true, message: t.added(r.added), skipped: r.skipped }) : refused(r);
    }
    case "remove": {
      const r = changeDecisionFiles(d.id, { remove: i.ids }, user.id);
      return r.ok ? json<ActionData>({ ok: true, message: t.removed(r.removed) }) : refused(r);
    }
    case "issue": {
      if (i.confirm !== "1") return json<ActionData>({ ok: false, message: t.issueMustConfirm, fieldErrors: { confirm: t.issueMustConfirm } }, { status: 422 });
      const r = issueDecision(d.id, user.id, i.version);
      return r.ok ? json<ActionData>({ ok: true, message: r.late ? t.issuedLate(r.recognised, r.late) : t.issued(r.recognised) }) : refused(r);
    }
    case "delete": {
      const r = deleteDraft(d.id, user.id);
      return r.ok ? redirect("/cong-nhan") : refused(r);
    }
    case "revoke-certificate":
    case "reissue": {
      const cert = certificateById(i.certificateId);
      if (!cert || cert.decisionId !== d.id) return json<ActionData>({ ok: false, message: "Không tìm thấy giấy công nhận." }, { status: 404 });
      if (i.intent === "reissue") {
        const r = reissueCertificate(cert.id, user.id);
        return r.ok ? json<ActionData>({ ok: true, message: t.reissued(r.serial) }) : refused(r, cert.id);
      }
      const r = revokeCertificate(cert.id, i.reason, user.id);
      return r.ok ? json<ActionData>({ ok: true, message: t.revokedOne }) : refused(r, cert.id);
    }
    case "batch": {
      const running = jobsOfDecision(d.id)[i.kind];
      if (running?.status === "running") return json<ActionData>({ ok: false, message: t.batchRunning }, { status: 409 });
      const job = startBatch(d.id, i.kind, user.id);
      return job ? json<ActionData>({ ok: true, message: t.batchStarted }) : json<ActionData>({ ok: false, message: t.batchNotIssued }, { status: 409 });
    }
    case "revoke-decision": {
      const r = revokeDecision(d.id, i.reason, user.id);
      return r.ok ? json<ActionData>({ ok: true, message: t.revokedDecision(r.revoked) }) : refused(r);
    }
  }
}

export default function DecisionPage() {
  const { decision: d, manage, files, check, add, jobs } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const running = Object.values(jobs).some((j) => j?.status === "running");
  // While a batch runs, the page asks for its progress every 1.5 s (and stops when it is done).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const result = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const draft = d.status === "draft";
  const errors = result?.fieldErrors ?? {};
  const editable = draft && manage;
  return (
    <div>
      <p>
        <Link to="/cong-nhan">← {t.title}</Link>
      </p>
      <h1>{t.heading(d.number, d.schoolYear)}</h1>
      <p data-testid="decision-status" data-status={d.status}>
        {t.statusLine(d.statusLabel)}
      </p>
      {d.revokedAt ? <p className="alert alert--warn">{t.revokedInfo(formatLocalDate(localDateOf(d.revokedAt)), d.revokeReason ?? "")}</p> : null}
      {result ? (
        <div className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          <p>{result.message}</p>
          {result.skipped?.length ? (
            <>
              <p>{t.skipped}</p>
              <ul>
                {result.skipped.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {!manage ? <p className="muted">{t.readOnly}</p> : null}

      <section aria-labelledby="downloads">
        <h2 id="downloads">{t.downloads}</h2>
        <p className="actions">
          <a href={`/cong-nhan/${d.id}/quyet-dinh.pdf`}>{draft ? t.decisionDraftPdf : t.decisionPdf}</a>
        </p>
        {d.status === "issued"
          ? BATCH_KINDS.map((kind) => {
              const j = jobs[kind];
              return (
                <div key={kind} className="card" data-batch={kind}>
                  <h3>{t.batch[kind]}</h3>
                  {j ? (
                    <>
                      {j.status === "running" ? (
                        <p role="status">
                          <label htmlFor={`tien-do-${kind}`}>{t.batchProgress(j.done, j.total)}</label>{" "}
                          <progress id={`tien-do-${kind}`} max={Math.max(1, j.total)} value={j.done}>
                            {j.done}/{j.total}
                          </progress>
                        </p>
                      ) : null}
                      {j.status === "done" && j.size != null ? (
                        <p>
                          <a href={`/cong-nhan/${d.id}/tai-ve/${j.id}`}>{t.batchDownload[kind]}</a> <span className="muted">{t.batchMade(formatDateTime(j.finishedAt ?? j.createdAt), j.total, j.size)}</span>
                        </p>
                      ) : null}
                      {j.status === "failed" || j.status === "interrupted" ? <p className="alert alert--error">{j.status === "failed" ? t.batchFailed : t.batchInterrupted}</p> : null}
                    </>
                  ) : null}
                  {manage && j?.status !== "running" ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="kind" value={kind} />
                      <button type="submit" name="intent" value="batch" className="button button--secondary" disabled={busy}>
                        {j ? t.batchAgain[kind] : t.batchStart[kind]}
                      </button>
                    </Form>
                  ) : null}
                </div>
              );
            })
          : null}
      </section>

      <Form method="post" className="card form" aria-labelledby="fields">
        <h2 id="fields">{t.fields}</h2>
        <CsrfInput />
        <input type="hidden" name="version" value={d.version} />
        <fieldset disabled={!editable}>
          <Field label={t.number} name="number" hint={t.numberHint} defaultValue={d.number ?? ""} error={errors.number} />
          <Field label={t.decidedOn} name="decidedOn" type="date" defaultValue={d.decidedOn ?? ""} error={errors.decidedOn} />
          <Field label={t.place} name="place" hint={t.placeHint} defaultValue={d.place ?? ""} error={errors.place} />
          <Field label={t.signerName} name="signerName" defaultValue={d.signerName ?? ""} error={errors.signerName} />
          <Field label={t.signerTitle} name="signerTitle" hint={t.signerTitleHint} defaultValue={d.signerTitle ?? ""} error={errors.signerTitle} />
          <div className="field">
            <label htmlFor="bases">{t.bases}</label>
            <p className="hint" id="bases-hint">
              {t.basesHint}
            </p>
            <textarea id="bases" name="bases" rows={6} defaultValue={d.bases.join("\n")} aria-describedby="bases-hint" aria-invalid={errors.bases ? true : undefined} />
            {errors.bases ? <p className="field-error">{errors.bases}</p> : null}
          </div>
          {editable ? (
            <button type="submit" name="intent" value="save" className="button" disabled={busy}>
              {t.save}
            </button>
          ) : null}
        </fieldset>
      </Form>

      {add ? (
        <Form method="post" className="card form" aria-labelledby="add-files">
          <h2 id="add-files">{t.addHeading}</h2>
          <p className="muted">{t.addHint}</p>
          <CsrfInput />
          <SelectField label={t.type} name="type" defaultValue="" placeholder={t.all} options={SCHOOL_TYPES.map((v) => ({ value: v, label: ta.schoolTypes[v] }))} />
          <SelectField label={t.subUnit} name="subUnit" defaultValue="" placeholder={t.all} options={add.subUnits.map((s) => ({ value: String(s.id), label: `${s.name} (${s.files})` }))} />
          <button type="submit" name="intent" value="add" className="button" disabled={busy || add.eligible === 0}>
            {t.addAll(add.eligible)}
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="files">
        <h2 id="files">{t.files(files.total)}</h2>
        <Form method="post" id="remove-files">
          <CsrfInput />
        </Form>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {editable ? <th scope="col">{t.fileCols.select}</th> : null}
                <th scope="col">{t.fileCols.school}</th>
                <th scope="col">{t.fileCols.code}</th>
                <th scope="col">{t.fileCols.type}</th>
                <th scope="col">{t.fileCols.subUnit}</th>
                <th scope="col" className="num">
                  {t.fileCols.level}
                </th>
                {!draft ? <th scope="col">{t.fileCols.certificate}</th> : null}
              </tr>
            </thead>
            <tbody>
              {files.rows.length === 0 ? (
                <tr>
                  <td colSpan={7}>{t.noFiles}</td>
                </tr>
              ) : null}
              {files.rows.map((f) => (
                <tr key={f.assessmentId} data-file={f.code}>
                  {editable ? (
                    <td>
                      <input id={`bo-${f.assessmentId}`} type="checkbox" name="ids" value={f.assessmentId} form="remove-files" />
                      <label htmlFor={`bo-${f.assessmentId}`} className="visually-hidden">
                        {t.selectRow(f.school)}
                      </label>
                    </td>
                  ) : null}
                  <td>
                    <Link to={`/danh-gia/${f.assessmentId}`}>{f.school}</Link>
                  </td>
                  <td>{f.code}</td>
                  <td>{ta.schoolTypes[f.type as keyof typeof ta.schoolTypes] ?? f.type}</td>
                  <td>{f.subUnit}</td>
                  <td className="num">{f.externalLevel != null ? `Mức ${f.externalLevel}` : "–"}</td>
                  {!draft ? (
                    <td>
                      {f.certificate ? (
                        <CertificateCell decisionIssued={d.status === "issued"} manage={manage} school={f.school} cert={f.certificate} result={result} busy={busy} />
                      ) : (
                        "–"
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={files.page} pageCount={files.pageCount} total={files.total} />
        {editable && files.rows.length ? (
          <button type="submit" form="remove-files" name="intent" value="remove" className="button button--secondary" disabled={busy}>
            {t.removeSelected}
          </button>
        ) : null}
      </section>

      {check ? (
        <section aria-labelledby="issue-check" className="card">
          <h2 id="issue-check">{t.check}</h2>
          {Object.keys(check.missing).length ? (
            <>
              <p>{t.missing}</p>
              <ul data-testid="missing">
                {Object.entries(check.missing).map(([k, v]) => (
                  <li key={k}>{v}</li>
                ))}
              </ul>
            </>
          ) : null}
          {check.notReady.length ? (
            <>
              <p>{t.notReady}</p>
              <ul>
                {check.notReady.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </>
          ) : null}
          {check.late ? <p className="alert alert--warn">{t.late(check.late)}</p> : null}
          {!Object.keys(check.missing).length && !check.notReady.length ? <p>{t.ready}</p> : null}
          {manage ? (
            <>
              <Form method="post" className="form">
                <CsrfInput />
                <input type="hidden" name="version" value={d.version} />
                <div className="field checkbox">
                  <input id="issue-confirm" type="checkbox" name="confirm" value="1" aria-invalid={errors.confirm ? true : undefined} aria-describedby={errors.confirm ? "issue-confirm-e" : undefined} />
                  <label htmlFor="issue-confirm">{t.issueConfirm}</label>
                  {errors.confirm ? (
                    <p className="field-error" id="issue-confirm-e">
                      {errors.confirm}
                    </p>
                  ) : null}
                </div>
                <button type="submit" name="intent" value="issue" className="button" disabled={busy}>
                  {t.issue}
                </button>
              </Form>
              <Form method="post" className="form">
                <CsrfInput />
                <button type="submit" name="intent" value="delete" className="button button--secondary" disabled={busy}>
                  {t.deleteDraft}
                </button>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}

      {d.status === "issued" && manage ? (
        <Form method="post" className="card form" aria-labelledby="revoke-decision">
          <h2 id="revoke-decision">{t.revokeDecisionHeading}</h2>
          <p className="muted">{t.revokeDecisionHint}</p>
          <CsrfInput />
          <div className="field">
            <label htmlFor="decision-reason">{t.reason}</label>
            <textarea id="decision-reason" name="reason" rows={2} maxLength={REVOKE_REASON_MAX} aria-invalid={!result?.target && errors.reason ? true : undefined} />
            {!result?.target && errors.reason ? <p className="field-error">{errors.reason}</p> : null}
          </div>
          <button type="submit" name="intent" value="revoke-decision" className="button button--danger" disabled={busy}>
            {t.revokeDecision}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

function CertificateCell({
  cert,
  school,
  manage,
  decisionIssued,
  result,
  busy,
}: {
  cert: { id: number; serial: string; token: string; revokedAt: number | null };
  school: string;
  manage: boolean;
  decisionIssued: boolean;
  result: ActionData | undefined;
  busy: boolean;
}) {
  const error = result && !result.ok && result.target === cert.id ? (result.fieldErrors?.reason ?? result.message) : null;
  return (
    <div data-certificate={cert.serial}>
      <p>
        <strong>{cert.serial}</strong> — {cert.revokedAt ? t.revokedOn(formatLocalDate(localDateOf(cert.revokedAt))) : t.valid}
      </p>
      <p className="actions">
        <a href={`/xac-minh/${cert.token}`}>{t.verify}</a> <a href={`/xac-minh/${cert.token}.pdf`}>{t.certificatePdf}</a>
      </p>
      {manage && decisionIssued && !cert.revokedAt ? (
        <Form method="post" className="form form--inline">
          <CsrfInput />
          <input type="hidden" name="certificateId" value={cert.id} />
          <label htmlFor={`ly-do-${cert.id}`} className="visually-hidden">
            {t.revokeCertLabel(school)}
          </label>
          <input id={`ly-do-${cert.id}`} name="reason" maxLength={REVOKE_REASON_MAX} placeholder={t.reason} aria-invalid={error ? true : undefined} />
          <button type="submit" name="intent" value="revoke-certificate" className="button button--secondary" disabled={busy}>
            {t.revokeCert}
          </button>
          {error ? <p className="field-error">{error}</p> : null}
        </Form>
      ) : null}
      {manage && decisionIssued && cert.revokedAt ? (
        <Form method="post" className="form form--inline">
          <CsrfInput />
          <input type="hidden" name="certificateId" value={cert.id} />
          <button type="submit" name="intent" value="reissue" className="button button--secondary" disabled={busy} aria-label={t.reissueLabel(school)}>
            {t.reissue}
          </button>
          {error ? <p className="field-error">{error}</p> : null}
        </Form>
      ) : null}
    </div>
  );
}
