import type { EditionDiff, EntityChange, FieldChange } from "~/domain/catalogue";
import type { Band, ChoiceOption, InfoBlock, Provenance, PupilsPerComputerSuggestion, Rollup, RuleType } from "~/domain/catalogue";
import type { DiffField } from "~/domain/catalogue/diff";
import { formatPoints, toHundredths } from "~/domain/scoring";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { formatLocalDate } from "~/utils/time";

const c = pick(catalogueUi);
const t = c.diff;

/** One readable line of a change: "Điểm tối đa: 6 → 7". Values are display text, never field names or JSON. */
export interface ChangeRow {
  label: string;
  old: string;
  new: string;
}

interface Ctx {
  /** Choice items: option id → label (EntityChange.optionLabels). */
  optionLabels?: Record<string, string>;
}

const EMPTY = "–";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const pts = (v: unknown) => (isNum(v) ? formatPoints(toHundredths(v)) : EMPTY);
const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : isNum(v) ? pts(v) : EMPTY);
const arr = <T,>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const label = (f: DiffField) => t.fields[f];

function bandRange(b: Band): string {
  return `${pts(b.min)} ${b.minInclusive ? "≤" : "<"} x ${b.maxInclusive ? "≤" : "<"} ${pts(b.max)}`;
}

/** Rows of two lists matched by a key: one row per key whose display differs. */
function byKey<T>(oldList: T[], newList: T[], key: (x: T) => string, rowLabel: (x: T) => string, show: (x: T) => string, showEn: (x: T) => string | undefined): ChangeRow[] {
  const A = new Map(oldList.map((x) => [key(x), x]));
  const B = new Map(newList.map((x) => [key(x), x]));
  const keys = [...new Set([...B.keys(), ...A.keys()])];
  const rows: ChangeRow[] = [];
  for (const k of keys) {
    const a = A.get(k);
    const b = B.get(k);
    let o = a ? show(a) : EMPTY;
    let n = b ? show(b) : EMPTY;
    if (a && b && o === n) {
      // Only the English wording differs: show it, so the row is never "x → x".
      const ea = showEn(a);
      const eb = showEn(b);
      if ((ea ?? "") === (eb ?? "")) continue;
      o = `${o} (${ea ?? EMPTY})`;
      n = `${n} (${eb ?? EMPTY})`;
    }
    rows.push({ label: rowLabel((b ?? a)!), old: o, new: n });
  }
  return rows;
}

function bandRows(f: DiffField, ch: FieldChange): ChangeRow[] {
  return byKey<Band>(
    arr(ch.old),
    arr(ch.new),
    (b) => String(b.level),
    (b) => t.part(label(f), `Mức ${b.level}`),
    (b) => `${c.bandLabel(b.level, b.name)}: ${bandRange(b)}`,
    (b) => b.nameEn,
  );
}

function optionRows(ch: FieldChange): ChangeRow[] {
  return byKey<ChoiceOption>(
    arr(ch.old),
    arr(ch.new),
    (o) => o.id,
    (o) => t.option(o.label),
    (o) => t.optionValue(o.label, pts(o.points)),
    (o) => o.labelEn,
  );
}

function infoText(b: InfoBlock): string {
  const fields = b.fields.map((f) => t.infoField(f.label, f.type === "choice" ? f.options.map((o) => o.label).join(" / ") : "")).join("; ");
  const req = b.requiredWhen ? `; ${t.requiredWhen(b.requiredWhen.anyMet.join(", "))}` : "";
  return `${b.title}: ${fields}${req}`;
}

function infoRows(ch: FieldChange): ChangeRow[] {
  return byKey<InfoBlock>(
    arr(ch.old),
    arr(ch.new),
    (b) => b.key,
    (b) => t.part(label("info"), b.title),
    (b) => `${infoText(b)} · ${c.provenanceBadge[b.provenance]}`,
    (b) => b.titleEn,
  );
}

function suggestText(v: unknown, ctx: Ctx): string {
  if (!v || typeof v !== "object") return EMPTY;
  const s = v as PupilsPerComputerSuggestion;
  const name = (id: string) => ctx.optionLabels?.[id] ?? id;
  const tiers = arr<PupilsPerComputerSuggestion["tiers"][number]>(s.tiers).map((tier) =>
    t.suggestTier(
      name(tier.option),
      Object.entries(tier.maxPupilsPerComputer ?? {})
        .map(([lvl, n]) => t.suggestLimit(lvl, String(n)))
        .join(", "),
    ),
  );
  return `${t.suggestMethod} (${s.pupilsLabel} / ${s.computersLabel}): ${[...tiers, t.suggestOtherwise(name(s.otherwise))].join("; ")}`;
}

function suggestDetail(v: unknown): string {
  if (!v || typeof v !== "object") return EMPTY;
  const s = v as PupilsPerComputerSuggestion;
  const types = Object.entries(s.schoolTypes ?? {})
    .map(([k, lv]) => `${k}: ${arr<string>(lv).join(", ")}`)
    .join("; ");
  return [types, s.note, s.provenance ? c.provenanceBadge[s.provenance] : ""].filter(Boolean).join(" · ");
}

