// Shapes the OpenAPI document leaves open: the scenario document (its JSON Schema is served at
// GET /api/v1/schemas/scenario, not in the OpenAPI components) and the block catalogue
// (GET /api/v1/block-types answers a list of free-form objects).
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

export interface BlockType {
  name: string;
  description: string;
  category: string;
  settings_schema: JsonSchema;
  /** Output ports; null when they depend on the settings (`dynamic_ports`). */
  ports: string[] | null;
  dynamic_ports: boolean;
  waits_for_input: boolean | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The catalogue as typed objects, skipping entries without a name. */
export function toBlockTypes(raw: unknown): BlockType[] {
  if (!Array.isArray(raw)) return [];
  const types: BlockType[] = [];
  for (const item of raw) {
    if (!isObject(item) || typeof item.name !== "string") continue;
    types.push({
      name: item.name,
      description: typeof item.description === "string" ? item.description : "",
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
