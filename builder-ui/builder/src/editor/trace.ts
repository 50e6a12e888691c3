// A turn's trace (GET /api/v1/conversations/{id}/trace) as the test panel shows it: each step's
// block, the port it left by and its time; variable changes as `name: before → after`; errors.
// The stored steps and errors are free-form JSON in the OpenAPI document (TraceTurn), so every
// field is read defensively. A service call's logs (what the work printed: a script's console,
// how an intent was classified) are capped here, so a chatty script cannot flood the panel.
import type { TraceTurn } from "../api/types";

export interface TraceCallView {
  service: string;
  operation: string;
  status: string;
  time: string;
  error: string | null;
  /** At most `MAX_LOG_LINES` lines, each at most `MAX_LOG_LINE` characters. */
  logs: string[];
  /** How many lines past the cap were left out. */
  logsLeftOut: number;
}

export interface TraceStepView {
  blockId: string;
  type: string;
  scenario: string | null;
  port: string | null;
  microseconds: number;
  time: string;
  error: string | null;
  call: TraceCallView | null;
}

export interface VariableChangeView {
  name: string;
  before: string;
  after: string;
}

export interface TraceErrorView {
  code: string;
  message: string;
  blockId: string | null;
}

export interface TraceView {
  seq: number;
  event: string;
  duration: string;
  steps: TraceStepView[];
  variables: VariableChangeView[];
  errors: TraceErrorView[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function finite(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A duration in milliseconds, short: `0.04 ms`, `3.2 ms`, `120 ms`, `1.5 s`. */
export function formatMilliseconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms >= 1000) return `${round(ms / 1000, 2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${round(ms, 1)} ms`;
  if (ms >= 0.01 || ms === 0) return `${round(ms, 2)} ms`;
  return "<0.01 ms";
}

/** A step's time (the engine counts microseconds). */
export function formatMicroseconds(us: number): string {
  return formatMilliseconds(us / 1000);
}

/** A variable's value in one short line: JSON, `∅` for none (not set). */
export function formatValue(value: unknown, max = 60): string {
  if (value === undefined || value === null) return "∅";
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** What started the turn: `start`, `text "Олена"`, `choice coffee`, `/help`, `timeout`. */
export function describeEvent(event: unknown): string {
  if (!isObject(event)) return "?";
  const kind = text(event.kind) ?? "?";
  if (kind === "text" && typeof event.text === "string") return `text ${JSON.stringify(formatShort(event.text))}`;
  if (kind === "choice" && event.choice_id !== undefined) return `choice ${String(event.choice_id)}`;
  if (kind === "command" && typeof event.command === "string") return `/${event.command.replace(/^\//, "")}`;
  return kind;
}

function formatShort(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export const MAX_LOG_LINES = 20;
export const MAX_LOG_LINE = 300;

/** A call's logs: strings only (anything else is dropped), the first `MAX_LOG_LINES` shown,
 * each cut to `MAX_LOG_LINE` characters. */
export function callLogs(value: unknown): { logs: string[]; logsLeftOut: number } {
  const lines = Array.isArray(value) ? value.filter((line): line is string => typeof line === "string") : [];
  return {
    logs: lines.slice(0, MAX_LOG_LINES).map((line) => formatShort(line, MAX_LOG_LINE)),
    logsLeftOut: Math.max(0, lines.length - MAX_LOG_LINES),
  };
}

function stepView(raw: unknown): TraceStepView | null {
  if (!isObject(raw)) return null;
  const blockId = text(raw.block_id);
  if (!blockId) return null;
  const microseconds = finite(raw.microseconds);
  const call = isObject(raw.call)
    ? {
        service: text(raw.call.service) ?? "?",
        operation: text(raw.call.operation) ?? "?",
        status: text(raw.call.status) ?? "?",
        time: formatMilliseconds(finite(raw.call.milliseconds)),
        error: text(raw.call.error),
        ...callLogs(raw.call.logs),
      }
    : null;
  return {
    blockId,
    type: text(raw.type) ?? "",
    scenario: text(raw.scenario),
    port: text(raw.port),
    microseconds,
    time: formatMicroseconds(microseconds),
    error: text(raw.error),
    call,
  };
}

/** `{name: [before, after]}` (the engine's form); `{before, after}` objects and bare new values
 * are read too. */
export function variableChanges(changes: unknown): VariableChangeView[] {
  if (!isObject(changes)) return [];
  return Object.entries(changes).map(([name, change]) => {
    let before: unknown;
    let after: unknown;
    if (Array.isArray(change) && change.length === 2) [before, after] = change;
    else if (isObject(change) && ("before" in change || "after" in change)) ({ before, after } = change);
    else after = change;
    return { name, before: formatValue(before), after: formatValue(after) };
  });
}

function errorView(raw: unknown): TraceErrorView | null {
  if (typeof raw === "string") return { code: "", message: raw, blockId: null };
  if (!isObject(raw)) return null;
  return {
    code: text(raw.code) ?? "",
    message: text(raw.message) ?? text(raw.detail) ?? JSON.stringify(raw),
    blockId: text(raw.block_id),
  };
}

export function formatTrace(turn: TraceTurn): TraceView {
  return {
    seq: turn.seq,
    event: describeEvent(turn.event),
    duration: formatMilliseconds(finite(turn.duration_ms)),
    steps: (Array.isArray(turn.trace) ? turn.trace : []).map(stepView).filter((s): s is TraceStepView => s !== null),
    variables: variableChanges(turn.variable_changes),
    errors: (Array.isArray(turn.errors) ? turn.errors : []).map(errorView).filter((e): e is TraceErrorView => e !== null),
  };
}

/** The blocks of this scenario the turn passed through, in order, once each: steps in another
 * scenario (a call into it) are not on this canvas. */
export function visitedBlocks(turn: TraceTurn | TraceView, scenarioName: string | null, known?: ReadonlySet<string>): string[] {
  const steps = "steps" in turn ? turn.steps : formatTrace(turn).steps;
  const ids: string[] = [];
  for (const step of steps) {
    if (scenarioName && step.scenario && step.scenario !== scenarioName) continue;
    if (known && !known.has(step.blockId)) continue;
    if (!ids.includes(step.blockId)) ids.push(step.blockId);
  }
  return ids;
}
