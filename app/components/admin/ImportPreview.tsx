import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

/** The preview of a school CSV import, as sent by the server (see school-import.server.ts). */
export interface ImportPreviewData {
  sha256: string;
  fileErrors: string[];
  warnings: string[];
  rows: {
    line: number;
    code: string;
    name: string;
    type: string;
    managingUnitCode: string;
    reviewingUnitCode: string;
    errors: string[];
    action: "create" | "update" | "unchanged" | null;
    changes: ("name" | "type" | "managingUnit" | "reviewingUnit")[];
  }[];
  counts: { total: number; create: number; update: number; unchanged: number; errors: number };
  ok: boolean;
}

/** Every row of the file with what confirming would do, and its errors next to it. */
export function ImportPreview({ preview }: { preview: ImportPreviewData }) {
  const t = pick(admin).import;
  const c = preview.counts;
  return (
    <>
      {preview.fileErrors.length ? (
        <div className="alert alert--error" role="alert">
          <ul>
            {preview.fileErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.warnings.map((w) => (
        <p className="alert alert--warn" key={w}>
          {w}
        </p>
      ))}
      {preview.rows.length ? (
        <>
          <p>{t.summary(c.total, c.create, c.update, c.unchanged, c.errors)}</p>
          {c.errors > 0 ? (
            <p className="alert alert--error" role="alert">
              {t.hasErrors(c.errors)}
            </p>
          ) : c.create + c.update === 0 ? (
            <p className="alert alert--ok" role="status">
              {t.nothingToDo(c.total)}
            </p>
          ) : null}
          <div className="table-wrap">
            <table>
              <caption>{t.tableCaption}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t.colLine}
                  </th>
                  <th scope="col">{t.columnNames.code}</th>
                  <th scope="col">{t.columnNames.name}</th>
                  <th scope="col">{t.columnNames.type}</th>
                  <th scope="col">{t.columnNames.managingUnit}</th>
                  <th scope="col">{t.columnNames.reviewingUnit}</th>
                  <th scope="col">{t.colAction}</th>
                  <th scope="col">{t.colErrors}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line} className={r.errors.length ? "row--error" : undefined}>
                    <td className="num">{r.line}</td>
                    <td>{r.code}</td>
                    <td>{r.name}</td>
                    <td>{r.type}</td>
                    <td>{r.managingUnitCode}</td>
                    <td>{r.reviewingUnitCode}</td>
                    <td>
                      {r.action ? t.action[r.action] : "—"}
                      {r.action === "update" && r.changes.length ? ` (${r.changes.map((f) => t.fields[f]).join(", ")})` : null}
                    </td>
                    <td>
                      {r.errors.length ? (
                        <ul className="row-errors">
                          {r.errors.map((e) => (
                            <li key={e}>{e}</li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
