/**
 * Contracts of carry forward (dùng lại kết quả năm trước): what the form page's loader gives the
 * panel, and what /danh-gia/:id/mang-sang answers it. Isomorphic; no I/O.
 */
/** The plan as the loader sends it (carryForwardPlan in app/server/services/carry-forward.server.ts). */
export interface CarryPlanView {
  assessmentId: number;
  previous: { id: number; schoolYear: string; editionId: string } | null;
  editionId: string;
  sameEdition: boolean;
  editable: boolean;
  items: {
    code: string;
    indicatorCode: string;
    text: string;
    status: "mapped" | "changed" | "new" | "removed";
    added: boolean;
    changes: string[];
    answeredNow: boolean;
    unconfirmed: boolean;
    evidence: number;
    toCarry: boolean;
  }[];
  counts: { mapped: number; changed: number; new: number; removed: number; toCarry: number; unconfirmed: number };
  indicators: { code: string; title: string; toCarry: number }[];
}

/** What /danh-gia/:id/mang-sang answers a fetcher. */
export type CarryActionResult =
  | { ok: true; intent: "all" | "indicator"; message: string; details: string[]; items: string[]; links: number }
  | { ok: true; intent: "confirm"; message: string; confirmed: string[] }
  | { ok: false; message: string };
