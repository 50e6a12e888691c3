// What the editor knows about block types beyond the catalogue: default settings for a new
// block, the one-line summary a node shows, and which settings are texts per language.
import type { Block, BlockType, ScenarioDocument } from "../api/types";

export interface BotLanguages {
  defaultLanguage: string;
  languages: string[];
}

const LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Z]{2})?$";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function emptyText(bot: BotLanguages): Record<string, string> {
  const text: Record<string, string> = {};
  for (const language of bot.languages.length ? bot.languages : [bot.defaultLanguage]) text[language] = "";
  return text;
}

/** A value for one required field from its schema, for block types this file does not know. */
function valueFor(schema: unknown): unknown {
  if (!isObject(schema)) return null;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return "";
    case "number":
    case "integer":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}

/** Settings for a new block of the type. For the built-in types they are what an author
 * starts from (a message's text in each bot language, empty until written; a condition that
 * reads the conversation's language; ...); other types get their schema's required fields. */
export function defaultSettings(type: BlockType | string, bot: BotLanguages, doc: ScenarioDocument): Record<string, unknown> {
  const name = typeof type === "string" ? type : type.name;
  switch (name) {
    case "message":
      return { text: emptyText(bot) };
    case "input":
      return { kind: "text", prompt: emptyText(bot), variable: "answer" };
    case "condition":
      return { mode: "all", when: [{ left: { var: "language" }, op: "equals", right: { value: bot.defaultLanguage } }] };
    case "set_variable":
      return { variable: "answer", value: "" };
    case "jump":
      return { block: doc.entry.start || doc.blocks[0]?.id || "start" };
    case "wait":
      return { seconds: 1 };
    case "handoff":
    case "end":
      return {};
    case "set_language":
      return { language: bot.defaultLanguage };
    case "script":
      return { code: "return {};" };
    case "http":
      return { method: "GET", url: "https://example.com" };
    case "module":
      return { module: "my_module" };
  }
  if (typeof type === "string") return {};
  const schema = type.settings_schema;
  const settings: Record<string, unknown> = {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const field of required) {
    if (typeof field === "string") settings[field] = valueFor(properties[field]);
  }
  return settings;
}

function isLocalizedSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  if (isObject(schema.patternProperties) && LANGUAGE_PATTERN in schema.patternProperties) return true;
  if (isObject(schema.propertyNames) && schema.propertyNames.pattern === LANGUAGE_PATTERN) return true;
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some(isLocalizedSchema);
  return false;
}

/** Top-level settings that are texts per language (a message's `text`, an input's `prompt`),
 * from the type's settings schema. */
export function localizedFields(type: BlockType | undefined): string[] {
  const properties = type && isObject(type.settings_schema.properties) ? type.settings_schema.properties : {};
  return Object.entries(properties)
    .filter(([, schema]) => isLocalizedSchema(schema))
    .map(([name]) => name);
}

function localized(value: unknown, language: string): string | null {
  if (!isObject(value)) return null;
  const own = value[language];
  if (typeof own === "string" && own) return own;
  const first = Object.values(value).find((v): v is string => typeof v === "string" && v.length > 0);
  return first ?? null;
}

function short(text: string, max = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One line about what the block does, in the bot's default language where it says something. */
export function blockSummary(block: Block, defaultLanguage: string): string {
  const s = isObject(block.settings) ? block.settings : {};
  const text = (key: string) => localized(s[key], defaultLanguage);
  switch (block.type) {
    case "message": {
      const said = text("text");
      if (said) return short(said);
      if (isObject(s.media)) return `[${String(s.media.kind ?? "media")}]`;
      return "";
    }
    case "input":
      return short(`${text("prompt") ?? ""}${typeof s.variable === "string" ? ` → ${s.variable}` : ""}`);
    case "condition":
      if (typeof s.javascript === "string") return short(s.javascript);
      if (Array.isArray(s.when)) return short(describeRules(s.when, s.mode === "any" ? " or " : " and "));
      return "";
    case "set_variable": {
      const source =
        typeof s.expression === "string" ? s.expression
        : typeof s.template === "string" ? JSON.stringify(s.template)
        : typeof s.javascript === "string" ? s.javascript
        : JSON.stringify(s.value ?? null);
      return short(`${String(s.variable ?? "?")} = ${source}`);
    }
    case "jump":
      if (typeof s.scenario === "string") return short(`↪ ${s.scenario}`);
      return typeof s.block === "string" ? `→ ${s.block}` : "";
    case "wait":
      return typeof s.seconds === "number" ? `${s.seconds} s` : "";
    case "handoff":
      return short(text("message") ?? (typeof s.queue === "string" ? s.queue : ""));
    case "end":
      return short(text("message") ?? "");
    case "set_language":
      return typeof s.language === "string" ? s.language : typeof s.variable === "string" ? `{{${s.variable}}}` : "";
    case "script":
      return typeof s.code === "string" ? short(s.code.split("\n").find((l) => l.trim()) ?? "") : "";
    case "http":
      return short(`${typeof s.method === "string" ? s.method : "GET"} ${typeof s.url === "string" ? s.url : ""}`);
    case "module":
      return typeof s.module === "string" ? s.module : "";
  }
  // Another service's type: its first text, else its first string setting.
  for (const value of Object.values(s)) {
    const t = localized(value, defaultLanguage);
    if (t) return short(t);
  }
  const first = Object.values(s).find((v): v is string => typeof v === "string" && v.length > 0);
  return first ? short(first) : "";
}

function operand(value: unknown): string {
  if (!isObject(value)) return "?";
  if (typeof value.var === "string") return value.var;
  return JSON.stringify(value.value ?? null);
}

function describeRules(rules: unknown[], joiner: string): string {
  return rules
    .map((rule) => {
      if (!isObject(rule)) return "?";
      if (Array.isArray(rule.all)) return `(${describeRules(rule.all, " and ")})`;
      if (Array.isArray(rule.any)) return `(${describeRules(rule.any, " or ")})`;
      if (rule.not !== undefined) return `not ${describeRules([rule.not], "")}`;
      const right = rule.right === undefined || rule.right === null ? "" : ` ${operand(rule.right)}`;
      return `${operand(rule.left)} ${String(rule.op ?? "?")}${right}`;
    })
    .join(joiner);
}

/** Catalogue types grouped by category, in the order the catalogue lists them. */
export function groupByCategory(types: BlockType[]): Array<{ category: string; types: BlockType[] }> {
  const groups = new Map<string, BlockType[]>();
  for (const type of types) {
    const list = groups.get(type.category) ?? [];
    list.push(type);
    groups.set(type.category, list);
  }
  return [...groups].map(([category, list]) => ({ category, types: list }));
}

