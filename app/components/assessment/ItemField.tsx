import { useId } from "react";
import type { ChoiceItem, Item, RatioItem } from "~/domain/catalogue";
import { formatPoints, toHundredths, type AnswerValue, type ItemScore } from "~/domain/scoring";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { parseRatio, type DraftEntry } from "./draft";

const t = pick(assessmentUi);

export interface ItemFieldProps {
  item: Item;
  saved: AnswerValue | undefined;
  savedNote: string | undefined;
  /** The note's label and hint (the external phase calls it the reason). */
  noteText?: { label: string; hint: string };
  /** A message at the note (e.g. a changed external item without its reason). */
  noteError?: string;
  entry: DraftEntry | undefined;
  score: ItemScore | undefined;
  editable: boolean;
  serverError?: string;
  onChange: (code: string, entry: DraftEntry) => void;
  children?: React.ReactNode;
  /** Shown under the item's heading (the carried-forward mark). */
  badge?: React.ReactNode;
}

function ratioStrings(v: AnswerValue | undefined): { num: string; den: string } {
  if (v && typeof v === "object" && "numerator" in v && "denominator" in v) return { num: String(v.numerator), den: String(v.denominator) };
  return { num: "", den: "" };
}

function YesNo({ item, value, editable, onPick }: { item: Item; value: boolean | undefined; editable: boolean; onPick: (v: boolean | null) => void }) {
  const name = `q-${item.code}`;
  const mandatory = item.rule === "mandatory";
  return (
    <fieldset className="yesno" disabled={!editable}>
      <legend className="visually-hidden">
        {item.code} {item.text}
      </legend>
      <label className="choice">
        <input type="radio" name={name} checked={value === true} onChange={() => onPick(true)} /> {mandatory ? t.met : t.yes}
      </label>
      <label className="choice">
        <input type="radio" name={name} checked={value === false} onChange={() => onPick(false)} /> {mandatory ? t.notMet : t.no}
      </label>
      {value !== undefined && editable ? (
        <button type="button" className="button button--quiet button--small" onClick={() => onPick(null)}>
          {t.clear}
        </button>
      ) : null}
    </fieldset>
  );
}

function RatioInputs({ item, num, den, editable, onInput }: { item: RatioItem; num: string; den: string; editable: boolean; onInput: (num: string, den: string) => void }) {
  const id = useId();
  const parsed = parseRatio(num, den);
  const msg = (() => {
    switch (parsed.problem) {
      case undefined:
        return null;
      case "notInteger":
        return t.ratio.notInteger;
      case "tooLarge":
        return t.ratio.tooLarge;
      case "missingDen":
        return t.ratio.missingDen(item.denominatorLabel);
      case "missingNum":
        return t.ratio.missingNum(item.numeratorLabel);
      case "numAboveDen":
        return t.ratio.numAboveDen(item.numeratorLabel, item.denominatorLabel);
      case "zeroDen":
        return t.ratio.zeroDen(item.denominatorLabel);
    }
  })();
  return (
    <div className="ratio">
      <CountField id={`${id}-n`} label={item.numeratorLabel} value={num} editable={editable} error={parsed.field === "num" ? msg : null} onInput={(v) => onInput(v, den)} />
      <CountField id={`${id}-d`} label={item.denominatorLabel} value={den} editable={editable} error={parsed.field === "den" ? msg : null} onInput={(v) => onInput(num, v)} />
    </div>
  );
}

/** One whole-number count of a ratio, with its label and its error. */
function CountField({ id, label, value, editable, error, onInput }: { id: string; label: string; value: string; editable: boolean; error: string | null; onInput: (v: string) => void }) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        disabled={!editable}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-e` : undefined}
        onChange={(e) => onInput(e.target.value)}
      />
      {error ? (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ChoiceInputs({ item, value, editable, onPick }: { item: ChoiceItem; value: string | undefined; editable: boolean; onPick: (v: string | null) => void }) {
  return (
    <fieldset className="choices" disabled={!editable}>
      <legend className="visually-hidden">
        {item.code} {item.text}
      </legend>
      {item.options.map((o) => (
        <label key={o.id} className="choice">
          <input type="radio" name={`q-${item.code}`} checked={value === o.id} onChange={() => onPick(o.id)} /> {o.label} ({formatPoints(toHundredths(o.points))}{" "}
          {t.points})
        </label>
      ))}
      {value !== undefined && editable ? (
        <button type="button" className="button button--quiet button--small" onClick={() => onPick(null)}>
          {t.clear}
        </button>
      ) : null}
    </fieldset>
  );
}

/** One item of the form: its input by rule type, live points with their explanation, a note. */
export function ItemField({ item, saved, savedNote, entry, score, editable, serverError, onChange, children, noteText, noteError, badge }: ItemFieldProps) {
  const noteId = useId();
  const current: AnswerValue | undefined = entry && "value" in entry && entry.value !== undefined ? (entry.value ?? undefined) : saved;
  const note = entry?.note ?? savedNote ?? "";
  const update = (patch: DraftEntry) => onChange(item.code, { ...entry, ...patch });
  const ratio = item.rule === "ratio" ? { ...ratioStrings(saved), ...(entry?.num !== undefined || entry?.den !== undefined ? { num: entry?.num ?? "", den: entry?.den ?? "" } : {}) } : null;

  return (
    <div className="item" id={`tieu-chi-${item.code}`} data-item={item.code}>
      <div className="item__head">
        <p className="item__text">
          <strong>{item.code}</strong> {item.text}
        </p>
        {score && item.rule !== "mandatory" ? (
          <p className="item__points" aria-live="polite">
            <strong>{t.pointsOf(formatPoints(score.points), formatPoints(score.max))}</strong>
          </p>
        ) : null}
      </div>
      {badge}
      {item.rule === "mandatory" || item.rule === "boolean" ? (
        <YesNo item={item} value={typeof current === "boolean" ? current : undefined} editable={editable} onPick={(v) => update({ value: v })} />
      ) : null}
      {item.rule === "ratio" && ratio ? <RatioInputs item={item} num={ratio.num} den={ratio.den} editable={editable} onInput={(num, den) => update({ num, den })} /> : null}
      {item.rule === "choice" ? (
        <ChoiceInputs item={item} value={typeof current === "string" ? current : undefined} editable={editable} onPick={(v) => update({ value: v })} />
      ) : null}
      {serverError ? <p className="field-error">{serverError}</p> : null}
      {score && item.rule !== "mandatory" ? (
        <p className="item__explain muted">
          {t.howComputed}: {score.explanation}
        </p>
      ) : null}
      {children}
      <details className="item__note" open={note || noteError ? true : undefined}>
        <summary>{noteText?.label ?? t.note}</summary>
        <div className={`field${noteError ? " field--error" : ""}`}>
          <label htmlFor={noteId} className="visually-hidden">
            {noteText?.label ?? t.note} {item.code}
          </label>
          <textarea
            id={noteId}
            value={note}
            maxLength={2000}
            disabled={!editable}
            rows={2}
            onChange={(e) => update({ note: e.target.value })}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={`${noteId}-h${noteError ? ` ${noteId}-e` : ""}`}
          />
          <span className="hint" id={`${noteId}-h`}>
            {noteText?.hint ?? t.noteHint}
          </span>
          {noteError ? (
            <p className="field-error" id={`${noteId}-e`}>
              {noteError}
            </p>
          ) : null}
        </div>
      </details>
    </div>
  );
}
