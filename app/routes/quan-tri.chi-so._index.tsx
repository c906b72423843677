import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { CatalogueView } from "~/components/CatalogueView";
import { EditionDiffView } from "~/components/EditionDiffView";
import { diffEditions, parseEditionJson, type CatalogueError } from "~/domain/catalogue";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { fieldText, readSmallForm } from "~/server/forms.server";
import { authorize } from "~/server/policy.server";
import { listEditions, newestPublished, saveDraft } from "~/server/services/catalogue.server";
import { formatDate } from "~/utils/time";

const t = pick(catalogueUi);
const MAX_BYTES = 2 * 1024 * 1024;

export const meta: MetaFunction = () => [{ title: `${t.admin.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorize(user, "catalogue.manage", { kind: "system" });
  return json({ editions: listEditions({ includeDrafts: true }) });
}

type ActionData =
  | { stage: "errors"; errors: CatalogueError[] }
  | { stage: "preview"; text: string; edition: unknown; diff: unknown; currentId: string | null; exists: boolean }
  | { stage: "message"; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  authorize(user, "catalogue.manage", { kind: "system" });
  const form = await readSmallForm(request, MAX_BYTES, t.admin.tooBig);
  await assertCsrf(request, form);
  const intent = form.get("intent");
  const fileText = await fieldText(form.get("file"));
  const text = (fileText.trim() ? fileText : await fieldText(form.get("json"))).trim();
  if (!text) return json<ActionData>({ stage: "errors", errors: [{ kind: "json", vi: t.admin.empty, en: "No JSON given." }] }, { status: 400 });
  if (text.length > MAX_BYTES) return json<ActionData>({ stage: "errors", errors: [{ kind: "json", vi: t.admin.tooBig, en: "Too big." }] }, { status: 413 });

  if (intent === "save") {
    // Never trust the preview: the text is validated again before it is stored.
    const checked = parseEditionJson(text);
    if (!checked.ok) return json<ActionData>({ stage: "errors", errors: checked.errors }, { status: 422 });
    const result = saveDraft(checked.edition, user.id);
    if (!result.ok) return json<ActionData>({ stage: "errors", errors: result.errors }, { status: 422 });
    return redirect(`/quan-tri/chi-so/${encodeURIComponent(result.id)}?da-luu=1`);
  }

  const parsed = parseEditionJson(text);
  if (!parsed.ok) return json<ActionData>({ stage: "errors", errors: parsed.errors }, { status: 422 });
  const current = newestPublished();
  const exists = listEditions({ includeDrafts: true }).find((e) => e.id === parsed.edition.id);
  if (exists?.status === "published") {
    return json<ActionData>(
      { stage: "errors", errors: [{ kind: "edition-id", code: parsed.edition.id, vi: `${t.admin.alreadyPublished} Hãy đặt mã phiên bản mới cho bản hiệu chỉnh.`, en: "Already published." }] },
      { status: 409 },
    );
  }
  return json<ActionData>({
    stage: "preview",
    text,
    edition: parsed.edition,
    diff: current ? diffEditions(current.edition, parsed.edition) : null,
    currentId: current?.row.id ?? null,
    exists: !!exists,
  });
}

export default function EditionsAdmin() {
  const { editions } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <div>
      <h1>{t.admin.title}</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.editions.id}</th>
              <th scope="col">{t.editions.name}</th>
              <th scope="col">{t.editions.status}</th>
              <th scope="col">{t.publishedOn}</th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/quan-tri/chi-so/${encodeURIComponent(e.id)}`}>{e.id}</Link>
                </td>
                <td>{e.title}</td>
                <td>{e.status === "published" ? t.editions.published : t.editions.draft}</td>
                <td>{e.publishedAt ? formatDate(e.publishedAt) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card form" aria-labelledby="upload">
        <h2 id="upload">{t.admin.upload}</h2>
        <Form method="post" encType="multipart/form-data">
          <CsrfInput />
          <div className="field">
            <label htmlFor="edition-file">{t.admin.file}</label>
            <span className="hint" id="edition-file-hint">
              {t.admin.fileHint}
            </span>
            <input id="edition-file" type="file" name="file" accept="application/json,.json" aria-describedby="edition-file-hint" />
          </div>
          <div className="field">
            <label htmlFor="edition-json">{t.admin.orPaste}</label>
            <textarea id="edition-json" name="json" rows={6} spellCheck={false} />
          </div>
          <button type="submit" name="intent" value="check" className="button" disabled={busy}>
            {t.admin.check}
          </button>
        </Form>
      </section>

      {data?.stage === "errors" ? (
        <div className="alert alert--error" role="alert">
          <strong>{t.admin.errorsTitle}</strong>
          <ul>
            {data.errors.map((e, i) => (
              <li key={i}>
                {e.vi} <span className="muted" lang="en">({e.en})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {data?.stage === "preview" ? <Preview data={data} busy={busy} /> : null}
    </div>
  );
}

function Preview({ data, busy }: { data: Extract<ActionData, { stage: "preview" }>; busy: boolean }) {
  const edition = data.edition as Parameters<typeof CatalogueView>[0]["edition"];
  return (
    <section aria-labelledby="preview">
      <h2 id="preview">{t.admin.previewTitle(edition.id)}</h2>
      <p className="alert alert--ok" role="status">
        {t.admin.previewOk}
      </p>
      <Form method="post" encType="multipart/form-data" className="actions">
        <CsrfInput />
        <input type="hidden" name="json" value={data.text} />
        <button type="submit" name="intent" value="save" className="button" disabled={busy}>
          {t.admin.saveDraft}
        </button>
      </Form>
      {data.diff && data.currentId ? (
        <>
          <h2>{t.admin.changesVsCurrent(data.currentId)}</h2>
          <EditionDiffView diff={data.diff as never} />
        </>
      ) : null}
      <CatalogueView edition={edition} />
    </section>
  );
}
