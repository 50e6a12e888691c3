// The scenario's `nlu` section (scenarios/format/nlu.py `NluData`, docs/nlu.md): its intents
// with example phrases per language, its own entities (lists with synonyms, RE2 patterns), the
// global intents of `entry.intents` and where blocks name them. The checks the NLU manager
// runs before applying anything (the server refuses a draft whose section does not fit its
// schema, so nothing that would not fit is written), the `value: synonym, synonym` lines of a
// list entity, renames that carry the references along, and the merge of a Rasa import.
// Pure: NluManager.tsx draws it.
import type { Block, ScenarioDocument } from "../api/types";

export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const BUILTIN_ENTITIES: readonly string[] = ["number", "date", "time", "email", "phone", "money", "url"];
export const NLU_LIMITS = {
  intents: 100,
  examples: 500, // per intent and language
  exampleChars: 300,
  entities: 100,
  values: 1000, // per list entity
  synonyms: 50, // per value and language
  synonymChars: 100, // a value or a synonym
  pattern: 500,
  description: 500,
} as const;
export const DEFAULT_GLOBAL_THRESHOLD = 0.7;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- reading ---------------------------------------------------------------------------------

export interface NluIntent {
  name: string;
  /** Phrases per language (non-strings dropped). */
  examples: Record<string, string[]>;
  description: string;
}

export interface EntityValue {
  value: string;
  synonyms: Record<string, string[]>;
}

export type NluEntity =
  | { name: string; kind: "list"; values: EntityValue[] }
  | { name: string; kind: "regex"; pattern: string }
  /** A kind this editor does not know: shown, kept as it is. */
  | { name: string; kind: "other"; raw: string };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function byLanguage(value: unknown): Record<string, string[]> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([language, list]) => [language, strings(list)]));
}

/** The document's section as an object (`{}` when there is none). */
export function nluSection(doc: ScenarioDocument): Record<string, unknown> {
  return isObject(doc.nlu) ? doc.nlu : {};
}

function rawList(doc: ScenarioDocument, key: "intents" | "entities"): unknown[] {
  const list = nluSection(doc)[key];
  return Array.isArray(list) ? list : [];
}

export function readIntents(doc: ScenarioDocument): NluIntent[] {
  return rawList(doc, "intents").map((raw) => {
    const intent = isObject(raw) ? raw : {};
    return {
      name: typeof intent.name === "string" ? intent.name : "",
      examples: byLanguage(intent.examples),
      description: typeof intent.description === "string" ? intent.description : "",
    };
  });
}

export function readEntities(doc: ScenarioDocument): NluEntity[] {
  return rawList(doc, "entities").map((raw): NluEntity => {
    const entity = isObject(raw) ? raw : {};
    const name = typeof entity.name === "string" ? entity.name : "";
    const kind = entity.kind ?? "list";
    if (kind === "regex") return { name, kind, pattern: typeof entity.pattern === "string" ? entity.pattern : "" };
    if (kind === "list") {
      const values = Array.isArray(entity.values) ? entity.values : [];
      return {
        name,
        kind,
        values: values.filter(isObject).map((v) => ({ value: typeof v.value === "string" ? v.value : "", synonyms: byLanguage(v.synonyms) })),
      };
    }
    return { name, kind: "other", raw: JSON.stringify(raw) };
  });
}

export function globalThreshold(doc: ScenarioDocument): number | null {
  const value = nluSection(doc).global_threshold;
  return typeof value === "number" ? value : null;
}

