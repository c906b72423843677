/**
 * /danh-gia/:id/mang-sang — carry forward (dùng lại kết quả năm trước), POST only:
 *   intent "all": carry every mapped item with nothing yet in this file;
 *   intent "indicator" + indicator=<code>: the same for one indicator;
 *   intent "confirm" + code=<item code> (repeatable): confirm carried answers as the school's own.
 * Policy assessment.edit on the school (requireAssessment), then CSRF, then the service (the door
 * enforces the state and the open cycle). A fetcher (`_json=1` or Accept JSON) gets JSON; a plain
 * form is redirected back to the form (the item's anchor for a confirmation). GET goes to the form.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import type { CarryActionResult } from "~/domain/carry-forward";
import { pick } from "~/i18n";
import { carryForwardUi } from "~/i18n/carry-forward";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { carryForward, confirmCarried } from "~/server/services/carry-forward.server";

const t = pick(carryForwardUi);

const code = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}$/);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params);
  return redirect(`/danh-gia/${a.id}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.edit");
  const form = await readForm(request);
  await assertCsrf(request, form);
  const wantsJson = form.get("_json") === "1" || (request.headers.get("Accept") ?? "").includes("application/json");
  const answer = (body: CarryActionResult, status: number, anchor = "") => (wantsJson || !body.ok ? json(body, { status }) : redirect(`/danh-gia/${a.id}${anchor}`, 303));
  const intent = form.get("intent");

  if (intent === "all" || intent === "indicator") {
    let indicator: string | undefined;
    if (intent === "indicator") {
      const p = code.safeParse(form.get("indicator"));
      if (!p.success) return answer({ ok: false, message: t.badIndicator }, 400);
      indicator = p.data;
    }
    const r = carryForward(a.id, user.id, { indicator });
    if (!r.ok) return answer({ ok: false, message: r.message }, r.kind === "not-found" ? 404 : r.kind === "bad-indicator" ? 400 : 409);
    const { items, links, skipped, from } = r.result;
    const details: string[] = [];
    if (skipped.kept.length) details.push(t.keptOwn(skipped.kept.length));
    if (skipped.changed.length) details.push(t.skippedChanged(skipped.changed.length));
    return answer({ ok: true, intent, message: items.length ? t.done(items.length, from.schoolYear, links.length) : t.doneNone, details, items, links: links.length }, 200, "#mang-sang");
  }

  if (intent === "confirm") {
    const p = z.array(code).min(1).max(200).safeParse(form.getAll("code"));
    if (!p.success) return answer({ ok: false, message: t.badCodes }, 400);
    const r = confirmCarried(a.id, p.data, user.id);
    if (!r.ok) return answer({ ok: false, message: r.message }, r.kind === "not-found" ? 404 : 409);
    return answer({ ok: true, intent, message: r.confirmed.length ? t.confirmed(r.confirmed.length) : t.confirmedNone, confirmed: r.confirmed }, 200, p.data.length === 1 ? `#tieu-chi-${p.data[0]}` : "");
  }

  return answer({ ok: false, message: t.badIntent }, 400);
}
