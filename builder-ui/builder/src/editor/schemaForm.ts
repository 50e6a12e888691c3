// A block type's settings schema (JSON Schema, as pydantic writes it) as a model of form fields,
// and the checks a value must pass before the form applies it. Pure: the form component
// (SettingsForm.tsx) draws the model; this file decides what each field is.
//
// Handled: `$ref` into `$defs` (or `definitions`), `anyOf`/`oneOf` with `null` (an optional
// field), `type` lists, strings (with `enum`, `pattern`, lengths), numbers and integers (with
// their bounds), booleans, texts per language (objects keyed by language code), arrays (of
// objects, of scalars, of enum values), nested objects, maps (`additionalProperties` or one
// `patternProperties`), and several scalar types at once (a string or a number). Anything else
// is a `json` field: the form shows a JSON text area for it.
import type { JsonSchema } from "../api/types";

export const LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Z]{2})?$";
/** Settings that name a variable: the form offers the scenario's declared variables. */
export const VARIABLE_FIELDS: ReadonlySet<string> = new Set(["variable", "store_choice_in", "var"]);
/** Settings that hold code or long text: a monospace text area. */
const CODE_FIELDS: ReadonlySet<string> = new Set(["code", "javascript", "expression", "template"]);
const MAX_DEPTH = 8;

interface Common {
  /** The property name, or "" for the root and array items. */
  name: string;
  title: string;
  description?: string;
  /** `null` is allowed (anyOf with null): clearing the field removes it. */
  nullable: boolean;
  default?: unknown;
}

export interface StringConstraints {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

export interface NumberConstraints {
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export type FieldModel =
  | (Common & StringConstraints & { kind: "string"; enum?: string[]; multiline: boolean; code: boolean; variable: boolean })
  | (Common & NumberConstraints & { kind: "number" })
  | (Common & { kind: "boolean" })
  | (Common & StringConstraints & NumberConstraints & { kind: "scalar"; types: Array<"string" | "number" | "boolean"> })
  | (Common & { kind: "localized"; minLength?: number })
  | (Common & { kind: "array"; items: FieldModel; minItems?: number; maxItems?: number })
  | (Common & { kind: "enumSet"; options: string[]; minItems?: number; maxItems?: number })
  | (Common & { kind: "object"; properties: PropertyModel[] })
  | (Common & { kind: "map"; keyEnum?: string[]; keyPattern?: string; values: FieldModel; maxProperties?: number })
  | (Common & { kind: "json" });

export type FieldKind = FieldModel["kind"];

export interface PropertyModel {
  name: string;
  required: boolean;
  model: FieldModel;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "store_choice_in" → "Store choice in" (when the schema has no title). */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : "";
}

/** Whether a schema is a text per language: an object keyed by language codes whose values
 * are texts (a list per language, like an intent's example phrases, is a map of lists). */
export function isLocalizedSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const notText = (value: unknown) => isObject(value) && (value.type === "array" || value.type === "object");
  if (isObject(schema.patternProperties) && LANGUAGE_PATTERN in schema.patternProperties) {
    return !notText(schema.patternProperties[LANGUAGE_PATTERN]);
  }
  if (isObject(schema.propertyNames) && schema.propertyNames.pattern === LANGUAGE_PATTERN) {
    return !notText(schema.additionalProperties);
  }
  return false;
}

/** The schema `#/$defs/Name` (or `#/definitions/Name`, or any JSON pointer) points at. */
export function resolveRef(root: JsonSchema, ref: string): JsonSchema | null {
  if (!ref.startsWith("#")) return null;
  const parts = ref
    .slice(1)
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = root;
  for (const part of parts) {
    if (!isObject(node)) return null;
    node = node[part];
  }
  return isObject(node) ? node : null;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isNullSchema(schema: unknown): boolean {
  return isObject(schema) && (schema.type === "null" || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null));
}

const SCALARS: ReadonlySet<string> = new Set(["string", "number", "integer", "boolean"]);

interface Context {
  root: JsonSchema;
  depth: number;
  refs: ReadonlySet<string>;
}

/** The schema with its `$ref` followed (sibling keywords win), or null for a cycle/too deep. */
function followRef(schema: JsonSchema, ctx: Context): { schema: JsonSchema; ctx: Context } | null {
  let current = schema;
  let refs = ctx.refs;
  let hops = 0;
  while (typeof current.$ref === "string") {
    const ref = current.$ref;
    if (refs.has(ref) || ++hops > MAX_DEPTH) return null;
    const target = resolveRef(ctx.root, ref);
    if (!target) return null;
    const { $ref: _, ...rest } = current;
    void _;
    current = { ...target, ...rest };
    refs = new Set([...refs, ref]);
  }
  return { schema: current, ctx: { ...ctx, refs } };
}

function common(name: string, schema: JsonSchema, nullable: boolean): Common {
  const c: Common = { name, title: str(schema.title) ?? humanize(name), nullable };
  const description = str(schema.description);
  if (description) c.description = description;
  if ("default" in schema && schema.default !== null) c.default = schema.default;
  return c;
}

function stringConstraints(schema: JsonSchema): StringConstraints {
  const c: StringConstraints = {};
  const pattern = str(schema.pattern);
  if (pattern !== undefined) c.pattern = pattern;
  const minLength = num(schema.minLength);
  if (minLength !== undefined) c.minLength = minLength;
  const maxLength = num(schema.maxLength);
  if (maxLength !== undefined) c.maxLength = maxLength;
  return c;
}

function numberConstraints(schema: JsonSchema, integer: boolean): NumberConstraints {
  const c: NumberConstraints = { integer };
  for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] as const) {
    const value = num(schema[key]);
    if (value !== undefined) c[key] = value;
  }
  return c;
}