/** `entry.intents`: intent name → block id. */
export function globalIntents(doc: ScenarioDocument): Record<string, string> {
  const raw = doc.entry.intents;
  if (!isObject(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The languages the manager shows: the bot's (its default first), then any other the section
 * already has phrases or synonyms in (so that nothing is hidden). */
export function nluLanguages(doc: ScenarioDocument, botLanguages: readonly string[]): string[] {
  const out = [...botLanguages];
  const add = (language: string) => {
    if (!out.includes(language)) out.push(language);
  };
  for (const intent of readIntents(doc)) Object.keys(intent.examples).forEach(add);
  for (const entity of readEntities(doc)) if (entity.kind === "list") for (const v of entity.values) Object.keys(v.synonyms).forEach(add);
  return out;
}

// --- names -----------------------------------------------------------------------------------

export type NluNameIssue = "required" | "pattern" | "duplicate" | "builtin";

/** What is wrong with `name` for an intent or (with `entity`) an entity, `others` being the
 * names already taken. */
export function checkNluName(name: string, others: readonly string[], entity = false): NluNameIssue | null {
  if (name === "") return "required";
  if (!NAME_PATTERN.test(name)) return "pattern";
  if (entity && BUILTIN_ENTITIES.includes(name)) return "builtin";
  if (others.includes(name)) return "duplicate";
  return null;
}

// --- writing the section -----------------------------------------------------------------------

/** The document with its section changed by `change` (an absent section starts empty). */
export function withNlu(doc: ScenarioDocument, change: (section: Record<string, unknown>) => Record<string, unknown>): ScenarioDocument {
  return { ...doc, nlu: change({ ...nluSection(doc) }) };
}

function mapList(doc: ScenarioDocument, key: "intents" | "entities", index: number, change: (item: Record<string, unknown>) => Record<string, unknown>): ScenarioDocument {
  return withNlu(doc, (section) => ({
    ...section,
    [key]: rawList(doc, key).map((item, i) => (i === index && isObject(item) ? change({ ...item }) : item)),
  }));
}

/** Phrases kept as written (trimmed, empty lines dropped), languages without any left out. */
function cleanExamples(examples: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [language, phrases] of Object.entries(examples)) {
    const kept = phrases.map((p) => p.trim()).filter(Boolean);
    if (kept.length) out[language] = kept;
  }
  return out;
}

export function addIntent(doc: ScenarioDocument, name: string, examples: Record<string, string[]>): ScenarioDocument {
  return withNlu(doc, (section) => ({ ...section, intents: [...rawList(doc, "intents"), { name, examples: cleanExamples(examples) }] }));
}

/** One language's phrases of the intent at `index` (an empty list removes the language). */
export function setIntentExamples(doc: ScenarioDocument, index: number, language: string, phrases: string[]): ScenarioDocument {
  return mapList(doc, "intents", index, (intent) => {
    const examples: Record<string, unknown> = isObject(intent.examples) ? { ...intent.examples } : {};
    if (phrases.length) examples[language] = phrases;
    else delete examples[language];
    return { ...intent, examples };
  });
}

export function setIntentDescription(doc: ScenarioDocument, index: number, description: string): ScenarioDocument {
  return mapList(doc, "intents", index, (intent) => {
    if (description) intent.description = description;
    else delete intent.description;
    return intent;
  });
}

function renameKey<T>(map: Record<string, T>, from: string, to: string): Record<string, T> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k === from ? to : k, v]));
}

/** Where an intent is used: the intent blocks naming it (not those writing it in place) and
 * its global entry's target, if any. */
export interface IntentUses {
  blocks: string[];
  global: string | null;
}

function namesIntent(block: Block, name: string): boolean {
  return block.type === "intent" && Array.isArray(block.settings.intents) && block.settings.intents.includes(name);
}

export function intentUses(doc: ScenarioDocument, name: string): IntentUses {
  const global = globalIntents(doc)[name];
  return { blocks: doc.blocks.filter((b) => namesIntent(b, name)).map((b) => b.id), global: global ?? null };
}

/** The intent at `index` named `to`, and with it the references: the intent blocks' names of
 * it (and those blocks' edges leaving through its port, which bears the intent's name) and
 * its key in `entry.intents` (order kept). */
