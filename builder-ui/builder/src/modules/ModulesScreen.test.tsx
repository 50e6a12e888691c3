import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, noContent, problem, renderWithApi, type Call } from "../test/api";
import type { ModuleRead } from "./draft";
import { ModulesScreen } from "./ModulesScreen";

const item = (name: string, overrides: Partial<ModuleRead> = {}): ModuleRead => ({
  id: `id-${name}`,
  name,
  description: "",
  revision: 1,
  latest_version: 0,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-02T10:00:00Z",
  ...overrides,
});

function renderModules(initial: ModuleRead[], extra?: (call: Call) => Response | undefined) {
  let list = [...initial];
  return renderWithApi(<ModulesScreen />, (call) => {
    const answer = extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/modules?limit=200") return json({ items: list, total: list.length });
    if (call.url === "/api/v1/modules" && call.method === "POST") {
      const body = call.body as { name: string; description: string };
      if (list.some((m) => m.name === body.name)) return problem(409, `your organization already has a module named '${body.name}'`);
      const created = { ...item(body.name, { description: body.description }), code: "return input;", input_schema: {}, output_schema: {}, test_cases: [], cache_seconds: 0 };
      list = [...list, created];
      return json(created, 201);
    }
    const one = /^\/api\/v1\/modules\/([a-z0-9_]+)$/.exec(call.url);
    if (one && call.method === "DELETE") {
      list = list.filter((m) => m.name !== one[1]);
      return noContent();
    }
    return undefined;
  });
}

describe("the module library", () => {
  it("lists each module with its description, latest version and when it changed, linked to its editor", async () => {
    renderModules([item("price_with_vat", { description: "Adds VAT", latest_version: 3 }), item("greeting")]);
    const rows = await screen.findAllByTestId("module-item");
    expect(rows.map((r) => r.getAttribute("data-module"))).toEqual(["price_with_vat", "greeting"]);
    expect(within(rows[0]).getByTestId("module-row").getAttribute("href")).toBe("#/modules/price_with_vat");
    expect(within(rows[0]).getByTestId("module-row-description").textContent).toBe("Adds VAT");
    expect(within(rows[0]).getByTestId("module-row-version").textContent).toBe("Version 3");
    expect(within(rows[1]).getByTestId("module-row-version").textContent).toBe("Not published");
    expect(within(rows[1]).getByTestId("module-row-description").textContent).toBe("No description");
    expect(rows[0].querySelector("time")?.getAttribute("dateTime")).toBe("2025-01-02T10:00:00Z");
    expect(screen.getByTestId("library-tab-secrets").getAttribute("href")).toBe("#/secrets");
  });

  it("says when there are none, and when they could not be loaded", async () => {
    renderModules([]);
    expect((await screen.findByTestId("modules-empty")).textContent).toContain("No modules yet");
  });

  it("shows a failed load readably, with a retry", async () => {
    let fail = true;
    renderModules([item("greeting")], (call) => (call.url.startsWith("/api/v1/modules?") && fail ? problem(503, "the database is unavailable") : undefined));
    expect((await screen.findByTestId("modules-error")).textContent).toContain("Could not load the modules: the database is unavailable");
    fail = false;
    fireEvent.click(screen.getByText("Try again"));
    expect(await screen.findByTestId("module-item")).toBeTruthy();
  });

  it("marks a name the server would refuse at its field before sending anything", async () => {
    const { calls } = renderModules([]);
    await screen.findByTestId("modules-empty");
    const name = screen.getByLabelText("Name");
    fireEvent.change(name, { target: { value: "Price-VAT" } });
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("module-name-error").textContent).toContain("lowercase Latin letters");
    expect(name.getAttribute("aria-describedby")).toContain(screen.getByTestId("module-name-error").id);
    fireEvent.click(screen.getByTestId("module-create-submit"));
    fireEvent.change(name, { target: { value: "" } });
    fireEvent.click(screen.getByTestId("module-create-submit"));
    expect(screen.getByTestId("module-name-error").textContent).toBe("Enter a name.");
    fireEvent.change(name, { target: { value: "9lives" } });
    expect(screen.getByTestId("module-name-error")).toBeTruthy();
    fireEvent.change(name, { target: { value: "a".repeat(65) } });
    expect(screen.getByTestId("module-name-error")).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("creates a module and opens its editor", async () => {
    window.location.hash = "#/modules";
    const { calls } = renderModules([]);
    await screen.findByTestId("modules-empty");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "price_with_vat" } });
    expect(screen.queryByTestId("module-name-error")).toBeNull();
    fireEvent.change(screen.getByLabelText("Description"), { target: { value: " Adds VAT " } });
    fireEvent.click(screen.getByTestId("module-create-submit"));
    await waitFor(() => expect(window.location.hash).toBe("#/modules/price_with_vat"));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "price_with_vat", description: "Adds VAT", code: "return input;", cache_seconds: 0 });
  });

  it("shows the server's refusal of a taken name at the field", async () => {
    renderModules([item("greeting")]);
    await screen.findByTestId("module-item");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "greeting" } });
    fireEvent.click(screen.getByTestId("module-create-submit"));
    expect((await screen.findByTestId("module-name-error")).textContent).toBe("your organization already has a module named 'greeting'");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
  });

  it("deletes a module only after a confirmation", async () => {
    const { calls } = renderModules([item("price_with_vat"), item("greeting")]);
    const [row] = await screen.findAllByTestId("module-item");
    fireEvent.click(within(row).getByTestId("module-delete"));
    expect(within(row).getByTestId("module-delete-question").textContent).toContain("“price_with_vat”");
    expect(document.activeElement).toBe(within(row).getByTestId("module-delete-cancel"));
    fireEvent.click(within(row).getByTestId("module-delete-cancel"));
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    fireEvent.click(within(row).getByTestId("module-delete"));
    fireEvent.click(within(row).getByTestId("module-delete-confirm"));
    expect((await screen.findByTestId("module-deleted")).textContent).toContain("price_with_vat");
    expect(screen.getAllByTestId("module-item").map((r) => r.getAttribute("data-module"))).toEqual(["greeting"]);
    expect(calls.find((c) => c.method === "DELETE")!.url).toBe("/api/v1/modules/price_with_vat");
  });

  it("shows why a delete was refused", async () => {
    renderModules([item("greeting")], (call) => (call.method === "DELETE" ? problem(403, "your role (viewer) cannot do this") : undefined));
    const row = await screen.findByTestId("module-item");
    fireEvent.click(within(row).getByTestId("module-delete"));
    fireEvent.click(within(row).getByTestId("module-delete-confirm"));
    expect((await within(row).findByTestId("module-delete-error")).textContent).toBe("Not deleted: your role (viewer) cannot do this");
  });
});
