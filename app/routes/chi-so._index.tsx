import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { editionIdSchema } from "~/domain/catalogue";
import { CatalogueView } from "~/components/CatalogueView";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { getUser } from "~/server/auth/session.server";
import { authorize, SYSTEM } from "~/server/policy.server";
import { newestPublished } from "~/server/services/catalogue.server";
import { visibleEdition } from "~/server/services/catalogue-view.server";
import { formatDate } from "~/utils/time";

const t = pick(catalogueUi);
const query = z.object({ "phien-ban": editionIdSchema.optional() });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${t.title}${data?.found ? ` — ${data.found.row.id}` : ""} — CĐS 4725` },
];

/** Public: the published catalogue (newest by default, or ?phien-ban=<id>). */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = query.safeParse(Object.fromEntries(url.searchParams));
  if (!q.success) throw json({ error: "Mã phiên bản không hợp lệ." }, { status: 400 });
  const user = await getUser(request);
  authorize(user, "catalogue.read", SYSTEM); // public: the policy answers yes to anyone, signed in or not
  const id = q.data["phien-ban"];
  const found = id ? visibleEdition(id, user) : newestPublished();
  if (id && !found) throw json({ error: "Không tìm thấy phiên bản bộ chỉ số này." }, { status: 404 });
  return json({ found });
}

export default function CataloguePage() {
  const { found } = useLoaderData<typeof loader>();
  if (!found) return <p className="alert">{t.noEdition}</p>;
  const { row, edition } = found;
  return (
    <article>
      <h1>{edition.title}</h1>
      <p className="muted">
        {t.editionLabel}: <strong>{row.id}</strong>
        {row.status === "draft" ? ` (${t.editions.draft})` : ""}
        {row.publishedAt ? ` · ${t.publishedOn} ${formatDate(row.publishedAt)}` : ""} · {t.hash}: <code>{row.contentHash.slice(0, 12)}</code>
      </p>
      {edition.note ? <p>{edition.note}</p> : null}
      <p>
        <Link to="/chi-so/phien-ban">{t.otherEditions}</Link>
      </p>
      <CatalogueView edition={edition as never} />
    </article>
  );
}
