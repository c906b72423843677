import { Form, Link, useLocation } from "@remix-run/react";
import { useId } from "react";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

interface SearchBoxProps {
  label: string;
  hint?: string;
  defaultValue?: string;
  /** Extra filter fields (selects) submitted with the search. */
  children?: React.ReactNode;
  /** Show the "clear filters" link. */
  filtered?: boolean;
}

/** A GET search form (?q=…) with optional filters; submitting starts again at page 1. */
export function SearchBox({ label, hint, defaultValue, children, filtered }: SearchBoxProps) {
  const t = pick(admin).common;
  const id = useId();
  const location = useLocation();
  return (
    <Form method="get" role="search" className="toolbar">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <span className="hint" id={`${id}-hint`}>
            {hint}
          </span>
        ) : null}
        <input id={id} type="search" name="q" defaultValue={defaultValue} maxLength={100} aria-describedby={hint ? `${id}-hint` : undefined} />
      </div>
      {children}
      <div className="actions">
        <button type="submit" className="button">
          {t.searchSubmit}
        </button>
        {filtered ? (
          <Link to={location.pathname} className="button button--quiet">
            {t.clear}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
