// The output ports of a block. Static ports come from the catalogue (GET /api/v1/block-types);
// where `dynamic_ports` is set the server leaves them null, and they are derived here from the
// settings by the same rules as scenarios/format/blocks.py.
import type { Block, BlockType, Edge } from "../api/types";

const NO_INPUT = "no_input";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionIds(list: unknown, skipLinks: boolean): string[] {
  if (!Array.isArray(list)) return [];
  const ids: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.id !== "string" || !item.id) continue;
    if (skipLinks && item.url !== undefined && item.url !== null) continue; // a link has no port
    ids.push(item.id);
  }
  return ids;
}

/** The names of a list whose items are names or objects with a `name` (an intent block's
 * intents: named from the `nlu` section or written in place; an llm block's classes). */
function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const found: string[] = [];
  for (const item of list) {
    const name = typeof item === "string" ? item : isObject(item) ? item.name : undefined;
    if (typeof name === "string" && name) found.push(name);
  }
  return found;
}

/** The ports of a block that asks a service: what it decided, then where a failed call goes
 * (nlu/blocks.py, llm/blocks.py `CALL_PORTS`). */
const CALL_PORTS = ["error", "timeout"];

function hasTimeout(settings: Record<string, unknown>): boolean {
  return settings.timeout_seconds !== undefined && settings.timeout_seconds !== null;
}

function unique(ports: string[]): string[] {
  return [...new Set(ports)];
}

/** Ports of a block type whose ports depend on its settings, or null for a type this file
 * does not know. */
export function dynamicPorts(type: string, settings: Record<string, unknown>): string[] | null {
  switch (type) {
    case "message": {
      // One port per choice (buttons without a url, quick replies), then `next` for typed
      // text, and `no_input` when the message has its own answer time.
      const choices = [...optionIds(settings.buttons, true), ...optionIds(settings.quick_replies, false)];
      return unique([...choices.filter((id) => id !== "next"), "next", ...(hasTimeout(settings) ? [NO_INPUT] : [])]);
    }
    case "input":
      return ["next", "invalid", ...(hasTimeout(settings) ? [NO_INPUT] : [])];
    case "intent":
      // One port per intent, then fallback (below the threshold): nlu/blocks.py `_ports`.
      return unique([...names(settings.intents), "fallback", ...CALL_PORTS]);
    case "llm":
      // Classify: one port per class, then fallback; otherwise next (llm/blocks.py `_ports`).
      return settings.mode === "classify"
        ? unique([...names(settings.classes), "fallback", ...CALL_PORTS])
        : ["next", ...CALL_PORTS];
    case "jump":
      // Only a call into another scenario comes back; a jump to a block never does.
      return typeof settings.scenario === "string" && settings.scenario && settings.return_after !== false
        ? ["next"]
        : [];
    default:
      return null;
  }
}

/** The output ports of a block, in the order they are drawn. */
export function blockPorts(block: Pick<Block, "type" | "settings">, type: BlockType | undefined): string[] {
  const settings = isObject(block.settings) ? block.settings : {};
  if (type && !type.dynamic_ports && type.ports) return [...type.ports];
  return dynamicPorts(block.type, settings) ?? ["next"];
}

/** Ports that edges leave from but the block does not have (drawn, marked as broken, so that
 * no edge disappears from the canvas). */
export function strayPorts(blockId: string, ports: string[], edges: Edge[]): string[] {
  const known = new Set(ports);
  const stray: string[] = [];
  for (const edge of edges) {
    if (edge.source !== blockId) continue;
    const port = edge.port ?? "next";
    if (!known.has(port) && !stray.includes(port)) stray.push(port);
  }
  return stray;
}