export function renameIntent(doc: ScenarioDocument, index: number, from: string, to: string): ScenarioDocument {
  let next = mapList(doc, "intents", index, (intent) => ({ ...intent, name: to }));
  if (from === to || !from) return next;
  const renamed = new Set<string>();
  const blocks = next.blocks.map((block) => {
    if (!namesIntent(block, from)) return block;
    renamed.add(block.id);
    const intents = (block.settings.intents as unknown[]).map((item) => (item === from ? to : item));
    return { ...block, settings: { ...block.settings, intents } };
  });
  if (renamed.size) {
    const edges = next.edges.map((e) => (renamed.has(e.source) && e.port === from ? { ...e, port: to } : e));
    next = { ...next, blocks, edges };
  }
  const global = doc.entry.intents;
  if (isObject(global) && from in global) next = { ...next, entry: { ...next.entry, intents: renameKey(global, from, to) } };
  return next;
}

/** The intent at `index` removed, with its global entry (a global intent must be one of the
 * section's); blocks naming it keep the name (validation then points at them). */
export function removeIntent(doc: ScenarioDocument, index: number): ScenarioDocument {
  const name = readIntents(doc)[index]?.name;
  let next = withNlu(doc, (section) => ({ ...section, intents: rawList(doc, "intents").filter((_, i) => i !== index) }));
  if (name) next = setGlobalIntent(next, name, null);
  return next;
}

/** `entry.intents[name] = blockId`, or (null) the entry removed (and the map with its last). */
export function setGlobalIntent(doc: ScenarioDocument, name: string, blockId: string | null): ScenarioDocument {
  const current = isObject(doc.entry.intents) ? doc.entry.intents : {};
  if (blockId === null) {
    if (!(name in current)) return doc;
    const rest = { ...current };
    delete rest[name];
    const entry = { ...doc.entry };
    if (Object.keys(rest).length) entry.intents = rest;
    else delete entry.intents;
    return { ...doc, entry };
  }
  return { ...doc, entry: { ...doc.entry, intents: { ...current, [name]: blockId } } };
}

/** The section's global threshold (null: the default, key removed). */
export function setGlobalThreshold(doc: ScenarioDocument, value: number | null): ScenarioDocument {
  return withNlu(doc, (section) => {
    if (value === null) delete section.global_threshold;
    else section.global_threshold = value;
    return section;
  });
}

export function addEntity(doc: ScenarioDocument, entity: Record<string, unknown>): ScenarioDocument {
  return withNlu(doc, (section) => ({ ...section, entities: [...rawList(doc, "entities"), entity] }));
}

export function setEntityValues(doc: ScenarioDocument, index: number, values: EntityValue[]): ScenarioDocument {
  return mapList(doc, "entities", index, (entity) => ({ ...entity, values: values.map(entityValueJson) }));
}

export function setEntityPattern(doc: ScenarioDocument, index: number, pattern: string): ScenarioDocument {
  return mapList(doc, "entities", index, (entity) => ({ ...entity, pattern }));
}

export function removeEntity(doc: ScenarioDocument, index: number): ScenarioDocument {
  return withNlu(doc, (section) => ({ ...section, entities: rawList(doc, "entities").filter((_, i) => i !== index) }));
}

// Where a scenario names an entity (scenarios/format/nlu.py `resolve_entity` resolves these two
// and nothing else): an entities block's `settings.entities` items (nlu/blocks.py
// `EntitiesSettings.entities`) and an input's `settings.entity` (scenarios/format/blocks.py
// `InputSettings.entity`). Either may instead hold a definition written in place (an object):
// that is an entity of its own, not a reference. Intent examples are plain text (a Rasa
// import strips the annotations), so no other place carries the name.

function namesEntity(block: Block, name: string): boolean {
  if (block.type === "entities") return Array.isArray(block.settings.entities) && block.settings.entities.includes(name);
  return block.type === "input" && block.settings.entity === name;
}

/** The blocks that name an entity (those `renameEntity` changes). */
export function entityUses(doc: ScenarioDocument, name: string): string[] {
  return name ? doc.blocks.filter((b) => namesEntity(b, name)).map((b) => b.id) : [];
}

/** The entities blocks among those naming the entity that store what they find: `store_in`
 * gets `{entity: value}` and `matches_in` `[{entity, ...}]` (nlu/blocks.py
 * `EntitiesExecutor.complete`), so what reads those variables sees the entity's name as data,
 * which a rename cannot follow. */
