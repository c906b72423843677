/**
 * /danh-gia/:id/bao-cao — the school writes the free-text sections of its self-assessment report
 * (outline of Phụ lục 2: I. lãnh đạo, chỉ đạo; II.1 quá trình; II.2 kết quả; III–V) and downloads
 * the PDF. Read-only once the assessment has been submitted, and for readers without edit rights.
 * Below the sections, the report's evidence list as the PDF prints it: one row per evidence, with
 * all its codes (a file used for three items appears once).
 */
import { useId, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { headerFor, requireAssessment } from "~/server/services/assessment-page.server";
import { isEditableBySchool, STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { REPORT_SECTION_KEYS, REPORT_SECTION_MAX, sectionFingerprint, type ReportSectionKey } from "~/domain/report";
import { report } from "~/i18n/report";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readSmallForm } from "~/server/forms.server";
import { can, type Action } from "~/server/policy.server";
import { saveReportText, type SectionConflict } from "~/server/services/assessments.server";
import { reportEvidenceRows } from "~/server/services/report.server";

const t = pick(report);

/** A section as typed: NFC, LF line ends, at most REPORT_SECTION_MAX characters. */
const sectionField = z
  .string({ invalid_type_error: t.errors.notString })
  .default("")
  .transform((v) => v.normalize("NFC").replace(/\r\n?/g, "\n"))
  .superRefine((v, ctx) => {
    if (v.length > REPORT_SECTION_MAX) ctx.addIssue({ code: z.ZodIssueCode.custom, message: t.errors.tooLong(v.length) });
  });

/** Only the sections the post carries: a missing section is left as it is, never blanked. */
const formSchema = z.object(Object.fromEntries(REPORT_SECTION_KEYS.map((k) => [k, sectionField.optional()])) as Record<ReportSectionKey, z.ZodOptional<typeof sectionField>>);

/** The hidden field carrying the fingerprint of the text the tab was shown for a section. */
const baseField = (k: ReportSectionKey) => `${k}__base`;
const fingerprintShape = /^[0-9a-f]{16}$/;

/** Six sections of 20,000 characters, percent-encoded (up to 9 bytes a character), with room to spare. */
const FORM_MAX_BYTES = 1_200_000;

type Sections = Record<ReportSectionKey, string>;

/** id → user → assessment → authorization (requireAssessment), before anything else is read. */
const loadAuthorized = (request: Request, params: LoaderFunctionArgs["params"], action: Action = "school.read") =>
  requireAssessment(request, params, action, { messages: { badId: t.errors.badId, notFound: t.errors.notFound } });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${t.page.title}${data ? ` — ${data.schoolName}` : ""} — CĐS 4725` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a } = await loadAuthorized(request, params);
  const editable = isEditableBySchool(a.status);
  const mayEdit = can(user, "assessment.edit", { kind: "school", schoolId: a.schoolId });
  const sections = Object.fromEntries(REPORT_SECTION_KEYS.map((k) => [k, typeof a.reportText?.[k] === "string" ? a.reportText[k] : ""])) as Sections;
  return json({
    header: headerFor(user, a),
    id: a.id,
    schoolName: a.schoolName,
    schoolYear: a.schoolYear,
    status: a.status,
    statusLabel: STATE_LABELS[a.status].vi,
    editable,
    canEdit: editable && mayEdit,
    mayEdit,
    sections,
    bases: Object.fromEntries(REPORT_SECTION_KEYS.map((k) => [k, sectionFingerprint(sections[k])])) as Record<ReportSectionKey, string>,
    evidence: reportEvidenceRows(a).map((e) => ({
      evidenceId: e.evidenceId,
      title: e.title,
      kind: e.kind,
      codes: e.links.map((l) => l.code),
      items: [...new Set(e.links.map((l) => l.itemCode))],
    })),
  });
}

type ActionData = {
  ok: false;
  errors: Partial<Record<ReportSectionKey, string>>;
  values: Partial<Sections>;
  formError?: string;
  /** Sections someone else changed since this tab loaded them: their text, and the base that keeps mine. */
  conflicts?: SectionConflict[];
};

export async function action({ request, params }: ActionFunctionArgs) {
  // Edit rights are asked before a byte of the body is read.
  const { user, a } = await loadAuthorized(request, params, "assessment.edit");
  const form = await readSmallForm(request, FORM_MAX_BYTES, t.errors.tooBig);
  await assertCsrf(request, form);

  const raw: Record<string, unknown> = {};
  for (const k of REPORT_SECTION_KEYS) {
    const v = form.get(k);
    if (v !== null) raw[k] = v;
  }
  const values = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string")) as Partial<Sections>;
  if (!isEditableBySchool(a.status)) return json<ActionData>({ ok: false, errors: {}, values, formError: t.errors.locked }, { status: 409 });

  const parsed = formSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Partial<Record<ReportSectionKey, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as ReportSectionKey;
      errors[key] ??= issue.message;
    }
    return json<ActionData>({ ok: false, errors, values, formError: t.page.formError }, { status: 400 });
  }
  const changes: Partial<Record<ReportSectionKey, { text: string; base: string }>> = {};
  for (const k of REPORT_SECTION_KEYS) {
    const text = parsed.data[k];
    if (text === undefined) continue;
    const base = form.get(baseField(k));
    // No base: the tab started from an empty section.
    changes[k] = { text, base: typeof base === "string" && fingerprintShape.test(base) ? base : sectionFingerprint("") };
  }
  const saved = saveReportText(a.id, changes, user.id);
  if (saved.ok) return redirect(`/danh-gia/${a.id}/bao-cao?da-luu=1`);
  if (saved.kind === "conflict") return json<ActionData>({ ok: false, errors: {}, values: parsed.data as Partial<Sections>, formError: saved.message, conflicts: saved.conflicts }, { status: 409 });
  return json<ActionData>({ ok: false, errors: {}, values, formError: saved.message }, { status: 409 });
}

function SectionField({
  name,
  label,
  hint,
  value,
  base,
  conflict,
  error,
}: {
  name: ReportSectionKey;
  label: string;
  hint: string;
  value: string;
  base: string;
  conflict?: SectionConflict;
  error?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [theirs, setTheirs] = useState(conflict ?? null);
  const count = text.length;
  const describedBy = [`${id}-hint`, `${id}-count`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      {theirs ? (
        <div className="alert alert--error conflict" role="alert" id={`${id}-conflict`}>
          <p>{t.conflict.intro(theirs.updatedBy, theirs.updatedAt)}</p>
          <p className="muted">{t.conflict.theirsLabel}</p>
          <pre className="conflict-theirs" data-theirs={name}>
            {theirs.theirs.trim() ? theirs.theirs : t.page.empty}
          </pre>
          <div className="actions">
            <button type="submit" className="button">
              {t.conflict.keepMine}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setText(theirs.theirs);
                setTheirs(null);
              }}
            >
              {t.conflict.takeTheirs}
            </button>
          </div>
        </div>
      ) : null}
      {/* The base this text starts from: after a conflict, theirs (so saving again keeps mine knowingly). */}
      <input type="hidden" name={baseField(name)} value={conflict ? conflict.base : base} />
      <textarea
        id={id}
        name={name}
        rows={8}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      <span className={count > REPORT_SECTION_MAX ? "field-error" : "hint"} id={`${id}-count`}>
        {t.page.counter(count)}
      </span>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function SectionText({ label, value }: { label: string; value: string }) {
  return (
    <section className="report-section">
      <h2>{label}</h2>
      {value.trim() ? <p style={{ whiteSpace: "pre-wrap" }}>{value}</p> : <p className="muted">{t.page.empty}</p>}
    </section>
  );
}

function EvidenceList({ rows }: { rows: { evidenceId: number; title: string; kind: "file" | "link"; codes: string[]; items: string[] }[] }) {
  const p = t.page;
  return (
    <section aria-labelledby="report-evidence-title" className="report-evidence">
      <h2 id="report-evidence-title">{p.evidenceHeading}</h2>
      {rows.length === 0 ? (
        <p className="muted">{p.evidenceNone}</p>
      ) : (
        <>
          <p className="muted">{p.evidenceIntro}</p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{p.evidenceHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{p.evidenceCols.no}</th>
                  <th scope="col">{p.evidenceCols.codes}</th>
                  <th scope="col">{p.evidenceCols.title}</th>
                  <th scope="col">{p.evidenceCols.items}</th>
                  <th scope="col">{p.evidenceCols.kind}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e, i) => (
                  <tr key={e.evidenceId} data-evidence={e.evidenceId}>
                    <td>{i + 1}</td>
                    <td>
                      {e.codes.map((c) => (
                        <code key={c} style={{ display: "block" }}>
                          {c}
                        </code>
                      ))}
                    </td>
                    <td style={{ overflowWrap: "anywhere" }}>{e.title}</td>
                    <td>{e.items.join(", ")}</td>
                    <td>{e.kind === "file" ? p.evidenceFile : p.evidenceLink}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export default function ReportPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [sp] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const s = t.sections;
  const value = (k: ReportSectionKey) => result?.values?.[k] ?? data.sections[k];
  const conflictOf = (k: ReportSectionKey) => result?.conflicts?.find((c) => c.section === k);
  const pdfHref = `/danh-gia/${data.id}/bao-cao.pdf`;

  return (
    <article>
      <AssessmentHeader {...data.header} />
      <h2>{t.page.heading(data.schoolName, data.schoolYear)}</h2>
      {sp.get("da-luu") && !result ? (
        <p className="alert alert--ok" role="status">
          {t.page.saved}
        </p>
      ) : null}
      {result?.formError ? (
        <div className="alert alert--error" role="alert">
          {result.formError}
        </div>
      ) : null}
      <p>{t.page.intro}</p>
      <p className="actions">
        <a className="button button--secondary" href={pdfHref} download>
          {t.page.download}
        </a>
      </p>

      {data.canEdit ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <SectionField
            key={`leadership-${conflictOf("leadership")?.base ?? data.bases.leadership}`}
            name="leadership"
            label={s.leadership.label}
            hint={s.leadership.hint}
            value={value("leadership")}
            base={data.bases.leadership}
            conflict={conflictOf("leadership")}
            error={result?.errors?.leadership}
          />
          <h2>{t.page.partII}</h2>
          {(["process", "results", "difficulties", "directions", "proposals"] as const).map((k) => (
            <SectionField
              key={`${k}-${conflictOf(k)?.base ?? data.bases[k]}`}
              name={k}
              label={s[k].label}
              hint={s[k].hint}
              value={value(k)}
              base={data.bases[k]}
              conflict={conflictOf(k)}
              error={result?.errors?.[k]}
            />
          ))}
          <p className="actions">
            <button type="submit" className="button" disabled={busy}>
              {t.page.save}
            </button>
          </p>
        </Form>
      ) : (
        <>
          <p className="alert alert--warn">{data.editable ? t.page.noEditRight : t.page.readOnly}</p>
          {REPORT_SECTION_KEYS.map((k) => (
            <SectionText key={k} label={s[k].label} value={data.sections[k]} />
          ))}
        </>
      )}
      <EvidenceList rows={data.evidence} />
    </article>
  );
}
