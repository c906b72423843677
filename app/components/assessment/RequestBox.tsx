/**
 * One request of the reviewing office (yêu cầu bổ sung) as the school sees it: the office's text,
 * the round, the reply so far and the request's state, and, when the school may answer (the file is
 * returned and the user may edit it), a reply form: "Trả lời" and "Đã bổ sung".
 *
 * The form is a plain POST to /danh-gia/:id/yeu-cau (intent "respond", the request id, CSRF): without
 * JavaScript the server redirects back to the item's anchor (`from` says which page). With
 * JavaScript it goes through a fetcher asking for JSON (`_json=1`): errors show at the field, and the
 * page's loaders revalidate after a success.
 */
import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { REQUEST_MAX, type RequestView } from "~/domain/review";
import { isUnanswered } from "~/domain/review";
import { pick } from "~/i18n";
import { requestsUi } from "~/i18n/requests";
import { formatDateTime } from "~/utils/time";

const t = pick(requestsUi);

export type RequestState = "unanswered" | "replied" | "addressed" | "closed";

/** The state shown for a request: closed by the office, marked done, answered, or waiting. */
export function requestState(r: Pick<RequestView, "resolvedAt" | "reply" | "addressed">): RequestState {
  if (r.resolvedAt != null) return "closed";
  if (r.addressed) return "addressed";
  if (!isUnanswered(r)) return "replied";
  return "unanswered";
}

const BADGE: Record<RequestState, string> = { unanswered: "badge badge--a", replied: "badge badge--f", addressed: "badge badge--v", closed: "badge" };

export function RequestStateBadge({ r }: { r: Pick<RequestView, "resolvedAt" | "reply" | "addressed"> }) {
  const s = requestState(r);
  return (
    <span className={BADGE[s]} data-request-state={s}>
      {t.state[s]}
    </span>
  );
}

/** What the action answers (JSON for fetchers, the page's action data without JavaScript). */
export type RespondResult =
  | { ok: true; requestId: number; message: string }
  | { ok: false; requestId: number | null; message: string; fieldErrors?: { reply?: string }; values?: { reply: string; addressed: boolean } };

export interface RequestBoxProps {
  assessmentId: number;
  request: RequestView;
  /** The school may answer now (returned, and the user may edit the file). */
  canReply: boolean;
  /** The page the box is on: where the server sends a plain form back to. */
  from: "form" | "list";
  /** The result of a plain (no-JavaScript) post, when it was about this request. */
  posted?: RespondResult | null;
  /** Show the item code as a link to the item in the form (the list page). */
  linkItem?: boolean;
}

export function RequestBox({ assessmentId, request: r, canReply, from, posted, linkItem }: RequestBoxProps) {
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  const fetcher = useFetcher<RespondResult>();
  const id = useId();
  const result = fetcher.data ?? (posted && posted.requestId === r.id ? posted : null);
  const open = r.resolvedAt == null;
  const busy = fetcher.state !== "idle";
  const failed = result && !result.ok ? result : null;
  const [reply, setReply] = useState(failed?.values?.reply ?? r.reply ?? "");
  const [addressed, setAddressed] = useState(failed?.values?.addressed ?? r.addressed);
  // A saved reply coming back from the server replaces what the box shows.
  const seen = useRef({ reply: r.reply, addressed: r.addressed });
  useEffect(() => {
    if (seen.current.reply !== r.reply || seen.current.addressed !== r.addressed) {
      seen.current = { reply: r.reply, addressed: r.addressed };
      setReply(r.reply ?? "");
      setAddressed(r.addressed);
    }
  }, [r.reply, r.addressed]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    fd.set("_json", "1");
    fetcher.submit(fd, { method: "post", action: `/danh-gia/${assessmentId}/yeu-cau` });
  };
  const replyError = failed?.fieldErrors?.reply;
  const formError = failed && !replyError ? failed.message : null;
  const anchor = r.itemCode ? `/danh-gia/${assessmentId}#tieu-chi-${r.itemCode}` : `/danh-gia/${assessmentId}#yeu-cau-chung`;

  return (
    <section className="card request-box" id={`yc-${r.id}`} aria-label={t.boxLabel(r.itemCode)} data-request={r.id}>
      <p className="request-box__head">
        <strong>{r.itemCode ? linkItem ? <a href={anchor} aria-label={t.openItem(r.itemCode)}>{t.item(r.itemCode)}</a> : t.item(r.itemCode) : t.overall}</strong>{" "}
        · {t.round(r.round)} · <RequestStateBadge r={r} />
      </p>
      <p className="muted">
        {t.office}
        {r.author ? `: ${t.by(r.author, formatDateTime(r.createdAt))}` : `: ${t.at(formatDateTime(r.createdAt))}`}
      </p>
      <blockquote className="request-box__body">{r.body}</blockquote>
      {r.reply || r.repliedAt ? (
        <div className="request-box__reply">
          <p>
            <strong>{t.schoolReply}</strong>
            {r.repliedAt ? <span className="muted"> ({t.repliedBy(r.repliedBy, formatDateTime(r.repliedAt))})</span> : null}
          </p>
          {r.reply ? <p>{r.reply}</p> : null}
        </div>
      ) : null}
      {r.resolvedAt ? <p className="muted">{t.closedBy(r.resolvedBy, formatDateTime(r.resolvedAt))}</p> : null}
      {open && canReply ? (
        <form method="post" action={`/danh-gia/${assessmentId}/yeu-cau`} className="form" onSubmit={onSubmit} noValidate>
          <input type="hidden" name="_csrf" value={root?.csrf ?? ""} />
          <input type="hidden" name="intent" value="respond" />
          <input type="hidden" name="requestId" value={r.id} />
          <input type="hidden" name="from" value={from} />
          <div className={`field${replyError ? " field--error" : ""}`}>
            <label htmlFor={`${id}-reply`}>{t.reply}</label>
            <textarea
              id={`${id}-reply`}
              name="reply"
              rows={3}
              maxLength={REQUEST_MAX}
              value={reply}
              onChange={(e) => setReply(e.target.value)}
              aria-invalid={replyError ? true : undefined}
              aria-describedby={`${id}-hint${replyError ? ` ${id}-err` : ""}`}
            />
            <span className="hint" id={`${id}-hint`}>
              {t.replyHint(REQUEST_MAX)}
            </span>
            {replyError ? (
              <p className="field-error" id={`${id}-err`}>
                {replyError}
              </p>
            ) : null}
          </div>
          <div className="field checkbox">
            <input id={`${id}-addressed`} type="checkbox" name="addressed" value="1" checked={addressed} onChange={(e) => setAddressed(e.target.checked)} />
            <label htmlFor={`${id}-addressed`}>{t.addressed}</label>
          </div>
          <p className="actions">
            <button type="submit" className="button button--secondary button--small" disabled={busy}>
              {busy ? t.sending : t.send}
            </button>
            <span role="status" aria-live="polite">
              {result?.ok && !busy ? t.saved : ""}
            </span>
          </p>
          {formError ? (
            <p className="field-error" role="alert">
              {formError}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
