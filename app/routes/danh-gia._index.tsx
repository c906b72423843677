import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { requireUser } from "~/server/auth/session.server";
import { worksAtSchool } from "~/server/policy.server";
import { assessmentsOfSchool } from "~/server/services/assessments.server";

const t = pick(assessmentUi);

export const meta: MetaFunction = () => [{ title: `${t.listTitle} — CĐS 4725` }];

/** A school's assessments; with exactly one open, go straight to it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The policy's question for the self-assessment area: a school user who may read its own school.
  if (!worksAtSchool(user)) throw redirect("/");
  const list = assessmentsOfSchool(user.schoolId);
  if (list.length === 1 && new URL(request.url).searchParams.get("tat-ca") === null) throw redirect(`/danh-gia/${list[0].id}`);
  return json({ list: list.map((a) => ({ ...a, label: STATE_LABELS[a.status].vi })) });
}

export default function AssessmentList() {
  const { list } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t.listTitle}</h1>
      {list.length === 0 ? <p className="alert">{t.noAssessment}</p> : null}
      <ul>
        {list.map((a) => (
          <li key={a.id}>
            <Link to={`/danh-gia/${a.id}`}>
              {t.title(a.schoolYear)} — {a.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
