import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useRevalidator, useRouteLoaderData } from "@remix-run/react";
import type { SavedAnswers, TheirChange } from "~/domain/answers";
import type { ChoiceItem, Edition, InfoBlock } from "~/domain/catalogue";
import { formatPoints, nextLevelHints, scoreAssessment, suggestChoice, type AnswerValue, type Answers, type InfoAnswer, type ScoreResult } from "~/domain/scoring";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { formatDateTime } from "~/utils/time";
import { ItemField } from "./ItemField";
import { loadStoredDraft, sendable, storeDraft, withoutSaved, type Draft, type DraftEntry, type StoredDraft } from "./draft";

const t = pick(assessmentUi);
const AUTOSAVE_MS = 1200;
const RETRY_MS = 10_000;

export interface AnswerMetaView {
  version: number;
  updatedAt: number;
  updatedBy: string | null;
}

export interface AssessmentFormProps {
  assessmentId: number;
  schoolType: string;
  version: number;
  edition: Edition;
  answers: Record<string, AnswerValue>;
  notes: Record<string, string>;
  /** The stored version of each answered item: what this tab has seen (sent back with each save). */
  itemVersions: Record<string, number>;
  editable: boolean;
  evidenceCounts: Record<string, number>;
  /** Rendered under each item (the evidence panel), with the item's live value, note and points. */
  renderItemExtra?: (itemCode: string, live: LiveItem) => React.ReactNode;
  /** Where saves go; default the school's /danh-gia/:id/luu (the external phase has its own). */
  saveUrl?: string;
  /** The local draft's key; default the assessment id (the external phase keeps its own draft). */
  draftScope?: string;
  /** The note's label and hint per phase. */
  noteText?: { label: string; hint: string };
  /** A message at an item's note, from its live value and note. */
  noteErrorFor?: (itemCode: string, live: LiveItem) => string | undefined;
  /** More lines in the score panel (the self-assessment's levels beside the external ones). */
  panelExtra?: (result: ScoreResult) => React.ReactNode;
  /** The score panel's caption; default "Kết quả tạm tính". */
  panelLabel?: string;
  /** Shown under an item's (or information block's) heading: the carried-forward mark. */
  renderItemBadge?: (itemCode: string) => React.ReactNode;
}

/** An item as the form has it now (saved overlaid with local edits). */
export interface LiveItem {
  value: AnswerValue | undefined;
  note: string;
  points: number;
}

type SaveState =
  | { kind: "idle"; at?: number }
  | { kind: "saving" }
  | { kind: "offline" }
  | { kind: "expired" }
  | { kind: "locked" }
  | { kind: "conflict" }
  | { kind: "failed" };

interface Conflict {
  version: number;
  theirs: TheirChange[];
}

/** Effective answers: what the server has, overlaid with valid local edits. */
function effectiveAnswers(saved: Record<string, AnswerValue>, draft: Draft): Answers {
  const out: Record<string, AnswerValue> = { ...saved };
  for (const [code, c] of Object.entries(sendable(draft))) {
    if (c.value === undefined) continue;
    if (c.value === null) delete out[code];
    else out[code] = c.value;
  }
  return out;
}

function showValue(v: AnswerValue | null | undefined): string {
  if (v === null || v === undefined) return t.unanswered;
  if (v === true) return t.yes;
  if (v === false) return t.no;
  if (typeof v === "string") return v;
  if ("numerator" in v && "denominator" in v) return `${v.numerator}/${v.denominator}`;
  return Object.values(v).join(" · ");
}

