import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { ImportPreview, type ImportPreviewData } from "~/components/admin/ImportPreview";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readSmallForm } from "~/server/forms.server";
import { authorizeArea } from "~/server/policy.server";
import { applySchoolImport, decodeCsv, MAX_IMPORT_BYTES, previewSchoolImport } from "~/server/services/school-import.server";
import { badRequest } from "~/server/validate.server";

const t = pick(admin);
/** Upload limits (computed on the server only: MAX_IMPORT_BYTES lives in a .server module). */
function limits() {
  // The confirm step re-posts the text base64-encoded (4/3 of the bytes).
  return { maxMb: MAX_IMPORT_BYTES / 1024 / 1024, maxPartBytes: Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 1024 };
}

export const meta: MetaFunction = () => [{ title: `${t.import.title} — CĐS 4725` }];

type ActionData =
  | { stage: "upload"; error: string }
  | { stage: "preview"; preview: ImportPreviewData; payload: string; error?: string }
  | { stage: "done"; created: number; updated: number; unchanged: number };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  return json({ maxMb: limits().maxMb });
}

const confirmSchema = z.object({
  payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** Reads the (multipart) form with every part capped; too big is shown on the page, not as an error page. */
async function readForm(request: Request): Promise<FormData | Response> {
  const { maxMb, maxPartBytes } = limits();
  try {
    return await readSmallForm(request, maxPartBytes, t.import.fileErrors.tooLarge(maxMb));
  } catch (e) {
    if (e instanceof Response && e.status === 413) return json<ActionData>({ stage: "upload", error: t.import.fileErrors.tooLarge(maxMb) }, { status: 413 });
    throw e;
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  await assertCsrf(request, form);
  const user = await requireUser(request);
  authorizeArea(user, "school.manage");
  const MAX_MB = limits().maxMb;
  const intent = form.get("intent");

  if (intent === "preview") {
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) return json<ActionData>({ stage: "upload", error: t.import.fileErrors.noFile }, { status: 400 });
    if (file.size > MAX_IMPORT_BYTES) return json<ActionData>({ stage: "upload", error: t.import.fileErrors.tooLarge(MAX_MB) }, { status: 413 });
    const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()));
    if (!decoded.ok) return json<ActionData>({ stage: "upload", error: decoded.error }, { status: 400 });
    const preview = previewSchoolImport(user, decoded.text);
    return json<ActionData>({ stage: "preview", preview, payload: Buffer.from(decoded.text, "utf8").toString("base64") });
  }

  if (intent === "confirm") {
    const parsed = confirmSchema.safeParse({ payload: form.get("payload"), sha256: form.get("sha256") });
    if (!parsed.success) return json<ActionData>({ stage: "upload", error: t.import.fileErrors.badPayload }, { status: 400 });
    const decoded = decodeCsv(Buffer.from(parsed.data.payload, "base64"));
    if (!decoded.ok) return json<ActionData>({ stage: "upload", error: decoded.error }, { status: 400 });
    // Never trust the preview: everything is validated again inside the transaction.
    const result = applySchoolImport(user, decoded.text, parsed.data.sha256);
    switch (result.status) {
      case "changed":
        return json<ActionData>({ stage: "upload", error: t.import.fileErrors.changed }, { status: 409 });
      case "rejected":
        return json<ActionData>({ stage: "preview", preview: result.preview, payload: parsed.data.payload, error: t.import.fileErrors.rejected }, { status: 422 });
      case "nothing":
        return json<ActionData>({ stage: "done", created: 0, updated: 0, unchanged: result.unchanged });
      case "applied":
        return json<ActionData>({ stage: "done", created: result.created, updated: result.updated, unchanged: result.unchanged });
    }
  }
  badRequest(t.errors.badIntent);
}

function UploadForm({ maxMb }: { maxMb: number }) {
  const id = useId();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" encType="multipart/form-data" className="form">
      <CsrfInput />
      <input type="hidden" name="intent" value="preview" />
      <div className="field">
        <label htmlFor={id}>{t.import.file}</label>
        <span className="hint" id={`${id}-hint`}>
          {t.import.fileHint(maxMb)}
        </span>
        <input id={id} type="file" name="file" accept=".csv,text/csv" required aria-describedby={`${id}-hint`} />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? t.import.previewing : t.import.previewSubmit}
      </button>
    </Form>
  );
}

export default function ImportSchools() {
  const { maxMb } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">{t.import.title}</h1>
      {data?.stage === "done" ? (
        <div className="card">
          <p className="alert alert--ok" role="status">
            {data.created + data.updated === 0 ? t.import.doneNothing(data.unchanged) : t.import.done(data.created, data.updated, data.unchanged)}
          </p>
          <p className="actions">
            <Link className="button" to="/quan-tri/truong">
              {t.import.backToList}
            </Link>
            <Link className="button button--secondary" to="/quan-tri/truong/nhap">
              {t.import.another}
            </Link>
          </p>
        </div>
      ) : null}

      {data?.stage === "preview" ? (
        <div className="card" aria-labelledby="import-preview-title">
          <h2 id="import-preview-title">{t.import.previewHeading}</h2>
          {data.error ? (
            <p className="alert alert--error" role="alert">
              {data.error}
            </p>
          ) : null}
          <p className="muted">{t.import.previewNote}</p>
          <ImportPreview preview={data.preview} />
          {data.preview.ok && data.preview.counts.create + data.preview.counts.update > 0 ? (
            <Form method="post" encType="multipart/form-data" className="actions">
              <CsrfInput />
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="payload" value={data.payload} />
              <input type="hidden" name="sha256" value={data.preview.sha256} />
              <p>{t.import.confirmNote(data.preview.counts.create, data.preview.counts.update)}</p>
              <button type="submit" className="button" disabled={busy}>
                {busy ? t.import.confirming : t.import.confirm}
              </button>
            </Form>
          ) : null}
          <p className="muted">
            {t.import.checksum}: <span className="checksum">{data.preview.sha256}</span>
          </p>
        </div>
      ) : null}

      {data?.stage !== "done" ? (
        <div className="card">
          {data?.stage === "upload" ? (
            <p className="alert alert--error" role="alert">
              {data.error}
            </p>
          ) : null}
          {data?.stage === "preview" ? <h2>{t.import.another}</h2> : <p>{t.import.intro}</p>}
          {data?.stage === "preview" ? null : (
            <>
              <h2>{t.import.columnsHeading}</h2>
              <ul>
                {t.import.columns.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              <h3>{t.import.example}</h3>
              <pre className="checksum">{"mã trường;tên;loại hình;đơn vị quản lý;đơn vị đánh giá ngoài\n99000001;Trường Tiểu học Nguyễn Du;TH;S99-P01;S99-P01"}</pre>
            </>
          )}
          <UploadForm maxMb={maxMb} />
        </div>
      ) : null}
      <p>
        <Link to="/quan-tri/truong">{t.import.backToList}</Link>
      </p>
    </section>
  );
}
