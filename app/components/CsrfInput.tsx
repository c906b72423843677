import { useRouteLoaderData } from "@remix-run/react";

/** The hidden CSRF field every mutating form must carry. */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as { csrf?: string } | undefined;
  return <input type="hidden" name="_csrf" value={data?.csrf ?? ""} />;
}