function json(name: string, schema: JsonSchema, nullable: boolean): FieldModel {
  return { ...common(name, schema, nullable), kind: "json" };
}

/** The types a schema allows, without null; null when it names none. */
function typesOf(schema: JsonSchema): string[] | null {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === "string");
  return null;
}

/** The model of one field from its schema. `name` is the property name ("" for items). */
export function fieldModel(schema: unknown, root: JsonSchema, name = ""): FieldModel {
  return build(schema, name, { root, depth: 0, refs: new Set() }, false);
}

function build(raw: unknown, name: string, outer: Context, nullableAlready: boolean): FieldModel {
  if (!isObject(raw)) return json(name, {}, nullableAlready);
  if (outer.depth > MAX_DEPTH) return json(name, raw, nullableAlready);
  const followed = followRef(raw, outer);
  if (!followed) return json(name, raw, nullableAlready);
  const schema = followed.schema;
  const ctx = { ...followed.ctx, depth: outer.depth + 1 };
  let nullable = nullableAlready;

  // anyOf / oneOf: null makes the field optional; one other member is the field.
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (union) {
    const members: JsonSchema[] = [];
    for (const member of union) {
      if (!isObject(member)) return json(name, schema, nullable);
      const resolved = followRef(member, ctx);
      if (!resolved) return json(name, schema, nullable);
      if (isNullSchema(resolved.schema)) nullable = true;
      else members.push(member);
    }
    const { anyOf: _a, oneOf: _o, ...siblings } = schema;
    void _a;
    void _o;
    if (members.length === 1) {
      // The outer title, default and description win over the member's.
      const inner = build({ ...members[0], ...pickAnnotations(siblings) }, name, ctx, nullable);
      return inner;
    }
    // Several scalar types (a number or a date text): one text input.
    const scalarMembers = members.map((m) => followRef(m, ctx)?.schema ?? null);
    if (scalarMembers.every((m) => m !== null && isPlainScalar(m))) {
      const merged: JsonSchema = { ...siblings };
      const types = new Set<"string" | "number" | "boolean">();
      for (const m of scalarMembers as JsonSchema[]) {
        for (const t of typesOf(m) ?? []) types.add(t === "integer" ? "number" : (t as "string" | "number" | "boolean"));
        Object.assign(merged, constraintKeywords(m));
      }
      return scalarModel(name, merged, [...types], nullable);
    }
    if (members.length > 0 && members.every((m) => isLocalizedSchema(followRef(m, ctx)?.schema))) {
      return { ...common(name, schema, nullable), kind: "localized" };
    }
    return json(name, schema, nullable);
  }

  if (isLocalizedSchema(schema)) {
    const inner = isObject(schema.patternProperties) ? schema.patternProperties[LANGUAGE_PATTERN] : undefined;
    const model: FieldModel = { ...common(name, schema, nullable), kind: "localized" };
    const minLength = isObject(inner) ? num(inner.minLength) : undefined;
    if (minLength !== undefined) model.minLength = minLength;
    return model;
  }

  let types = typesOf(schema);
  if (types && types.includes("null")) {
    nullable = true;
    types = types.filter((t) => t !== "null");
  }
  // An enum without a type: strings (or null) only.
  if (!types && Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v) => v !== null);
    if (schema.enum.includes(null)) nullable = true;
    if (values.every((v) => typeof v === "string")) types = ["string"];
    else return json(name, schema, nullable);
  }
  if (!types || types.length === 0) return json(name, schema, nullable);
  if (types.length > 1) {
    if (types.every((t) => SCALARS.has(t))) {
      const kinds = [...new Set(types.map((t) => (t === "integer" ? "number" : t)))] as Array<"string" | "number" | "boolean">;
      return scalarModel(name, schema, kinds, nullable);
    }
    return json(name, schema, nullable);
  }

  const type = types[0];
  switch (type) {
    case "string": {
      const values = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string => typeof v === "string") : undefined;
      const maxLength = num(schema.maxLength);
      const model: FieldModel = {
        ...common(name, schema, nullable),
        ...stringConstraints(schema),
        kind: "string",
        multiline: CODE_FIELDS.has(name) || (maxLength !== undefined && maxLength > 4096),
        code: CODE_FIELDS.has(name),
        variable: VARIABLE_FIELDS.has(name),
      };
      if (values && values.length) model.enum = values;
      return model;
    }
    case "number":
    case "integer":
      return { ...common(name, schema, nullable), ...numberConstraints(schema, type === "integer"), kind: "number" };
    case "boolean":
      return { ...common(name, schema, nullable), kind: "boolean" };
    case "array": {
      const items = build(schema.items ?? {}, "", ctx, false);
      const bounds: { minItems?: number; maxItems?: number } = {};
      const minItems = num(schema.minItems);
      const maxItems = num(schema.maxItems);
      if (minItems !== undefined) bounds.minItems = minItems;
      if (maxItems !== undefined) bounds.maxItems = maxItems;
      if (items.kind === "string" && items.enum && !items.nullable) {
        return { ...common(name, schema, nullable), ...bounds, kind: "enumSet", options: items.enum };
      }
      if (items.kind === "json") return json(name, schema, nullable);
      return { ...common(name, schema, nullable), ...bounds, kind: "array", items };
    }
    case "object":
      return objectModel(name, schema, ctx, nullable);
  }
  return json(name, schema, nullable);
}