export function AssessmentForm(props: AssessmentFormProps) {
  const { assessmentId, edition, editable } = props;
  const draftScope = props.draftScope ?? String(assessmentId);
  const saveUrl = props.saveUrl ?? `/danh-gia/${assessmentId}/luu`;
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  const revalidator = useRevalidator();
  const [draft, setDraft] = useState<Draft>({});
  const [baseVersion, setBaseVersion] = useState(props.version);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [restore, setRestore] = useState<StoredDraft | null>(null);
  const inFlight = useRef(false);
  // The sticky panel's height, as a CSS variable: a link to an item scrolls it just below the panel.
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = panelRef.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const set = () => root.style.setProperty("--score-panel-h", `${Math.ceil(el.getBoundingClientRect().height)}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => {
      ro.disconnect();
      root.style.removeProperty("--score-panel-h");
    };
  }, []);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const baseRef = useRef(baseVersion);
  baseRef.current = baseVersion;
  // The version of each item this tab has shown the user. A save sends it per item, so a change
  // made elsewhere (another person, or this user in another tab) since then is a conflict, and a
  // change merged by the server is only "seen" once the form has it and no local edit is based
  // on the older value.
  const seenRef = useRef<Record<string, number>>({ ...props.itemVersions });

  // Revalidated loader data: the user now sees the stored value of every item they are not editing.
  useEffect(() => {
    for (const [code, v] of Object.entries(props.itemVersions)) {
      if (!(code in draftRef.current)) seenRef.current[code] = Math.max(seenRef.current[code] ?? 0, v);
    }
  }, [props.itemVersions]);

  // The server's version moves on after our saves and others' (revalidation).
  useEffect(() => {
    if (props.version > baseRef.current && Object.keys(draftRef.current).length === 0) setBaseVersion(props.version);
  }, [props.version]);

  // Offer to restore what was typed but not saved last time.
  useEffect(() => {
    const stored = loadStoredDraft(draftScope);
    if (stored && Object.keys(stored.draft).length > 0 && editable) setRestore(stored);
  }, [draftScope, editable]);

  // Keep every keystroke on this device until the server has it.
  useEffect(() => {
    if (restore) return; // do not overwrite the stored draft before the user chose
    storeDraft(draftScope, Object.keys(draft).length ? { baseVersion, draft, seen: { ...seenRef.current }, at: Date.now() } : null);
  }, [draftScope, draft, baseVersion, restore]);

  const answers = useMemo(() => effectiveAnswers(props.answers, draft), [props.answers, draft]);
  const result: ScoreResult = useMemo(() => scoreAssessment(edition, answers), [edition, answers]);
  const hints = useMemo(() => nextLevelHints(edition, result), [edition, result]);
  const itemScores = useMemo(() => new Map(result.items.map((i) => [i.code, i])), [result]);
  const indicatorScores = useMemo(() => new Map(result.indicators.map((i) => [i.code, i])), [result]);
  const pending = sendable(draft);
  const pendingCount = Object.keys(pending).length;
  const invalidCount = Object.keys(draft).length - pendingCount;
  const withEvidence = result.items.filter((i) => (props.evidenceCounts[i.code] ?? 0) > 0).length;

  const doSave = useCallback(
    async (opts: { force?: boolean } = {}) => {
      if (!editable || inFlight.current) return;
      const changes = sendable(draftRef.current);
      if (Object.keys(changes).length === 0) return;
      inFlight.current = true;
      setSave({ kind: "saving" });
      const body = new FormData();
      body.set("_csrf", root?.csrf ?? "");
      const withSeen = Object.fromEntries(Object.entries(changes).map(([code, c]) => [code, { ...c, seen: seenRef.current[code] ?? 0 }]));
      body.set("payload", JSON.stringify({ baseVersion: baseRef.current, changes: withSeen }));
      try {
        const res = await fetch(saveUrl, { method: "POST", body, headers: { Accept: "application/json" } });
        const data = (await res.json().catch(() => null)) as
          | SavedAnswers
          | { ok: false; kind: string; version?: number; theirs?: Conflict["theirs"]; errors?: { code: string; vi: string }[] }
          | null;
        if (res.status === 401 || res.status === 403) return setSave({ kind: "expired" });
        if (!data) return setSave({ kind: "failed" });
        if (data.ok) {
          for (const code of data.saved ?? []) seenRef.current[code] = data.version;
          // Others' changes merged into this version: seen, unless the user is editing that item
          // on top of the older value (then the next save of it meets them as a conflict).
          for (const o of data.others ?? []) {
            if (!(o.code in draftRef.current)) seenRef.current[o.code] = Math.max(seenRef.current[o.code] ?? 0, o.version);
          }
          setDraft((d) => withoutSaved(d, changes));
          setBaseVersion(data.version);
          setServerErrors({});
          setConflict(null);
          setSave({ kind: "idle", at: Date.now() });
          revalidator.revalidate();
          return;
        }
        if (data.kind === "conflict" && data.theirs && data.version !== undefined) {
          setConflict({ version: data.version, theirs: data.theirs });
          if (opts.force) setBaseVersion(data.version);
          return setSave({ kind: "conflict" });
        }
        if (data.kind === "invalid" && data.errors) {
          setServerErrors(Object.fromEntries(data.errors.map((e) => [e.code, e.vi])));
          return setSave({ kind: "failed" });
        }
        if (data.kind === "locked") return setSave({ kind: "locked" });
        return setSave({ kind: "failed" });
      } catch {
        setSave({ kind: "offline" });
      } finally {
        inFlight.current = false;
      }
    },
    [saveUrl, editable, revalidator, root?.csrf],
  );

  // Autosave shortly after typing stops; retry while offline.
  const draftKey = JSON.stringify(pending);
  useEffect(() => {
    if (!editable || pendingCount === 0 || conflict || restore) return;
    const wait = save.kind === "offline" || save.kind === "failed" ? RETRY_MS : AUTOSAVE_MS;
    const timer = setTimeout(() => void doSave(), wait);
    return () => clearTimeout(timer);
  }, [draftKey, editable, pendingCount, conflict, restore, save.kind, doSave]);

  useEffect(() => {
    const online = () => void doSave();
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, [doSave]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (Object.keys(draftRef.current).length === 0) return;
      e.preventDefault();
      e.returnValue = t.save.leaveWarning;
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  const onChange = useCallback((code: string, entry: DraftEntry) => {
    setDraft((d) => ({ ...d, [code]: entry }));
  }, []);

  const keepMine = () => {
    if (!conflict) return;
    // The user has now seen their values: the re-sent save is checked against these versions.
    for (const c of conflict.theirs) seenRef.current[c.code] = c.version;
    setBaseVersion(conflict.version);
    baseRef.current = conflict.version;
    setConflict(null);
    void doSave({ force: true });
  };
  const takeTheirs = () => {
    if (!conflict) return;
    const codes = new Set(conflict.theirs.map((c) => c.code));
    for (const c of conflict.theirs) seenRef.current[c.code] = c.version;
    setDraft((d) => Object.fromEntries(Object.entries(d).filter(([code]) => !codes.has(code))));
    setBaseVersion(conflict.version);
    setConflict(null);
    // Resolved: the state says what is true now (saved, or other changes still to save), not the conflict.
    setSave({ kind: "idle", at: Date.now() });
    revalidator.revalidate();
  };

  const statusText = (() => {
    if (!editable) return null;
    switch (save.kind) {
      case "saving":
        return t.save.saving;
      case "offline":
        return t.save.offline;
      case "expired":
        return t.save.expired;
      case "locked":
        return t.save.locked;
      case "failed":
        return t.save.failed;
      case "conflict":
        return t.save.conflictPending;
      case "idle":
        if (pendingCount > 0) return t.save.unsaved;
        if (invalidCount > 0) return t.save.invalidPending;
        return save.at ? t.save.saved(formatDateTime(save.at).slice(-5)) : null;
    }
  })();
  const statusTone = save.kind === "idle" && pendingCount === 0 && invalidCount === 0 ? "ok" : save.kind === "saving" ? "" : "warn";

  return (
    <div className="assessment">
      {restore ? (
        <div className="alert alert--warn" role="alert">
          <p>{t.save.restoreTitle(Object.keys(restore.draft).length, formatDateTime(restore.at))}</p>
          <div className="actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                // The restored edits were typed on top of what was seen then, not of what is stored now.
                for (const code of Object.keys(restore.draft)) seenRef.current[code] = restore.seen?.[code] ?? restore.baseVersion;
                setDraft(restore.draft);
                setBaseVersion(restore.baseVersion);
                setRestore(null);
              }}
            >
              {t.save.restore}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                storeDraft(draftScope, null);
                setRestore(null);
              }}
            >
              {t.save.discard}
            </button>
          </div>
        </div>
      ) : null}

      {conflict ? (
        <section className="alert alert--error conflict" role="alertdialog" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t.conflict.title}</h2>
          <p>{t.conflict.intro}</p>
          <ul>
            {conflict.theirs.map((c) => (
              <li key={c.code}>
                <strong>{c.code}</strong>: {t.conflict.theirs(c.updatedBy ?? t.conflict.someone, formatDateTime(c.updatedAt))}:{" "}
                <strong data-theirs={c.code}>{showValue(c.value)}</strong>
                {c.note ? ` — ${c.note}` : ""}; {t.conflict.mine}: <strong data-mine={c.code}>{showValue(answers[c.code] ?? null)}</strong>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="button" onClick={keepMine}>
              {t.conflict.keepMine}
            </button>
            <button type="button" className="button button--secondary" onClick={takeTheirs}>
              {t.conflict.takeTheirs}
            </button>
          </div>
        </section>
      ) : null}

      <aside ref={panelRef} className="score-panel card" aria-label={props.panelLabel ?? t.provisional}>
        <div className="score-panel__levels">
          {result.groups.map((g) => (
            <div key={g.code} className="score-panel__group" data-group={g.code}>
              <span className="muted">
                {t.group} {g.code}
              </span>
              <strong>{t.pointsOf(formatPoints(g.points), formatPoints(g.max))}</strong>
              <span className="level">{t.level(g.level)}</span>
            </div>
          ))}
          <div className="score-panel__group score-panel__group--total">
            <span className="muted">{props.panelLabel ?? t.provisional}</span>
            <strong className="level" data-testid="institution-level" aria-live="polite">
              {t.level(result.level)} – {result.levelName}
            </strong>
          </div>
        {editable ? (
            <div className="actions score-panel__save">
              <button type="button" className="button" onClick={() => void doSave()} disabled={pendingCount === 0 || save.kind === "saving"}>
                {t.save.button}
              </button>
              <span className={`save-status save-status--${statusTone}`} role="status" data-testid="save-status">
                {statusText}
                {save.kind === "expired" ? (
                  <>
                    {" "}
                    <a href={`/login?redirectTo=${encodeURIComponent(`/danh-gia/${assessmentId}`)}`}>{t.save.loginAgain}</a>
                  </>
                ) : null}
              </span>
            </div>
          ) : null}
        </div>
        {props.panelExtra ? props.panelExtra(result) : null}
        <p className="muted score-panel__progress">
          {t.progress(result.answered, result.total, withEvidence)} · <a href="#muc-luc">{t.toc.jump}</a> · <a href="#next-level">{t.next.title}</a>
        </p>
        {result.mandatoryUnmet.length ? <p className="field-error">{t.mandatoryUnmet(result.mandatoryUnmet.join(", "))}</p> : null}
      </aside>

      {/* The form is long (about 11,000 px): a table of contents by indicator, each with its state. */}
      <details className="card form-toc" id="muc-luc" open>
        <summary>
          <h2 className="form-toc__title">{t.toc.title}</h2>
        </summary>
        <p className="muted">
          {t.toc.intro} <a href="#next-level">{t.next.title}</a>.
        </p>
        {edition.groups.map((g) => (
          <div key={g.code} className="table-scroll" tabIndex={0} role="region" aria-label={`${t.toc.title} — ${t.group} ${g.code}`}>
            <table className="form-toc__table">
              <caption>
                {t.group} {g.code}. {g.title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t.toc.indicator}</th>
                  <th scope="col">{t.toc.answered}</th>
                  <th scope="col">{t.toc.evidence}</th>
                  <th scope="col">{t.toc.points}</th>
                </tr>
              </thead>
              <tbody>
                {g.indicators.map((ind) => {
                  const is = indicatorScores.get(ind.code);
                  const codes = ind.items.map((i) => i.code);
                  const answered = codes.filter((c) => itemScores.get(c)?.answered).length;
                  const evidenced = codes.filter((c) => (props.evidenceCounts[c] ?? 0) > 0).length;
                  const unmet = codes.filter((c) => result.mandatoryUnmet.includes(c));
                  const done = answered === codes.length;
                  return (
                    <tr key={ind.code} data-toc={ind.code} className={done ? "form-toc__row--done" : undefined}>
                      <th scope="row">
                        <a href={`#cs-${ind.code}`}>
                          {ind.code}. {ind.title}
                        </a>
                      </th>
                      <td className="num">{t.toc.answeredOf(answered, codes.length)}</td>
                      <td className="num">{t.toc.evidenceOf(evidenced, codes.length)}</td>
                      <td className="num">{is && is.scored ? t.pointsOf(formatPoints(is.points), formatPoints(is.max)) : answered === 0 ? t.unanswered : unmet.length ? t.notMet : t.met}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </details>

      {edition.groups.map((g) => (
        <section key={g.code} className="group" aria-labelledby={`nhom-${g.code}`}>
          <h2 id={`nhom-${g.code}`}>
            {t.group} {g.code}. {g.title}
          </h2>
          {g.indicators.map((ind) => {
            const is = indicatorScores.get(ind.code);
            return (
              <section key={ind.code} className="card indicator-section" aria-labelledby={`cs-${ind.code}`}>
                <h3 id={`cs-${ind.code}`}>
                  {t.indicator} {ind.code}. {ind.title}
                  {is && is.scored ? <span className="indicator-section__points"> — {t.pointsOf(formatPoints(is.points), formatPoints(is.max))}</span> : null}
                </h3>
                {is?.band ? <p className="muted">{t.band(is.band.level, is.band.name)}</p> : null}
                {ind.items.map((item) => {
                  const live: LiveItem = { value: answers[item.code] ?? undefined, note: draft[item.code]?.note ?? props.notes[item.code] ?? "", points: itemScores.get(item.code)?.points ?? 0 };
                  return (
                  <ItemField
                    key={item.code}
                    item={item}
                    saved={props.answers[item.code]}
                    savedNote={props.notes[item.code]}
                    entry={draft[item.code]}
                    score={itemScores.get(item.code)}
                    editable={editable}
                    serverError={serverErrors[item.code]}
                    onChange={onChange}
                    noteText={props.noteText}
                    noteError={props.noteErrorFor?.(item.code, live)}
                    badge={props.renderItemBadge?.(item.code)}
                  >
                    {item.rule === "choice" && item.suggest ? (
                      <Suggestion item={item} edition={edition} schoolType={props.schoolType} editable={editable} onUse={(opt) => onChange(item.code, { ...draft[item.code], value: opt })} />
                    ) : null}
                    {props.renderItemExtra ? props.renderItemExtra(item.code, live) : <p className="muted">{t.evidenceCount(props.evidenceCounts[item.code] ?? 0)}</p>}
                  </ItemField>
                  );
                })}
                {ind.info?.map((info) => (
                  <InfoFields
                    key={info.key}
                    info={info}
                    value={(answers[info.key] as InfoAnswer | undefined) ?? {}}
                    missing={result.missingInfo.includes(info.key)}
                    editable={editable}
                    serverError={serverErrors[info.key]}
                    badge={props.renderItemBadge?.(info.key)}
                    onChange={(v) => {
                      // Empty fields are left out; nothing filled in is an unanswered block.
                      const filled = Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim() !== ""));
                      onChange(info.key, { ...draft[info.key], value: Object.keys(filled).length ? filled : null });
                    }}
                  />
                ))}
              </section>
            );
          })}
        </section>
      ))}

      <section className="card next-level" aria-labelledby="next-level">
        <h2 id="next-level">{t.next.title}</h2>
        {hints.length === 0 ? <p>{t.next.allTop}</p> : null}
        {hints.map((h) => (
          <div key={h.groupCode} data-hint-group={h.groupCode}>
            <h3>
              {t.next.group(h.groupCode, h.currentLevel, h.targetLevel)}
              {h.pointsNeeded > 0 ? `: ${t.next.pointsNeeded(formatPoints(h.pointsNeeded))}` : ""}
            </h3>
            {h.mandatoryUnmet.length ? <p className="field-error">{t.next.mandatory(h.mandatoryUnmet.join(", "))}</p> : null}
            {h.gains.length ? (
              <>
                <p>{t.next.gains}</p>
                <ul>
                  {h.gains.slice(0, 5).map((g) => (
                    <li key={g.code}>
                      <a href={`#tieu-chi-${g.code}`}>{t.next.gain(g.code, formatPoints(g.gain))}</a> — {g.text}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ))}
      </section>
      {/* On a phone the score panel scrolls away: a compact bar keeps the live level and the save state in sight. */}
      <div className="level-bar" aria-hidden="true" data-testid="level-bar">
        <strong>
          {t.level(result.level)} – {result.levelName}
        </strong>
        {editable ? <span className={`save-status save-status--${statusTone}`}>{statusText}</span> : null}
      </div>
    </div>
  );
}

function Suggestion({ item, edition, schoolType, editable, onUse }: { item: ChoiceItem; edition: Edition; schoolType: string; editable: boolean; onUse: (option: string) => void }) {
  const [pupils, setPupils] = useState("");
  const [computers, setComputers] = useState("");
  const s = item.suggest!;
  const valid = /^\d+$/.test(pupils) && /^\d+$/.test(computers);
  const res = valid ? suggestChoice(edition, item.code, schoolType, { pupils: Number(pupils), computers: Number(computers) }) : null;
  const option = res?.ok ? item.options.find((o) => o.id === res.option) : undefined;
  return (
    <fieldset className="suggestion" disabled={!editable}>
      <legend>{t.suggestion.title}</legend>
      <div className="ratio">
        <div className="field">
          <label htmlFor={`sg-p-${item.code}`}>{s.pupilsLabel}</label>
          <input id={`sg-p-${item.code}`} type="text" inputMode="numeric" value={pupils} onChange={(e) => setPupils(e.target.value.trim())} />
        </div>
        <div className="field">
          <label htmlFor={`sg-c-${item.code}`}>{s.computersLabel}</label>
          <input id={`sg-c-${item.code}`} type="text" inputMode="numeric" value={computers} onChange={(e) => setComputers(e.target.value.trim())} />
        </div>
      </div>
      {res && !res.ok ? <p className="field-error">{res.error.vi}</p> : null}
      {res?.ok && option ? (
        <p className="actions">
          <span>
            {t.suggestion.result(option.label)} — {res.explanation.vi}
          </span>
          <button type="button" className="button button--secondary button--small" onClick={() => onUse(option.id)}>
            {t.suggestion.use}
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}

function InfoFields({ info, value, missing, editable, serverError, badge, onChange }: { info: InfoBlock; value: InfoAnswer; missing: boolean; editable: boolean; serverError?: string; badge?: React.ReactNode; onChange: (v: InfoAnswer) => void }) {
  return (
    <>
    {/* Outside the fieldset: its button stays usable whatever the fieldset's state. */}
    {badge}
    <fieldset className={`info-block${missing ? " field--error" : ""}`} disabled={!editable} id={`tieu-chi-${info.key}`}>
      <legend>{info.title}</legend>
      {missing ? <p className="field-error">{t.lmsRequired}</p> : null}
      {serverError ? <p className="field-error">{serverError}</p> : null}
      {info.fields.map((f) => {
        const id = `info-${info.key}-${f.id}`;
        const empty = missing && !(value[f.id] ?? "").trim();
        const err = empty ? (f.type === "text" ? t.lmsNameRequired : t.lmsAcqRequired) : null;
        return (
          <div key={f.id} className={`field${err ? " field--error" : ""}`}>
            <label htmlFor={id}>{f.label}</label>
            {f.type === "text" ? (
              <input id={id} type="text" maxLength={200} value={value[f.id] ?? ""} aria-invalid={err ? true : undefined} aria-describedby={err ? `${id}-e` : undefined} onChange={(e) => onChange({ ...value, [f.id]: e.target.value })} />
            ) : (
              <select id={id} value={value[f.id] ?? ""} aria-invalid={err ? true : undefined} aria-describedby={err ? `${id}-e` : undefined} onChange={(e) => onChange({ ...value, [f.id]: e.target.value })}>
                <option value="">—</option>
                {f.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
            {err ? (
              <p className="field-error" id={`${id}-e`}>
                {err}
              </p>
            ) : null}
          </div>
        );
      })}
    </fieldset>
    </>
  );
}
