import { useEffect, useRef } from "react";
import { Form, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { ShellUser } from "~/domain/shell";
import { pick } from "~/i18n";
import { shell } from "~/i18n/shell";
import { auth } from "~/i18n/auth";
import { notificationsUi } from "~/i18n/notifications";
import { CsrfInput } from "./CsrfInput";

export type { ShellUser };

export function AppShell({ user, children }: { user: ShellUser | null; children: React.ReactNode }) {
  const t = pick(shell);
  const { pathname } = useLocation();
  const onLogin = pathname === "/login";
  const unread = useUnreadCount();
  const tn = pick(notificationsUi);
  // The phone menu closes when the page changes (client navigation keeps the shell mounted).
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="brand" href="/">
            <span className="brand__mark" aria-hidden="true">
              4725
            </span>
            <span>
              <strong>{t.appName}</strong>
              <span className="brand__sub">{t.appLongName}</span>
            </span>
          </a>
          {user ? (
            <div className="account">
              <span className="account__who">
                <span className="visually-hidden">{t.signedInAs} </span>
                <strong>{user.displayName}</strong>
                <span className="account__role">{user.roles.map((r) => t.roles[r]).join(", ")}</span>
              </span>
              <a className="button button--quiet" href="/thong-bao" aria-current={pathname === "/thong-bao" ? "page" : undefined}>
                {tn.link}
                {unread > 0 ? (
                  <>
                    {" "}
                    <span className="badge" aria-hidden="true">
                      ({unread})
                    </span>
                    <span className="visually-hidden">({tn.unreadLabel(unread)})</span>
                  </>
                ) : null}
              </a>
              <a className="button button--quiet" href="/tai-khoan/mat-khau">
                {pick(auth).account.changeLink}
              </a>
              <Form method="post" action="/logout">
                <CsrfInput />
                <button type="submit" className="button button--quiet">
                  {t.logout}
                </button>
              </Form>
            </div>
          ) : onLogin ? null : (
            <a className="button button--quiet" href="/login">
              {t.login}
            </a>
          )}
        </div>
        {user ? (
          <nav aria-label={t.mainNav} className="main-nav">
            {/* Phone width: a disclosure (works without JavaScript, keyboard: Tab then Enter/Space) that
                shows the list below it; wider screens hide it and show the list. See app.css "Main navigation". */}
            <details className="main-nav__menu" ref={menu}>
              <summary>
                <span className="main-nav__icon" aria-hidden="true">
                  ☰
                </span>{" "}
                {t.mainNav}
              </summary>
            </details>
            <ul>
              {user.nav.map((item) => (
                <li key={item.key}>
                  <NavLink to={item.to} end={item.to === "/"}>
                    {t.nav[item.key]}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">{t.footer}</footer>
    </>
  );
}

/** The signed-in user's unread notification count from the root data (0 when absent). */
export function useUnreadCount(): number {
  const data = useRouteLoaderData("root") as { unread?: number } | undefined;
  return typeof data?.unread === "number" ? data.unread : 0;
}

export function useShellUser(): ShellUser | null {
  const data = useRouteLoaderData("root") as { user: ShellUser | null } | undefined;
  return data?.user ?? null;
}