function pickAnnotations(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of ["title", "description", "default"] as const) if (key in schema) out[key] = schema[key];
  return out;
}

function constraintKeywords(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of ["pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
    if (key in schema) out[key] = schema[key];
  }
  return out;
}

function isPlainScalar(schema: JsonSchema): boolean {
  const types = typesOf(schema);
  return !!types && types.length > 0 && types.every((t) => SCALARS.has(t)) && !Array.isArray(schema.enum);
}

function scalarModel(name: string, schema: JsonSchema, types: Array<"string" | "number" | "boolean">, nullable: boolean): FieldModel {
  if (types.length === 1) {
    // One type after all: the plain field of that type.
    if (types[0] === "boolean") return { ...common(name, schema, nullable), kind: "boolean" };
  }
  return {
    ...common(name, schema, nullable),
    ...stringConstraints(schema),
    ...numberConstraints(schema, false),
    kind: "scalar",
    types,
  };
}

function objectModel(name: string, schema: JsonSchema, ctx: Context, nullable: boolean): FieldModel {
  const properties = isObject(schema.properties) ? schema.properties : null;
  if (properties && Object.keys(properties).length) {
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
    return {
      ...common(name, schema, nullable),
      kind: "object",
      properties: Object.entries(properties).map(([key, value]) => ({
        name: key,
        required: required.has(key),
        model: build(value, key, ctx, false),
      })),
    };
  }
  // A map: values of one schema under free keys (or keys of one pattern, or of an enum).
  let values: unknown;
  let keyPattern: string | undefined;
  if (isObject(schema.additionalProperties)) values = schema.additionalProperties;
  else if (isObject(schema.patternProperties) && Object.keys(schema.patternProperties).length === 1) {
    [[keyPattern, values]] = Object.entries(schema.patternProperties);
  }
  if (values === undefined) return json(name, schema, nullable);
  const valueModel = build(values, "", ctx, false);
  if (valueModel.kind === "json") return json(name, schema, nullable);
  const model: FieldModel = { ...common(name, schema, nullable), kind: "map", values: valueModel };
  const names = isObject(schema.propertyNames) ? schema.propertyNames : {};
  if (Array.isArray(names.enum)) model.keyEnum = names.enum.filter((k): k is string => typeof k === "string");
  const pattern = keyPattern ?? str(names.pattern);
  if (pattern) model.keyPattern = pattern;
  const maxProperties = num(schema.maxProperties);
  if (maxProperties !== undefined) model.maxProperties = maxProperties;
  return model;
}