function rollupRows(ch: FieldChange): ChangeRow[] {
  const a = (ch.old ?? null) as Rollup | null;
  const b = (ch.new ?? null) as Rollup | null;
  const mu = (r: Rollup | null) =>
    r ? (r.mandatoryUnmet.effect === "cap-group-level" ? c.rollupMandatoryGroup(r.mandatoryUnmet.level) : c.rollupMandatoryInstitution(r.mandatoryUnmet.level)) : EMPTY;
  const inst = (r: Rollup | null) => (r ? (r.institution === "min-of-groups" ? c.rollupMin : EMPTY) : EMPTY);
  const prov = (r: Rollup | null) => (r?.mandatoryUnmet.provenance ? c.provenanceBadge[r.mandatoryUnmet.provenance] : EMPTY);
  const note = (r: Rollup | null) => str(r?.mandatoryUnmet.note);
  return [
    { label: t.rollupInstitution, old: inst(a), new: inst(b) },
    { label: t.rollupMandatory, old: mu(a), new: mu(b) },
    { label: t.rollupProvenance, old: prov(a), new: prov(b) },
    { label: t.rollupNote, old: note(a), new: note(b) },
  ].filter((r) => r.old !== r.new);
}

const provenance = (v: unknown) => (v === "V" || v === "F" || v === "A" ? c.provenanceBadge[v as Provenance] : EMPTY);
const ruleName = (v: unknown) => (typeof v === "string" && v in c.ruleNames ? c.ruleNames[v as RuleType] : EMPTY);
const statusName = (v: unknown) => (v === "draft" || v === "published" ? t.status[v] : EMPTY);

/** The readable rows of one field change (a changed list gives one row per changed element). */
export function describeChange(ch: FieldChange, ctx: Ctx = {}): ChangeRow[] {
  const one = (show: (v: unknown) => string): ChangeRow[] => [{ label: label(ch.field), old: show(ch.old), new: show(ch.new) }];
  let rows: ChangeRow[];
  switch (ch.field) {
    case "max":
      rows = one(pts);
      break;
    case "publishedAt":
      rows = one((v) => (typeof v === "string" && v ? formatLocalDate(v) : EMPTY));
      break;
    case "status":
      rows = one(statusName);
      break;
    case "rule":
      rows = one(ruleName);
      break;
    case "provenance":
    case "pointsProvenance":
    case "ruleProvenance":
      rows = one(provenance);
      break;
    case "group":
      rows = one((v) => (typeof v === "string" ? t.groupRef(v) : EMPTY));
      break;
    case "indicator":
      rows = one((v) => (typeof v === "string" ? t.indicatorRef(v) : EMPTY));
      break;
    case "evidence":
      rows = one((v) => arr<string>(v).join("; ") || t.empty);
      break;
    case "groupLevels":
    case "bands":
      rows = bandRows(ch.field, ch);
      break;
    case "options":
      rows = optionRows(ch);
      break;
    case "info":
      rows = infoRows(ch);
      break;
    case "rollup":
      rows = rollupRows(ch);
      break;
    case "suggest": {
      rows = one((v) => suggestText(v, ctx));
      if (rows[0].old === rows[0].new) rows = one(suggestDetail);
      break;
    }
    default:
      rows = one(str);
  }
  // A change whose readable form hides the difference still says that the field changed.
  return rows.length ? rows : [{ label: label(ch.field), old: t.empty, new: t.empty }];
}

/** All readable rows of an entity's changes. */
export function describeEntityChange(e: EntityChange): ChangeRow[] {
  return e.changes.flatMap((ch) => describeChange(ch, { optionLabels: e.optionLabels }));
}

function Changes({ rows }: { rows: EntityChange[] }) {
  if (rows.length === 0) return <p className="muted">{t.none}</p>;
  return (
    <ul className="diff-list">
      {rows.map((r) => (
        <li key={r.code}>
          <strong>{r.code}</strong>
          {r.name ? ` ${r.name}` : ""}
          <ul>
            {describeEntityChange(r).map((row, i) => (
              <li key={i} className="diff-row">
                {row.label}: <del>{row.old}</del> → <ins>{row.new}</ins>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Section<T extends { code: string }>({ title, part, label }: { title: string; part: { added: T[]; removed: T[]; changed: EntityChange[] }; label: (x: T) => string }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <h3>{t.added}</h3>
      {part.added.length ? (
        <ul>
          {part.added.map((x) => (
            <li key={x.code}>
              <strong>{x.code}</strong> {label(x)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.none}</p>
      )}
      <h3>{t.removed}</h3>
      {part.removed.length ? (
        <ul>
          {part.removed.map((x) => (
            <li key={x.code}>
              <strong>{x.code}</strong> {label(x)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.none}</p>
      )}
      <h3>{t.changed}</h3>
      <Changes rows={part.changed} />
    </section>
  );
}

export function EditionDiffView({ diff }: { diff: EditionDiff }) {
  if (diff.identical) return <p className="alert alert--ok">{t.identical}</p>;
  return (
    <div className="edition-diff">
      {diff.edition.length ? (
        <section className="card">
          <h2>{t.editionFields}</h2>
          <Changes rows={[{ code: diff.to, changes: diff.edition }]} />
        </section>
      ) : null}
      <Section title={t.groups} part={diff.groups} label={(g) => t.addedLabel(g.title, pts(g.max))} />
      <Section title={t.indicators} part={diff.indicators} label={(i) => t.addedLabel(i.title, pts(i.max))} />
      <Section title={t.items} part={diff.items} label={(i) => t.addedItem(i.text, ruleName(i.rule), i.rule === "mandatory" ? null : pts(i.max))} />
    </div>
  );
}
