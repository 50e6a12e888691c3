// The scenario's declared variables (`variables` of the document, see
// scenarios/format/models.py `Variable`): the checks the variables manager runs at each field
// before applying anything, and where blocks use a variable (to warn before a removal and to
// rename the uses along with the declaration). Pure: VariablesManager.tsx draws it.
import type { Block, ScenarioDocument } from "../api/types";
import { isObject, VARIABLE_FIELDS } from "./schemaForm";

export const VARIABLE_TYPES = ["string", "number", "boolean", "date", "list", "object", "any"] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];
export const VARIABLE_SCOPES = ["conversation", "user", "bot"] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];

/** The variables every conversation has (scenarios/format/templates.py): read-only, never
 * declared. */
export const SYSTEM_VARIABLES: readonly string[] = [
  "language",
  "channel",
  "conversation_id",
  "user_id",
  "bot_id",
  "last_input",
  "last_choice",
  "now",
  "today",
];

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DeclaredVariable {
  name: string;
  /** As declared ("any" when not given); an unknown type is kept as written. */
  type: string;
  scope: string;
  hasDefault: boolean;
  default: unknown;
}

/** The declarations as the manager shows them, in order (entries that are not objects read as
 * nameless). */
export function readVariables(variables: unknown): DeclaredVariable[] {
  if (!Array.isArray(variables)) return [];
  return variables.map((v) => {
    const raw = isObject(v) ? v : {};
    return {
      name: typeof raw.name === "string" ? raw.name : "",
      type: typeof raw.type === "string" ? raw.type : "any",
      scope: typeof raw.scope === "string" ? raw.scope : "conversation",
      hasDefault: "default" in raw && raw.default !== null,
      default: raw.default,
    };
  });
}

/** Declared names with their types, for pickers (a variable read by a condition, say). */
export function variableTypes(variables: unknown): Map<string, string> {
  const types = new Map<string, string>();
  for (const v of readVariables(variables)) if (v.name && !types.has(v.name)) types.set(v.name, v.type);
  return types;
}

export type NameIssue = "required" | "pattern" | "duplicate" | "reserved";

/** What is wrong with `name` as a variable's name, `others` being the other declared names. */
export function checkVariableName(name: string, others: readonly string[]): NameIssue | null {
  if (name === "") return "required";
  if (!NAME.test(name)) return "pattern";
  if (SYSTEM_VARIABLES.includes(name)) return "reserved";
  if (others.includes(name)) return "duplicate";
  return null;
}

/** Whether `value` may be the default of a variable of `type` (as the server checks it). */
export function fitsType(value: unknown, type: string): boolean {
  if (value === null || value === undefined || type === "any") return true;
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "list":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "date":
      return typeof value === "string" && isIsoDate(value);
  }
  return false;
}

function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type DefaultIssue = "number" | "date" | "json" | "list" | "object";
export type ParsedDefault = { ok: true; value: unknown } | { ok: false; issue: DefaultIssue };

/** The default a text stands for, for a variable of `type`: `undefined` (no default) for an
 * empty text; texts are taken as they are for `string`, JSON for lists, maps and `any`. */
export function parseDefault(type: string, text: string): ParsedDefault {
  if (text.trim() === "" && (type !== "string" || text === "")) return { ok: true, value: undefined };
  switch (type) {
    case "string":
      return { ok: true, value: text };
    case "number": {
      const value = Number(text.trim().replace(",", "."));
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, issue: "number" };
    }
    case "boolean":
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      return { ok: false, issue: "json" };
    case "date":
      return isIsoDate(text.trim()) ? { ok: true, value: text.trim() } : { ok: false, issue: "date" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issue: "json" };
  }
  if (type === "list" && !Array.isArray(value)) return { ok: false, issue: "list" };
  if (type === "object" && !isObject(value)) return { ok: false, issue: "object" };
  return { ok: true, value };
}