/** The form of a block type's settings: an object model (its properties in schema order), or
 * null when the schema has no properties to show (the JSON text area stands in). */
export function settingsModel(schema: JsonSchema | undefined): Extract<FieldModel, { kind: "object" }> | null {
  if (!schema) return null;
  const model = fieldModel(schema, schema);
  return model.kind === "object" ? model : null;
}

// --- pointers -------------------------------------------------------------------------------

export type Path = ReadonlyArray<string | number>;

/** `["buttons", 0, "label", "uk"]` → `buttons.0.label.uk`: the JSON pointer inside the
 * settings with `/` as `.`, for test ids (`field-buttons.0.label.uk`). */
export function pointerKey(path: Path): string {
  return path.map(String).join(".");
}

/** `["buttons", 0]` → `/buttons/0` (RFC 6901). */
export function jsonPointer(path: Path): string {
  return path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === "number") node = node[part];
    else if (isObject(node)) node = node[String(part)];
    else return undefined;
  }
  return node;
}

/** A copy of `value` with `path` set to `next`; `undefined` removes the key (or item). Missing
 * containers on the way are created (an array for a numeric segment). */
export function setAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const list = Array.isArray(value) ? [...value] : [];
    const child = setAt(list[head], rest, next);
    if (child === undefined && rest.length === 0) list.splice(head, 1);
    else list[head] = child;
    return list;
  }
  const object: Record<string, unknown> = isObject(value) ? { ...value } : {};
  const child = setAt(object[head], rest, next);
  if (child === undefined) delete object[head];
  else object[head] = child;
  return object;
}

/** A list with the item at `from` moved to `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from < 0 || from >= next.length || to < 0 || to >= next.length) return next;
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

// --- validation -----------------------------------------------------------------------------

export type IssueCode =
  | "required"
  | "number"
  | "integer"
  | "minimum"
  | "maximum"
  | "exclusiveMinimum"
  | "exclusiveMaximum"
  | "pattern"
  | "minLength"
  | "maxLength"
  | "enum"
  | "minItems"
  | "maxItems"
  | "type"
  | "json";

export interface FieldIssue {
  /** Where, inside the value checked. */
  path: Path;
  code: IssueCode;
  limit?: number | string;
}

function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    try {
      return new RegExp(pattern).test(text);
    } catch {
      return true; // a pattern this browser cannot read is the server's to check
    }
  }
}

function checkString(model: StringConstraints & { enum?: string[] }, text: string, path: Path): FieldIssue[] {
  // Lengths in code points, as the server counts them.
  const length = [...text].length;
  if (model.minLength !== undefined && length < model.minLength) {
    return [{ path, code: model.minLength === 1 && length === 0 ? "required" : "minLength", limit: model.minLength }];
  }
  if (model.maxLength !== undefined && length > model.maxLength) return [{ path, code: "maxLength", limit: model.maxLength }];
  if (model.enum && !model.enum.includes(text)) return [{ path, code: "enum" }];
  if (model.pattern !== undefined && !matches(model.pattern, text)) return [{ path, code: "pattern", limit: model.pattern }];
  return [];
}

