// The module editor's form and what it sends: a module's draft as the fields show it (JSON as
// text, the cache time as typed), checked here before anything is sent, and the server's issues
// (JSON pointers, a line and a column in the code) placed back at their fields.
import { ApiError } from "../api/errors";
import type { components } from "../api/schema";

export type ModuleRead = components["schemas"]["ModuleRead"];
export type ModuleDetail = components["schemas"]["ModuleDetail"];
export type ModuleUpdate = components["schemas"]["ModuleUpdate"];
export type ModuleIssue = components["schemas"]["ModuleIssue"];
export type ModuleTestRun = components["schemas"]["ModuleTestRun"];
export type ModuleTestResult = components["schemas"]["ModuleTestResult"];
export type ModuleVersionRead = components["schemas"]["ModuleVersionRead"];
export type ModuleVersionDetail = components["schemas"]["ModuleVersionDetail"];
export type SecretRead = components["schemas"]["SecretRead"];

/** The server's patterns (modules/library/schemas.py, gateway/secrets/schemas.py). */
export const MODULE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_CODE_CHARS = 64 * 1024;
export const MAX_DESCRIPTION = 2000;
export const MAX_TEST_CASES = 50;
export const MAX_CACHE_SECONDS = 7 * 24 * 3600;
export const MAX_SECRET_VALUE = 8192;

export interface CaseForm {
  /** Only for React's keys: never sent. */
  key: string;
  name: string;
  input: string;
  expected: string;
}

export interface DraftForm {
  description: string;
  code: string;
  inputSchema: string;
  outputSchema: string;
  cacheSeconds: string;
  testCases: CaseForm[];
}

let nextKey = 0;
export function caseKey(): string {
  nextKey += 1;
  return `case-${nextKey}`;
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, null, 2);
}

export function formOf(module: Pick<ModuleDetail, "description" | "code" | "input_schema" | "output_schema" | "cache_seconds" | "test_cases">): DraftForm {
  return {
    description: module.description,
    code: module.code,
    inputSchema: jsonText(module.input_schema ?? {}),
    outputSchema: jsonText(module.output_schema ?? {}),
    cacheSeconds: String(module.cache_seconds),
    testCases: module.test_cases.map((c) => ({ key: caseKey(), name: c.name, input: jsonText(c.input), expected: jsonText(c.expected) })),
  };
}

/** Whether two forms say the same (the cases' keys aside). */
export function sameForm(a: DraftForm, b: DraftForm): boolean {
  const plain = (form: DraftForm) => JSON.stringify({ ...form, testCases: form.testCases.map(({ name, input, expected }) => [name, input, expected]) });
  return plain(a) === plain(b);
}

/** Problems by field key: `code`, `description`, `cache_seconds`, `input_schema`,
 * `output_schema`, `test_cases`, `test_cases/<i>/name|input|expected`. */
export type FieldProblems = Record<string, string>;

export type Translate = (key: string, options?: Record<string, unknown>) => string;

function parseJson(text: string, t: Translate): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!text.trim()) return { ok: false, error: t("modules.editor.jsonEmpty") };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: t("modules.editor.jsonInvalid", { detail: e instanceof Error ? e.message : String(e) }) };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The body of PUT /draft for the form, or the problems that keep it from being sent. */
export function draftBody(form: DraftForm, t: Translate): { body: ModuleUpdate; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const schema = (text: string, field: string): Record<string, unknown> => {
    const parsed = parseJson(text, t);
    if (!parsed.ok) {
      problems[field] = parsed.error;
      return {};
    }
    if (!isObject(parsed.value)) {
      problems[field] = t("modules.editor.schemaNotObject");
      return {};
    }
    return parsed.value;
  };
  const input_schema = schema(form.inputSchema, "input_schema");
  const output_schema = schema(form.outputSchema, "output_schema");
  const cache = form.cacheSeconds.trim();
  const cache_seconds = cache === "" ? 0 : Number(cache);
  if (!Number.isInteger(cache_seconds) || cache_seconds < 0 || cache_seconds > MAX_CACHE_SECONDS) {
    problems.cache_seconds = t("modules.editor.cacheInvalid", { max: MAX_CACHE_SECONDS });
  }
  if (form.code.length > MAX_CODE_CHARS) problems.code = t("modules.editor.codeTooLong", { max: MAX_CODE_CHARS });
  if (form.description.length > MAX_DESCRIPTION) problems.description = t("modules.editor.descriptionTooLong", { max: MAX_DESCRIPTION });
  if (form.testCases.length > MAX_TEST_CASES) problems.test_cases = t("modules.editor.tooManyCases", { max: MAX_TEST_CASES });
  const test_cases = form.testCases.map((c, index) => {
    const name = c.name.trim();
    if (!name) problems[`test_cases/${index}/name`] = t("modules.editor.caseNameRequired");
    else if (name.length > 120) problems[`test_cases/${index}/name`] = t("modules.editor.caseNameTooLong");
    const input = parseJson(c.input, t);
    if (!input.ok) problems[`test_cases/${index}/input`] = input.error;
    const expected = parseJson(c.expected, t);
    if (!expected.ok) problems[`test_cases/${index}/expected`] = expected.error;
    return {
      name,
      input: input.ok ? input.value : null,
      expected: expected.ok ? expected.value : null,
    };
  });
  return {
    body: { description: form.description, code: form.code, input_schema, output_schema, cache_seconds: Number.isInteger(cache_seconds) ? cache_seconds : 0, test_cases },
    problems,
  };
}

