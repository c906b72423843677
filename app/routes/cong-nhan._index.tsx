/**
 * /cong-nhan — recognition decisions. Offices read the decisions of their unit and the units
 * below it (decision.read); the issuing office (decision.manage on its own unit) starts a draft
 * for a school year in which it has files. Issuing, files and revocation live on /cong-nhan/:id.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { SelectField } from "~/components/Field";
import { DECISION_STATUS_LABELS } from "~/domain/recognition";
import { pick } from "~/i18n";
import { recognitionUi } from "~/i18n/recognition";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";
import { can, canArea, forbidden, isSystemAdmin, officeRange } from "~/server/policy.server";
import { createDecision, decisionsIn, eligibleIds, yearsWithFiles } from "~/server/services/recognition.server";
import { formatLocalDate } from "~/utils/time";

const t = pick(recognitionUi);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

/** The unit the user issues decisions for, when the policy lets them. */
function issuingUnitOf(user: Awaited<ReturnType<typeof requireUser>>): number | null {
  return user.unitId != null && can(user, "decision.manage", { kind: "unit", unitId: user.unitId }) ? user.unitId : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canArea(user, "decision.read")) throw forbidden();
  const range = isSystemAdmin(user) ? "all" : officeRange(user);
  const decisions = range ? decisionsIn(range) : [];
  const unitId = issuingUnitOf(user);
  const years = unitId != null ? yearsWithFiles(unitId).map((y) => ({ year: y, eligible: eligibleIds(unitId, y).length })) : [];
  return json({ decisions, canCreate: unitId != null, years });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const unitId = issuingUnitOf(user);
  if (unitId == null) throw forbidden();
  const p = z.object({ intent: z.literal("create"), schoolYear: z.string().regex(/^\d{4}-\d{4}$/) }).safeParse({ intent: form.get("intent"), schoolYear: form.get("schoolYear") });
  if (!p.success || !yearsWithFiles(unitId).includes(p.data.schoolYear)) return json({ message: t.badInput }, { status: 400 });
  const r = createDecision(unitId, p.data.schoolYear, user.id);
  if (!r.ok) return json({ message: r.message }, { status: 409 });
  return redirect(`/cong-nhan/${r.id}`);
}

export default function Decisions() {
  const { decisions, canCreate, years } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {canCreate ? (
        <Form method="post" className="card form" aria-labelledby="new-decision">
          <h2 id="new-decision">{t.newHeading}</h2>
          <p className="muted">{t.newHint}</p>
          <CsrfInput />
          {result ? (
            <p className="alert alert--error" role="alert">
              {result.message}
            </p>
          ) : null}
          {years.length ? (
            <>
              <SelectField label={t.year} name="schoolYear" defaultValue={years[0]!.year} options={years.map((y) => ({ value: y.year, label: `${y.year} — ${t.eligible(y.eligible)}` }))} />
              <button type="submit" name="intent" value="create" className="button">
                {t.create}
              </button>
            </>
          ) : (
            <p>{t.noYears}</p>
          )}
        </Form>
      ) : null}
      <h2>{t.decisions}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.cols.number}</th>
              <th scope="col">{t.cols.year}</th>
              <th scope="col">{t.cols.office}</th>
              <th scope="col">{t.cols.date}</th>
              <th scope="col">{t.cols.status}</th>
              <th scope="col" className="num">
                {t.cols.files}
              </th>
            </tr>
          </thead>
          <tbody>
            {decisions.length === 0 ? (
              <tr>
                <td colSpan={6}>{t.none}</td>
              </tr>
            ) : null}
            {decisions.map((d) => (
              <tr key={d.id} data-decision={d.id}>
                <td>
                  <Link to={`/cong-nhan/${d.id}`}>{d.number ?? t.noNumber}</Link>
                </td>
                <td>{d.schoolYear}</td>
                <td>{d.unit}</td>
                <td>{d.decidedOn ? formatLocalDate(d.decidedOn) : "–"}</td>
                <td>{DECISION_STATUS_LABELS[d.status]}</td>
                <td className="num">{d.files}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
