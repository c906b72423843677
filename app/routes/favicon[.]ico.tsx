/**
 * /favicon.ico: browsers and crawlers ask for it even when the page links an icon. Answered with a
 * redirect to the SVG favicon the build emits (public/favicon.svg → /build/_assets/favicon-<hash>.svg,
 * image/svg+xml, cached a year), so the server log never shows a 404 for it. A temporary redirect,
 * cached a day: the asset's name changes when the icon does.
 */
import favicon from "../../public/favicon.svg";

export function loader() {
  return new Response(null, { status: 302, headers: { Location: favicon, "Cache-Control": "public, max-age=86400" } });
}
