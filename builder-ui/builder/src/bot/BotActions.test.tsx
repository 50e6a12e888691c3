import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Bot } from "../api/types";
import { BotsScreen } from "../screens/BotsScreen";
import { json, noContent, problem, renderWithApi, type Call } from "../test/api";

const bot = (id: string, name: string, extra: Partial<Bot> = {}): Bot =>
  ({
    id,
    name,
    description: null,
    default_language: "uk",
    languages: ["uk"],
    settings: {},
    main_scenario_id: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...extra,
  }) as Bot;

/** The bots list with two bots; PATCH answers the bot changed (or `patch`'s answer). */
function renderList(patch?: (call: Call) => Response | undefined, remove?: (call: Call) => Response | undefined) {
  let bots = [bot("b1", "Coffee"), bot("b2", "Support")];
  return renderWithApi(<BotsScreen />, (call) => {
    if (call.method === "GET" && call.url.startsWith("/api/v1/bots?")) return json({ items: bots, total: bots.length });
    const match = /^\/api\/v1\/bots\/(b\d)$/.exec(call.url);
    if (match && call.method === "PATCH") {
      const answer = patch?.(call);
      if (answer) return answer;
      const changed = { ...bots.find((b) => b.id === match[1])!, ...(call.body as Partial<Bot>) };
      bots = bots.map((b) => (b.id === changed.id ? changed : b));
      return json(changed);
    }
    if (match && call.method === "DELETE") {
      const answer = remove?.(call);
      if (answer) return answer;
      bots = bots.filter((b) => b.id !== match[1]);
      return noContent();
    }
    return undefined;
  });
}

