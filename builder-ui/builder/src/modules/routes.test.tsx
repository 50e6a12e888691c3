import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../api/client";
import { App } from "../App";
import { parseRoute, routeHref } from "../routes";
import { json, mockFetch } from "../test/api";
import { stubRangeLayout } from "./jsdomLayout";

beforeAll(stubRangeLayout);
afterEach(() => vi.restoreAllMocks());

const tokens = {
  access_token: "a1",
  refresh_token: "r2",
  expires_in: 900,
  organization: { id: "o1", name: "Default", slug: "default" },
  role: "owner",
};

describe("the modules' and secrets' routes", () => {
  it("read and write #/modules, #/modules/<name> and #/secrets", () => {
    expect(parseRoute("#/modules")).toEqual({ name: "modules" });
    expect(parseRoute("#/modules/")).toEqual({ name: "modules" });
    expect(parseRoute("#/modules/price_with_vat")).toEqual({ name: "module", moduleName: "price_with_vat" });
    expect(parseRoute("#/secrets")).toEqual({ name: "secrets" });
    expect(routeHref({ name: "modules" })).toBe("#/modules");
    expect(routeHref({ name: "module", moduleName: "price_with_vat" })).toBe("#/modules/price_with_vat");
    expect(routeHref({ name: "secrets" })).toBe("#/secrets");
  });

  it("are linked from the header once logged in, and open the list, the editor (its own chunk) and the secrets", async () => {
    localStorage.setItem("rozmova.builder.refresh", "r1");
    const server = mockFetch((call) => {
      if (call.url === "/api/v1/auth/refresh") return json(tokens);
      if (call.url === "/api/v1/modules?limit=200") return json({ items: [], total: 0 });
      if (call.url === "/api/v1/secrets") return json([]);
      if (call.url === "/api/v1/modules/vat") {
        return json({ id: "m1", name: "vat", description: "", revision: 1, latest_version: 0, created_at: "", updated_at: "", code: "return input;", input_schema: {}, output_schema: {}, test_cases: [], cache_seconds: 0 });
      }
      if (call.url === "/api/v1/modules/vat/validate") return json({ valid: true, errors: [] });
      if (call.url.startsWith("/api/v1/modules/vat/versions")) return json({ items: [], total: 0 });
      if (call.url.startsWith("/api/v1/bots")) return json({ items: [], total: 0 });
      return undefined;
    });
    window.location.hash = "#/modules";
    render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);
    expect(await screen.findByTestId("modules-empty")).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: "Bots" });
    expect(within(nav).getByTestId("nav-modules").getAttribute("aria-current")).toBe("page");
    expect(within(nav).getByTestId("nav-secrets").getAttribute("href")).toBe("#/secrets");

    act(() => {
      window.location.hash = "#/modules/vat";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByTestId("module-editor", {}, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByTestId("module-valid")).toBeTruthy();

    // Changes that cannot be saved (JSON that does not parse): the app asks before it leaves.
    fireEvent.change(screen.getByLabelText("Output schema (JSON Schema)"), { target: { value: "{" } });
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const from = window.location.href;
    act(() => {
      window.location.hash = "#/secrets";
      window.dispatchEvent(new HashChangeEvent("hashchange", { oldURL: from, newURL: window.location.href }));
    });
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(window.location.hash).toBe("#/modules/vat");
    expect(screen.getByTestId("module-editor")).toBeTruthy();
    confirm.mockReturnValue(true);

    act(() => {
      window.location.hash = "#/secrets";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByTestId("secrets-empty")).toBeTruthy();
    expect(screen.getByTestId("nav-secrets").getAttribute("aria-current")).toBe("page");
    window.location.hash = "";
  });
});
