/**
 * /quan-tri/don-vi/tim?q=… — the unit picker's search (JSON): at most 20 units of the user's scope
 * (policy.unitScope) whose folded name or code contains every word of `q`, each with its kind and
 * parent unit's name. `muc-dich=dot`: units a cycle may be opened for; `ngoai=<id>`: leave out that
 * unit and the units below it. Anonymous: 401; users who may not list units (school users): 403.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { pick } from "~/i18n";
import { unitPickerUi } from "~/i18n/unit-picker";
import { getUser } from "~/server/auth/session.server";
import { authorizeArea } from "~/server/policy.server";
import { searchUnits, type UnitPurpose } from "~/server/services/unit-search.server";

const t = pick(unitPickerUi);
const NO_STORE = { "Cache-Control": "private, no-store" };

// Values of `muc-dich`, as unit-search.server's PURPOSES (not imported: module-level code of a route must not need a .server value).
const PURPOSES = ["dot"] as const satisfies readonly UnitPurpose[];
const emptyToUndefined = (v: unknown) => (v === "" || v == null ? undefined : v);
const query = z.object({
  q: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  "muc-dich": z.preprocess(emptyToUndefined, z.enum(PURPOSES).optional()),
  ngoai: z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(2_147_483_647)).optional()),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return json({ error: t.unauthenticated }, { status: 401, headers: NO_STORE });
  authorizeArea(user, "unit.read");
  const raw: Record<string, string> = {};
  for (const [k, v] of new URL(request.url).searchParams) if (!(k in raw)) raw[k] = v;
  const parsed = query.safeParse(raw);
  if (!parsed.success) return json({ error: t.badQuery }, { status: 400, headers: NO_STORE });
  const found = searchUnits(user, { q: parsed.data.q, purpose: parsed.data["muc-dich"], excludeSubtreeOf: parsed.data.ngoai });
  return json(found, { headers: NO_STORE });
}