/** How a default shows in its input (the inverse of `parseDefault`). */
export function formatDefault(type: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if ((type === "string" || type === "date") && typeof value === "string") return value;
  if (type === "number" && typeof value === "number") return String(value);
  if (type === "boolean" && typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The default carried over to another type: kept when it fits, converted when that is plain
 * (a number or a yes/no into text, a numeric text into a number), else dropped (undefined). */
export function convertDefault(value: unknown, type: string): unknown {
  if (fitsType(value, type)) return value;
  if (type === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  if (type === "number" && typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim().replace(",", "."));
    if (Number.isFinite(n)) return n;
  }
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return undefined;
}

// --- where blocks use a variable ------------------------------------------------------------

export type UseKind = "variable" | "template" | "expression" | "javascript" | "output";

export interface VariableUse {
  blockId: string;
  /** Where inside the block's settings. */
  path: Array<string | number>;
  kind: UseKind;
}

const TEMPLATE = /\{\{(\s*)([^{}]*?)(\s*)\}\}/g;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[[^\]]*\])*$/;
/** In an expression: string literals (skipped), then names not preceded by a dot or a letter. */
const EXPRESSION_TOKEN = /'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g;
const EXPRESSION_KEYWORDS = new Set(["true", "false", "null", "and", "or", "not", "in", "if", "else"]);
const CODE_FIELDS = new Set(["javascript", "code"]);

/** The variable's name where a reference (`order.total`, `answers[i]`) names it: at the start
 * and as an unquoted index. */
function pathPattern(name: string): RegExp {
  return new RegExp(`(^|\\[\\s*)${name}(?![A-Za-z0-9_])`, "g");
}

function renamePath(path: string, from: string, to: string): string {
  return path.replace(pathPattern(from), (_, before: string) => before + to);
}

function pathUses(path: string, name: string): boolean {
  return pathPattern(name).test(path);
}

function renameTemplates(text: string, from: string, to: string): string {
  return text.replace(TEMPLATE, (whole, open: string, inner: string, close: string) =>
    PATH.test(inner) ? `{{${open}${renamePath(inner, from, to)}${close}}}` : whole,
  );
}

function templateUses(text: string, name: string): boolean {
  for (const m of text.matchAll(TEMPLATE)) if (PATH.test(m[2]) && pathUses(m[2], name)) return true;
  return false;
}

function renameExpression(text: string, from: string, to: string): string {
  return text.replace(EXPRESSION_TOKEN, (whole, ident: string | undefined, call: string | undefined) =>
    ident === from && !call && !EXPRESSION_KEYWORDS.has(ident) ? to + whole.slice(ident.length) : whole,
  );
}

function expressionUses(text: string, name: string): boolean {
  for (const m of text.matchAll(EXPRESSION_TOKEN)) if (m[1] === name && !m[2]) return true;
  return false;
}

function codePatterns(name: string): RegExp[] {
  return [new RegExp(`(\\bvars\\s*\\.\\s*)${name}(?![A-Za-z0-9_$])`, "g"), new RegExp(`(\\bvars\\s*\\[\\s*)(["'\`])${name}\\2`, "g")];
}

function renameCode(text: string, from: string, to: string): string {
  const [dot, bracket] = codePatterns(from);
  return text.replace(dot, (_, before: string) => before + to).replace(bracket, (_, before: string, quote: string) => `${before}${quote}${to}${quote}`);
}

function codeUses(text: string, name: string): boolean {
  return codePatterns(name).some((re) => re.test(text));
}

type Visit = (value: unknown, path: Array<string | number>, key: string | number | undefined) => unknown;

/** Walks a settings tree: `visit` sees each value first and may replace it (returning
 * something other than the value stops the walk below it). */
function walk(value: unknown, path: Array<string | number>, key: string | number | undefined, visit: Visit): unknown {
  const seen = visit(value, path, key);
  if (seen !== value) return seen;
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item, i) => {
      const out = walk(item, [...path, i], i, visit);
      if (out !== item) changed = true;
      return out;
    });
    return changed ? next : value;
  }
  if (isObject(value)) {
    let changed = false;
    const next: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const out = walk(item, [...path, k], k, visit);
      if (out !== item) changed = true;
      next[k] = out;
    }
    return changed ? next : value;
  }
  return value;
}

/** What kind of use a string at `key` is, if it uses `name`. */
function stringUse(text: string, key: string | number | undefined, inOutputs: boolean, name: string): UseKind | null {
  if (typeof key === "string" && VARIABLE_FIELDS.has(key) && pathUses(text, name)) return "variable";
  if (inOutputs && pathUses(text, name)) return "output";
  if (key === "expression" && expressionUses(text, name)) return "expression";
  if (typeof key === "string" && CODE_FIELDS.has(key) && codeUses(text, name)) return "javascript";
  if (templateUses(text, name)) return "template";
  return null;
}

