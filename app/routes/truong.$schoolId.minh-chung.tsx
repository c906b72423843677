/**
 * /truong/:schoolId/minh-chung — the school's evidence library (thư viện minh chứng): every live file and
 * link, searchable by title, with the school years and items that use each, and a one-click reuse in the
 * school's current (editable) assessment: a plain form posting intent=attach to /danh-gia/:id/minh-chung.
 * ?item=<code> (coming from an item of the assessment form) turns each reuse button into
 * "Dùng cho tiêu chí <code>"; without it each entry offers a labelled item select.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { downloadHref, formatBytes, isPreviewable, previewHref, safeHttpUrl } from "~/domain/evidence";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { requireUser } from "~/server/auth/session.server";
import { authorize, can } from "~/server/policy.server";
import { assessmentItems, currentAssessmentFor, schoolLabel, schoolLibrary } from "~/server/services/evidence.server";

const t = pick(strings);
const PAGE_SIZE = 50;

const paramsSchema = z.object({ schoolId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const querySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  item: z.string().trim().max(32).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  /** After "Dùng cho tiêu chí đã chọn": the evidence codes just made (the confirmation). */
  "da-dung": z
    .string()
    .regex(/^MC-[0-9A-Za-z.]+-\d+(,MC-[0-9A-Za-z.]+-\d+){0,49}$/)
    .optional()
    .catch(undefined),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${t.libraryTitle}${data ? ` — ${data.school.name}` : ""} — CĐS 4725` }];

const dateFmt = new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = paramsSchema.safeParse(params);
  if (!p.success) throw json({ error: t.errors.notFound }, { status: 404 });
  const user = await requireUser(request);
  const schoolId = p.data.schoolId;
  authorize(user, "evidence.read", { kind: "school", schoolId });
  const school = schoolLabel(schoolId);
  if (!school) throw json({ error: t.errors.notFound }, { status: 404 });

  const url = new URL(request.url);
  const query = querySchema.parse(Object.fromEntries(url.searchParams));
  const all = schoolLibrary(schoolId, { q: query.q });
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const entries = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((e) => ({ ...e, created: dateFmt.format(new Date(e.createdAt)) }));

  const canEdit = can(user, "assessment.edit", { kind: "school", schoolId });
  const current = canEdit ? currentAssessmentFor(schoolId) : null;
  const items = current ? assessmentItems(current).map((i) => ({ code: i.code, text: i.text })) : [];
  const item = items.find((i) => i.code === query.item)?.code ?? null;
  return json({
    attachedCodes: query["da-dung"] ?? null,
    school: { id: schoolId, ...school },
    q: query.q ?? "",
    page,
    pages,
    total: all.length,
    entries,
    current: current ? { id: current.id, schoolYear: current.schoolYear } : null,
    items,
    item,
    canEdit,
  });
}

export default function EvidenceLibrary() {
  const { attachedCodes, school, q, page, pages, total, entries, current, items, item, canEdit } = useLoaderData<typeof loader>();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const pageHref = (n: number) => {
    const sp = new URLSearchParams(location.search);
    sp.set("page", String(n));
    return `?${sp.toString()}`;
  };

  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title">{t.libraryTitle}</h1>
      {attachedCodes ? (
        <p className="alert alert--ok" role="status">
          {t.attached(attachedCodes.replace(/,/g, ", "))}
        </p>
      ) : null}
      <p className="muted">
        {school.name} ({school.code}). {t.libraryIntro} {t.total(total)}.
      </p>
      {current ? (
        <p>
          <Link to={`/danh-gia/${current.id}/minh-chung${item ? `?item=${encodeURIComponent(item)}` : ""}`}>{t.currentAssessment(current.schoolYear)}</Link>
        </p>
      ) : null}

      <Form method="get" className="toolbar" role="search">
        <div className="field">
          <label htmlFor="library-q">{t.searchLabel}</label>
          <input id="library-q" type="search" name="q" defaultValue={q} maxLength={200} />
        </div>
        {item ? <input type="hidden" name="item" value={item} /> : null}
        <button type="submit" className="button">
          {t.searchButton}
        </button>
      </Form>

      {entries.length === 0 ? <p>{q ? t.noMatch : t.libraryEmpty}</p> : null}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {entries.map((e) => {
          const usedHere = current ? e.uses.filter((u) => u.assessmentId === current.id).map((u) => u.itemCode) : [];
          const href = e.kind === "link" ? safeHttpUrl(e.url) : null;
          const selectId = `reuse-${e.evidenceId}`;
          return (
            <li key={e.evidenceId} className="card">
              <p style={{ margin: "0 0 0.25rem", overflowWrap: "anywhere" }}>
                <strong>{e.title}</strong>{" "}
                <span className="muted">
                  ({e.kind === "file" ? `${t.kindFile}, ${formatBytes(e.size)}` : t.kindLink}; {t.uploadedAt.toLowerCase()} {e.created})
                </span>
              </p>
              {e.fileName && e.fileName !== e.title ? (
                <p className="muted" style={{ margin: "0 0 0.25rem", overflowWrap: "anywhere" }}>
                  {e.fileName}
                </p>
              ) : null}
              <p className="actions" style={{ margin: "0 0 0.25rem" }}>
                {e.kind === "file" ? (
                  <>
                    <a href={downloadHref(e.evidenceId)}>{t.download}</a>
                    {isPreviewable(e.mime) ? (
                      <a href={previewHref(e.evidenceId)} target="_blank" rel="noopener noreferrer">
                        {t.preview}
                      </a>
                    ) : null}
                  </>
                ) : href ? (
                  <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                    {t.openLink}
                  </a>
                ) : null}
              </p>
              <p style={{ margin: "0 0 0.25rem" }}>
                {t.usedIn}:{" "}
                {e.uses.length === 0 ? <span className="muted">{t.notUsed}</span> : e.uses.map((u) => t.usage(u.schoolYear, u.code)).join("; ")}
              </p>
              {current ? (
                item && usedHere.includes(item) ? (
                  <p className="muted">{t.alreadyUsed(item)}</p>
                ) : (
                  <Form method="post" action={`/danh-gia/${current.id}/minh-chung`} className="actions">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="attach" />
                    <input type="hidden" name="evidenceId" value={e.evidenceId} />
                    <input type="hidden" name="redirectTo" value={here} />
                    {item ? (
                      <>
                        <input type="hidden" name="itemCode" value={item} />
                        <button type="submit" className="button button--secondary">
                          {t.reuseFor(item)}
                        </button>
                      </>
                    ) : (
                      <>
                        <label htmlFor={selectId} className="visually-hidden">
                          {t.reuseItemLabel(e.title)}
                        </label>
                        <select id={selectId} name="itemCode" required defaultValue="" style={{ maxWidth: "100%" }}>
                          <option value="" disabled>
                            {t.reuseChoose}
                          </option>
                          {items.map((i) => (
                            <option key={i.code} value={i.code} disabled={usedHere.includes(i.code)}>
                              {i.code}. {i.text.length > 70 ? `${i.text.slice(0, 70)}…` : i.text}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button button--secondary">
                          {t.reuseSelected}
                        </button>
                      </>
                    )}
                  </Form>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      {pages > 1 ? (
        <nav className="pager" aria-label={t.page(page, pages)}>
          {page > 1 ? <Link to={pageHref(page - 1)}>{t.prev}</Link> : null}
          <span>{t.page(page, pages)}</span>
          {page < pages ? <Link to={pageHref(page + 1)}>{t.next}</Link> : null}
        </nav>
      ) : null}
      {!current && canEdit && entries.length > 0 ? <p className="muted">{t.noCurrent}</p> : null}
    </section>
  );
}
