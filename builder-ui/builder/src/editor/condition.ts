// The condition block's settings (scenarios/format/blocks.py `ConditionSettings`): rules in
// `when` combined by `mode`, each a comparison {left, op, right?} or a group {all: [...]},
// {any: [...]}, {not: ...}; or a `javascript` expression instead. Pure helpers for the form
// (ConditionForm.tsx): what a node is, what a new one looks like, what is wrong with one.
import { isObject } from "./schemaForm";

/** The operators of `Comparison.op`, in the server's order. */
export const OPERATORS = [
  "equals",
  "not_equals",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "greater",
  "greater_or_equal",
  "less",
  "less_or_equal",
  "matches",
  "is_set",
  "is_not_set",
  "is_empty",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Operators without a right operand. */
export const UNARY_OPERATORS: ReadonlySet<string> = new Set(["is_set", "is_not_set", "is_empty"]);
/** Operators that order values: a number on the right is what they are mostly for. */
export const ORDER_OPERATORS: ReadonlySet<string> = new Set(["greater", "greater_or_equal", "less", "less_or_equal"]);

export const VARIABLE_REF = new RegExp(
  "^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\\.[A-Za-z0-9_]{1,64}" +
    "|\\[(?:-?[0-9]{1,9}|'[^'\\]]{0,64}'|\"[^\"\\]]{0,64}\"|[A-Za-z_][A-Za-z0-9_.]{0,128})\\]){0,8}$",
);

export type NodeKind = "comparison" | "all" | "any" | "not" | "unknown";

/** What a rule is, as the server tells them apart: a group by its key, else a comparison. */
export function nodeKind(node: unknown): NodeKind {
  if (!isObject(node)) return "unknown";
  if ("all" in node) return "all";
  if ("any" in node) return "any";
  if ("not" in node) return "not";
  return "comparison";
}

/** How an operand is given: a variable, or a literal of a JSON type. */
export type OperandKind = "var" | "text" | "number" | "boolean" | "null" | "json";

export function operandKind(operand: unknown): OperandKind | null {
  if (!isObject(operand)) return null;
  if ("var" in operand) return "var";
  if (!("value" in operand)) return null;
  const value = operand.value;
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (value === null) return "null";
  return "json";
}

/** The operand's text in its input. */
export function operandText(operand: unknown): string {
  if (!isObject(operand)) return "";
  if ("var" in operand) return typeof operand.var === "string" ? operand.var : "";
  const value = operand.value;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}

export type OperandIssue = "variable" | "variablePattern" | "number" | "json";
export type ParsedOperand = { ok: true; operand: Record<string, unknown> } | { ok: false; issue: OperandIssue };

/** The operand a text stands for, given as `kind`. */
export function parseOperand(kind: OperandKind, text: string): ParsedOperand {
  switch (kind) {
    case "var": {
      const name = text.trim();
      if (name === "") return { ok: false, issue: "variable" };
      return VARIABLE_REF.test(name) ? { ok: true, operand: { var: name } } : { ok: false, issue: "variablePattern" };
    }
    case "text":
      return { ok: true, operand: { value: text } };
    case "number": {
      const trimmed = text.trim();
      const value = Number(trimmed.replace(",", "."));
      return trimmed === "" || !Number.isFinite(value) ? { ok: false, issue: "number" } : { ok: true, operand: { value } };
    }
    case "boolean":
      return { ok: true, operand: { value: text.trim() === "true" } };
    case "null":
      return { ok: true, operand: { value: null } };
    case "json":
      try {
        return { ok: true, operand: { value: JSON.parse(text) } };
      } catch {
        return { ok: false, issue: "json" };
      }
  }
}

/** Whether a `matches` pattern reads as a regular expression. The server runs RE2 (Python's
 * syntax): its named groups and a leading flag group are translated before the browser's
 * engine tries it. */
export function isValidPattern(pattern: string): boolean {
  const translated = pattern
    .replace(/^\(\?[aiLmsux]+\)/, "")
    .replace(/\(\?P</g, "(?<")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  try {
    new RegExp(translated);
    return true;
  } catch {
    return false;
  }
}

export type RuleIssue = "missingLeft" | "missingRight" | "badPattern" | "unknownOperator" | "emptyGroup";

/** What is wrong with one node itself (not its children). */
export function ruleIssues(node: unknown): RuleIssue[] {
  const kind = nodeKind(node);
  if (!isObject(node)) return [];
  if (kind === "all" || kind === "any") {
    const list = node[kind];
    return Array.isArray(list) && list.length > 0 ? [] : ["emptyGroup"];
  }
  if (kind !== "comparison") return [];
  const issues: RuleIssue[] = [];
  const op = node.op;
  if (operandKind(node.left) === null) issues.push("missingLeft");
  if (typeof op !== "string" || !(OPERATORS as readonly string[]).includes(op)) issues.push("unknownOperator");
  const right = node.right;
  if (typeof op === "string" && !UNARY_OPERATORS.has(op) && (right === undefined || right === null)) issues.push("missingRight");
  if (op === "matches" && isObject(right) && "value" in right && !(typeof right.value === "string" && isValidPattern(right.value))) {
    issues.push("badPattern");
  }
  return issues;
}

/** A new comparison: the first declared variable (else the conversation's language) equals
 * an empty text. */
export function newRule(variables: readonly string[]): Record<string, unknown> {
  return { left: { var: variables[0] ?? "language" }, op: "equals", right: { value: "" } };
}

export function newGroup(variables: readonly string[]): Record<string, unknown> {
  return { all: [newRule(variables)] };
}

/** The kind a new right operand is given: a number for ordering operators and for a number
 * variable on the left, a yes/no for a boolean one, else text. */
export function defaultRightKind(op: unknown, leftType: string | undefined): OperandKind {
  if (typeof op === "string" && ORDER_OPERATORS.has(op)) return "number";
  if (leftType === "number") return "number";
  if (leftType === "boolean") return "boolean";
  return "text";
}

/** A group turned into another kind, its rules kept (other keys too, in their places). */
export function regroup(node: Record<string, unknown>, from: "all" | "any", to: "all" | "any"): Record<string, unknown> {
  if (from === to) return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k === from ? to : k, v]));
}
