/**
 * The error page of the public pages (published results, certificate verification): a 404 says
 * what was not found and leads back; anything else says the page is unavailable for now.
 * Used as (or by) a route's ErrorBoundary.
 */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

export interface PublicErrorTexts {
  notFoundTitle: string;
  notFound: string;
  unavailable: string;
  unavailableHint: string;
  back: { to: string; label: string };
}

export function PublicErrorPage({ texts }: { texts: PublicErrorTexts }) {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="error-page" role="alert" style={{ maxWidth: "40rem" }}>
      <h1>{notFound ? texts.notFoundTitle : texts.unavailable}</h1>
      <p>{notFound ? texts.notFound : texts.unavailableHint}</p>
      <p className="actions">
        <Link className="button" to={texts.back.to} reloadDocument>
          {texts.back.label}
        </Link>
      </p>
    </section>
  );
}
