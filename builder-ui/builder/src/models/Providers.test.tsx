import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, noContent, problem, renderWithApi, type Call } from "../test/api";
import type { ProviderPut, ProviderRead } from "./forms";
import { provider, secretList } from "./fixtures";
import { ModelsScreen } from "./ModelsScreen";

/** Providers kept in memory, refusing a deletion as the server does (llm/providers.py). */
function renderProviders(initial: ProviderRead[], options: { role?: "viewer" | "editor"; extra?: (call: Call) => Response | undefined } = {}) {
  let list = [...initial];
  const view = renderWithApi(<ModelsScreen role={options.role ?? "editor"} />, (call) => {
    const answer = options.extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/llm/providers" && call.method === "GET") return json(list);
    if (call.url === "/api/v1/secrets") return json(secretList("OPENAI_KEY", "ANTHROPIC_KEY"));
    const one = /^\/api\/v1\/llm\/providers\/([a-z0-9_-]+)$/.exec(call.url);
    if (!one) return undefined;
    const name = one[1];
    if (call.method === "PUT") {
      const body = call.body as ProviderPut;
      const exists = list.some((p) => p.name === name);
      const stored = provider(name, {
        api_base: null,
        api_version: null,
        secret: null,
        input_cost: null,
        output_cost: null,
        max_concurrency: null,
        calls_per_minute: null,
        ...body,
        updated_at: "2025-02-01T00:00:00Z",
      } as Partial<ProviderRead>);
      list = [...list.filter((p) => p.name !== name), stored];
      return json(stored, exists ? 200 : 201);
    }
    if (call.method === "DELETE") {
      const users = list.filter((p) => p.fallbacks.includes(name)).map((p) => p.name);
      if (users.length) return problem(422, `providers ${users.join(", ")} fall back to '${name}'; change them first`, { code: "invalid_input" });
      list = list.filter((p) => p.name !== name);
      return noContent();
    }
    return undefined;
  });
  return view;
}

const row = (name: string) => screen.getAllByTestId("provider-item").find((item) => item.dataset.provider === name)!;
const puts = (calls: Call[]) => calls.filter((c) => c.method === "PUT");