function checkNumber(model: NumberConstraints, value: number, path: Path): FieldIssue[] {
  if (!Number.isFinite(value)) return [{ path, code: "number" }];
  if (model.integer && !Number.isInteger(value)) return [{ path, code: "integer" }];
  if (model.minimum !== undefined && value < model.minimum) return [{ path, code: "minimum", limit: model.minimum }];
  if (model.maximum !== undefined && value > model.maximum) return [{ path, code: "maximum", limit: model.maximum }];
  if (model.exclusiveMinimum !== undefined && value <= model.exclusiveMinimum) {
    return [{ path, code: "exclusiveMinimum", limit: model.exclusiveMinimum }];
  }
  if (model.exclusiveMaximum !== undefined && value >= model.exclusiveMaximum) {
    return [{ path, code: "exclusiveMaximum", limit: model.exclusiveMaximum }];
  }
  return [];
}

/** What is wrong with `value` as the field `model` (deep, for objects, arrays and maps);
 * `required`: whether the field must be present. Texts per language are not checked per
 * language here: an empty translation is a marker, not an error. */
export function checkValue(model: FieldModel, value: unknown, required = false, path: Path = []): FieldIssue[] {
  if (value === undefined) return required ? [{ path, code: "required" }] : [];
  if (value === null) {
    if (model.nullable || model.kind === "json") return [];
    return [{ path, code: required ? "required" : "type" }];
  }
  switch (model.kind) {
    case "string":
      return typeof value === "string" ? checkString(model, value, path) : [{ path, code: "type" }];
    case "number":
      return typeof value === "number" ? checkNumber(model, value, path) : [{ path, code: "number" }];
    case "boolean":
      return typeof value === "boolean" ? [] : [{ path, code: "type" }];
    case "scalar":
      if (typeof value === "number" && model.types.includes("number")) return checkNumber(model, value, path);
      if (typeof value === "string" && model.types.includes("string")) return checkString(model, value, path);
      if (typeof value === "boolean" && model.types.includes("boolean")) return [];
      return [{ path, code: "type" }];
    case "localized":
      return isObject(value) ? [] : [{ path, code: "type" }];
    case "enumSet": {
      if (!Array.isArray(value)) return [{ path, code: "type" }];
      const issues: FieldIssue[] = [];
      if (model.minItems !== undefined && value.length < model.minItems) issues.push({ path, code: "minItems", limit: model.minItems });
      if (model.maxItems !== undefined && value.length > model.maxItems) issues.push({ path, code: "maxItems", limit: model.maxItems });
      value.forEach((v, i) => {
        if (typeof v !== "string" || !model.options.includes(v)) issues.push({ path: [...path, i], code: "enum" });
      });
      return issues;
    }
    case "array": {
      if (!Array.isArray(value)) return [{ path, code: "type" }];
      const issues: FieldIssue[] = [];
      if (model.minItems !== undefined && value.length < model.minItems) issues.push({ path, code: "minItems", limit: model.minItems });
      if (model.maxItems !== undefined && value.length > model.maxItems) issues.push({ path, code: "maxItems", limit: model.maxItems });
      value.forEach((item, i) => issues.push(...checkValue(model.items, item, true, [...path, i])));
      return issues;
    }
    case "object": {
      if (!isObject(value)) return [{ path, code: "type" }];
      const issues: FieldIssue[] = [];
      for (const property of model.properties) {
        issues.push(...checkValue(property.model, value[property.name], property.required, [...path, property.name]));
      }
      return issues;
    }
    case "map": {
      if (!isObject(value)) return [{ path, code: "type" }];
      const issues: FieldIssue[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (model.keyEnum && !model.keyEnum.includes(key)) issues.push({ path: [...path, key], code: "enum" });
        else if (model.keyPattern && !matches(model.keyPattern, key)) issues.push({ path: [...path, key], code: "pattern", limit: model.keyPattern });
        issues.push(...checkValue(model.values, item, true, [...path, key]));
      }
      return issues;
    }
    case "json":
      return [];
  }
}

export type Parsed = { ok: true; value: unknown } | { ok: false; issue: FieldIssue };

/** The value an input's text stands for, checked: `undefined` (remove the setting) for an
 * empty optional field; an issue (not to be applied) when the text does not fit. */
