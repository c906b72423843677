/**
 * "Tải CSV" / "Tải Excel" links of a list page: the list's resource routes (<base>.csv, <base>.xlsx)
 * with the filters currently applied (empty ones left out). Plain <a download>: a file, not a page.
 */
import { pick } from "~/i18n";
import { exportStrings } from "~/i18n/export";

const t = pick(exportStrings);

export function ExportLinks({ base, filters }: { base: string; filters: Record<string, string> }) {
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== "")).toString();
  const href = (ext: string) => `${base}.${ext}${qs ? `?${qs}` : ""}`;
  return (
    <p className="actions" title={t.filtersApply}>
      <a className="button button--secondary" href={href("csv")} download>
        {t.downloadCsv}
      </a>
      <a className="button button--secondary" href={href("xlsx")} download>
        {t.downloadXlsx}
      </a>
    </p>
  );
}