export function entityStores(doc: ScenarioDocument, name: string): string[] {
  return doc.blocks
    .filter((b) => b.type === "entities" && namesEntity(b, name) && (typeof b.settings.store_in === "string" || typeof b.settings.matches_in === "string"))
    .map((b) => b.id);
}

/** The entity at `index` named `to`, and with it the blocks naming it (`entityUses`): the
 * name's place in an entities block's list (order kept), an input's `entity`. */
export function renameEntity(doc: ScenarioDocument, index: number, from: string, to: string): ScenarioDocument {
  const next = mapList(doc, "entities", index, (entity) => ({ ...entity, name: to }));
  if (from === to || !from) return next;
  let changed = false;
  const blocks = next.blocks.map((block) => {
    if (!namesEntity(block, from)) return block;
    changed = true;
    const settings =
      block.type === "entities"
        ? { ...block.settings, entities: (block.settings.entities as unknown[]).map((item) => (item === from ? to : item)) }
        : { ...block.settings, entity: to };
    return { ...block, settings };
  });
  return changed ? { ...next, blocks } : next;
}

/** A value as the section stores it (languages without synonyms left out). */
export function entityValueJson(value: EntityValue): Record<string, unknown> {
  const synonyms = Object.fromEntries(Object.entries(value.synonyms).filter(([, list]) => list.length));
  return Object.keys(synonyms).length ? { value: value.value, synonyms } : { value: value.value };
}

// --- example phrases -------------------------------------------------------------------------

export type ExamplesIssue = "too_many" | "too_long" | "none_left";