export function parseInput(model: FieldModel, text: string, required: boolean): Parsed {
  const fail = (code: IssueCode, limit?: number | string): Parsed => ({ ok: false, issue: limit === undefined ? { path: [], code } : { path: [], code, limit } });
  const checked = (value: unknown): Parsed => {
    const [issue] = checkValue(model, value, required);
    return issue ? { ok: false, issue } : { ok: true, value };
  };
  if (text === "" || (model.kind !== "string" && text.trim() === "")) {
    return required ? fail("required") : { ok: true, value: undefined };
  }
  switch (model.kind) {
    case "string":
      return checked(text);
    case "number": {
      const value = Number(text.trim().replace(",", "."));
      return Number.isNaN(value) ? fail("number") : checked(value);
    }
    case "scalar": {
      const trimmed = text.trim();
      if (model.types.includes("number") && /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
        return checked(Number(trimmed.replace(",", ".")));
      }
      if (model.types.includes("boolean") && (trimmed === "true" || trimmed === "false")) return checked(trimmed === "true");
      if (model.types.includes("string")) return checked(text);
      return fail("number");
    }
    case "json": {
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return fail("json");
      }
    }
    default:
      return fail("type");
  }
}

/** How a value shows in a text input of the field. */
export function formatInput(model: FieldModel, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (model.kind === "json") return JSON.stringify(value, null, 2);
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

// --- new values -------------------------------------------------------------------------------

/** "buttons" → "button", "quick_replies" → "quick_reply", "choices" → "choice". */
export function singular(name: string): string {
  if (/ies$/.test(name)) return name.replace(/ies$/, "y");
  if (/(ch|sh|s|x)es$/.test(name)) return name.replace(/es$/, "");
  if (/s$/.test(name)) return name.slice(0, -1);
  return name || "item";
}

/** An id like `<base>_<n>` that none of `taken` has. */
export function freshId(base: string, taken: Iterable<unknown>): string {
  const used = new Set([...taken].map(String));
  const stem = base.replace(/[^A-Za-z0-9._~:@+-]/g, "_").slice(0, 56) || "item";
  for (let n = 1; ; n++) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) return id;
  }
}

/** A value to start a new array item (or a present optional object) from: an object gets its
 * required properties (an `id` unique among `siblings`), a text per language an empty text in
 * each language. */
export function newValue(model: FieldModel, options: { languages: string[]; idBase?: string; siblings?: unknown[] }): unknown {
  if (model.default !== undefined) return structuredCloneJson(model.default);
  switch (model.kind) {
    case "string":
      return model.enum?.[0] ?? "";
    case "number":
      return model.minimum ?? (model.exclusiveMinimum !== undefined ? model.exclusiveMinimum + 1 : 0);
    case "scalar":
      return "";
    case "boolean":
      return false;
    case "localized":
      return Object.fromEntries(options.languages.map((l) => [l, ""]));
    case "array":
    case "enumSet":
      return [];
    case "map":
      return {};
    case "object": {
      const value: Record<string, unknown> = {};
      for (const property of model.properties) {
        if (property.name === "id" && property.model.kind === "string") {
          const ids = (options.siblings ?? []).map((s) => (isObject(s) ? s.id : undefined)).filter((id) => id !== undefined);
          value.id = freshId(options.idBase ?? "item", ids);
        } else if (property.required) {
          value[property.name] = newValue(property.model, { languages: options.languages });
        }
      }
      return value;
    }
    case "json":
      return null;
  }
}

function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The bot languages a text per language has no text in (the "missing translation" marks). */
export function missingTranslations(value: unknown, languages: readonly string[]): string[] {
  const texts = isObject(value) ? value : {};
  return languages.filter((l) => typeof texts[l] !== "string" || (texts[l] as string).trim() === "");
}

/** Names of the scenario's declared variables (`variables[].name`), in order, once each. */
export function declaredVariables(variables: unknown): string[] {
  if (!Array.isArray(variables)) return [];
  const names: string[] = [];
  for (const v of variables) {
    const name = isObject(v) ? v.name : undefined;
    if (typeof name === "string" && name && !names.includes(name)) names.push(name);
  }
  return names;
}
