// Shapes the OpenAPI document leaves open: the scenario document (its JSON Schema is served at
// GET /api/v1/schemas/scenario, not in the OpenAPI components), a block type's settings schema
// (a JSON Schema inside BlockTypeRead) and the steps of a turn's trace (free-form in TraceTurn).
import type { components } from "./schema";

export type Bot = components["schemas"]["BotRead"];
export type ScenarioSummary = components["schemas"]["ScenarioRead"];
export type ScenarioDetail = components["schemas"]["ScenarioDetail"];
export type Issue = components["schemas"]["IssueRead"];
export type Validation = components["schemas"]["ValidationRead"];
export type TurnAnswer = components["schemas"]["TurnAnswer"];
export type MessageOut = components["schemas"]["MessageOut"];
export type ChatButton = components["schemas"]["Button"];
export type PreviewStarted = components["schemas"]["PreviewStarted"];
export type BlockTypeRead = components["schemas"]["BlockTypeRead"];
export type VersionRead = components["schemas"]["VersionRead"];
export type ScenarioDiff = components["schemas"]["ScenarioDiff"];
export type TraceTurn = components["schemas"]["TraceTurn"];
export type TracePage = components["schemas"]["TracePage"];

export interface Position {
  x: number;
  y: number;
}

export interface Block {
  id: string;
  type: string;
  name?: string | null;
  settings: Record<string, unknown>;
  layout?: Position | null;
  [extra: string]: unknown;
}

export interface Edge {
  id?: string | null;
  source: string;
  port?: string;
  target: string;
  [extra: string]: unknown;
}

export interface ScenarioDocument {
  schema_version: number;
  name?: string | null;
  description?: string | null;
  entry: {
    start: string;
    commands?: Record<string, string>;
    events?: Record<string, string | null>;
    [extra: string]: unknown;
  };
  variables?: unknown[];
  blocks: Block[];
  edges: Edge[];
  [extra: string]: unknown;
}

export type JsonSchema = Record<string, unknown>;

/** A catalogue entry (BlockTypeRead) with its settings schema as a JSON Schema object. */
export interface BlockType extends BlockTypeRead {
  settings_schema: JsonSchema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** What the editor calls a block type in the interface's language: the server's title for
 * it, else the English one, else the type's name. */
export function blockTitle(type: Pick<BlockType, "name" | "titles">, language: string): string {
  return type.titles?.[language] ?? type.titles?.en ?? type.name;
}

/** The type's description in the interface's language (else English). */
export function blockDescription(type: Pick<BlockType, "description" | "descriptions">, language: string): string {
  return type.descriptions?.[language] ?? type.description;
}

/** The catalogue (GET /api/v1/block-types) with defaults for missing fields, skipping
 * entries without a name. */
export function toBlockTypes(raw: unknown): BlockType[] {
  if (!Array.isArray(raw)) return [];
  const types: BlockType[] = [];
  for (const item of raw) {
    if (!isObject(item) || typeof item.name !== "string") continue;
    types.push({
      name: item.name,
      description: typeof item.description === "string" ? item.description : "",
      titles: strings(item.titles),
      descriptions: strings(item.descriptions),
      category: typeof item.category === "string" ? item.category : "other",
      settings_schema: isObject(item.settings_schema) ? item.settings_schema : {},
      ports: Array.isArray(item.ports) ? item.ports.filter((p): p is string => typeof p === "string") : null,
      dynamic_ports: item.dynamic_ports === true,
      waits_for_input: typeof item.waits_for_input === "boolean" ? item.waits_for_input : null,
    });
  }
  return types;
}

/** The draft document of a scenario response, with the arrays the editor relies on. */
export function toDocument(raw: unknown): ScenarioDocument {
  const doc = (isObject(raw) ? { ...raw } : {}) as Record<string, unknown>;
  const entry = isObject(doc.entry) ? { ...doc.entry } : {};
  if (typeof entry.start !== "string") entry.start = "";
  const blocks = Array.isArray(doc.blocks) ? doc.blocks.filter(isObject) : [];
  const edges = Array.isArray(doc.edges) ? doc.edges.filter(isObject) : [];
  return {
    ...doc,
    schema_version: typeof doc.schema_version === "number" ? doc.schema_version : 2,
    entry: entry as ScenarioDocument["entry"],
    blocks: blocks.map((b) => ({
      ...b,
      id: String(b.id ?? ""),
      type: String(b.type ?? ""),
      settings: isObject(b.settings) ? b.settings : {},
    })) as Block[],
    edges: edges as unknown as Edge[],
  };
}
