// Errors of the API as one class: every failure the server reports is application/problem+json
// (RFC 9457), parsed here; a failure that never reached the server is status 0.

export interface ProblemItem {
  /** JSON pointer into the request (or into the scenario document). */
  path: string;
  message: string;
  code?: string;
  severity?: "error" | "warning";
  block_id?: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code?: string;
  readonly errors?: ProblemItem[];
  /** The whole problem document (extra members such as `current_revision`). */
  readonly problem: Record<string, unknown>;

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    code?: string;
    errors?: ProblemItem[];
    problem?: Record<string, unknown>;
  }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.code = init.code;
    this.errors = init.errors;
    this.problem = init.problem ?? {};
  }

  /** A failure a later retry may get past: the network, a timeout, rate limits, outages. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function problemItems(value: unknown): ProblemItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: ProblemItem[] = [];
  for (const raw of value) {
    if (!isObject(raw)) continue;
    const item: ProblemItem = {
      path: typeof raw.path === "string" ? raw.path : "",
      message: typeof raw.message === "string" ? raw.message : JSON.stringify(raw),
    };
    if (typeof raw.code === "string") item.code = raw.code;
    if (raw.severity === "error" || raw.severity === "warning") item.severity = raw.severity;
    if (typeof raw.block_id === "string") item.block_id = raw.block_id;
    items.push(item);
  }
  return items;
}

const STATUS_TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Authentication required",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  422: "Invalid input",
  429: "Too many requests",
  500: "Server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

/** An error response as an ApiError: the problem document when there is one, else whatever
 * the body says (a proxy's HTML page, plain text, nothing). */
export function parseProblem(status: number, contentType: string | null, body: string): ApiError {
  const fallbackTitle = STATUS_TITLES[status] ?? `HTTP ${status}`;
  const type = (contentType ?? "").toLowerCase();
  let parsed: unknown;
  if (type.includes("json") || /^\s*[{[]/.test(body)) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  if (isObject(parsed)) {
    const title = typeof parsed.title === "string" && parsed.title ? parsed.title : fallbackTitle;
    // FastAPI's own errors (outside the problem handlers) say {"detail": "..."} or a list.
    let detail = "";
    if (typeof parsed.detail === "string") detail = parsed.detail;
    else if (Array.isArray(parsed.detail)) detail = JSON.stringify(parsed.detail);
    return new ApiError({
      status: typeof parsed.status === "number" ? parsed.status : status,
      title,
      detail: detail || title,
      code: typeof parsed.code === "string" ? parsed.code : undefined,
      errors: problemItems(parsed.errors),
      problem: parsed,
    });
  }
  const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return new ApiError({
    status,
    title: fallbackTitle,
    detail: text ? text.slice(0, 300) : fallbackTitle,
  });
}

export function networkError(error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError({ status: 0, title: "Network error", detail: detail || "Network error" });
}

/** What to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A refused request's problems by the field they name, for showing each at its field: the
 * pointer without FastAPI's leading `/body` and without the first slash (`/body/name` and
 * `/name` are both `name`; `settings/allowed_origins/0` for an item of a list). The first
 * message of a field wins; problems about the whole request (no path) are left out. */
export function fieldErrors(error: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  if (!(error instanceof ApiError) || !error.errors) return found;
  for (const item of error.errors) {
    const key = item.path.replace(/^\/body(?=\/|$)/, "").replace(/^\//, "");
    if (key && !(key in found)) found[key] = item.message;
  }
  return found;
}