describe("the model providers", () => {
  it("lists each provider with its kind, model, address, key, fallbacks, limits and prices", async () => {
    renderProviders([
      provider("main", { fallbacks: ["local", "backup"], max_concurrency: 4, calls_per_minute: 60, timeout_seconds: 20 }),
      provider("backup", { kind: "anthropic", model: "claude-3-5-haiku-latest", secret: "ANTHROPIC_KEY" }),
      provider("local", { kind: "openai_compatible", model: "llama3.1:8b", api_base: "http://llm.internal:8080/v1", secret: null, input_cost: 0.1, output_cost: 0.2 }),
    ]);
    const items = await screen.findAllByTestId("provider-item");
    expect(items.map((item) => within(item).getByTestId("provider-item-name").textContent)).toEqual(["main", "backup", "local"]);
    expect(within(row("main")).getByTestId("provider-item-kind").textContent).toBe("OpenAI");
    expect(within(row("main")).getByTestId("provider-item-address").textContent).toBe("the provider's own");
    expect(within(row("main")).getByTestId("provider-item-fallbacks").textContent).toBe("local → backup");
    expect(within(row("main")).getByTestId("provider-item-limits").textContent).toBe("timeout 20 s · 4 at once · 60 a minute");
    expect(within(row("main")).getByTestId("provider-item-prices").textContent).toBe("from litellm's table");
    expect(within(row("backup")).getByTestId("provider-item-kind").textContent).toBe("Anthropic");
    expect(within(row("backup")).getByTestId("provider-item-used-by").textContent).toBe("main");
    expect(within(row("local")).getByTestId("provider-item-kind").textContent).toBe("OpenAI-compatible server");
    expect(within(row("local")).getByTestId("provider-item-address").textContent).toBe("http://llm.internal:8080/v1");
    expect(within(row("local")).getByTestId("provider-item-prices").textContent).toBe("$0.10 in / $0.20 out per million tokens");
    expect(within(row("local")).getByText("no key")).toBeTruthy();
    expect(screen.getByTestId("models-tab-providers").getAttribute("aria-current")).toBe("page");
  });

  it("says when there are none", async () => {
    renderProviders([]);
    expect((await screen.findByTestId("providers-empty")).textContent).toContain("No providers yet");
  });

  it("adds a provider: the PUT carries the typed fields, leaves the empty optional ones out", async () => {
    const { calls } = renderProviders([provider("local", { kind: "openai_compatible", api_base: "http://llm.internal/v1", secret: null })]);
    fireEvent.click(await screen.findByTestId("provider-add"));
    const form = screen.getByTestId("provider-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "main" } });
    fireEvent.change(within(form).getByLabelText("Model"), { target: { value: " gpt-4o-mini " } });
    fireEvent.change(within(form).getByLabelText("Key (a secret)"), { target: { value: "OPENAI_KEY" } });
    fireEvent.change(within(form).getByTestId("fallback-choice"), { target: { value: "local" } });
    fireEvent.click(within(form).getByTestId("fallback-add"));
    fireEvent.change(within(form).getByLabelText("Calls a minute"), { target: { value: "120" } });
    fireEvent.change(within(form).getByLabelText("Prompt price ($ per million tokens)"), { target: { value: "0,15" } });
    fireEvent.click(within(form).getByTestId("provider-save"));

    expect((await screen.findByTestId("providers-notice")).textContent).toBe("The provider main was added.");
    const [put] = puts(calls);
    expect(put.url).toBe("/api/v1/llm/providers/main");
    // Exactly these keys: no api_base, api_version, output_cost, max_concurrency (stored as null).
    expect(put.body).toEqual({
      kind: "openai",
      model: "gpt-4o-mini",
      secret: "OPENAI_KEY",
      fallbacks: ["local"],
      timeout_seconds: 30,
      calls_per_minute: 120,
      input_cost: 0.15,
    });
    expect(screen.queryByTestId("provider-form")).toBeNull();
    expect(screen.getAllByTestId("provider-item-name").map((n) => n.textContent)).toEqual(["local", "main"]);
  });

  it("asks for an address for an OpenAI-compatible server before sending anything", async () => {
    const { calls } = renderProviders([]);
    fireEvent.click(await screen.findByTestId("provider-add"));
    const form = screen.getByTestId("provider-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "local" } });
    fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "openai_compatible" } });
    fireEvent.change(within(form).getByLabelText("Model"), { target: { value: "llama3.1:8b" } });
    const address = within(form).getByLabelText("Address (API base)");
    fireEvent.click(within(form).getByTestId("provider-save"));

    expect(within(form).getByTestId("error-api_base").textContent).toBe("Enter the server's address: a provider of this kind needs one.");
    expect(address.getAttribute("aria-invalid")).toBe("true");
    expect(address.getAttribute("aria-describedby")).toContain(within(form).getByTestId("error-api_base").id);
    expect(within(form).getByTestId("provider-form-error").textContent).toContain("Not sent");
    // A keyless kind: no secret asked for.
    expect(within(form).queryByTestId("error-secret")).toBeNull();
    expect(puts(calls)).toHaveLength(0);

    fireEvent.change(address, { target: { value: "http://llm.internal:8080/v1" } });
    expect(within(form).queryByTestId("error-api_base")).toBeNull();
    fireEvent.click(within(form).getByTestId("provider-save"));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0].body).toEqual({ kind: "openai_compatible", model: "llama3.1:8b", api_base: "http://llm.internal:8080/v1", fallbacks: [], timeout_seconds: 30 });
  });

  it("checks numbers, the name and the key at their fields", async () => {
    const { calls } = renderProviders([provider("main")]);
    fireEvent.click(await screen.findByTestId("provider-add"));
    const form = screen.getByTestId("provider-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "main" } });
    fireEvent.change(within(form).getByLabelText("Model"), { target: { value: "gpt-4o" } });
    fireEvent.change(within(form).getByLabelText("Timeout (seconds)"), { target: { value: "900" } });
    fireEvent.change(within(form).getByLabelText("Calls at once"), { target: { value: "2.5" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    expect(within(form).getByTestId("error-name").textContent).toBe("A provider named main exists: edit it in the list instead.");
    expect(within(form).getByTestId("error-secret").textContent).toContain("Choose the secret that holds the key");
    expect(within(form).getByTestId("error-timeout_seconds").textContent).toBe("A number from 1 to 300.");
    expect(within(form).getByTestId("error-max_concurrency").textContent).toBe("A whole number from 1 to 10000.");
    expect(puts(calls)).toHaveLength(0);
  });

  it("edits a provider under its name, fallbacks in their order, Azure's version only for Azure", async () => {
    const { calls } = renderProviders([
      provider("main", { kind: "azure", model: "gpt4o-deploy", api_base: "https://me.openai.azure.com", api_version: "2024-06-01", fallbacks: ["a", "b"], input_cost: 2 }),
      provider("a"),
      provider("b"),
    ]);
    await screen.findAllByTestId("provider-item");
    fireEvent.click(within(row("main")).getByTestId("provider-edit"));
    const form = within(row("main")).getByTestId("provider-form");
    expect(within(form).queryByLabelText("Name")).toBeNull(); // a provider's name does not change
    expect((within(form).getByLabelText("API version") as HTMLInputElement).value).toBe("2024-06-01");
    fireEvent.click(within(form).getByRole("button", { name: "Move b up" }));
    fireEvent.change(within(form).getByLabelText("Prompt price ($ per million tokens)"), { target: { value: "" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    await screen.findByTestId("providers-notice");
    expect(puts(calls)[0]).toMatchObject({ url: "/api/v1/llm/providers/main" });
    expect(puts(calls)[0].body).toEqual({
      kind: "azure",
      model: "gpt4o-deploy",
      api_base: "https://me.openai.azure.com",
      api_version: "2024-06-01",
      secret: "OPENAI_KEY",
      fallbacks: ["b", "a"],
      timeout_seconds: 30,
    });
    expect(within(row("main")).getByTestId("provider-item-fallbacks").textContent).toBe("b → a");

    // Turned into OpenAI: the Azure version is no longer sent.
    fireEvent.click(within(row("main")).getByTestId("provider-edit"));
    const again = within(row("main")).getByTestId("provider-form");
    fireEvent.change(within(again).getByLabelText("Kind"), { target: { value: "openai" } });
    expect(within(again).queryByLabelText("API version")).toBeNull();
    fireEvent.click(within(again).getByTestId("provider-save"));
    await waitFor(() => expect(puts(calls)).toHaveLength(2));
    expect(puts(calls)[1].body).not.toHaveProperty("api_version");
  });

  it("shows the server's refusal at the field it names", async () => {
    renderProviders([], {
      extra: (call) =>
        call.method === "PUT"
          ? problem(422, "/body/api_base: String should match pattern", { errors: [{ path: "/body/api_base", message: "String should match pattern '^https?://[^\\s]{1,490}$'" }] })
          : undefined,
    });
    fireEvent.click(await screen.findByTestId("provider-add"));
    const form = screen.getByTestId("provider-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "main" } });
    fireEvent.change(within(form).getByLabelText("Model"), { target: { value: "gpt-4o" } });
    fireEvent.change(within(form).getByLabelText("Key (a secret)"), { target: { value: "OPENAI_KEY" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    expect((await within(form).findByTestId("provider-form-error")).textContent).toBe("Not saved: /body/api_base: String should match pattern");
    expect(within(form).getByTestId("error-api_base").textContent).toContain("should match pattern");
  });

  it("shows the server's reason when a provider others fall back to is not deleted", async () => {
    const { calls } = renderProviders([provider("main", { fallbacks: ["backup"] }), provider("backup")]);
    await screen.findAllByTestId("provider-item");
    fireEvent.click(within(row("backup")).getByTestId("provider-delete"));
    const dialog = within(row("backup")).getByTestId("provider-delete-dialog");
    expect(dialog.textContent).toContain("“backup”");
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId("provider-delete-confirm"));
    const refusal = await within(row("backup")).findByTestId("provider-delete-error");
    expect(refusal.textContent).toBe("Not deleted: providers main fall back to 'backup'; change them first");
    expect(refusal.getAttribute("role")).toBe("alert");
    expect(screen.getAllByTestId("provider-item")).toHaveLength(2);

    // Deleting the one that falls back works.
    fireEvent.click(within(row("main")).getByTestId("provider-delete"));
    fireEvent.click(within(row("main")).getByTestId("provider-delete-confirm"));
    expect((await screen.findByTestId("providers-notice")).textContent).toBe("The provider main was deleted.");
    expect(screen.getAllByTestId("provider-item-name").map((n) => n.textContent)).toEqual(["backup"]);
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual(["/api/v1/llm/providers/backup", "/api/v1/llm/providers/main"]);
  });

  it("tests a connection: ok with the time and the model's answer, or the provider's reason", async () => {
    const { calls } = renderProviders([provider("main"), provider("local", { kind: "openai_compatible", api_base: "http://llm.internal/v1", secret: null })], {
      extra: (call) => {
        if (call.url === "/api/v1/llm/providers/main/test") return json({ ok: true, provider: "main", model: "gpt-4o-mini", milliseconds: 412.6, answer: "OK", error: null });
        if (call.url === "/api/v1/llm/providers/local/test") {
          return json({ ok: false, provider: "local", model: "gpt-4o-mini", milliseconds: 12.2, answer: null, error: "AuthenticationError (401): invalid api key" });
        }
        return undefined;
      },
    });
    await screen.findAllByTestId("provider-item");
    fireEvent.click(within(row("main")).getByTestId("provider-test"));
    const ok = await within(row("main")).findByText(/answered/);
    expect(ok.closest("[data-testid=provider-test-result]")!.getAttribute("data-state")).toBe("ok");
    expect(within(row("main")).getByTestId("provider-test-result").textContent).toBe("Connected gpt-4o-mini answered in 413 ms. Its answer: “OK”.");

    fireEvent.click(within(row("local")).getByTestId("provider-test"));
    await waitFor(() => expect(within(row("local")).getByTestId("provider-test-result").getAttribute("data-state")).toBe("failed"));
    const failed = within(row("local")).getByTestId("provider-test-result");
    expect(failed.textContent).toBe("No connection after 12 ms: AuthenticationError (401): invalid api key");
    expect(failed.getAttribute("role")).toBe("alert");
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/llm/providers/main/test", "/api/v1/llm/providers/local/test"]);
  });

  it("says when the test itself could not be asked", async () => {
    renderProviders([provider("main")], {
      extra: (call) => (call.url.endsWith("/test") ? problem(403, "the editor role is needed") : undefined),
    });
    await screen.findAllByTestId("provider-item");
    fireEvent.click(within(row("main")).getByTestId("provider-test"));
    await waitFor(() => expect(within(row("main")).getByTestId("provider-test-result").getAttribute("data-state")).toBe("error"));
    expect(within(row("main")).getByTestId("provider-test-result").textContent).toBe("The test did not run: the editor role is needed");
  });

  it("is read-only for a viewer: no add, edit, delete or test, and no secrets asked for", async () => {
    const { calls } = renderProviders([provider("main")], { role: "viewer" });
    await screen.findAllByTestId("provider-item");
    expect(screen.getByTestId("models-read-only").textContent).toBe("Your role (viewer) can view these settings but not change them.");
    expect(screen.queryByTestId("provider-add")).toBeNull();
    expect(screen.queryByTestId("provider-edit")).toBeNull();
    expect(screen.queryByTestId("provider-delete")).toBeNull();
    expect(screen.queryByTestId("provider-test")).toBeNull();
    expect(calls.some((c) => c.url === "/api/v1/secrets")).toBe(false);
  });
});
