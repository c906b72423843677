/**
 * What the office's checking page (/danh-gia/:id/kiem-tra) shows: per item the school's answer,
 * the engine's points and explanation, the school's note, its evidence (with preview addresses),
 * the requests made on it, and what changed since the round the office last returned. Everything
 * is read once per request; points and levels come from the scoring engine's result.
 */
import { answerText } from "~/domain/answers";
import type { Edition } from "~/domain/catalogue";
import { isPreviewable, previewHref, downloadHref, safeHttpUrl } from "~/domain/evidence";
import type { ItemDiff, RequestView } from "~/domain/review";
import { formatPoints, scoreAssessment, type Answers, type AnswerValue } from "~/domain/scoring";
import { getDb, type Db } from "../db/client.server";
import { answersOf, editionOf, type AssessmentRecord } from "./assessments.server";
import { evidenceForAssessment } from "./evidence.server";
import { changesSinceLastRound, requestsOf, reviewColumnsOf, roundsOf, type RoundView } from "./review.server";

export interface CheckEvidence {
  evidenceId: number;
  code: string;
  title: string;
  kind: "file" | "link";
  /** Inline preview (PDF in a frame, image as an image), or null when the type has none. */
  preview: { href: string; as: "pdf" | "image" } | null;
  href: string | null;
}

export interface CheckItem {
  code: string;
  text: string;
  rule: string;
  answer: string;
  answered: boolean;
  points: string | null;
  max: string | null;
  explanation: string;
  note: string | null;
  evidence: CheckEvidence[];
  requests: RequestView[];
  /** What changed since the last round, with the answers worded as the form words them. */
  diff: (ItemDiff & { beforeText: string; afterText: string }) | null;
}

export interface CheckIndicator {
  code: string;
  title: string;
  points: string | null;
  max: string | null;
  items: CheckItem[];
}

export interface CheckGroup {
  code: string;
  title: string;
  points: string;
  max: string;
  level: number;
  indicators: CheckIndicator[];
}

export interface CheckPage {
  groups: CheckGroup[];
  level: number;
  levelName: string;
  overall: RequestView[];
  openRequests: number;
  rounds: RoundView[];
  changes: { round: number; since: number; count: number } | null;
  reviewer: string | null;
}

function evidenceView(e: ReturnType<typeof evidenceForAssessment>[number]): CheckEvidence {
  if (e.kind === "link") return { evidenceId: e.evidenceId, code: e.code, title: e.title, kind: "link", preview: null, href: safeHttpUrl(e.url) };
  const as = e.mime === "application/pdf" ? "pdf" : e.mime?.startsWith("image/") ? "image" : null;
  return {
    evidenceId: e.evidenceId,
    code: e.code,
    title: e.title,
    kind: "file",
    preview: as && isPreviewable(e.mime) ? { href: previewHref(e.evidenceId), as } : null,
    href: downloadHref(e.evidenceId),
  };
}

export function checkPage(a: AssessmentRecord, db: Db = getDb()): CheckPage {
  const edition: Edition = editionOf(a);
  const set = answersOf(a.id, "self", db);
  const result = scoreAssessment(edition, set.answers as Answers);
  const itemScores = new Map(result.items.map((i) => [i.code, i]));
  const indicatorScores = new Map(result.indicators.map((i) => [i.code, i]));
  const groupScores = new Map(result.groups.map((g) => [g.code, g]));
  const evidence = new Map<string, CheckEvidence[]>();
  for (const e of evidenceForAssessment(a.id, db)) {
    const list = evidence.get(e.itemCode) ?? [];
    list.push(evidenceView(e));
    evidence.set(e.itemCode, list);
  }
  const requests = requestsOf(a.id, db);
  const byItem = new Map<string, RequestView[]>();
  for (const r of requests) if (r.itemCode) byItem.set(r.itemCode, [...(byItem.get(r.itemCode) ?? []), r]);
  const changes = changesSinceLastRound(a, db);
  // The answers before and after, as the school's form words them ("Có", an option's label), never raw values.
  const withAnswerTexts = (item: { rule: string; options?: { id: string; label: string }[] }, d: ItemDiff | undefined) =>
    d ? { ...d, beforeText: d.before ? answerText(item, d.before.v as AnswerValue | null) : "—", afterText: d.after ? answerText(item, d.after.v as AnswerValue | null) : "—" } : null;
  const diffs = new Map((changes?.items ?? []).map((d) => [d.code, d]));

  const groups: CheckGroup[] = edition.groups.map((g) => {
    const gs = groupScores.get(g.code)!;
    return {
      code: g.code,
      title: g.title,
      points: formatPoints(gs.points),
      max: formatPoints(gs.max),
      level: gs.level,
      indicators: g.indicators.map((ind) => {
        const is = indicatorScores.get(ind.code);
        return {
          code: ind.code,
          title: ind.title,
          points: is?.scored ? formatPoints(is.points) : null,
          max: is?.scored ? formatPoints(is.max) : null,
          items: ind.items.map((item) => {
            const s = itemScores.get(item.code);
            const mandatory = item.rule === "mandatory";
            return {
              code: item.code,
              text: item.text,
              rule: item.rule,
              answer: answerText(item as { rule: string; options?: { id: string; label: string }[] }, set.answers[item.code]),
              answered: !!s?.answered,
              points: s && !mandatory ? formatPoints(s.points) : null,
              max: s && !mandatory ? formatPoints(s.max) : null,
              explanation: s?.explanation ?? "",
              note: set.notes[item.code] ?? null,
              evidence: evidence.get(item.code) ?? [],
              requests: byItem.get(item.code) ?? [],
              diff: withAnswerTexts(item as { rule: string; options?: { id: string; label: string }[] }, diffs.get(item.code)),
            };
          }),
        };
      }),
    };
  });
  const cols = reviewColumnsOf(a.id, db);
  return {
    groups,
    level: result.level,
    levelName: result.levelName,
    overall: requests.filter((r) => r.itemCode == null),
    openRequests: requests.filter((r) => r.resolvedAt == null).length,
    rounds: roundsOf(a.id, db),
    changes: changes ? { round: changes.round, since: changes.since, count: changes.items.length } : null,
    reviewer: cols?.reviewer ?? null,
  };
}
