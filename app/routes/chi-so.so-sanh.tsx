import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EditionDiffView } from "~/components/EditionDiffView";
import { diffEditions, editionIdSchema } from "~/domain/catalogue";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { getUser } from "~/server/auth/session.server";
import { authorize, SYSTEM } from "~/server/policy.server";
import { visibleEdition } from "~/server/services/catalogue-view.server";

const t = pick(catalogueUi).diff;
const slug = editionIdSchema;
const query = z.object({ tu: slug, den: slug });

export const meta: MetaFunction = () => [{ title: `So sánh phiên bản bộ chỉ số — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const q = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!q.success) throw json({ error: t.pick }, { status: 400 });
  const user = await getUser(request);
  authorize(user, "catalogue.read", SYSTEM); // public: the policy answers yes to anyone, signed in or not
  const a = visibleEdition(q.data.tu, user);
  const b = visibleEdition(q.data.den, user);
  if (!a || !b) throw json({ error: t.notFound }, { status: 404 });
  return json({ from: a.row.id, to: b.row.id, diff: diffEditions(a.edition, b.edition) });
}

export default function Compare() {
  const { from, to, diff } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t.title(from, to)}</h1>
      <p>
        <Link to="/chi-so/phien-ban">{pick(catalogueUi).editions.title}</Link>
      </p>
      <EditionDiffView diff={diff as never} />
    </div>
  );
}
