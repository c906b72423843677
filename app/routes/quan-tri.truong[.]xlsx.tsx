/** /quan-tri/truong.xlsx — the schools list (same filters and scope as /quan-tri/truong) as Excel, streamed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { schoolsXlsxResponse } from "~/server/export/schools-export.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return schoolsXlsxResponse(request);
}
