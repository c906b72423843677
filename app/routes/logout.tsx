import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertCsrf } from "~/server/auth/csrf.server";
import { destroySession } from "~/server/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await assertCsrf(request, await request.formData());
  return redirect("/login?out=1", { headers: { "Set-Cookie": await destroySession(request) } });
}
