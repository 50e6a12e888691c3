import { act, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiClient } from "../api/client";
import { App } from "../App";
import { parseRoute, routeHref } from "../routes";
import { json, mockFetch } from "../test/api";
import { provider } from "./fixtures";

const tokens = (role: string) => ({
  access_token: "a1",
  refresh_token: "r2",
  expires_in: 900,
  organization: { id: "o1", name: "Default", slug: "default" },
  role,
});

describe("the models section's routes", () => {
  it("read and write #/models, #/models/quota and #/models/notifications", () => {
    expect(parseRoute("#/models")).toEqual({ name: "models" });
    expect(parseRoute("#/models/quota")).toEqual({ name: "models", tab: "quota" });
    expect(parseRoute("#/models/notifications")).toEqual({ name: "models", tab: "notifications" });
    expect(parseRoute("#/models/nonsense")).toEqual({ name: "models" });
    expect(routeHref({ name: "models" })).toBe("#/models");
    expect(routeHref({ name: "models", tab: "providers" })).toBe("#/models");
    expect(routeHref({ name: "models", tab: "quota" })).toBe("#/models/quota");
    expect(routeHref({ name: "models", tab: "notifications" })).toBe("#/models/notifications");
  });

  it("is linked from the header next to the secrets, read-only for the session's viewer role", async () => {
    // A reload: the refresh token and the session (organization and role) are kept.
    localStorage.setItem("rozmova.builder.refresh", "r1");
    localStorage.setItem("rozmova.builder.session", JSON.stringify({ organization: tokens("viewer").organization, role: "viewer" }));
    const server = mockFetch((call) => {
      if (call.url === "/api/v1/auth/refresh") return json(tokens("viewer"));
      if (call.url === "/api/v1/llm/providers") return json([provider("main")]);
      if (call.url === "/api/v1/llm/quota") return json({ tokens_today: 5, cost_this_month: 0, calls_per_minute: null, tokens_per_day: null, cost_per_month: null, bot_tokens_per_day: null });
      if (call.url.startsWith("/api/v1/llm/usage")) return json({ since: "2025-03-01", until: "2025-03-30", calls: 0, prompt_tokens: 0, completion_tokens: 0, cost: 0, items: [] });
      if (call.url.startsWith("/api/v1/bots")) return json({ items: [], total: 0 });
      return undefined;
    });
    window.location.hash = "#/models";
    render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);
    expect(await screen.findByTestId("provider-item")).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: "Bots" });
    const link = within(nav).getByTestId("nav-models");
    expect(link.textContent).toBe("Models");
    expect(link.getAttribute("aria-current")).toBe("page");
    expect(link.previousElementSibling).toBe(within(nav).getByTestId("nav-secrets"));
    expect(screen.getByTestId("models-read-only").textContent).toContain("viewer");
    expect(screen.queryByTestId("provider-add")).toBeNull();
    expect(server.calls.some((c) => c.url === "/api/v1/secrets")).toBe(false);

    act(() => {
      window.location.hash = "#/models/quota";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByTestId("usage-empty")).toBeTruthy();
    expect(screen.getByTestId("models-tab-quota").getAttribute("aria-current")).toBe("page");
    expect(screen.queryByTestId("quota-save")).toBeNull();
    window.location.hash = "";
  });
});
