/**
 * /cong-bo/quan-ly — the office's page to publish (công bố) or withdraw a school year's recognised
 * results for a unit: office admins of the unit or above it ("results.publish"), the system admin
 * for any unit. Lists the (unit, year) pairs of the user's subtree with recognised files and every
 * publication there; each row posts intent publish|withdraw with unitId and schoolYear (CSRF).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";
import { authorize, authorizeArea, can, isSystemAdmin, officeRange, unit } from "~/server/policy.server";
import { publish, publishCandidates, withdraw } from "~/server/services/publication.server";
import { formatDate } from "~/utils/time";

const t = pick(strings);
const m = t.manage;

export const meta: MetaFunction = () => [{ title: `${m.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "results.publish");
  // ?donVi=&nam= (the dashboard's link) narrows the list to one unit and year; a unit outside the scope is refused.
  const q = z
    .object({ donVi: z.coerce.number().int().positive().optional(), nam: z.string().regex(/^\d{4}-\d{4}$/).optional() })
    .safeParse(Object.fromEntries([...new URL(request.url).searchParams.entries()].filter(([k, v]) => (k === "donVi" || k === "nam") && v !== "")));
  if (!q.success) throw json({ error: m.badInput }, { status: 400 });
  if (q.data.donVi != null) authorize(user, "results.publish", unit(q.data.donVi));
  const range = isSystemAdmin(user) ? null : officeRange(user);
  const rows = (isSystemAdmin(user) || range ? publishCandidates(range).filter((c) => can(user, "results.publish", unit(c.unitId))) : []).filter(
    (c) => (q.data.donVi == null || c.unitId === q.data.donVi) && (q.data.nam == null || c.schoolYear === q.data.nam),
  );
  return json({ rows }, { headers: { "Cache-Control": "private, no-store" } });
}

const input = z.object({
  intent: z.enum(["publish", "withdraw"]),
  unitId: z.coerce.number().int().positive(),
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const p = input.safeParse({ intent: form.get("intent"), unitId: form.get("unitId"), schoolYear: form.get("schoolYear") });
  if (!p.success) return json({ ok: false, message: m.badInput }, { status: 400 });
  authorize(user, "results.publish", unit(p.data.unitId));
  const r = p.data.intent === "publish" ? publish(p.data.unitId, p.data.schoolYear, user.id) : withdraw(p.data.unitId, p.data.schoolYear, user.id);
  if (!r.ok) return json({ ok: false, message: r.message }, { status: r.code === "not-found" ? 404 : r.code === "invalid" ? 400 : 409 });
  return json({ ok: true, message: m.done[p.data.intent] });
}

export default function ManagePublications() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div>
      <h1>{m.title}</h1>
      <p className="muted">{m.intro}</p>
      {result ? (
        <p className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.cols.unit}</th>
              <th scope="col">{t.cols.year}</th>
              <th scope="col" className="num">
                {m.recognised}
              </th>
              <th scope="col">{m.status}</th>
              <th scope="col">{m.actions}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5}>{m.none}</td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={`${r.unitId}:${r.schoolYear}`} data-unit={r.unitCode} data-year={r.schoolYear}>
                <td>{r.unitName}</td>
                <td>{r.schoolYear}</td>
                <td className="num">{r.recognised}</td>
                <td>{r.active && r.publishedAt ? m.published(formatDate(r.publishedAt)) : r.withdrawnAt ? m.withdrawn(formatDate(r.withdrawnAt)) : m.notPublished}</td>
                <td>
                  <Form method="post" className="actions" style={{ margin: 0 }}>
                    <CsrfInput />
                    <input type="hidden" name="unitId" value={r.unitId} />
                    <input type="hidden" name="schoolYear" value={r.schoolYear} />
                    {r.active ? (
                      <>
                        <Link to={`/cong-bo/${encodeURIComponent(r.unitCode)}/${r.schoolYear}`}>{m.view}</Link>
                        <button type="submit" name="intent" value="withdraw" className="button button--secondary" disabled={busy}>
                          {m.withdraw}
                        </button>
                      </>
                    ) : (
                      <button type="submit" name="intent" value="publish" className="button" disabled={busy || r.recognised === 0}>
                        {r.withdrawnAt ? m.republish : m.publish}
                      </button>
                    )}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
