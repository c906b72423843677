import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { AppShell, type ShellUser } from "~/components/AppShell";
import { useNonce } from "~/utils/nonce";
import { pick } from "~/i18n";
import { shell } from "~/i18n/shell";
import { rootData } from "~/server/root-data.server";
import styles from "~/styles/app.css";
import favicon from "../public/favicon.svg";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  // public/favicon.svg, emitted by the build under /build/_assets/ (hashed, cached for a year); /favicon.ico
  // (what browsers and crawlers ask for without a link) is answered by app/routes/favicon[.]ico.tsx.
  { rel: "icon", type: "image/svg+xml", href: favicon },
];

export const meta: MetaFunction = () => [{ title: "CĐS 4725 — Đánh giá chuyển đổi số cơ sở giáo dục" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { data, headers } = await rootData(request);
  return json(data, { headers });
}

export type RootData = { user: ShellUser | null; csrf: string };

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root") as RootData | undefined;
}

function Document({ children }: { children: React.ReactNode }) {
  // The page's CSP nonce (server render only): Remix's inline scripts must carry it.
  const nonce = useNonce();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRootData();
  return (
    <Document>
      <AppShell user={data?.user ?? null}>
        <Outlet />
      </AppShell>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRootData();
  const t = pick(shell).error;
  let title = t.title;
  let message = t.generic;
  let status: number | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const detail = typeof error.data === "object" && error.data && "error" in error.data ? String(error.data.error) : null;
    if (error.status === 404) [title, message] = [t.notFoundTitle, detail ?? t.notFound];
    else if (error.status === 403) [title, message] = [t.forbiddenTitle, detail ?? t.forbidden];
    else if (error.status >= 400 && error.status < 500) [title, message] = [t.badRequestTitle, detail ?? t.generic];
  }
  return (
    <Document>
      <AppShell user={data?.user ?? null}>
        <section className="error-page" role="alert">
          <h1>{title}</h1>
          <p>{message}</p>
          {status ? (
            <p className="muted">
              {t.code}: {status}
            </p>
          ) : null}
          <p className="actions">
            <a className="button" href="/">
              {t.backHome}
            </a>
          </p>
        </section>
      </AppShell>
    </Document>
  );
}
