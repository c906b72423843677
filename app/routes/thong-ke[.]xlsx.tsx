/** /thong-ke.xlsx — the results of the dashboard's filter (nam, donVi, coSo, loai) as Excel, streamed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { resultsXlsxResponse } from "~/server/export/results-export.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return resultsXlsxResponse(request);
}
