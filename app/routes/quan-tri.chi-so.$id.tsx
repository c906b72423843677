import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { editionIdSchema } from "~/domain/catalogue";
import { CatalogueView } from "~/components/CatalogueView";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, can, SYSTEM } from "~/server/policy.server";
import { deleteDraft, getEdition, publishEdition } from "~/server/services/catalogue.server";
import { formatDate } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(catalogueUi);
const params = z.object({ id: editionIdSchema });
const body = z.object({ intent: z.enum(["publish", "delete"]) });

export const meta: MetaFunction = () => [{ title: `${t.admin.title} — CĐS 4725` }];

export async function loader({ request, params: p }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorize(user, "catalogue.manage", { kind: "system" });
  const q = params.safeParse(p);
  const found = q.success ? getEdition(q.data.id) : null;
  if (!found) throw json({ error: t.admin.notFound }, { status: 404 });
  // Publish and delete are offered when the action accepts them: a catalogue manager, a draft (published editions are immutable).
  const canChange = found.row.status === "draft" && can(user, "catalogue.manage", SYSTEM);
  return json({ found, canChange });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  const user = await requireUser(request);
  authorize(user, "catalogue.manage", { kind: "system" });
  const form = await readForm(request);
  await assertCsrf(request, form);
  const q = params.safeParse(p);
  const b = body.safeParse(Object.fromEntries(form));
  if (!q.success || !b.success) throw json({ error: "Yêu cầu không hợp lệ." }, { status: 400 });
  if (b.data.intent === "publish") {
    const r = publishEdition(q.data.id, user.id);
    if (!r.ok) throw json({ error: r.reason === "not-found" ? t.admin.notFound : t.admin.alreadyPublished }, { status: r.reason === "not-found" ? 404 : 409 });
    return redirect(`/quan-tri/chi-so/${encodeURIComponent(q.data.id)}?da-cong-bo=1`);
  }
  if (!deleteDraft(q.data.id, user.id)) throw json({ error: t.admin.alreadyPublished }, { status: 409 });
  return redirect(`/quan-tri/chi-so`);
}

export default function EditionDetail() {
  const { found, canChange } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  const { row, edition } = found;
  return (
    <article>
      <p>
        <Link to="/quan-tri/chi-so">← {t.admin.title}</Link>
      </p>
      <h1>
        {row.id} — {row.status === "published" ? t.editions.published : t.editions.draft}
      </h1>
      {sp.get("da-luu") ? <p className="alert alert--ok">{t.admin.saved(row.id)}</p> : null}
      {sp.get("da-cong-bo") ? <p className="alert alert--ok">{t.admin.published(row.id)}</p> : null}
      <p className="muted">
        {edition.title}
        {row.publishedAt ? ` · ${t.publishedOn} ${formatDate(row.publishedAt)}` : ""} · {t.hash}: <code>{row.contentHash}</code>
      </p>
      {canChange ? (
        <div className="actions">
          <Form method="post" onSubmit={(e) => (confirm(t.admin.publishConfirm) ? undefined : e.preventDefault())}>
            <CsrfInput />
            <button type="submit" name="intent" value="publish" className="button">
              {t.admin.publish}
            </button>
          </Form>
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="delete" className="button button--danger">
              {t.admin.deleteDraft}
            </button>
          </Form>
        </div>
      ) : null}
      <CatalogueView edition={edition as never} />
    </article>
  );
}
