/**
 * "Dùng lại kết quả năm trước" on the form: the previous year, the counts (mapped, changed, new),
 * a button to carry everything and one per indicator, and the items that changed or are new with
 * what changed. The buttons post to /danh-gia/:id/mang-sang (CSRF) through a fetcher asking for
 * JSON; without JavaScript the plain form is redirected back here. The answer shows in a
 * role="status" line, and the page's loaders revalidate (the carried items then show their mark).
 *
 * Also the mark on a carried item (CarriedMark): "Mang sang từ năm trước, chưa xác nhận" and its
 * "Xác nhận" button.
 */
import { useFetcher } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { carryForwardUi } from "~/i18n/carry-forward";
import type { CarryActionResult, CarryPlanView } from "~/domain/carry-forward";

export type { CarryActionResult, CarryPlanView };

const t = pick(carryForwardUi);

export function CarryForwardPanel({ plan }: { plan: CarryPlanView }) {
  const fetcher = useFetcher<CarryActionResult>();
  const busy = fetcher.state !== "idle";
  const prev = plan.previous;
  if (!prev || !plan.editable) return null;
  const action = `/danh-gia/${plan.assessmentId}/mang-sang`;
  const changed = plan.items.filter((i) => i.status === "changed");
  const fresh = plan.items.filter((i) => i.status === "new");
  const removed = plan.items.filter((i) => i.status === "removed");
  const result = fetcher.data;
  const link = (code: string) => <a href={`#tieu-chi-${code}`}>{code}</a>;

  return (
    <section id="mang-sang" className="card carry-forward" aria-labelledby="mang-sang-title" data-testid="carry-forward">
      <h2 id="mang-sang-title">{t.title}</h2>
      <p>{t.intro(prev.schoolYear)}</p>
      <p className="muted">{plan.sameEdition ? t.sameEdition : t.otherEdition(prev.editionId, plan.editionId)}</p>
      <ul className="carry-forward__counts">
        {(["mapped", "changed", "new", "toCarry", "unconfirmed"] as const).map((k) => (
          <li key={k} data-count={k}>
            {t.counts[k]}: <strong>{plan.counts[k]}</strong>
          </li>
        ))}
      </ul>

      <p role="status" aria-live="polite" className={result ? (result.ok ? "alert alert--ok" : "alert alert--error") : undefined} data-testid="carry-status">
        {busy ? t.working : result ? (
          <>
            {result.message}
            {result.ok && result.intent !== "confirm" && result.details.length ? <> {result.details.join(" ")}</> : null}
          </>
        ) : null}
      </p>

      {plan.counts.toCarry ? (
        <>
          <fetcher.Form method="post" action={action} className="actions">
            <CsrfInput />
            <input type="hidden" name="_json" value="1" />
            <input type="hidden" name="intent" value="all" />
            <button type="submit" className="button" disabled={busy}>
              {t.carryAll(plan.counts.toCarry)}
            </button>
          </fetcher.Form>
          {plan.indicators.length > 1 ? (
            <fieldset className="carry-forward__indicators">
              <legend>{t.byIndicator}</legend>
              <div className="actions">
                {plan.indicators.map((ind) => (
                  <fetcher.Form key={ind.code} method="post" action={action}>
                    <CsrfInput />
                    <input type="hidden" name="_json" value="1" />
                    <input type="hidden" name="intent" value="indicator" />
                    <input type="hidden" name="indicator" value={ind.code} />
                    <button type="submit" className="button button--secondary button--small" disabled={busy} title={t.carryIndicatorLabel(ind.code, ind.title, ind.toCarry)}>
                      {t.carryIndicator(ind.code, ind.toCarry)}
                    </button>
                  </fetcher.Form>
                ))}
              </div>
            </fieldset>
          ) : null}
        </>
      ) : (
        <p className="muted">{t.nothingToCarry}</p>
      )}

      {changed.length ? (
        <details open data-list="changed">
          <summary>
            {t.changedTitle} ({changed.length})
          </summary>
          <ul>
            {changed.map((i) => (
              <li key={i.code} data-item={i.code}>
                {link(i.code)} {i.text}
                <ul>
                  {i.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {fresh.length ? (
        <details data-list="new" open={fresh.some((i) => i.added) || undefined}>
          <summary>
            {t.newTitle} ({fresh.length})
          </summary>
          <ul>
            {fresh.map((i) => (
              <li key={i.code} data-item={i.code}>
                {link(i.code)} {i.text} — <span className="muted">{i.added ? t.added : t.noPrevious}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {removed.length ? (
        <details data-list="removed">
          <summary>
            {t.removedTitle} ({removed.length})
          </summary>
          <ul>
            {removed.map((i) => (
              <li key={i.code} data-item={i.code}>
                <strong>{i.code}</strong> {i.text}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The mark on a carried, unconfirmed item, with its "Xác nhận" button when the file is editable. */
export function CarriedMark({ assessmentId, code, schoolYear, editable }: { assessmentId: number; code: string; schoolYear: string | null; editable: boolean }) {
  const fetcher = useFetcher<CarryActionResult>();
  const busy = fetcher.state !== "idle";
  return (
    <div className="carried-mark alert alert--warn actions" data-carried={code}>
      <span className="badge badge--a">{t.mark}</span>
      {schoolYear ? <span className="muted">{t.markYear(schoolYear)}</span> : null}
      {editable ? (
        <fetcher.Form method="post" action={`/danh-gia/${assessmentId}/mang-sang`}>
          <CsrfInput />
          <input type="hidden" name="_json" value="1" />
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="code" value={code} />
          <button type="submit" className="button button--secondary button--small" disabled={busy} aria-label={t.confirmLabel(code)}>
            {busy ? t.confirming : t.confirm}
          </button>
        </fetcher.Form>
      ) : null}
      {fetcher.data && !fetcher.data.ok ? (
        <span className="field-error" role="alert">
          {fetcher.data.message}
        </span>
      ) : null}
    </div>
  );
}
