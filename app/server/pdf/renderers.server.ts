/**
 * The official documents the PDF workers can draw: one entry per kind, mapping the kind to a
 * pure function from its data (plain JSON, see ReportData) to the finished PDF bytes.
 *
 * Imported by the worker (app/server/pdf/worker.ts, bundled to build/pdf-worker.mjs) and by the
 * pool's in-process mode (PDF_WORKERS=0). A renderer reads no database and no request: it gets
 * everything in its data, which crosses to the worker as JSON.
 *
 * Adding a document (biên bản, decision, certificate): write its renderer, add one line to
 * `renderers` below. Change RENDERER_VERSION whenever any renderer's output changes for the same
 * data (layout, wording, fonts): cached documents are keyed by it (document-cache.server.ts).
 */
import { isMainThread, threadId } from "node:worker_threads";
import { renderActionPlanToBuffer, type ActionPlanData } from "./action-plan.server";
import { renderCertificateBook, renderCertificateToBuffer, type CertificateData } from "./certificate.server";
import { renderDecisionToBuffer, type DecisionData } from "./decision.server";
import { renderExternalRecordToBuffer, type ExternalRecordData } from "./external-record.server";
import { renderProvinceReportToBuffer, type ProvinceReportData } from "./province-report.server";
import { renderSelfAssessmentReportToBuffer, type ReportData } from "./self-assessment-report.server";

/** Part of every cache key: bump it when a renderer draws differently from the same data. */
export const RENDERER_VERSION = 3;

export interface DocumentDataMap {
  "self-assessment-report": ReportData;
  "external-record": ExternalRecordData;
  decision: DecisionData;
  certificate: CertificateData;
  "certificate-book": CertificateData[];
  "province-report": ProvinceReportData;
  "action-plan": ActionPlanData;
}

export type DocumentKind = keyof DocumentDataMap;

type Renderer<K extends DocumentKind> = (data: DocumentDataMap[K]) => Promise<Buffer>;

export const renderers: { [K in DocumentKind]: Renderer<K> } = {
  "self-assessment-report": renderSelfAssessmentReportToBuffer,
  "external-record": renderExternalRecordToBuffer,
  decision: renderDecisionToBuffer,
  certificate: renderCertificateToBuffer,
  "certificate-book": renderCertificateBook,
  "province-report": renderProvinceReportToBuffer,
  "action-plan": renderActionPlanToBuffer,
};

export const DOCUMENT_KINDS = Object.keys(renderers) as DocumentKind[];

/**
 * Kinds that exist only under NODE_ENV=test (vitest sets it), so that the tests can make a job
 * fail inside a worker: "test:throw" throws in the renderer, "test:exit" ends the worker thread,
 * "test:hang" never finishes (the job timeout ends it), "test:echo" returns its data and the
 * thread it ran on as JSON bytes.
 * Outside tests these kinds are unknown, like any other unknown kind.
 */
const testRenderers: Record<string, (data: unknown) => Promise<Buffer>> = {
  "test:throw": async (data) => {
    throw new Error(`test renderer failed: ${JSON.stringify(data)}`);
  },
  "test:exit": async () => {
    process.exit(3);
  },
  "test:hang": () => new Promise<Buffer>(() => {}),
  "test:echo": async (data) => Buffer.from(JSON.stringify({ data, isMainThread, threadId }), "utf8"),
};

/** The renderer of a kind, or null when the kind is unknown. */
export function rendererOf(kind: string): ((data: unknown) => Promise<Buffer>) | null {
  if (Object.prototype.hasOwnProperty.call(renderers, kind)) return renderers[kind as DocumentKind] as (data: unknown) => Promise<Buffer>;
  if (process.env.NODE_ENV === "test" && Object.prototype.hasOwnProperty.call(testRenderers, kind)) return testRenderers[kind];
  return null;
}