/** A JSON pointer of the server (with or without FastAPI's `/body`) as a field key. */
export function fieldOf(path: string): string {
  const key = path.replace(/^\/body(?=\/|$)/, "").replace(/^\//, "");
  const parts = key.split("/");
  if (parts[0] === "test_cases" && parts.length >= 3) return parts.slice(0, 3).join("/");
  if (parts[0] === "test_cases" && parts.length === 2) return `test_cases/${parts[1]}/name`;
  return parts[0] ?? "";
}

/** The server's issues by field key (the first message of each field). */
export function issuesByField(issues: Array<Pick<ModuleIssue, "path" | "message">>): FieldProblems {
  const found: FieldProblems = {};
  for (const issue of issues) {
    const key = fieldOf(issue.path);
    if (key && !(key in found)) found[key] = issue.message;
  }
  return found;
}

/** The offset (UTF-16) in `text` of a 1-based line and a 1-based column counted in code
 * points, as the server reports them; clamped into the text. */
export function offsetAt(text: string, line: number | null | undefined, column: number | null | undefined): number {
  const lines = text.split("\n");
  const index = Math.min(Math.max((line ?? 1) - 1, 0), lines.length - 1);
  let start = 0;
  for (let i = 0; i < index; i++) start += lines[i].length + 1;
  const chars = Array.from(lines[index]);
  const upTo = Math.min(Math.max((column ?? 1) - 1, 0), chars.length);
  return start + chars.slice(0, upTo).join("").length;
}

export interface CodeMark {
  from: number;
  to: number;
  message: string;
}

/** The code's issues as ranges of the text: from the reported place to the end of its word (or
 * one character), the whole line when no column is known. */
export function codeMarks(text: string, issues: ModuleIssue[]): CodeMark[] {
  return issues
    .filter((issue) => fieldOf(issue.path) === "code")
    .map((issue) => {
      const lineStart = offsetAt(text, issue.line, 1);
      const lineEnd = text.indexOf("\n", lineStart) === -1 ? text.length : text.indexOf("\n", lineStart);
      if (issue.column === null || issue.column === undefined) return { from: lineStart, to: lineEnd, message: issue.message };
      const from = offsetAt(text, issue.line, issue.column);
      const word = /^[\w$]+/.exec(text.slice(from, lineEnd));
      const to = word ? from + word[0].length : Math.min(from + 1, lineEnd);
      return { from, to: Math.max(to, from), message: issue.message };
    });
}

/** JSON with object keys sorted: equal for equal values whatever order a database kept. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Whether the server's draft is the one sent (a save whose answer was lost, say). */
export function sameDraft(module: ModuleDetail, body: ModuleUpdate): boolean {
  const pick = (d: ModuleUpdate) => ({
    description: d.description ?? "",
    code: d.code ?? "",
    input_schema: d.input_schema ?? {},
    output_schema: d.output_schema ?? {},
    cache_seconds: d.cache_seconds ?? 0,
    test_cases: (d.test_cases ?? []).map((c) => ({ name: c.name, input: c.input ?? null, expected: c.expected ?? null })),
  });
  return canonical(pick(module)) === canonical(pick(body));
}

/** The issues of a refused request (problem+json `errors`), with their line and column. */
export function problemIssues(error: unknown): ModuleIssue[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.problem.errors)) return [];
  return error.problem.errors.filter(isObject).map((item) => ({
    path: typeof item.path === "string" ? item.path : "",
    message: typeof item.message === "string" ? item.message : JSON.stringify(item),
    line: typeof item.line === "number" ? item.line : null,
    column: typeof item.column === "number" ? item.column : null,
  }));
}
