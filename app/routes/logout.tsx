import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertCsrf, rotatePreSession } from "~/server/auth/csrf.server";
import { destroySession } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await assertCsrf(request, await readForm(request));
  const headers = new Headers();
  headers.append("Set-Cookie", await destroySession(request));
  headers.append("Set-Cookie", await rotatePreSession());
  return redirect("/login?out=1", { headers });
}
