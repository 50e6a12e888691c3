// A trimmed copy of GET /api/v1/block-types (the fields the editor reads) and small documents.
import { toBlockTypes, type BlockType, type ScenarioDiff, type ScenarioDocument, type TraceTurn } from "../api/types";

const TEXT = {
  patternProperties: { "^[a-z]{2,3}(-[A-Z]{2})?$": { minLength: 1, type: "string" } },
  type: "object",
};

export const CATALOGUE_JSON: unknown[] = [
  {
    name: "message",
    description: "Send a text, media or buttons; with buttons, wait for a choice.",
    category: "messaging",
    settings_schema: { properties: { text: { anyOf: [TEXT, { type: "null" }], default: null }, buttons: { type: "array" } }, type: "object" },
    ports: null,
    dynamic_ports: true,
    waits_for_input: null,
  },
  {
    name: "input",
    description: "Ask a question and store the validated answer in a variable.",
    category: "messaging",
    settings_schema: { properties: { kind: { type: "string" }, prompt: TEXT, variable: { type: "string" } }, required: ["kind", "prompt", "variable"], type: "object" },
    ports: null,
    dynamic_ports: true,
    waits_for_input: true,
  },
  { name: "condition", description: "Branch on variables.", category: "logic", settings_schema: {}, ports: ["true", "false"], dynamic_ports: false, waits_for_input: false },
  { name: "jump", description: "Continue elsewhere.", category: "flow", settings_schema: {}, ports: null, dynamic_ports: true, waits_for_input: false },
  { name: "end", description: "End the conversation.", category: "flow", settings_schema: { properties: { message: { anyOf: [TEXT, { type: "null" }] } } }, ports: [], dynamic_ports: false, waits_for_input: false },
  { name: "script", description: "Run JavaScript.", category: "logic", settings_schema: { properties: { code: { type: "string", minLength: 1 }, timeout_ms: { type: "integer", default: 1000 } }, required: ["code"] }, ports: ["ok", "error", "timeout"], dynamic_ports: false, waits_for_input: false },
  { name: "crm_lookup", description: "Another service's block.", category: "integrations", settings_schema: { properties: { customer: { type: "string" }, retries: { type: "integer", minimum: 1 }, mode: { enum: ["fast", "slow"] } }, required: ["customer", "retries", "mode"] }, ports: null, dynamic_ports: true, waits_for_input: false },
];

export const CATALOGUE: BlockType[] = toBlockTypes(CATALOGUE_JSON);
export const TYPES = new Map(CATALOGUE.map((t) => [t.name, t]));

/** A small scenario: a greeting with two buttons, each to its own end, typed text to a question. */
export function sampleDocument(withLayout = true): ScenarioDocument {
  const at = (x: number, y: number) => (withLayout ? { layout: { x, y } } : {});
  return {
    schema_version: 2,
    name: "Coffee",
    entry: { start: "hello", commands: { help: "help" } },
    variables: [{ name: "drink", type: "string" }],
    blocks: [
      {
        id: "hello",
        type: "message",
        name: "Greeting",
        settings: {
          text: { uk: "Кава чи чай?", en: "Coffee or tea?" },
          buttons: [
            { id: "coffee", label: { uk: "Кава", en: "Coffee" } },
            { id: "tea", label: { uk: "Чай", en: "Tea" } },
            { id: "site", label: { uk: "Сайт", en: "Site" }, url: "https://example.com" },
          ],
          store_choice_in: "drink",
        },
        ...at(0, 0),
      },
      { id: "coffee_end", type: "end", settings: { message: { uk: "Кава!", en: "Coffee!" } }, ...at(300, 0) },
      { id: "tea_end", type: "end", settings: {}, ...at(300, 150) },
      { id: "ask", type: "input", settings: { kind: "text", prompt: { uk: "Що ще?" }, variable: "drink" }, ...at(300, 300) },
      { id: "help", type: "end", settings: { message: { uk: "Довідка" } }, ...at(0, 400) },
    ],
    edges: [
      { source: "hello", port: "coffee", target: "coffee_end" },
      { id: "e-tea", source: "hello", port: "tea", target: "tea_end" },
      { source: "hello", port: "next", target: "ask" },
      { source: "ask", port: "next", target: "hello" },
    ],
  };
}

/** A turn of GET /api/v1/conversations/{id}/trace: steps (one in another scenario, one with
 * a service call, one failed), variable changes and an error. */
export function traceTurn(overrides: Partial<TraceTurn> = {}): TraceTurn {
  return {
    seq: 2,
    client_message_id: "m-1",
    version_id: null,
    created_at: "2025-01-01T00:00:00Z",
    event: { kind: "choice", choice_id: "coffee" },
    trace: [
      { block_id: "hello", type: "message", scenario: "main", port: "coffee", microseconds: 41.5, error: null, call: null },
      {
        block_id: "lookup",
        type: "http",
        scenario: "main",
        port: "error",
        microseconds: 15234,
        error: null,
        call: { service: "http", operation: "GET", status: "error", milliseconds: 15.1, error: "HTTP 500", logs: [] },
      },
      { block_id: "sub_ask", type: "input", scenario: "other", port: null, microseconds: 12, error: null, call: null },
      { block_id: "ask", type: "input", scenario: "main", port: null, microseconds: 30, error: "boom", call: null },
    ],
    variable_changes: { drink: [null, "coffee"], count: [1, 2], gone: ["x", null] },
    errors: [{ code: "block.failed", message: "The block failed", block_id: "ask" }],
    duration_ms: 16.237,
    ...overrides,
  };
}

/** GET /api/v1/scenarios/{id}/diff against the sample document. */
export function scenarioDiff(overrides: Partial<ScenarioDiff> = {}): ScenarioDiff {
  return {
    blocks: {
      added: ["ask"],
      removed: ["old_end"],
      changed: [
        { id: "hello", fields: ["settings.text.uk", "layout"], layout_only: false },
        { id: "tea_end", fields: ["layout"], layout_only: true },
      ],
    },
    edges: { added: [{ source: "hello", port: "next", target: "ask" }], removed: [] },
    variables: { added: ["drink"], removed: [], changed: [] },
    entry_changed: false,
    details_changed: true,
    summary: "1 block added, 1 removed, 1 changed, 1 moved, 1 edge added, 1 variable added, name or description changed",
    ...overrides,
  };
}
