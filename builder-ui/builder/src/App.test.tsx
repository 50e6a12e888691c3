import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiClient } from "./api/client";
import { App } from "./App";

type Handler = (url: string, init: RequestInit) => Response | undefined;

function mockFetch(handler: Handler) {
  const calls: Array<{ url: string; method: string; body: unknown; auth?: string }> = [];
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ url, method: init.method ?? "GET", body: init.body ? JSON.parse(String(init.body)) : undefined, auth: headers.Authorization });
    return handler(url, init) ?? new Response(JSON.stringify({ title: "Not found", status: 404, detail: `no ${url}` }), { status: 404, headers: { "content-type": "application/problem+json" } });
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const problem = (status: number, detail: string) =>
  new Response(JSON.stringify({ type: "about:blank", title: "Error", status, detail }), { status, headers: { "content-type": "application/problem+json" } });

const tokens = {
  access_token: "a1",
  refresh_token: "r1",
  expires_in: 900,
  organization: { id: "o1", name: "Default", slug: "default" },
  role: "owner",
};
const bot = (id: string, name: string) => ({
  id,
  name,
  description: null,
  default_language: "uk",
  languages: ["uk", "en"],
  settings: {},
  main_scenario_id: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
});

describe("the app", () => {
  it("shows the login form with labelled fields, then the bots after logging in", async () => {
    const server = mockFetch((url, init) => {
      if (url === "/api/v1/auth/login") {
        const body = JSON.parse(String(init.body));
        return body.password === "right" ? ok(tokens) : problem(401, "wrong email or password");
      }
      if (url.startsWith("/api/v1/bots?")) return ok({ items: [bot("b1", "Coffee shop"), bot("b2", "Support")], total: 2 });
      return undefined;
    });
    render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);

    const email = screen.getByLabelText("Email");
    const password = screen.getByLabelText("Password");
    expect(email).toBe(screen.getByTestId("login-email"));
    fireEvent.change(email, { target: { value: "admin@example.com" } });
    fireEvent.change(password, { target: { value: "wrong" } });
    fireEvent.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("login-error")).toHaveProperty("textContent", "wrong email or password");

    fireEvent.change(password, { target: { value: "right" } });
    fireEvent.click(screen.getByTestId("login-submit"));
    const rows = await screen.findAllByTestId("bot-row");
    expect(rows.map((r) => within(r).getByText(/Coffee shop|Support/).textContent)).toEqual(["Coffee shop", "Support"]);
    expect(rows[0].getAttribute("href")).toBe("#/bots/b1");
    expect(server.calls.at(-1)).toMatchObject({ url: "/api/v1/bots?limit=200", auth: "Bearer a1" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("r1");
    expect(screen.getByTestId("logout")).toBeTruthy();
  });

  it("shows the empty state, and a created bot in the list", async () => {
    localStorage.setItem("rozmova.builder.refresh", "r0");
    const server = mockFetch((url, init) => {
      if (url === "/api/v1/auth/refresh") return ok(tokens);
      if (url.startsWith("/api/v1/bots?")) return ok({ items: [], total: 0 });
      if (url === "/api/v1/bots" && init.method === "POST") return ok(bot("b9", JSON.parse(String(init.body)).name), 201);
      return undefined;
    });
    render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);
    expect(await screen.findByTestId("bots-empty")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "New bot" } });
    fireEvent.click(screen.getByTestId("bot-language-en"));
    fireEvent.click(screen.getByTestId("bot-create-submit"));
    const row = await screen.findByTestId("bot-row");
    expect(row.textContent).toContain("New bot");
    expect(server.calls.find((c) => c.method === "POST" && c.url === "/api/v1/bots")?.body).toEqual({
      name: "New bot",
      default_language: "uk",
      languages: ["uk", "en"],
    });
  });

  it("shows the problem detail when the bots cannot be loaded, and retries", async () => {
    localStorage.setItem("rozmova.builder.refresh", "r0");
    let fail = true;
    const server = mockFetch((url) => {
      if (url === "/api/v1/auth/refresh") return ok(tokens);
      if (url.startsWith("/api/v1/bots?")) return fail ? problem(503, "the database did not answer in time") : ok({ items: [bot("b1", "Back")], total: 1 });
      return undefined;
    });
    render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);
    const error = await screen.findByTestId("bots-error");
    expect(error.textContent).toContain("the database did not answer in time");
    fail = false;
    fireEvent.click(within(error).getByRole("button"));
    await waitFor(() => expect(screen.getAllByTestId("bot-row")).toHaveLength(1));
  });
});
