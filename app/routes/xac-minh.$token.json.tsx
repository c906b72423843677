/**
 * /xac-minh/:token/json — the public facts of a certificate for machines (also reached as
 * /xac-minh/<token>.json, or /xac-minh/<token> with Accept: application/json: public-urls.server.ts).
 * No login (policy "certificate.verify" is public). Never cached: a revocation shows at once.
 * Every wrong token, unknown or malformed, gets the same 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { verification as strings } from "~/i18n/verification";
import { authorize, SYSTEM } from "~/server/policy.server";
import { verificationFacts, verifyUrlFor } from "~/server/services/verification.server";

const t = pick(strings);
const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  authorize(null, "certificate.verify", SYSTEM); // public: the policy answers yes to anyone
  const token = params.token ?? "";
  const facts = verificationFacts(token);
  if (!facts) throw json({ error: t.notFound }, { status: 404, headers: HEADERS });
  return json({ ...facts, verifyUrl: verifyUrlFor(token, request) }, { headers: HEADERS });
}
