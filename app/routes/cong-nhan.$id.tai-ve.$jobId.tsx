/**
 * /cong-nhan/:id/tai-ve/:jobId — a finished batch of a decision (the ZIP of its certificates, or
 * the PDF for printing), streamed from disk. Offices that read the decision (decision.read)
 * download it; the job must belong to that decision.
 */
import fs from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { requireUser } from "~/server/auth/session.server";
import { can } from "~/server/policy.server";
import { certificateFileName, jobById, jobsDir } from "~/server/services/certificate-batch.server";
import { decisionById } from "~/server/services/recognition.server";

const NOT_FOUND = "Không tìm thấy tệp.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = /^[1-9][0-9]{0,9}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  const d = Number.isSafeInteger(id) ? decisionById(id) : null;
  if (!d) throw json({ error: NOT_FOUND }, { status: 404 });
  if (!can(user, "decision.read", { kind: "unit", unitId: d.issuingUnitId })) throw json({ error: "Bạn không có quyền tải tệp này." }, { status: 403 });
  const jobId = params.jobId ?? "";
  const job = /^[A-Za-z0-9_-]{16}$/.test(jobId) ? jobById(jobId) : null;
  if (!job || job.decisionId !== d.id || job.status !== "done" || !job.file) throw json({ error: NOT_FOUND }, { status: 404 });
  const file = path.join(jobsDir(), job.file);
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    throw json({ error: NOT_FOUND }, { status: 404 });
  }
  const zip = job.kind === "certificates-zip";
  const base = certificateFileName({ schoolCode: "giay-cong-nhan", school: d.number ?? String(d.id) }).replace(/\.pdf$/, "");
  const name = `${base}${zip ? ".zip" : "-de-in.pdf"}`;
  return new Response(createReadableStreamFromReadable(fs.createReadStream(file)), {
    status: 200,
    headers: {
      "Content-Type": zip ? "application/zip" : "application/pdf",
      "Content-Length": String(size),
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
