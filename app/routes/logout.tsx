import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertCsrf, rotatePreSession } from "~/server/auth/csrf.server";
import { destroySession } from "~/server/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await assertCsrf(request, await request.formData());
  const headers = new Headers();
  headers.append("Set-Cookie", await destroySession(request));
  headers.append("Set-Cookie", await rotatePreSession());
  return redirect("/login?out=1", { headers });
}