function renameString(text: string, key: string | number | undefined, inOutputs: boolean, from: string, to: string): string {
  if ((typeof key === "string" && VARIABLE_FIELDS.has(key)) || inOutputs) return renamePath(text, from, to);
  let next = text;
  if (key === "expression") next = renameExpression(next, from, to);
  if (typeof key === "string" && CODE_FIELDS.has(key)) next = renameCode(next, from, to);
  return renameTemplates(next, from, to);
}

/** Whether `path` is inside an `outputs` list (a script's written variables). */
function inOutputList(path: Array<string | number>): boolean {
  return path.length >= 2 && path[path.length - 2] === "outputs" && typeof path[path.length - 1] === "number";
}

/** Every place a block's settings use variable `name`. */
export function variableUses(doc: ScenarioDocument, name: string): VariableUse[] {
  const uses: VariableUse[] = [];
  if (!name) return uses;
  for (const block of doc.blocks) {
    walk(block.settings, [], undefined, (value, path, key) => {
      if (typeof value === "string") {
        const kind = stringUse(value, key, inOutputList(path), name);
        if (kind) uses.push({ blockId: block.id, path, kind });
      } else if (key === "outputs" && isObject(value)) {
        // http and module: variables are the keys of `outputs`.
        for (const k of Object.keys(value)) if (pathUses(k, name)) uses.push({ blockId: block.id, path: [...path, k], kind: "output" });
      }
      return value;
    });
  }
  return uses;
}

/** The ids of the blocks that use `name`, once each, in document order. */
export function blocksUsing(doc: ScenarioDocument, name: string): string[] {
  return [...new Set(variableUses(doc, name).map((u) => u.blockId))];
}

function renameInSettings(settings: Block["settings"], from: string, to: string): Block["settings"] {
  const out = walk(settings, [], undefined, (value, path, key) => {
    if (typeof value === "string") return renameString(value, key, inOutputList(path), from, to);
    if (key === "outputs" && isObject(value) && Object.keys(value).some((k) => pathUses(k, from))) {
      const entries = Object.entries(value).map(([k, v]) => [renamePath(k, from, to), v] as const);
      return Object.fromEntries(entries);
    }
    return value;
  });
  return isObject(out) ? out : settings;
}

/** The document with variable `from` declared as `to` (the declaration at `index`, keeping
 * its other fields and their order) and, with `uses`, every use in the blocks renamed. */
export function renameVariable(doc: ScenarioDocument, index: number, from: string, to: string, uses: boolean): ScenarioDocument {
  const variables = Array.isArray(doc.variables) ? doc.variables : [];
  const next: ScenarioDocument = {
    ...doc,
    variables: variables.map((v, i) => (i === index && isObject(v) ? { ...v, name: to } : v)),
  };
  if (!uses || from === to) return next;
  let changed = false;
  const blocks = doc.blocks.map((block) => {
    const settings = renameInSettings(block.settings, from, to);
    if (settings === block.settings) return block;
    changed = true;
    return { ...block, settings };
  });
  return changed ? { ...next, blocks } : next;
}

/** The block ids among `uses` whose script code may still name the variable after a rename
 * (a script's code returns its outputs by name, which cannot be renamed safely here). */
export function scriptOutputs(doc: ScenarioDocument, uses: readonly VariableUse[]): string[] {
  const ids = new Set(uses.filter((u) => u.kind === "output").map((u) => u.blockId));
  return doc.blocks.filter((b) => ids.has(b.id) && typeof b.settings.code === "string").map((b) => b.id);
}

/** The declaration at `index` with one field set (`undefined` removes it), other fields and
 * their order kept. */
export function setVariableField(doc: ScenarioDocument, index: number, field: string, value: unknown): ScenarioDocument {
  const variables = Array.isArray(doc.variables) ? doc.variables : [];
  return {
    ...doc,
    variables: variables.map((v, i) => {
      if (i !== index || !isObject(v)) return v;
      const next: Record<string, unknown> = { ...v };
      if (value === undefined) delete next[field];
      else next[field] = value;
      return next;
    }),
  };
}

export function addVariable(doc: ScenarioDocument, variable: Record<string, unknown>): ScenarioDocument {
  const variables = Array.isArray(doc.variables) ? doc.variables : [];
  return { ...doc, variables: [...variables, variable] };
}

export function removeVariable(doc: ScenarioDocument, index: number): ScenarioDocument {
  const variables = Array.isArray(doc.variables) ? doc.variables : [];
  return { ...doc, variables: variables.filter((_, i) => i !== index) };
}
