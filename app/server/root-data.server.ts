import { getCsrfToken } from "./auth/csrf.server";
import { getUser } from "./auth/session.server";
import { navFor } from "./nav.server";
import { unreadCount } from "./services/notifications.server";
import type { ShellUser } from "~/domain/shell";

/**
 * Data every page needs: the signed-in user with their navigation, the CSRF token for forms, and the
 * user's unread notification count for the header (one count on notifications_user_idx; 0 when anonymous).
 */
export async function rootData(request: Request): Promise<{ data: { user: ShellUser | null; csrf: string; unread: number }; headers: Headers }> {
  const headers = new Headers();
  const { token, setCookie } = await getCsrfToken(request);
  if (setCookie) headers.append("Set-Cookie", setCookie);
  const user = await getUser(request);
  return {
    data: {
      csrf: token,
      user: user ? { displayName: user.displayName, username: user.username, roles: user.roles, nav: navFor(user) } : null,
      unread: user ? unreadCount(user.id) : 0,
    },
    headers,
  };
}