/** The phrases of a textarea (one a line, trimmed, empty lines skipped). */
export function parseExamples(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export function formatExamples(phrases: readonly string[]): string {
  return phrases.join("\n");
}

/** Whether one language's phrases of an intent may be applied: the limits, and an intent must
 * keep at least one phrase in some language (`others`: its other languages' counts). */
export function checkExamples(phrases: readonly string[], others: number): ExamplesIssue | null {
  if (phrases.length > NLU_LIMITS.examples) return "too_many";
  if (phrases.some((p) => p.length > NLU_LIMITS.exampleChars)) return "too_long";
  if (phrases.length === 0 && others === 0) return "none_left";
  return null;
}

export type IntentWarning =
  | { code: "empty_language"; language: string }
  | { code: "few_examples"; language: string; count: number }
  | { code: "shared_phrase"; phrase: string; intent: string };

function normalise(phrase: string): string {
  return phrase.trim().toLocaleLowerCase();
}

/** What would weaken the model (the server's training warnings, found before publishing): a
 * language of the bot without phrases, a language with fewer than 2, a phrase that is also
 * another intent's (case ignored). Not blocking. */
export function intentWarnings(intents: readonly NluIntent[], languages: readonly string[]): IntentWarning[][] {
  const owners = new Map<string, Set<string>>();
  for (const intent of intents)
    for (const phrases of Object.values(intent.examples))
      for (const phrase of phrases) {
        const key = normalise(phrase);
        if (!owners.has(key)) owners.set(key, new Set());
        owners.get(key)!.add(intent.name);
      }
  return intents.map((intent) => {
    const warnings: IntentWarning[] = [];
    for (const language of languages) {
      const count = intent.examples[language]?.length ?? 0;
      if (count === 0) warnings.push({ code: "empty_language", language });
      else if (count < 2) warnings.push({ code: "few_examples", language, count });
    }
    const seen = new Set<string>();
    for (const phrases of Object.values(intent.examples))
      for (const phrase of phrases) {
        const key = normalise(phrase);
        if (seen.has(key)) continue;
        seen.add(key);
        for (const other of owners.get(key) ?? []) if (other !== intent.name) warnings.push({ code: "shared_phrase", phrase, intent: other });
      }
    return warnings;
  });
}

// --- a list entity's lines: `value: synonym, synonym` ------------------------------------------

/** The text split at unescaped `sep` (`\` escapes the next character), escapes kept. */
function splitEscaped(text: string, sep: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      current += c + text[i + 1];
      i++;
    } else if (c === sep && parts.length < limit - 1) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeText(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

function escapeValue(text: string, chars: string): string {
  let out = "";
  for (const c of text) out += c === "\\" || chars.includes(c) ? `\\${c}` : c;
  return out;
}

export interface ValueLine {
  value: string;
  synonyms: string[];
}

export type ValueLinesIssue =
  | { code: "empty" }
  | { code: "too_many"; limit: number }
  | { code: "duplicate"; line: number; value: string }
  | { code: "too_long"; line: number; limit: number }
  | { code: "too_many_synonyms"; line: number; limit: number }
  | { code: "no_value"; line: number };

export type ParsedValueLines = { ok: true; values: ValueLine[] } | { ok: false; issue: ValueLinesIssue };

/** One language's lines of a list entity: `value: synonym, synonym` (a value alone when it has
 * no synonyms in that language); `\:`, `\,` and `\\` write those characters into a value or
 * a synonym. Empty lines are skipped; repeated synonyms of a value kept once. */
export function parseValueLines(text: string): ParsedValueLines {
  const values: ValueLine[] = [];
  const seen = new Set<string>();
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === "") continue;
    const [head, tail] = splitEscaped(line, ":", 2);
    const value = unescapeText(head.trim());
    const line1 = n + 1;
    if (!value) return { ok: false, issue: { code: "no_value", line: line1 } };
    if (seen.has(value)) return { ok: false, issue: { code: "duplicate", line: line1, value } };
    seen.add(value);
    const synonyms: string[] = [];
    for (const raw of tail === undefined ? [] : splitEscaped(tail, ",")) {
      const synonym = unescapeText(raw.trim());
      if (synonym && !synonyms.includes(synonym)) synonyms.push(synonym);
    }
    if ([value, ...synonyms].some((s) => s.length > NLU_LIMITS.synonymChars)) return { ok: false, issue: { code: "too_long", line: line1, limit: NLU_LIMITS.synonymChars } };
    if (synonyms.length > NLU_LIMITS.synonyms) return { ok: false, issue: { code: "too_many_synonyms", line: line1, limit: NLU_LIMITS.synonyms } };
    values.push({ value, synonyms });
  }
  if (values.length === 0) return { ok: false, issue: { code: "empty" } };
  if (values.length > NLU_LIMITS.values) return { ok: false, issue: { code: "too_many", limit: NLU_LIMITS.values } };
  return { ok: true, values };
}

/** One language's lines of a list entity's values (the inverse of `parseValueLines`): every
 * value, with its synonyms in `language` after a colon. */
export function formatValueLines(values: readonly EntityValue[], language: string): string {
  return values
    .map((v) => {
      const head = escapeValue(v.value, ":");
      const synonyms = v.synonyms[language] ?? [];
      return synonyms.length ? `${head}: ${synonyms.map((s) => escapeValue(s, ",")).join(", ")}` : head;
    })
    .join("\n");
}

/** The values after one language's lines were edited: the lines are the values, in their
 * order (a line removed removes the value in every language); their synonyms in `language`
 * are the line's, those in the other languages are kept. */
export function applyValueLines(values: readonly EntityValue[], language: string, lines: readonly ValueLine[]): EntityValue[] {
  const before = new Map(values.map((v) => [v.value, v]));
  return lines.map((line) => {
    const synonyms = { ...(before.get(line.value)?.synonyms ?? {}) };
    if (line.synonyms.length) synonyms[language] = [...line.synonyms];
    else delete synonyms[language];
    return { value: line.value, synonyms };
  });
}

// --- regex entities ----------------------------------------------------------------------------

export type PatternIssue = "empty" | "too_long" | "lookaround" | "backreference";

/** What is plainly wrong with an RE2 pattern (the server compiles it with RE2 and refuses the
 * rest). Lookaround and backreferences are what JavaScript has and RE2 has not. */
