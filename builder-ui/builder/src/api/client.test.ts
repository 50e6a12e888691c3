import { describe, expect, it } from "vitest";
import { ApiClient, fillPath } from "./client";
import { ApiError } from "./errors";

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function json(status: number, body: unknown, type = "application/json"): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": type } });
}

const pair = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
  token_type: "bearer",
  organization: { id: "o", name: "Default", slug: "default" },
  role: "owner",
});

function fakeServer(handler: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return handler(call);
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

describe("ApiClient", () => {
  it("fills path parameters and query strings", async () => {
    expect(fillPath("/api/v1/bots/{bot_id}/scenarios", { bot_id: "a b" })).toBe("/api/v1/bots/a%20b/scenarios");
    expect(() => fillPath("/api/v1/bots/{bot_id}", {})).toThrow(/bot_id/);
    const server = fakeServer(() => json(200, { items: [], total: 0 }));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await api.get("/api/v1/bots/{bot_id}/scenarios", { path: { bot_id: "b1" }, query: { limit: 200 } });
    expect(server.calls[0].url).toBe("/api/v1/bots/b1/scenarios?limit=200");
  });

  it("logs in, keeps the refresh token in localStorage and sends the access token", async () => {
    const server = fakeServer((call) => (call.url.endsWith("/auth/login") ? json(200, pair(1)) : json(200, { items: [], total: 0 })));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await api.login("admin@example.com", "secret");
    expect(server.calls[0].body).toEqual({ email: "admin@example.com", password: "secret" });
    expect(server.calls[0].headers.Authorization).toBeUndefined();
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-1");
    await api.get("/api/v1/bots");
    expect(server.calls[1].headers.Authorization).toBe("Bearer access-1");
    expect(api.session?.organization.name).toBe("Default");
  });

  it("on a 401 refreshes once and retries the request with the new token", async () => {
    localStorage.setItem("rozmova.builder.refresh", "refresh-1");
    let refreshed = 0;
    const server = fakeServer((call) => {
      if (call.url.endsWith("/auth/refresh")) {
        refreshed++;
        return json(200, pair(2));
      }
      if (call.headers.Authorization === "Bearer access-2") return json(200, { items: [{ id: "x" }], total: 1 });
      return json(401, { title: "Authentication required", status: 401, detail: "token expired" }, "application/problem+json");
    });
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    // a reload: only the refresh token is known, so the first request refreshes first
    const page = await api.get("/api/v1/bots");
    expect(page.total).toBe(1);
    expect(refreshed).toBe(1);
    expect(server.calls[0].body).toEqual({ refresh_token: "refresh-1" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-2");
  });

  it("retries with a fresh access token when the one it sent has expired", async () => {
    let now = "access-1";
    const server = fakeServer((call) => {
      if (call.url.endsWith("/auth/login")) return json(200, pair(1));
      if (call.url.endsWith("/auth/refresh")) {
        now = "access-2";
        return json(200, pair(2));
      }
      return call.headers.Authorization === `Bearer ${now}` ? json(200, { items: [], total: 0 }) : json(401, { title: "t", status: 401, detail: "expired" });
    });
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await api.login("a@b.c", "pw");
    now = "rotated-by-server";
    await expect(api.get("/api/v1/bots")).resolves.toEqual({ items: [], total: 0 });
    expect(server.calls.map((c) => [c.url, c.headers.Authorization ?? null])).toEqual([
      ["/api/v1/auth/login", null],
      ["/api/v1/bots", "Bearer access-1"],
      ["/api/v1/auth/refresh", null],
      ["/api/v1/bots", "Bearer access-2"],
    ]);
  });

  it("refreshes once for requests that fail together, and retries each", async () => {
    localStorage.setItem("rozmova.builder.refresh", "refresh-1");
    let refreshed = 0;
    let valid = "none";
    const server = fakeServer(async (call) => {
      if (call.url.endsWith("/auth/refresh")) {
        refreshed++;
        await new Promise((r) => setTimeout(r, 5));
        valid = "Bearer access-2";
        return json(200, pair(2));
      }
      return call.headers.Authorization === valid ? json(200, { items: [], total: 0 }) : json(401, { title: "t", status: 401, detail: "expired" });
    });
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await Promise.all([api.get("/api/v1/bots"), api.get("/api/v1/bots"), api.get("/api/v1/block-types")]);
    expect(refreshed).toBe(1);
  });

  it("ends the session when the refresh token is refused", async () => {
    localStorage.setItem("rozmova.builder.refresh", "stale");
    const events: boolean[] = [];
    const server = fakeServer(() => json(401, { title: "Authentication required", status: 401, detail: "refresh token revoked" }, "application/problem+json"));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    api.onAuthChange((on) => events.push(on));
    await expect(api.get("/api/v1/bots")).rejects.toMatchObject({ status: 401, detail: "refresh token revoked" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBeNull();
    expect(api.loggedIn).toBe(false);
    expect(events).toEqual([false]);
  });

  it("does not refresh for a 401 of the login itself", async () => {
    const server = fakeServer(() => json(401, { title: "Authentication required", status: 401, detail: "wrong email or password" }, "application/problem+json"));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    const error = await api.login("a@b.c", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe("wrong email or password");
    expect(server.calls).toHaveLength(1);
  });

  it("sends the If-Match header and the JSON body of a draft", async () => {
    localStorage.setItem("rozmova.builder.refresh", "r");
    const server = fakeServer((call) => (call.url.endsWith("/auth/refresh") ? json(200, pair(1)) : json(200, { revision: 4 })));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await api.put("/api/v1/scenarios/{scenario_id}/draft", {
      path: { scenario_id: "s" },
      headers: { "If-Match": '"3"' },
      body: {} as never,
    });
    const put = server.calls[1];
    expect(put.method).toBe("PUT");
    expect(put.headers["If-Match"]).toBe('"3"');
    expect(put.headers["Content-Type"]).toBe("application/json");
  });

  it("turns a network failure into a status-0 ApiError, and a 204 into undefined", async () => {
    const down = new ApiClient({
      fetch: (async () => {
        throw new TypeError("Failed to fetch");
      }) as typeof fetch,
      storage: localStorage,
    });
    await expect(down.get("/api/v1/block-types")).rejects.toMatchObject({ status: 0, detail: "Failed to fetch" });
    localStorage.setItem("rozmova.builder.refresh", "r");
    const server = fakeServer(() => new Response(null, { status: 204 }));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    await expect(api.logout()).resolves.toBeUndefined();
    expect(server.calls[0].body).toEqual({ refresh_token: "r" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBeNull();
  });

  it("switches organization with a refresh that sends organization_id and stores the new pair", async () => {
    localStorage.setItem("rozmova.builder.refresh", "refresh-1");
    const sessions: unknown[] = [];
    const server = fakeServer(() => json(200, { ...pair(2), organization: { id: "o2", name: "Bakery", slug: "bakery" }, role: "editor" }));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    api.onSessionChange((s) => sessions.push(s));
    const switched = await api.switchOrganization("o2");
    expect(switched.organization.id).toBe("o2");
    expect(server.calls[0]).toMatchObject({ url: "/api/v1/auth/refresh", method: "POST", body: { refresh_token: "refresh-1", organization_id: "o2" } });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-2");
    expect(api.session).toEqual({ organization: { id: "o2", name: "Bakery", slug: "bakery" }, role: "editor" });
    expect(sessions).toEqual([api.session]);
  });

  it("a refused switch (403) keeps the session; a 401 ends it", async () => {
    localStorage.setItem("rozmova.builder.refresh", "refresh-1");
    let status = 403;
    const events: boolean[] = [];
    const server = fakeServer(() => json(status, { title: "t", status, detail: status === 403 ? "you are not a member of that organization" : "log in again" }, "application/problem+json"));
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
    api.onAuthChange((on) => events.push(on));
    await expect(api.switchOrganization("o9")).rejects.toMatchObject({ status: 403, detail: "you are not a member of that organization" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-1");
    expect(api.loggedIn).toBe(true);
    status = 401;
    await expect(api.switchOrganization("o9")).rejects.toMatchObject({ status: 401, detail: "log in again" });
    expect(api.loggedIn).toBe(false);
    expect(events).toEqual([false]);
  });

  it("a switch waits for a refresh under way, takes the same lock, and requests that meet a 401 meanwhile wait for it", async () => {
    localStorage.setItem("rozmova.builder.refresh", "refresh-1");
    const order: string[] = [];
    let held = Promise.resolve();
    const locks = {
      request: (name: string, run: () => Promise<unknown>) => {
        order.push(`lock ${name}`);
        const result = held.then(run);
        held = result.then(() => undefined, () => undefined);
        return result;
      },
    } as unknown as LockManager;
    let n = 1;
    const server = fakeServer(async (call) => {
      if (call.url.endsWith("/auth/refresh")) {
        const body = call.body as { refresh_token: string; organization_id?: string };
        order.push(`refresh ${body.refresh_token}${body.organization_id ? ` -> ${body.organization_id}` : ""}`);
        await new Promise((r) => setTimeout(r, 5));
        n += 1;
        return json(200, pair(n));
      }
      return call.headers.Authorization === `Bearer access-${n}` ? json(200, { items: [], total: 0 }) : json(401, { title: "t", status: 401, detail: "expired" });
    });
    const api = new ApiClient({ fetch: server.fetch, storage: localStorage, locks });
    const refreshing = api.refresh();
    const switching = api.switchOrganization("o2");
    const request = api.get("/api/v1/bots");
    await Promise.all([refreshing, switching, request]);
    expect(order).toEqual([
      "lock rozmova.builder.refresh",
      "refresh refresh-1",
      "lock rozmova.builder.refresh",
      "refresh refresh-2 -> o2",
    ]);
    // the request went out once the switch had its token
    expect(server.calls.at(-1)!.headers.Authorization).toBe("Bearer access-3");
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-3");
  });
});