async function rowOf(name: string) {
  const rows = await screen.findAllByTestId("bot-item");
  const row = rows.find((r) => within(r).getByTestId("bot-row").textContent?.includes(name));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe("a bot's actions on the bots list", () => {
  it("renames a bot in place, keeping its row a link to the bot", async () => {
    const { calls } = renderList();
    const row = await rowOf("Support");
    fireEvent.click(within(row).getByTestId("bot-rename"));
    const input = within(row).getByTestId("bot-rename-input") as HTMLInputElement;
    expect(input.value).toBe("Support");
    expect(within(row).getByLabelText("New name")).toBe(input);
    fireEvent.change(input, { target: { value: "  Help desk " } });
    fireEvent.click(within(row).getByTestId("bot-rename-save"));
    await waitFor(() => expect(within(row).getByTestId("bot-row").textContent).toContain("Help desk"));
    expect(calls.find((c) => c.method === "PATCH")).toMatchObject({ url: "/api/v1/bots/b2", body: { name: "Help desk" } });
    expect(within(row).queryByTestId("bot-rename-input")).toBeNull();
    expect(within(row).getByTestId("bot-row").getAttribute("href")).toBe("#/bots/b2");
    expect(within(row).getByTestId("bot-settings-link").getAttribute("href")).toBe("#/bots/b2/settings");
  });

  it("shows the problem's detail, and a field's error at the field", async () => {
    let answer = problem(409, "a bot named 'Coffee' already exists in your organization; choose another name");
    renderList(() => answer);
    const row = await rowOf("Support");
    fireEvent.click(within(row).getByTestId("bot-rename"));
    fireEvent.change(within(row).getByTestId("bot-rename-input"), { target: { value: "Coffee" } });
    fireEvent.click(within(row).getByTestId("bot-rename-save"));
    expect((await within(row).findByTestId("bot-settings-error")).textContent).toContain("a bot named 'Coffee' already exists");
    expect(within(row).getByTestId("bot-rename-input").getAttribute("aria-invalid")).toBeNull();

    answer = problem(422, "/body/name: Value error", { errors: [{ path: "/body/name", message: "String should match pattern", type: "string_pattern_mismatch" }] });
    fireEvent.click(within(row).getByTestId("bot-rename-save"));
    await waitFor(() => expect(within(row).getByTestId("bot-rename-input").getAttribute("aria-invalid")).toBe("true"));
    const input = within(row).getByTestId("bot-rename-input");
    expect(document.getElementById(input.getAttribute("aria-describedby")!)?.textContent).toBe("String should match pattern");
    expect(within(row).getByTestId("bot-settings-error").textContent).toContain("/body/name: Value error");
  });

  it("edits the languages and the default language", async () => {
    const { calls } = renderList();
    const row = await rowOf("Coffee");
    fireEvent.click(within(row).getByTestId("bot-languages-edit"));
    const uk = within(row).getByTestId("bot-edit-language-uk") as HTMLInputElement;
    expect(uk.checked).toBe(true);
    expect(uk.disabled).toBe(true); // the default language stays chosen
    fireEvent.click(within(row).getByTestId("bot-edit-language-en"));
    fireEvent.change(within(row).getByTestId("bot-edit-default-language"), { target: { value: "en" } });
    // a language the builder does not name, by its code
    fireEvent.change(within(row).getByTestId("bot-edit-language-new"), { target: { value: "pl" } });
    fireEvent.click(within(row).getByTestId("bot-edit-language-add"));
    expect((within(row).getByTestId("bot-edit-language-pl") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(row).getByTestId("bot-edit-language-pl"));
    fireEvent.click(within(row).getByTestId("bot-settings-save"));
    await waitFor(() => expect(within(row).getByTestId("bot-row").textContent).toContain("uk, en"));
    expect(calls.find((c) => c.method === "PATCH")).toMatchObject({
      url: "/api/v1/bots/b1",
      body: { languages: ["uk", "en"], default_language: "en" },
    });
    expect(within(row).getByTestId("bot-row").textContent).toContain("Default language: en");
    expect(within(row).getByTestId("bot-saved")).toBeTruthy();
  });

  it("refuses a malformed language code before asking the server", async () => {
    const { calls } = renderList();
    const row = await rowOf("Coffee");
    fireEvent.click(within(row).getByTestId("bot-languages-edit"));
    fireEvent.change(within(row).getByTestId("bot-edit-language-new"), { target: { value: "Polish" } });
    fireEvent.click(within(row).getByTestId("bot-edit-language-add"));
    expect(within(row).getByTestId("bot-edit-language-new").getAttribute("aria-invalid")).toBe("true");
    expect(within(row).getByTestId("field-error").textContent).toContain("pt-BR");
    expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(0);
  });

  it("deletes a bot only after a confirmation that names it and what goes with it", async () => {
    const { calls } = renderList();
    const row = await rowOf("Coffee");
    fireEvent.click(within(row).getByTestId("bot-delete"));
    const dialog = within(row).getByRole("alertdialog");
    expect(dialog.textContent).toContain("“Coffee”");
    expect(dialog.textContent).toMatch(/scenarios/);
    expect(dialog.textContent).toMatch(/conversations/);
    // cancelling deletes nothing
    fireEvent.click(within(row).getByTestId("bot-delete-cancel"));
    expect(within(row).queryByRole("alertdialog")).toBeNull();
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);

    fireEvent.click(within(row).getByTestId("bot-delete"));
    fireEvent.click(within(row).getByTestId("bot-delete-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("bot-row")).toHaveLength(1));
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/v1/bots/b1");
    expect(screen.getByTestId("bot-row").textContent).toContain("Support");
    expect(screen.getByTestId("bot-deleted").textContent).toContain("Coffee");
  });

  it("keeps the bot and says why when the delete is refused", async () => {
    renderList(undefined, () => problem(403, "your role (viewer) does not allow this"));
    const row = await rowOf("Coffee");
    fireEvent.click(within(row).getByTestId("bot-delete"));
    fireEvent.click(within(row).getByTestId("bot-delete-confirm"));
    expect((await within(row).findByTestId("bot-settings-error")).textContent).toContain("your role (viewer) does not allow this");
    expect(screen.getAllByTestId("bot-row")).toHaveLength(2);
  });
});
