import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Bot } from "../api/types";
import { json, noContent, problem, renderWithApi } from "../test/api";
import { BotScreen } from "./BotScreen";

const BOT = {
  id: "b1",
  name: "Coffee",
  description: null,
  default_language: "uk",
  languages: ["uk", "en"],
  settings: { allowed_origins: [], theme: {} },
  main_scenario_id: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
} as unknown as Bot;

function renderBot(tab: "scenarios" | "settings") {
  let bot = BOT;
  return renderWithApi(<BotScreen botId="b1" tab={tab} />, (call) => {
    if (call.url === "/api/v1/bots/b1" && call.method === "GET") return json(bot);
    if (call.url === "/api/v1/bots/b1" && call.method === "PATCH") {
      bot = { ...bot, ...(call.body as Partial<Bot>) };
      return json(bot);
    }
    if (call.url === "/api/v1/bots/b1" && call.method === "DELETE") return noContent();
    if (call.url.startsWith("/api/v1/bots/b1/scenarios")) return json({ items: [], total: 0 });
    if (call.url.startsWith("/api/v1/bots/b1/channels/")) return problem(404, "not connected");
    if (call.url === "/api/v1/bots/b1/chat-key") return json({ bot_id: "b1", key: "rzc_k" });
    return undefined;
  });
}

describe("the bot's screen", () => {
  it("has its scenarios and its settings as two sections, linked", async () => {
    renderBot("scenarios");
    expect(await screen.findByTestId("scenarios-empty")).toBeTruthy();
    expect(screen.getByTestId("bot-tab-scenarios").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("bot-tab-settings").getAttribute("href")).toBe("#/bots/b1/settings");
    expect(screen.queryByTestId("widget-settings")).toBeNull();
  });

  it("shows the channels and the widget in its settings, and renames the bot in its title", async () => {
    renderBot("settings");
    expect(await screen.findByTestId("channel-telegram")).toBeTruthy();
    expect(screen.getByTestId("channel-viber")).toBeTruthy();
    expect(screen.getByTestId("widget-settings")).toBeTruthy();
    expect(screen.getByTestId("bot-tab-settings").getAttribute("aria-current")).toBe("page");
    await within(screen.getByTestId("channel-telegram")).findByTestId("telegram-token");
    expect((await screen.findByTestId("chat-key")).textContent).toBe("rzc_k");

    fireEvent.click(screen.getByTestId("bot-rename"));
    fireEvent.change(screen.getByTestId("bot-rename-input"), { target: { value: "Coffee & tea" } });
    fireEvent.click(screen.getByTestId("bot-rename-save"));
    await waitFor(() => expect(screen.getByTestId("bot-title").textContent).toBe("Coffee & tea"));
  });

  it("goes back to the bots list once the bot is deleted", async () => {
    window.location.hash = "#/bots/b1";
    const { calls } = renderBot("scenarios");
    await screen.findByTestId("bot-title");
    fireEvent.click(await screen.findByTestId("bot-delete"));
    expect(screen.getByTestId("bot-delete-question").textContent).toContain("“Coffee”");
    fireEvent.click(screen.getByTestId("bot-delete-confirm"));
    await waitFor(() => expect(window.location.hash).toBe("#/"));
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/v1/bots/b1")).toBe(true);
  });
});
