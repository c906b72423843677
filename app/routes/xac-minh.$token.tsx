/**
 * /xac-minh/:token — public verification of a certificate (giấy công nhận), the address its QR code
 * carries. No login (policy "certificate.verify" is public); made for a phone.
 * Shows the school, its code, the level, the school year, the issuing office, the decision and its
 * date, the signer printed on the certificate, the serial and the status: "Còn hiệu lực", or
 * "Đã thu hồi" with the date and reason. Nothing else about anyone.
 * Every wrong token, unknown or malformed, gets the same plain 404 page. Never cached, never indexed.
 * The same facts as JSON: /xac-minh/:token/json (and .json, Accept: app/server/http/public-urls.server.ts).
 */
import { PublicErrorPage } from "~/components/PublicErrorPage";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pick } from "~/i18n";
import { verification as strings } from "~/i18n/verification";
import { authorize, SYSTEM } from "~/server/policy.server";
import { verificationFacts } from "~/server/services/verification.server";
import { formatDateTime, formatLocalDate } from "~/utils/time";

const t = pick(strings);
const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

export const headers: HeadersFunction = () => HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.facts ? `${data.facts.status === "valid" ? t.valid : t.revoked} — ${t.title} — CĐS 4725` : `${t.notFoundTitle} — CĐS 4725` },
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  authorize(null, "certificate.verify", SYSTEM); // public: the policy answers yes to anyone
  const token = params.token ?? "";
  const facts = verificationFacts(token);
  if (!facts) throw json({ error: t.notFound }, { status: 404, headers: HEADERS });
  const base = `/xac-minh/${encodeURIComponent(token)}`;
  return json({ facts, pdfUrl: `${base}.pdf`, jsonUrl: `${base}.json`, checkedAt: Date.now() }, { headers: HEADERS });
}

const dt = { fontWeight: 600, marginTop: "0.75rem" } as const;
const dd = { margin: "0.1rem 0 0", overflowWrap: "anywhere" } as const;

export default function VerificationPage() {
  const { facts: f, pdfUrl, jsonUrl, checkedAt } = useLoaderData<typeof loader>();
  const valid = f.status === "valid";
  return (
    <article style={{ maxWidth: "40rem" }} aria-labelledby="verify-title">
      <h1 id="verify-title">{t.title}</h1>
      <section aria-labelledby="verify-status" className={`alert ${valid ? "alert--ok" : "alert--error"}`}>
        <h2 id="verify-status" className="visually-hidden">
          {t.statusHeading}
        </h2>
        <p style={{ margin: 0, fontSize: "1.25rem", fontWeight: 700, color: valid ? "var(--ok)" : "var(--bad)" }} data-status={f.status}>
          <span aria-hidden="true">{valid ? "✔ " : "✖ "}</span>
          {t.statusHeading}: {valid ? t.valid : t.revoked}
        </p>
        <p style={{ margin: "0.25rem 0 0" }}>{valid ? t.validHint : t.revokedHint}</p>
        {!valid ? (
          <dl style={{ margin: "0.5rem 0 0" }}>
            <dt style={dt}>{t.revokedOn}</dt>
            <dd style={dd}>{f.revokedOn ? formatLocalDate(f.revokedOn) : ""}</dd>
            <dt style={dt}>{t.revokeReason}</dt>
            <dd style={{ ...dd, whiteSpace: "pre-line" }}>{f.revokeReason}</dd>
          </dl>
        ) : null}
      </section>

      <section aria-labelledby="verify-details" className="card">
        <h2 id="verify-details" style={{ marginTop: 0 }}>
          {t.detailsHeading}
        </h2>
        <dl style={{ margin: 0 }}>
          <dt style={dt}>{t.fields.school}</dt>
          <dd style={dd}>{f.school}</dd>
          <dt style={dt}>{t.fields.schoolCode}</dt>
          <dd style={dd}>{f.schoolCode}</dd>
          <dt style={dt}>{t.fields.level}</dt>
          <dd style={dd}>{f.levelTitle}</dd>
          <dt style={dt}>{t.fields.schoolYear}</dt>
          <dd style={dd}>{f.schoolYear}</dd>
          <dt style={dt}>{t.fields.issuingOffice}</dt>
          <dd style={dd}>{f.issuingOffice}</dd>
          <dt style={dt}>{t.fields.decision}</dt>
          <dd style={dd}>{f.decisionNumber}</dd>
          <dt style={dt}>{t.fields.decisionDate}</dt>
          <dd style={dd}>{formatLocalDate(f.decisionDate)}</dd>
          <dt style={dt}>{t.fields.signer}</dt>
          <dd style={dd}>
            {f.signerName}
            {f.signerTitle ? <span className="muted"> ({f.signerTitle})</span> : null}
          </dd>
          <dt style={dt}>{t.fields.serial}</dt>
          <dd style={dd}>
            <strong>{f.serial}</strong>
          </dd>
        </dl>
      </section>

      <p className="actions">
        <a className="button" href={pdfUrl}>
          {t.pdf}
        </a>
        <a href={jsonUrl}>{t.json}</a>
      </p>
      <p className="muted">
        {t.intro} {t.checkedAt(formatDateTime(checkedAt))}
      </p>
    </article>
  );
}

/** The one plain page for every wrong token (and, for anything else, a plain error). */
export function ErrorBoundary() {
  return <PublicErrorPage texts={{ notFoundTitle: t.notFound, notFound: t.notFoundHint, unavailable: t.unavailable, unavailableHint: t.unavailableHint, back: { to: "/", label: t.backHome } }} />;
}
