import type { EditionDiff, EntityChange } from "~/domain/catalogue";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";

const t = pick(catalogueUi).diff;

function show(v: unknown): string {
  if (v == null) return "–";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function Changes({ rows }: { rows: EntityChange[] }) {
  if (rows.length === 0) return <p className="muted">{t.none}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Mã</th>
            <th scope="col">{t.field}</th>
            <th scope="col">{t.old}</th>
            <th scope="col">{t.new}</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((r) =>
            r.changes.map((c, i) => (
              <tr key={`${r.code}-${c.field}-${i}`}>
                <td>{i === 0 ? <strong>{r.code}</strong> : null}</td>
                <td>{c.field}</td>
                <td>{show(c.old)}</td>
                <td>{show(c.new)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
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
    <div>
      {diff.edition.length ? (
        <section className="card">
          <h2>{t.editionFields}</h2>
          <Changes rows={[{ code: diff.to, changes: diff.edition }]} />
        </section>
      ) : null}
      <Section title={t.groups} part={diff.groups} label={(g) => `${g.title} (${g.max})`} />
      <Section title={t.indicators} part={diff.indicators} label={(i) => `${i.title} (${i.max})`} />
      <Section title={t.items} part={diff.items} label={(i) => `${i.text} (${i.rule}, ${i.max})`} />
    </div>
  );
}
