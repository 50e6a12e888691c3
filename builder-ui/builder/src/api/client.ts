// A small typed fetch wrapper over the generated OpenAPI types (schema.d.ts): paths, path and
// query parameters, required headers, bodies and responses all come from `paths[...]`.
// It sends the access token, turns errors into ApiError and, on a 401, refreshes the access
// token once (POST /api/v1/auth/refresh) and retries. The refresh token lives in localStorage
// so that a reload stays logged in; the access token only in memory.
import type { components, paths } from "./schema";
import { ApiError, networkError, parseProblem } from "./errors";

export { ApiError } from "./errors";

export type Schemas = components["schemas"];
export type TokenPair = Schemas["TokenPair"];

type Method = "get" | "post" | "put" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The paths that have an operation for method M. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type ParametersOf<Op> = Op extends { parameters: infer X } ? X : never;
type PathParamsOf<Op> = ParametersOf<Op> extends { path: infer T } ? T : never;
type QueryOf<Op> = ParametersOf<Op> extends { query?: infer T } ? Exclude<T, undefined> : never;
type HeadersOf<Op> = ParametersOf<Op> extends { header: infer T } ? T : never;
type BodyOf<Op> = Op extends { requestBody?: never }
  ? never
  : Op extends { requestBody: { content: { "application/json": infer B } } }
    ? B
    : Op extends { requestBody?: { content: { "application/json": infer B } } }
      ? B | undefined
      : never;

type SuccessStatus = 200 | 201 | 202 | 204;
type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : undefined;
/** The JSON a successful response of the operation carries (undefined for a 204). */
export type ResponseOf<Op> = Op extends { responses: infer R }
  ? { [C in keyof R]: C extends SuccessStatus ? JsonOf<R[C]> : never }[keyof R]
  : never;

type IsNever<T> = [T] extends [never] ? true : false;

export type RequestInit_<Op> = (IsNever<PathParamsOf<Op>> extends true ? { path?: undefined } : { path: PathParamsOf<Op> }) &
  (IsNever<QueryOf<Op>> extends true ? { query?: undefined } : { query?: QueryOf<Op> }) &
  (IsNever<HeadersOf<Op>> extends true ? { headers?: Record<string, string> } : { headers: HeadersOf<Op> & Record<string, string> }) &
  (IsNever<BodyOf<Op>> extends true
    ? { body?: undefined }
    : undefined extends BodyOf<Op>
      ? { body?: BodyOf<Op> }
      : { body: BodyOf<Op> }) & { signal?: AbortSignal };

type Args<Op> = {} extends RequestInit_<Op> ? [init?: RequestInit_<Op>] : [init: RequestInit_<Op>];

const REFRESH_KEY = "rozmova.builder.refresh";
const SESSION_KEY = "rozmova.builder.session";
// These answer without an access token; a 401 from them is the answer, not a stale token.
const PUBLIC_PATHS = new Set<string>(["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"]);

export interface SessionInfo {
  organization: TokenPair["organization"];
  role: TokenPair["role"];
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Storage;
  /** Web Locks, so that two tabs never spend the same refresh token (single use). */
  locks?: LockManager;
}

