/**
 * Zod schema of a catalogue edition: the *shape* every edition must have. The cross-field rules
 * (unique codes, sums, bands, option points, decimals…) are checked in `validate.ts`, which gives
 * messages that name the offending code.
 *
 * Objects are strict: an unknown key (a typo such as "numeratorLable") is refused.
 */
import { z } from "zod";
import type { Edition } from "./types";

const provenance = z.enum(["V", "F", "A"]);
const text = z.string();
const points = z.number().finite();

export const bandSchema = z
  .object({
    level: z.number().int(),
    name: text,
    nameEn: text.optional(),
    min: points,
    minInclusive: z.boolean(),
    max: points,
    maxInclusive: z.boolean(),
  })
  .strict();

const itemBase = {
  code: text,
  text: text,
  textEn: text.optional(),
  provenance,
  pointsProvenance: provenance.optional(),
  ruleProvenance: provenance.optional(),
  provenanceNote: text.optional(),
  evidence: z.array(text),
};

const mandatoryItem = z.object({ ...itemBase, rule: z.literal("mandatory") }).strict();

const booleanItem = z.object({ ...itemBase, rule: z.literal("boolean"), max: points }).strict();

const ratioItem = z
  .object({
    ...itemBase,
    rule: z.literal("ratio"),
    max: points,
    numeratorLabel: text,
    denominatorLabel: text,
    numeratorLabelEn: text.optional(),
    denominatorLabelEn: text.optional(),
  })
  .strict();

const choiceOption = z
  .object({ id: text, label: text, labelEn: text.optional(), points })
  .strict();

const suggestion = z
  .object({
    method: z.literal("pupils-per-computer"),
    pupilsLabel: text,
    computersLabel: text,
    schoolTypes: z.record(z.array(text)),
    tiers: z.array(z.object({ option: text, maxPupilsPerComputer: z.record(points) }).strict()),
    otherwise: text,
    provenance,
    note: text.optional(),
  })
  .strict();

const choiceItem = z
  .object({
    ...itemBase,
    rule: z.literal("choice"),
    max: points,
    options: z.array(choiceOption),
    suggest: suggestion.optional(),
  })
  .strict();

export const itemSchema = z.discriminatedUnion("rule", [mandatoryItem, booleanItem, ratioItem, choiceItem]);

const infoField = z.discriminatedUnion("type", [
  z.object({ id: text, type: z.literal("text"), label: text, labelEn: text.optional() }).strict(),
  z
    .object({
      id: text,
      type: z.literal("choice"),
      label: text,
      labelEn: text.optional(),
      options: z.array(z.object({ id: text, label: text, labelEn: text.optional() }).strict()),
    })
    .strict(),
]);

const infoBlock = z
  .object({
    key: text,
    title: text,
    titleEn: text.optional(),
    provenance,
    requiredWhen: z.object({ anyMet: z.array(text) }).strict().optional(),
    fields: z.array(infoField),
  })
  .strict();

export const indicatorSchema = z
  .object({
    code: text,
    title: text,
    titleEn: text.optional(),
    max: points,
    provenance,
    bands: z.array(bandSchema).optional(),
    items: z.array(itemSchema),
    info: z.array(infoBlock).optional(),
  })
  .strict();

export const groupSchema = z
  .object({
    code: text,
    title: text,
    titleEn: text.optional(),
    max: points,
    indicators: z.array(indicatorSchema),
  })
  .strict();

export const editionSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: text,
    title: text,
    titleEn: text.optional(),
    decision: text.optional(),
    publishedAt: text,
    status: z.enum(["draft", "published"]),
    note: text.optional(),
    groupLevels: z.array(bandSchema),
    rollup: z
      .object({
        institution: z.literal("min-of-groups"),
        mandatoryUnmet: z
          .object({
            effect: z.enum(["cap-group-level", "cap-institution-level"]),
            level: z.number().int(),
            provenance: provenance.optional(),
            note: text.optional(),
          })
          .strict(),
      })
      .strict(),
    groups: z.array(groupSchema),
  })
  .strict();

// Compile-time check: the zod schema produces exactly the plain types of types.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<z.infer<typeof editionSchema>, Edition> = true;
void schemaMatchesTypes;
