/** /thong-ke.csv — one row per school file of the dashboard's filter (nam, donVi, loai) as CSV, streamed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { resultsCsvResponse } from "~/server/export/results-export.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return resultsCsvResponse(request);
}
