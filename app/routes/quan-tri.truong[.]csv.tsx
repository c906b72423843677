/** /quan-tri/truong.csv — the schools list (same filters and scope as /quan-tri/truong) as CSV. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { schoolsCsvResponse } from "~/server/export/schools-export.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return schoolsCsvResponse(request);
}
