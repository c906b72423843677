/**
 * The shape of a catalogue edition (indicators/<id>/edition.json), as plain TypeScript.
 *
 * Dependency-free on purpose: the scoring engine imports these types and must not depend on zod.
 * `schema.ts` holds the zod schema, which is checked at compile time to produce exactly these types.
 *
 * All point values are JSON numbers with at most 2 decimals (checked at load); the scoring engine
 * converts them to integer hundredths.
 */

/** V: verified from a copy of the decision; F: field practice; A: our assumption. */
export type Provenance = "V" | "F" | "A";

export type EditionStatus = "draft" | "published";

export type RuleType = "mandatory" | "boolean" | "ratio" | "choice";

/**
 * One band of a scale (a group level, or an indicator's diagnostic band), in points.
 * A value x is in the band when  min (<= or <) x (<= or <) max, per the inclusive flags.
 * The bands of a scale must be ordered and cover [0, max] exactly once.
 */
export interface Band {
  level: number;
  name: string;
  nameEn?: string;
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

export interface ItemBase {
  /** Our item code: "1.3.1", or the indicator's own code when the indicator has a single item ("1.4"). */
  code: string;
  /** Vietnamese wording. */
  text: string;
  textEn?: string;
  provenance: Provenance;
  /** Where the points (not the item itself) have another provenance, e.g. "V (points F)". */
  pointsProvenance?: Provenance;
  /** Where the scoring rule has another provenance, e.g. "F (rule A)". */
  ruleProvenance?: Provenance;
  provenanceNote?: string;
  /** Typical evidence, Vietnamese hints shown beside the item. */
  evidence: string[];
}

/** Met or not met; carries no points. An unmet (or unanswered) one applies `rollup.mandatoryUnmet`. */
export interface MandatoryItem extends ItemBase {
  rule: "mandatory";
}

/** Met gives `max`, not met gives 0. */
export interface BooleanItem extends ItemBase {
  rule: "boolean";
  max: number;
}

/** points = max × numerator / denominator, rounded half away from zero to 2 decimals. */
export interface RatioItem extends ItemBase {
  rule: "ratio";
  max: number;
  numeratorLabel: string;
  denominatorLabel: string;
  numeratorLabelEn?: string;
  denominatorLabelEn?: string;
}

export interface ChoiceOption {
  id: string;
  label: string;
  labelEn?: string;
  points: number;
}

/**
 * Data for suggesting a choice option from two counts (1.7.2): pupils in the largest
 * computer-lab class and working computers. Tiers are tried in order; the first one whose
 * threshold holds gives the option, else `otherwise`.
 * A school type lists the school levels it contains; its threshold is the strictest (smallest)
 * of its levels' thresholds.
 */
export interface PupilsPerComputerSuggestion {
  method: "pupils-per-computer";
  pupilsLabel: string;
  computersLabel: string;
  /** school type (as stored on the school, e.g. "TH&THCS") → school levels it contains. */
  schoolTypes: Record<string, string[]>;
  tiers: { option: string; maxPupilsPerComputer: Record<string, number> }[];
  otherwise: string;
  provenance: Provenance;
  note?: string;
}

export interface ChoiceItem extends ItemBase {
  rule: "choice";
  max: number;
  options: ChoiceOption[];
  suggest?: PupilsPerComputerSuggestion;
}

export type Item = MandatoryItem | BooleanItem | RatioItem | ChoiceItem;
export type ScoredItem = BooleanItem | RatioItem | ChoiceItem;

export interface InfoTextField {
  id: string;
  type: "text";
  label: string;
  labelEn?: string;
}

export interface InfoChoiceField {
  id: string;
  type: "choice";
  label: string;
  labelEn?: string;
  options: { id: string; label: string; labelEn?: string }[];
}

export type InfoField = InfoTextField | InfoChoiceField;

/**
 * Information attached to an indicator that is not scored (1.3: the LMS/LCMS solution).
 * Its answer key is `key` ("1.3.lms"); the answer is an object { [field id]: string }.
 * It is required when any item listed in `requiredWhen.anyMet` is met.
 */
export interface InfoBlock {
  key: string;
  title: string;
  titleEn?: string;
  provenance: Provenance;
  requiredWhen?: { anyMet: string[] };
  fields: InfoField[];
}

export interface Indicator {
  code: string;
  title: string;
  titleEn?: string;
  /** Sum of the items' maxima (0 for a mandatory condition). */
  max: number;
  provenance: Provenance;
  /** Diagnostic sub-levels shown beside the indicator; they do not enter the institution level. */
  bands?: Band[];
  items: Item[];
  info?: InfoBlock[];
}

export interface Group {
  code: string;
  title: string;
  titleEn?: string;
  /** Sum of the indicators' maxima; equals the top of `groupLevels`. */
  max: number;
  indicators: Indicator[];
}

export interface Rollup {
  /** Institution level = the lowest of its group levels. */
  institution: "min-of-groups";
  /**
   * What an unmet (or unanswered) mandatory condition does:
   * - "cap-group-level": its group's level is at most `level` (hence the institution's);
   * - "cap-institution-level": group levels are untouched, the institution's is at most `level`.
   */
  mandatoryUnmet: {
    effect: "cap-group-level" | "cap-institution-level";
    level: number;
    provenance?: Provenance;
    note?: string;
  };
}

export interface Edition {
  schemaVersion: 1;
  /** Slug, also the folder name under indicators/. */
  id: string;
  title: string;
  titleEn?: string;
  decision?: string;
  /** ISO date, YYYY-MM-DD. */
  publishedAt: string;
  status: EditionStatus;
  note?: string;
  /** Level of a group from its total points; also the names of institution levels. */
  groupLevels: Band[];
  rollup: Rollup;
  groups: Group[];
}