/** Fills `{name}` segments of a path template. */
export function fillPath(template: string, params?: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query?: Record<string, unknown>): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: Storage | undefined;
  private readonly locks: LockManager | undefined;
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly authListeners = new Set<(loggedIn: boolean) => void>();
  private readonly sessionListeners = new Set<(session: SessionInfo | null) => void>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.storage = options.storage ?? (typeof localStorage === "undefined" ? undefined : localStorage);
    this.locks = options.locks ?? (typeof navigator !== "undefined" ? navigator.locks : undefined);
  }

  // --- session ------------------------------------------------------------------------------

  get refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_KEY) ?? null;
  }

  /** Whether a session exists (a refresh token is kept); the access token may still be due. */
  get loggedIn(): boolean {
    return this.accessToken !== null || this.refreshToken !== null;
  }

  get session(): SessionInfo | null {
    const raw = this.storage?.getItem(SESSION_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as SessionInfo;
    } catch {
      return null;
    }
  }

  /** Called with false when the session ends (logout, or a refresh the server refused). */
  onAuthChange(listener: (loggedIn: boolean) => void): () => void {
    this.authListeners.add(listener);
    return () => this.authListeners.delete(listener);
  }

  /** Called with the session (organization and role) each time a new pair is stored (a
   * login, a refresh, an organization switch), and with null when the session ends. */
  onSessionChange(listener: (session: SessionInfo | null) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  private setTokens(pair: TokenPair): void {
    this.accessToken = pair.access_token;
    this.storage?.setItem(REFRESH_KEY, pair.refresh_token);
    const info: SessionInfo = { organization: pair.organization, role: pair.role };
    this.storage?.setItem(SESSION_KEY, JSON.stringify(info));
    for (const listener of this.sessionListeners) listener(info);
  }

  private clearTokens(): void {
    const had = this.loggedIn;
    this.accessToken = null;
    this.storage?.removeItem(REFRESH_KEY);
    this.storage?.removeItem(SESSION_KEY);
    if (had) {
      for (const listener of this.sessionListeners) listener(null);
      for (const listener of this.authListeners) listener(false);
    }
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const pair = await this.post("/api/v1/auth/login", { body: { email, password } });
    this.setTokens(pair);
    for (const listener of this.authListeners) listener(true);
    return pair;
  }

  async logout(): Promise<void> {
    const token = this.refreshToken;
    try {
      if (token) await this.post("/api/v1/auth/logout", { body: { refresh_token: token } });
    } finally {
      this.clearTokens();
    }
  }

  /** Spends the refresh token for a new pair, once at a time (and across tabs with Web
   * Locks): a refresh token works once, and using one twice signs the login out. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.track(this.exclusive(() => this.spendRefreshToken()).then((pair) => pair !== null));
    }
    return this.refreshing!;
  }

  /** Acts in another organization from now on: a refresh with `organization_id` (the new pair
   * and its refresh token act there). It is a refresh like any other: it waits for one under
   * way, takes the same lock, and requests that meet a 401 meanwhile wait for it and retry
   * with its token. A 403 (not a member) leaves the session as it was: the server checks
   * membership before it spends the token. Resolves with the new pair. */
  switchOrganization(organizationId: string): Promise<TokenPair> {
    const before = this.refreshing ?? Promise.resolve(true);
    const switched = before
      .catch(() => false)
      .then(() => this.exclusive(() => this.spendRefreshToken(organizationId)))
      .then((pair) => {
        if (!pair) throw new ApiError({ status: 401, title: "Authentication required", detail: "Authentication required" });
        return pair;
      });
    // A request that met a 401 meanwhile retries only when the switch gave a new token.
    this.track(switched.then(() => true, () => false));
    return switched;
  }

  /** Makes `run` the refresh under way until it settles (a later one replaces it). */
  private track(run: Promise<boolean>): void {
    const tracked: Promise<boolean> = run.finally(() => {
      if (this.refreshing === tracked) this.refreshing = null;
    });
    this.refreshing = tracked;
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    return this.locks ? (this.locks.request("rozmova.builder.refresh", run) as Promise<T>) : run();
  }

  /** The new pair, stored; null when the server refused the refresh token (the session is
   * over). With `organizationId`, a switch: then only a 401 ends the session (a 403 or a 422
   * is about the organization asked for, and the token was not spent), and every refusal is
   * thrown as the server's problem. */
  private async spendRefreshToken(organizationId?: string): Promise<TokenPair | null> {
    const token = this.refreshToken; // read inside the lock: another tab may have rotated it
    if (!token) return null;
    const body: { refresh_token: string; organization_id?: string } = { refresh_token: token };
    if (organizationId !== undefined) body.organization_id = organizationId;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw networkError(error); // the session may still be good: keep it
    }
    if (response.ok) {
      const pair = (await response.json()) as TokenPair;
      this.setTokens(pair);
      return pair;
    }
    const ends = organizationId === undefined ? [400, 401, 422] : [401];
    if (ends.includes(response.status)) {
      this.clearTokens();
      if (organizationId === undefined) return null;
    }
    throw parseProblem(response.status, response.headers.get("content-type"), await response.text());
  }

  // --- requests -----------------------------------------------------------------------------

  get<P extends PathsWith<"get">>(path: P, ...args: Args<Operation<P, "get">>) {
    return this.request<P, "get">("get", path, args[0]);
  }

  post<P extends PathsWith<"post">>(path: P, ...args: Args<Operation<P, "post">>) {
    return this.request<P, "post">("post", path, args[0]);
  }

  put<P extends PathsWith<"put">>(path: P, ...args: Args<Operation<P, "put">>) {
    return this.request<P, "put">("put", path, args[0]);
  }

  patch<P extends PathsWith<"patch">>(path: P, ...args: Args<Operation<P, "patch">>) {
    return this.request<P, "patch">("patch", path, args[0]);
  }

  delete<P extends PathsWith<"delete">>(path: P, ...args: Args<Operation<P, "delete">>) {
    return this.request<P, "delete">("delete", path, args[0]);
  }

  async request<P extends keyof paths, M extends Method>(
    method: M,
    path: P,
    init?: RequestInit_<Operation<P, M>>,
  ): Promise<ResponseOf<Operation<P, M>>> {
    const raw = (init ?? {}) as {
      path?: Record<string, string | number>;
      query?: Record<string, unknown>;
      headers?: Record<string, string>;
      body?: unknown;
      signal?: AbortSignal;
    };
    const url = this.baseUrl + fillPath(path as string, raw.path) + queryString(raw.query);
    const needsAuth = !PUBLIC_PATHS.has(path as string);
    if (needsAuth && this.accessToken === null && this.refreshToken !== null) {
      await this.refresh();
    }
    const send = async (): Promise<Response> => {
      const headers: Record<string, string> = {
        Accept: "application/json, application/problem+json",
        ...raw.headers,
      };
      if (raw.body !== undefined) headers["Content-Type"] = "application/json";
      if (needsAuth && this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
      try {
        return await this.fetchImpl(url, {
          method: method.toUpperCase(),
          headers,
          body: raw.body === undefined ? undefined : JSON.stringify(raw.body),
          signal: raw.signal,
        });
      } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") throw error;
        throw networkError(error);
      }
    };
    const used = this.accessToken;
    let response = await send();
    if (response.status === 401 && needsAuth && this.refreshToken !== null) {
      // Another request may have refreshed meanwhile: then just retry with the new token.
      const fresh = this.accessToken !== used && this.accessToken !== null ? true : await this.refresh();
      if (fresh) response = await send();
    }
    if (!response.ok) {
      throw parseProblem(response.status, response.headers.get("content-type"), await response.text());
    }
    if (response.status === 204) return undefined as ResponseOf<Operation<P, M>>;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as ResponseOf<Operation<P, M>>;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