export function checkPattern(pattern: string): PatternIssue | null {
  if (pattern === "") return "empty";
  if (pattern.length > NLU_LIMITS.pattern) return "too_long";
  // Outside character classes and escapes.
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (!inClass && /[1-9]/.test(pattern[i + 1] ?? "")) return "backreference";
      if (!inClass && pattern[i + 1] === "k" && pattern[i + 2] === "<") return "backreference";
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "]") i++;
    } else if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=") || rest.startsWith("!") || rest === "<=" || rest === "<!") return "lookaround";
    }
  }
  return null;
}

// --- Rasa import -------------------------------------------------------------------------------

export interface MergeReport {
  /** Intents new to the section. */
  addedIntents: string[];
  /** Intents that were there and got phrases. */
  extendedIntents: string[];
  /** Phrases new to the section. */
  addedExamples: number;
  addedEntities: string[];
  replacedEntities: string[];
  /** The limits the merged section would break (then nothing is applied). */
  limits: string[];
}

/** The section with an imported one merged in: an intent of the same name gets the phrases
 * it lacks in each language (the union, its own first), others are added; an entity of the
 * same name is replaced, others added. The threshold is kept. */
export function mergeNlu(section: unknown, imported: unknown): { section: Record<string, unknown>; report: MergeReport } {
  const base = isObject(section) ? section : {};
  const incoming = isObject(imported) ? imported : {};
  const intents = (Array.isArray(base.intents) ? base.intents : []).map((i) => (isObject(i) ? { ...i } : i));
  const entities = Array.isArray(base.entities) ? [...base.entities] : [];
  const report: MergeReport = { addedIntents: [], extendedIntents: [], addedExamples: 0, addedEntities: [], replacedEntities: [], limits: [] };

  for (const raw of Array.isArray(incoming.intents) ? incoming.intents : []) {
    if (!isObject(raw) || typeof raw.name !== "string") continue;
    const examples = byLanguage(raw.examples);
    const at = intents.findIndex((i) => isObject(i) && i.name === raw.name);
    if (at < 0) {
      intents.push({ ...raw, examples });
      report.addedIntents.push(raw.name);
      report.addedExamples += Object.values(examples).reduce((n, list) => n + list.length, 0);
      continue;
    }
    const current = intents[at] as Record<string, unknown>;
    const merged = byLanguage(current.examples);
    let added = 0;
    for (const [language, phrases] of Object.entries(examples)) {
      const list = merged[language] ?? [];
      for (const phrase of phrases)
        if (!list.includes(phrase)) {
          list.push(phrase);
          added++;
        }
      if (list.length) merged[language] = list;
    }
    if (added) {
      report.extendedIntents.push(raw.name);
      report.addedExamples += added;
    }
    const next: Record<string, unknown> = { ...current, examples: merged };
    if (next.description === undefined && typeof raw.description === "string") next.description = raw.description;
    intents[at] = next;
  }

  for (const raw of Array.isArray(incoming.entities) ? incoming.entities : []) {
    if (!isObject(raw) || typeof raw.name !== "string") continue;
    const at = entities.findIndex((e) => isObject(e) && e.name === raw.name);
    if (at < 0) {
      entities.push(raw);
      report.addedEntities.push(raw.name);
    } else {
      entities[at] = raw;
      report.replacedEntities.push(raw.name);
    }
  }

  if (intents.length > NLU_LIMITS.intents) report.limits.push(`intents: ${intents.length} > ${NLU_LIMITS.intents}`);
  if (entities.length > NLU_LIMITS.entities) report.limits.push(`entities: ${entities.length} > ${NLU_LIMITS.entities}`);
  for (const intent of intents)
    if (isObject(intent))
      for (const [language, phrases] of Object.entries(byLanguage(intent.examples)))
        if (phrases.length > NLU_LIMITS.examples) report.limits.push(`${String(intent.name)} (${language}): ${phrases.length} > ${NLU_LIMITS.examples}`);

  return { section: { ...base, intents, entities }, report };
}
