/**
 * The evidence of ONE item of an assessment: the attached files and links (code, title, size, download,
 * inline preview for PDF/images), and, when editable, an upload form, an "add link" form and a remove
 * button per entry. Posts to /danh-gia/:assessmentId/minh-chung with useFetcher; the CSRF token comes
 * from the root loader (like CsrfInput) and is the FIRST field, so the server can check it before it
 * stores a byte of the file. With JavaScript the page's loaders revalidate after each change (and
 * onChange is called); without it the forms post normally and the server redirects back here.
 *
 * Usage (assessment form): <EvidencePanel assessmentId={a.id} itemCode="1.3.1" entries={entries} editable />
 * where entries come from evidenceForAssessment(a.id) (all items, or only this one: both work).
 *
 * Beside upload and link, the panel offers the school's library in place: a search, the recently used
 * evidence and last year's (the school's previous assessment), read from /danh-gia/:id/thu-vien when
 * the "add" section is opened. "Dùng cho tiêu chí …" posts intent=attach to /danh-gia/:id/minh-chung
 * (the same door as every evidence change) and confirms in the status line which item it now serves.
 * Without JavaScript the library's search form leads to the full library page.
 */
import { useFetcher, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { pick } from "~/i18n";
import { EvidenceOpenLinks } from "./EvidenceOpenLinks";
import { evidence as strings } from "~/i18n/evidence";
import {
  ACCEPT_ATTRIBUTE,
  DEFAULT_MAX_BYTES,
  formatBytes,
  type EvidenceActionData,
  type EvidenceEntry,
} from "~/domain/evidence";

export type { EvidenceEntry };

export interface EvidencePanelProps {
  assessmentId: number;
  itemCode: string;
  entries: EvidenceEntry[];
  editable: boolean;
  /** Called after a successful upload, link, or removal. */
  onChange?: () => void;
  /** Largest accepted file, for the hint and the check before sending (the server enforces its own). */
  maxBytes?: number;
}

type Fetcher = ReturnType<typeof useFetcher<EvidenceActionData>>;

/** What GET /danh-gia/:id/thu-vien answers (app/routes/danh-gia.$id.thu-vien.tsx). */
interface LinkRef {
  itemCode: string;
  code: string;
}
interface LibraryEntry {
  evidenceId: number;
  kind: "file" | "link";
  title: string;
  fileName: string | null;
  size: number | null;
  created: string;
  here: LinkRef[];
  previous: LinkRef[];
}
type LibraryData =
  | {
      ok: true;
      source: "gan-day" | "nam-truoc";
      q: string;
      page: number;
      pages: number;
      total: number;
      entries: LibraryEntry[];
      previousAssessment: { id: number; schoolYear: string } | null;
      canAttach: boolean;
      libraryHref: string;
    }
  | { ok: false; message: string };

/** Calls `fn` with the fetcher's data once each time a submission completes. */
function useCompleted(fetcher: Fetcher, fn: (data: EvidenceActionData) => void) {
  const wasBusy = useRef(false);
  const cb = useRef(fn);
  cb.current = fn;
  useEffect(() => {
    if (fetcher.state !== "idle") wasBusy.current = true;
    else if (wasBusy.current) {
      wasBusy.current = false;
      if (fetcher.data) cb.current(fetcher.data);
    }
  }, [fetcher.state, fetcher.data]);
}

/** Submits the form through the fetcher, asking for JSON (`_json=1`); plain HTML posting stays the fallback. */
function submitAsJson(fetcher: Fetcher, e: FormEvent<HTMLFormElement>, encType: "multipart/form-data" | "application/x-www-form-urlencoded") {
  e.preventDefault();
  const form = e.currentTarget;
  const fd = new FormData(form);
  fd.set("_json", "1");
  fetcher.submit(fd, { method: "post", action: form.getAttribute("action") ?? undefined, encType });
}

export function EvidencePanel({ assessmentId, itemCode, entries, editable, onChange, maxBytes = DEFAULT_MAX_BYTES }: EvidencePanelProps) {
  const t = pick(strings);
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  const csrf = root?.csrf ?? "";
  const location = useLocation();
  const back = `${location.pathname}${location.search}#mc-${itemCode}`;
  const action = `/danh-gia/${assessmentId}/minh-chung`;
  const id = useId();
  const mine = entries.filter((e) => e.itemCode === itemCode);

  const upload = useFetcher<EvidenceActionData>();
  const link = useFetcher<EvidenceActionData>();
  const remove = useFetcher<EvidenceActionData>();
  const uploadForm = useRef<HTMLFormElement>(null);
  const linkForm = useRef<HTMLFormElement>(null);
  const [status, setStatus] = useState("");
  const [localFileError, setLocalFileError] = useState<string | null>(null);

  // The library (thư viện): loaded when the "add" section opens, reloaded after a reuse.
  const library = useFetcher<LibraryData>();
  const reuse = useFetcher<EvidenceActionData>();
  const libraryBase = `/danh-gia/${assessmentId}/thu-vien`;
  const [libQuery, setLibQuery] = useState<{ nguon: "gan-day" | "nam-truoc"; q: string; page: number }>({ nguon: "gan-day", q: "", page: 1 });
  const libraryHref = (p: { nguon: string; q: string; page: number }) => {
    const sp = new URLSearchParams({ nguon: p.nguon, item: itemCode, page: String(p.page) });
    if (p.q) sp.set("q", p.q);
    return `${libraryBase}?${sp.toString()}`;
  };
  const loadLibrary = (p: { nguon: "gan-day" | "nam-truoc"; q: string; page: number }) => {
    setLibQuery(p);
    library.load(libraryHref(p));
  };
  const reusedTitle = useRef("");
  const lastReuseId = useRef("");
  useCompleted(reuse, (d) => {
    if (d.ok) {
      const code = d.entries.find((e) => e.itemCode === itemCode && String(e.evidenceId) === lastReuseId.current)?.code ?? null;
      setStatus(t.reusedConfirm(reusedTitle.current, itemCode, code));
      // Remix revalidates the loaded library after the action: the entry then reads "Đã dùng cho tiêu chí …".
      onChange?.();
    }
  });
  const reuseError = reuse.state === "idle" && reuse.data && !reuse.data.ok ? reuse.data.message : null;
  const reusingId = reuse.state !== "idle" ? String(reuse.formData?.get("evidenceId") ?? "") : "";
  const onReuse = (e: FormEvent<HTMLFormElement>, title: string) => {
    reusedTitle.current = title;
    lastReuseId.current = String(new FormData(e.currentTarget).get("evidenceId") ?? "");
    setStatus("");
    submitAsJson(reuse, e, "application/x-www-form-urlencoded");
  };

  useCompleted(upload, (d) => {
    if (d.ok) {
      uploadForm.current?.reset();
      setStatus(d.message);
      onChange?.();
    }
  });
  useCompleted(link, (d) => {
    if (d.ok) {
      linkForm.current?.reset();
      setStatus(d.message);
      onChange?.();
    }
  });
  useCompleted(remove, (d) => {
    if (d.ok) {
      setStatus(d.message);
      onChange?.();
    }
  });

  const uploadError = localFileError ?? (upload.state === "idle" && upload.data && !upload.data.ok ? upload.data.message : null);
  const linkError = link.state === "idle" && link.data && !link.data.ok ? link.data : null;
  const removeError = remove.state === "idle" && remove.data && !remove.data.ok ? remove.data.message : null;
  const removingId = remove.state !== "idle" ? String(remove.formData?.get("evidenceId") ?? "") : "";

  const onUpload = (e: FormEvent<HTMLFormElement>) => {
    const input = e.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (file && file.size > maxBytes) {
      e.preventDefault();
      setLocalFileError(t.errors.tooBig(maxBytes));
      input?.focus();
      return;
    }
    setLocalFileError(null);
    setStatus("");
    submitAsJson(upload, e, "multipart/form-data");
  };

  const hidden = (intent: string) => (
    <>
      {/* The CSRF token must be the first field: the server checks it before reading the file. */}
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="itemCode" value={itemCode} />
      <input type="hidden" name="redirectTo" value={back} />
    </>
  );

  return (
    <section className="evidence-panel" aria-labelledby={`${id}-heading`} id={`mc-${itemCode}`}>
      <h3 id={`${id}-heading`} style={{ fontSize: "1rem", margin: "0.5rem 0" }}>
        {t.panelTitle(itemCode)}
      </h3>

      {mine.length === 0 ? (
        <p className="muted">{t.none}</p>
      ) : (
        <ul aria-label={t.listLabel(itemCode)} style={{ listStyle: "none", padding: 0, margin: "0 0 0.75rem" }}>
          {mine.map((e) => {
            return (
              <li key={`${e.code}-${e.evidenceId}`} style={{ borderTop: "1px solid var(--line, #ddd)", padding: "0.5rem 0", display: "flex", flexWrap: "wrap", gap: "0.25rem 0.75rem", alignItems: "baseline" }}>
                <code>{e.code}</code>
                <span style={{ flex: "1 1 12rem", minWidth: 0, overflowWrap: "anywhere" }}>
                  {e.title}
                  <span className="muted">
                    {" "}
                    ({e.kind === "file" ? `${t.kindFile}, ${formatBytes(e.size)}` : t.kindLink})
                  </span>
                </span>
                <span className="actions">
                  <EvidenceOpenLinks entry={e} />
                  {editable ? (
                    <remove.Form method="post" action={action} onSubmit={(ev) => submitAsJson(remove, ev, "application/x-www-form-urlencoded")} style={{ display: "inline" }}>
                      {hidden("detach")}
                      <input type="hidden" name="evidenceId" value={e.evidenceId} />
                      <button type="submit" className="button button--secondary" aria-label={t.removeLabel(e.code, e.title)} disabled={removingId === String(e.evidenceId)}>
                        {removingId === String(e.evidenceId) ? t.removing : t.remove}
                      </button>
                    </remove.Form>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {removeError ? (
        <p className="field-error" role="alert">
          {removeError}
        </p>
      ) : null}

      {editable ? (
        <details
          className="evidence-add"
          open={uploadError || linkError || reuseError || upload.state !== "idle" || link.state !== "idle" || reuse.state !== "idle" ? true : undefined}
          onToggle={(e) => {
            if ((e.currentTarget as HTMLDetailsElement).open && library.state === "idle" && !library.data) loadLibrary(libQuery);
          }}
        >
          <summary>{t.addSummary(itemCode)}</summary>
          <LibraryPicker
            id={id}
            itemCode={itemCode}
            action={action}
            libraryBase={libraryBase}
            query={libQuery}
            data={library.data}
            loading={library.state !== "idle"}
            onLoad={loadLibrary}
            reusingId={reusingId}
            reuseError={reuseError}
            onReuse={onReuse}
            hidden={hidden}
            ReuseForm={reuse.Form}
          />
          <upload.Form ref={uploadForm} method="post" action={action} encType="multipart/form-data" onSubmit={onUpload}>
            {hidden("upload")}
            <fieldset style={{ border: "1px solid var(--line, #ddd)", borderRadius: 4, padding: "0.5rem 0.75rem", margin: "0 0 0.75rem" }}>
              <legend>{t.uploadLegend}</legend>
              <div className={`field${uploadError ? " field--error" : ""}`}>
                <label htmlFor={`${id}-file`}>{t.fileLabel}</label>
                <span className="hint" id={`${id}-file-hint`}>
                  {t.fileHint(maxBytes)}
                </span>
                <input
                  id={`${id}-file`}
                  type="file"
                  name="file"
                  accept={ACCEPT_ATTRIBUTE}
                  required
                  aria-invalid={uploadError ? true : undefined}
                  aria-describedby={`${id}-file-hint${uploadError ? ` ${id}-file-error` : ""}`}
                  onChange={() => setLocalFileError(null)}
                  style={{ maxWidth: "100%" }}
                />
                {uploadError ? (
                  <p className="field-error" id={`${id}-file-error`} role="alert">
                    {uploadError}
                  </p>
                ) : null}
              </div>
              <div className="field">
                <label htmlFor={`${id}-title`}>{t.titleLabel}</label>
                <span className="hint" id={`${id}-title-hint`}>
                  {t.titleHint}
                </span>
                <input id={`${id}-title`} type="text" name="title" maxLength={200} aria-describedby={`${id}-title-hint`} />
              </div>
              <button type="submit" className="button" disabled={upload.state !== "idle"}>
                {upload.state !== "idle" ? t.uploading : t.uploadButton}
              </button>
            </fieldset>
          </upload.Form>

          <link.Form ref={linkForm} method="post" action={action} onSubmit={(ev) => submitAsJson(link, ev, "application/x-www-form-urlencoded")}>
            {hidden("link")}
            <fieldset style={{ border: "1px solid var(--line, #ddd)", borderRadius: 4, padding: "0.5rem 0.75rem", margin: 0 }}>
              <legend>{t.linkLegend}</legend>
              <div className={`field${linkError?.field === "url" ? " field--error" : ""}`}>
                <label htmlFor={`${id}-url`}>{t.urlLabel}</label>
                <input
                  id={`${id}-url`}
                  type="url"
                  name="url"
                  inputMode="url"
                  required
                  maxLength={2000}
                  placeholder="https://"
                  aria-invalid={linkError?.field === "url" ? true : undefined}
                  aria-describedby={linkError?.field === "url" ? `${id}-url-error` : undefined}
                />
                {linkError?.field === "url" ? (
                  <p className="field-error" id={`${id}-url-error`} role="alert">
                    {linkError.message}
                  </p>
                ) : null}
              </div>
              <div className={`field${linkError?.field === "title" ? " field--error" : ""}`}>
                <label htmlFor={`${id}-link-title`}>{t.linkTitleLabel}</label>
                <input
                  id={`${id}-link-title`}
                  type="text"
                  name="title"
                  required
                  maxLength={200}
                  aria-invalid={linkError?.field === "title" ? true : undefined}
                  aria-describedby={linkError?.field === "title" ? `${id}-link-title-error` : undefined}
                />
                {linkError?.field === "title" ? (
                  <p className="field-error" id={`${id}-link-title-error`} role="alert">
                    {linkError.message}
                  </p>
                ) : null}
              </div>
              {linkError && linkError.field !== "url" && linkError.field !== "title" ? (
                <p className="field-error" role="alert">
                  {linkError.message}
                </p>
              ) : null}
              <button type="submit" className="button button--secondary" disabled={link.state !== "idle"}>
                {link.state !== "idle" ? t.linkAdding : t.linkButton}
              </button>
            </fieldset>
          </link.Form>
        </details>
      ) : null}

      <p role="status" aria-live="polite" className={status ? "alert alert--ok evidence-status" : "muted evidence-status"} style={{ minHeight: "1.2em", margin: "0.5rem 0 0" }}>
        {status}
      </p>
    </section>
  );
}

const boxStyle = { border: "1px solid var(--line, #ddd)", borderRadius: 4, padding: "0.5rem 0.75rem", margin: "0 0 0.75rem" } as const;

/** The library inside the panel: sources (recent, last year's), a search, the list with "Dùng cho tiêu chí …". */
function LibraryPicker({
  id,
  itemCode,
  action,
  libraryBase,
  query,
  data,
  loading,
  onLoad,
  reusingId,
  reuseError,
  onReuse,
  hidden,
  ReuseForm,
}: {
  id: string;
  itemCode: string;
  action: string;
  libraryBase: string;
  query: { nguon: "gan-day" | "nam-truoc"; q: string; page: number };
  data: LibraryData | undefined;
  loading: boolean;
  onLoad: (p: { nguon: "gan-day" | "nam-truoc"; q: string; page: number }) => void;
  reusingId: string;
  reuseError: string | null;
  onReuse: (e: FormEvent<HTMLFormElement>, title: string) => void;
  hidden: (intent: string) => JSX.Element;
  ReuseForm: Fetcher["Form"];
}) {
  const t = pick(strings);
  const ok = data && data.ok ? data : null;
  const previousYear = ok?.previousAssessment?.schoolYear ?? null;
  const searchInput = useRef<HTMLInputElement>(null);
  const search = () => onLoad({ ...query, q: (searchInput.current?.value ?? "").trim(), page: 1 });
  const emptyText = () => {
    if (query.q) return t.noMatch;
    if (query.nguon === "nam-truoc") return ok?.previousAssessment ? t.libraryEmptyPrevious : t.libraryNoPrevious;
    return t.libraryEmptyRecent;
  };
  return (
    <fieldset style={boxStyle} className="evidence-library">
      <legend>{t.libraryLegend}</legend>
      <p className="hint" style={{ margin: "0 0 0.5rem" }}>
        {t.libraryHint}
      </p>
      <div role="group" aria-label={t.sourcesLabel} className="actions" style={{ marginBottom: "0.5rem" }}>
        {(["gan-day", "nam-truoc"] as const).map((nguon) => (
          <button
            key={nguon}
            type="button"
            className={`button${query.nguon === nguon ? "" : " button--secondary"}`}
            aria-pressed={query.nguon === nguon}
            onClick={() => onLoad({ nguon, q: query.q, page: 1 })}
          >
            {nguon === "gan-day" ? t.sourceRecent : t.sourcePrevious(previousYear)}
          </button>
        ))}
      </div>
      {/* Not a form: every form of the panel posts to the evidence route with the CSRF token first. */}
      <div role="search" className="toolbar">
        <div className="field">
          <label htmlFor={`${id}-libq`}>{t.librarySearchLabel}</label>
          <input
            id={`${id}-libq`}
            ref={searchInput}
            type="search"
            maxLength={200}
            defaultValue={query.q}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                search();
              }
            }}
          />
        </div>
        <button type="button" className="button button--secondary" onClick={search}>
          {t.librarySearchButton}
        </button>
      </div>

      {loading ? <p className="muted">{t.libraryLoading}</p> : null}
      {data && !data.ok ? (
        <p className="field-error" role="alert">
          {data.message || t.libraryLoadError}
        </p>
      ) : null}
      {reuseError ? (
        <p className="field-error" role="alert">
          {reuseError}
        </p>
      ) : null}
      {ok && !loading ? (
        ok.entries.length === 0 ? (
          <p className="muted">{emptyText()}</p>
        ) : (
          <>
            <p className="muted" style={{ margin: "0.25rem 0" }}>
              {t.libraryCount(ok.total)}
            </p>
            <ul aria-label={t.libraryResultsLabel(itemCode)} style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {ok.entries.map((e) => {
                const usedHere = e.here.some((h) => h.itemCode === itemCode);
                const others = e.here.filter((h) => h.itemCode !== itemCode);
                return (
                  <li key={e.evidenceId} style={{ borderTop: "1px solid var(--line, #ddd)", padding: "0.4rem 0", display: "flex", flexWrap: "wrap", gap: "0.25rem 0.75rem", alignItems: "baseline" }}>
                    <span style={{ flex: "1 1 14rem", minWidth: 0, overflowWrap: "anywhere" }}>
                      {e.title}
                      <span className="muted">
                        {" "}
                        ({e.kind === "file" ? `${t.kindFile}, ${formatBytes(e.size)}` : t.kindLink}; {e.created})
                      </span>
                      {e.previous.length ? (
                        <span className="muted" style={{ display: "block" }}>
                          {t.previousCodes(e.previous.map((p) => p.code).join(", "))}
                        </span>
                      ) : null}
                      {others.length ? (
                        <span className="muted" style={{ display: "block" }}>
                          {t.hereCodes(others.map((p) => p.code).join(", "))}
                        </span>
                      ) : null}
                    </span>
                    {usedHere ? (
                      <span className="muted">{t.alreadyUsed(itemCode)}</span>
                    ) : ok.canAttach ? (
                      <ReuseForm method="post" action={action} onSubmit={(ev) => onReuse(ev, e.title)} style={{ display: "inline" }}>
                        {hidden("attach")}
                        <input type="hidden" name="evidenceId" value={e.evidenceId} />
                        <button type="submit" className="button button--secondary" aria-label={t.reuseButtonLabel(e.title, itemCode)} disabled={reusingId !== ""}>
                          {reusingId === String(e.evidenceId) ? t.reusing : t.reuseFor(itemCode)}
                        </button>
                      </ReuseForm>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {ok.pages > 1 ? (
              <nav className="pager" aria-label={t.page(ok.page, ok.pages)}>
                {ok.page > 1 ? (
                  <button type="button" className="button button--secondary" onClick={() => onLoad({ ...query, page: ok.page - 1 })}>
                    {t.prev}
                  </button>
                ) : null}
                <span>{t.page(ok.page, ok.pages)}</span>
                {ok.page < ok.pages ? (
                  <button type="button" className="button button--secondary" onClick={() => onLoad({ ...query, page: ok.page + 1 })}>
                    {t.next}
                  </button>
                ) : null}
              </nav>
            ) : null}
          </>
        )
      ) : null}
      {/* A document navigation: the library route sends it on to the full library page (works without JavaScript). */}
      <p style={{ margin: "0.5rem 0 0" }}>
        <a href={`${libraryBase}?item=${encodeURIComponent(itemCode)}`}>{t.libraryFullPage}</a>
      </p>
    </fieldset>
  );
}
