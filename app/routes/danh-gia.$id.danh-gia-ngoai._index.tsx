/**
 * /danh-gia/:id/danh-gia-ngoai — the external assessment (đánh giá ngoài) of an approved file.
 * The reviewer of the school's reviewing office (policy assessment.external) changes values with
 * the form's own inputs (autosaved to /danh-gia/:id/danh-gia-ngoai/luu, phase "external"), gives a
 * reason for each item that differs from the school's, records the team, and finishes — or keeps
 * the school's result in one action; a finished assessment may be reopened with a reason until
 * recognition. Both phases are scored by the same engine and shown side by side. The school sees
 * the page once the external assessment is finished (canSeeExternal), never before.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AssessmentForm } from "~/components/assessment/AssessmentForm";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { CsrfInput } from "~/components/CsrfInput";
import { answerText } from "~/domain/answers";
import { allows } from "~/domain/assessment-states";
import type { Edition } from "~/domain/catalogue";
import { REASON_MAX, TEAM_ROLES, type TeamMember } from "~/domain/review";
import { formatPoints, type AnswerValue, type ScoreResult } from "~/domain/scoring";
import { pick } from "~/i18n";
import { externalUi } from "~/i18n/external";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { can, canSeeExternal } from "~/server/policy.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { evidenceCounts } from "~/server/services/assessments.server";
import { bothPhases, externalChanges, finishExternal, keepSelf, reopenExternal, reviewColumnsOf, setTeam } from "~/server/services/review.server";
import { formatDateTime } from "~/utils/time";

const t = pick(externalUi);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title} — ${data.header.schoolName}` : "CĐS 4725" }];

const EXTERNAL_STATES = new Set(["approved", "assessed", "recognised"]);
const BLANK_MEMBER_ROWS = 3;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a, header } = await requireAssessment(request, params, "school.read", { hideForbidden: true });
  const base = { header, status: a.status };
  if (!EXTERNAL_STATES.has(a.status)) return json({ ...base, view: "not-yet" as const });
  if (!canSeeExternal(user, a)) return json({ ...base, view: "hidden" as const });
  const mayAct = can(user, "assessment.external", { kind: "school", schoolId: a.schoolId });
  const phases = bothPhases(a);
  const cols = reviewColumnsOf(a.id)!;
  const changes = externalChanges(a.id);
  return json({
    ...base,
    view: "form" as const,
    version: a.version,
    schoolType: a.schoolType,
    edition: phases.edition,
    answers: phases.external.answers,
    notes: phases.external.notes,
    itemVersions: Object.fromEntries(Object.entries(phases.external.meta).map(([c, m]) => [c, m.version])),
    selfAnswers: phases.self.answers,
    selfResult: phases.selfResult,
    externalResult: phases.externalResult,
    evidenceCounts: evidenceCounts(a.id),
    changed: changes.changed,
    team: cols.team,
    finishedAt: cols.externalFinishedAt,
    canEdit: mayAct && allows(a.status, "externalSave"),
    canReopen: mayAct && allows(a.status, "reopenExternal"),
  });
}

const member = z.object({ name: z.string().max(200), title: z.string().max(300), role: z.string().max(20) });
const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("team"), version: z.coerce.number().int().nonnegative(), date: z.string().max(20), number: z.string().max(80), conclusion: z.string().max(8000) }),
  z.object({ intent: z.literal("finish"), version: z.coerce.number().int().nonnegative() }),
  z.object({ intent: z.literal("keep") }),
  z.object({ intent: z.literal("reopen"), reason: z.string().max(REASON_MAX * 2).default("") }),
]);

type ActionData = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

function refused(r: { kind: string; message: string; fieldErrors?: Record<string, string> }) {
  const status = r.kind === "invalid" ? 422 : r.kind === "not-found" ? 404 : 409;
  return json<ActionData>({ ok: false, message: r.kind === "stale" ? t.stale : r.message, fieldErrors: r.fieldErrors }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.external");
  const form = await readForm(request);
  await assertCsrf(request, form);
  const fields: Record<string, string> = {};
  const members: Record<string, Record<string, string>> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    const m = /^member\.(\d{1,2})\.(name|title|role)$/.exec(k);
    if (m) (members[m[1]] ??= {})[m[2]] = v;
    else fields[k] = v;
  }
  const p = intent.safeParse(fields);
  if (!p.success) return json<ActionData>({ ok: false, message: t.badInput }, { status: 400 });
  const d = p.data;
  if (d.intent === "team") {
    const rows: TeamMember[] = [];
    for (const key of Object.keys(members).sort((x, y) => Number(x) - Number(y))) {
      const row = member.safeParse({ name: "", title: "", role: "thanh_vien", ...members[key] });
      if (!row.success) return json<ActionData>({ ok: false, message: t.badInput }, { status: 400 });
      if (!row.data.name.trim() && !row.data.title.trim()) continue; // a blank row
      rows.push(row.data as TeamMember);
    }
    const r = setTeam(a.id, { date: d.date.trim() || null, number: d.number.trim() || null, conclusion: d.conclusion.trim() || null, members: rows }, user.id, { expectedVersion: d.version });
    return r.ok ? json<ActionData>({ ok: true, message: t.teamSaved }) : refused(r);
  }
  if (d.intent === "finish") {
    const r = finishExternal(a.id, user.id, { expectedVersion: d.version });
    return r.ok ? json<ActionData>({ ok: true, message: t.finished(r.level) }) : refused(r);
  }
  if (d.intent === "keep") {
    const r = keepSelf([a.id], user.id);
    return r.done.length ? json<ActionData>({ ok: true, message: t.kept }) : json<ActionData>({ ok: false, message: r.skipped[0]?.message ?? t.badInput }, { status: 409 });
  }
  const r = reopenExternal(a.id, d.reason, user.id);
  return r.ok ? json<ActionData>({ ok: true, message: t.reopened }) : refused(r);
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

function diffText(a: number, b: number): string {
  if (a === b) return "—";
  const d = b - a;
  return `${d > 0 ? "+" : "−"}${formatPoints(Math.abs(d))}`;
}

function Compare({ self, ext }: { self: ScoreResult; ext: ScoreResult }) {
  const extGroups = new Map(ext.groups.map((g) => [g.code, g]));
  const extInd = new Map(ext.indicators.map((i) => [i.code, i]));
  return (
    <section className="card" aria-labelledby="dgn-compare">
      <h3 id="dgn-compare">{t.compareTitle}</h3>
      <div className="table-wrap">
        <table className="table compare-table">
          <thead>
            <tr>
              <th scope="col">{t.colWhat}</th>
              <th scope="col">{t.colSelf}</th>
              <th scope="col">{t.colExternal}</th>
              <th scope="col">{t.colDiff}</th>
            </tr>
          </thead>
          <tbody>
            <tr className={self.level !== ext.level ? "differs" : undefined} data-compare="institution">
              <th scope="row">{t.institution}</th>
              <td>{t.level(self.level)}</td>
              <td>
                <strong>{t.level(ext.level)}</strong>
              </td>
              <td>{self.level !== ext.level ? t.differs : "—"}</td>
            </tr>
            {self.groups.map((g) => {
              const e = extGroups.get(g.code)!;
              return (
                <tr key={g.code} className={g.points !== e.points || g.level !== e.level ? "differs" : undefined} data-compare={`group-${g.code}`}>
                  <th scope="row">{t.group(g.code)}</th>
                  <td>
                    {formatPoints(g.points)}/{formatPoints(g.max)} · {t.level(g.level)}
                  </td>
                  <td>
                    {formatPoints(e.points)}/{formatPoints(e.max)} · {t.level(e.level)}
                  </td>
                  <td>{diffText(g.points, e.points)}</td>
                </tr>
              );
            })}
            {self.indicators
              .filter((i) => i.scored)
              .map((i) => {
                const e = extInd.get(i.code)!;
                return (
                  <tr key={i.code} className={i.points !== e.points ? "differs" : undefined}>
                    <th scope="row">{t.indicator(i.code)}</th>
                    <td>{formatPoints(i.points)}</td>
                    <td>{formatPoints(e.points)}</td>
                    <td>{diffText(i.points, e.points)}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function itemOf(edition: Edition, code: string) {
  for (const g of edition.groups) for (const i of g.indicators) for (const it of i.items) if (it.code === code) return it;
  return undefined;
}

export default function ExternalPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  if (d.view !== "form") {
    return (
      <div>
        <AssessmentHeader {...d.header} />
        <h2>{t.title}</h2>
        <p className="alert">{d.view === "hidden" ? t.hiddenForSchool : t.notYet}</p>
      </div>
    );
  }
  const edition = d.edition as unknown as Edition;
  const selfAnswers = d.selfAnswers as Record<string, AnswerValue>;
  const selfResult = d.selfResult as unknown as ScoreResult;
  const selfItems = new Map(selfResult.items.map((i) => [i.code, i]));
  const errors = (result && !result.ok ? result.fieldErrors : undefined) ?? {};
  const missing = Object.keys(errors)
    .filter((k) => k.startsWith("reason."))
    .map((k) => k.slice("reason.".length));
  const members: (TeamMember | null)[] = [...d.team.members, ...Array.from({ length: d.canEdit ? BLANK_MEMBER_ROWS : 0 }, () => null)];
  const notes = d.notes as Record<string, string>;
  return (
    <div>
      <AssessmentHeader {...d.header} />
      <h2>{t.title}</h2>
      {result ? (
        <p className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {missing.length ? (
        <div className="alert alert--error" role="alert">
          <p>{t.missingReasons}</p>
          <ul>
            {missing.map((c) => (
              <li key={c}>
                <a href={`#tieu-chi-${c}`}>{c}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="muted">{d.finishedAt ? t.finishedAt(formatDateTime(d.finishedAt), null) : t.inProgress}</p>
      {d.canEdit ? <p>{t.intro}</p> : <p className="muted">{t.readOnly}</p>}
      <p className="actions">
        <a href={`/danh-gia/${d.header.id}/bien-ban.pdf`}>{t.bienBan}</a>
        {d.canEdit || d.canReopen ? <Link to={`/danh-gia/${d.header.id}/kiem-tra`}>{t.toCheck}</Link> : null}
      </p>

      <Compare self={selfResult} ext={d.externalResult as unknown as ScoreResult} />

      {!d.canEdit ? (
        <section className="card" aria-labelledby="dgn-items">
          <h3 id="dgn-items">{t.itemsTitle}</h3>
          {d.changed.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t.colItem}</th>
                    <th scope="col">{t.colSelf}</th>
                    <th scope="col">{t.colExternal}</th>
                    <th scope="col">{t.colReason}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.changed.map((code) => {
                    const item = itemOf(edition, code) as { rule: string; options?: { id: string; label: string }[] } | undefined;
                    return (
                      <tr key={code} data-changed-item={code}>
                        <th scope="row">{code}</th>
                        <td>{answerText(item, selfAnswers[code])}</td>
                        <td>{answerText(item, (d.answers as Record<string, AnswerValue>)[code])}</td>
                        <td>{notes[code] ?? ""}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t.noChangedItems}</p>
          )}
        </section>
      ) : null}

      <section className="card" aria-labelledby="dgn-team">
        <h3 id="dgn-team">{t.teamTitle}</h3>
        {d.canEdit ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="version" value={d.version} />
            <div className={`field${errors["team.date"] ? " field--error" : ""}`}>
              <label htmlFor="dgn-date">{t.teamDate}</label>
              <input id="dgn-date" type="date" name="date" defaultValue={d.team.date ?? ""} aria-invalid={errors["team.date"] ? true : undefined} />
              {errors["team.date"] ? <p className="field-error">{errors["team.date"]}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="dgn-number">{t.teamNumber}</label>
              <input id="dgn-number" name="number" maxLength={40} defaultValue={d.team.number ?? ""} />
            </div>
            {members.map((m, i) => {
              const err = errors[`team.members.${i}.name`] ?? errors[`team.members.${i}.role`];
              return (
                <fieldset key={i} className={`team-member${err ? " field--error" : ""}`}>
                  <legend className="visually-hidden">{t.memberName(i + 1)}</legend>
                  <div className="field">
                    <label htmlFor={`dgn-m${i}-name`}>{t.memberName(i + 1)}</label>
                    <input id={`dgn-m${i}-name`} name={`member.${i}.name`} maxLength={120} defaultValue={m?.name ?? ""} aria-invalid={err ? true : undefined} />
                  </div>
                  <div className="field">
                    <label htmlFor={`dgn-m${i}-title`}>{t.memberTitle(i + 1)}</label>
                    <input id={`dgn-m${i}-title`} name={`member.${i}.title`} maxLength={160} defaultValue={m?.title ?? ""} />
                  </div>
                  <div className="field">
                    <label htmlFor={`dgn-m${i}-role`}>{t.memberRole(i + 1)}</label>
                    <select id={`dgn-m${i}-role`} name={`member.${i}.role`} defaultValue={m?.role ?? (i === 0 ? "truong_doan" : "thanh_vien")}>
                      {TEAM_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t.roles[r]}
                        </option>
                      ))}
                    </select>
                  </div>
                  {err ? <p className="field-error">{err}</p> : null}
                </fieldset>
              );
            })}
            {errors["team.members"] ? <p className="field-error">{errors["team.members"]}</p> : null}
            <div className="field">
              <label htmlFor="dgn-conclusion">{t.teamConclusion}</label>
              <textarea id="dgn-conclusion" name="conclusion" rows={3} maxLength={4000} defaultValue={d.team.conclusion ?? ""} />
            </div>
            <button type="submit" name="intent" value="team" className="button button--secondary" disabled={busy}>
              {t.teamSave}
            </button>
          </Form>
        ) : d.team.members.length ? (
          <ul>
            {d.team.members.map((m, i) => (
              <li key={i}>
                {m.name}
                {m.title ? `, ${m.title}` : ""} — {t.roles[m.role]}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t.teamEmpty}</p>
        )}
      </section>

      <AssessmentForm
        assessmentId={d.header.id}
        schoolType={d.schoolType}
        version={d.version}
        edition={edition}
        answers={d.answers as Record<string, AnswerValue>}
        notes={notes}
        itemVersions={d.itemVersions}
        editable={d.canEdit}
        evidenceCounts={d.evidenceCounts}
        saveUrl={`/danh-gia/${d.header.id}/danh-gia-ngoai/luu`}
        draftScope={`${d.header.id}:external`}
        noteText={{ label: t.reasonLabel, hint: t.reasonHint }}
        panelLabel={t.panel}
        panelExtra={() => <p className="muted">{t.selfPanel(selfResult.level)}</p>}
        noteErrorFor={(code, live) => (d.canEdit && !same(selfAnswers[code], live.value) && !live.note.trim() ? t.reasonRequired : undefined)}
        renderItemExtra={(code, live) => {
          const s = selfItems.get(code);
          const item = itemOf(edition, code) as { rule: string; options?: { id: string; label: string }[] } | undefined;
          const differs = !same(selfAnswers[code], live.value);
          return (
            <p className={differs ? "compare-line differs" : "compare-line muted"} data-self={code}>
              {t.selfWas(answerText(item, selfAnswers[code]), s && item?.rule !== "mandatory" ? formatPoints(s.points) : null)}
              {differs ? <strong> · {t.differs}</strong> : null}
            </p>
          );
        }}
      />

      {d.canEdit ? (
        <>
          <Form method="post" className="card" aria-labelledby="dgn-finish">
            <CsrfInput />
            <input type="hidden" name="version" value={d.version} />
            <h3 id="dgn-finish">{t.finishTitle}</h3>
            <p>{t.finishIntro}</p>
            <p className="muted">{d.changed.length ? t.changedItems(d.changed.length) : t.noChangedItems}</p>
            <button type="submit" name="intent" value="finish" className="button" disabled={busy}>
              {t.finishButton}
            </button>
          </Form>
          <Form method="post" className="card" aria-labelledby="dgn-keep">
            <CsrfInput />
            <h3 id="dgn-keep">{t.keepTitle}</h3>
            <p>{t.keepIntro}</p>
            <button type="submit" name="intent" value="keep" className="button button--secondary" disabled={busy}>
              {t.keepButton}
            </button>
          </Form>
        </>
      ) : null}
      {d.canReopen ? (
        <Form method="post" className="card" aria-labelledby="dgn-reopen">
          <CsrfInput />
          <h3 id="dgn-reopen">{t.reopenTitle}</h3>
          <div className={`field${errors.reason ? " field--error" : ""}`}>
            <label htmlFor="dgn-reason">{t.reopenReason}</label>
            <textarea id="dgn-reason" name="reason" rows={2} maxLength={REASON_MAX} aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? "dgn-reason-e" : undefined} />
            {errors.reason ? (
              <p className="field-error" id="dgn-reason-e">
                {errors.reason}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="reopen" className="button button--secondary" disabled={busy}>
            {t.reopenButton}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
