import { Link, useLocation } from "@remix-run/react";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

interface PagerProps {
  page: number;
  pageCount: number;
  total: number;
}

/** Previous/next links keeping the other query parameters (search, filters). */
export function Pager({ page, pageCount, total }: PagerProps) {
  const t = pick(admin).pager;
  const location = useLocation();
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    if (p <= 1) params.delete("page");
    else params.set("page", String(p));
    const qs = params.toString();
    return qs ? `?${qs}` : location.pathname;
  };
  return (
    <nav className="pager" aria-label={t.label}>
      {page > 1 ? (
        <Link className="button button--secondary" to={href(page - 1)} rel="prev">
          {t.prev}
        </Link>
      ) : null}
      <span aria-current="page">{t.status(page, pageCount, total)}</span>
      {page < pageCount ? (
        <Link className="button button--secondary" to={href(page + 1)} rel="next">
          {t.next}
        </Link>
      ) : null}
    </nav>
  );
}
