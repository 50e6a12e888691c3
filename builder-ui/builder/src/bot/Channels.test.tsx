import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, noContent, problem, renderWithApi, type Call } from "../test/api";
import { ChannelsPanel, type Channel, type Receipt } from "./Channels";

const channel = (kind: string, overrides: Partial<Channel> = {}): Channel => ({
  id: `c-${kind}`,
  bot_id: "b1",
  kind,
  mode: "webhook",
  account: kind === "telegram" ? "@coffee_bot" : "Coffee",
  token_hint: "x9Z1",
  status: "active",
  last_error: null,
  dead_letters: [],
  received: 12,
  sent: 30,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-02T10:00:00Z",
  ...overrides,
});

const receipt = (token: string, status: Receipt["status"], reason: string | null = null): Receipt => ({
  message_token: token,
  chat_id: "chat-7",
  seq: 4,
  status,
  reason,
  updated_at: "2025-01-02T10:00:00Z",
});

/** Both channels of bot b1 kept in memory: PUT connects, DELETE disconnects. */
function renderChannels(initial: { telegram?: Channel; viber?: Channel } = {}, extra?: (call: Call) => Response | undefined) {
  const stored: Record<string, Channel | undefined> = { ...initial };
  return renderWithApi(<ChannelsPanel botId="b1" />, (call) => {
    const answer = extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/bots/b1/channels/viber/receipts?limit=50") {
      return json([receipt("5491234567890123456", "seen"), receipt("5491234567890123455", "failed", "the user blocked the bot")]);
    }
    const match = /^\/api\/v1\/bots\/b1\/channels\/(telegram|viber)$/.exec(call.url);
    if (!match) return undefined;
    const kind = match[1];
    if (call.method === "GET") return stored[kind] ? json(stored[kind]) : problem(404, `the bot is not connected to ${kind}`);
    if (call.method === "PUT") {
      const body = call.body as { token: string; mode?: "webhook" | "polling" };
      stored[kind] = channel(kind, { mode: body.mode ?? "webhook", token_hint: body.token.slice(-4) });
      return json(stored[kind]);
    }
    if (call.method === "DELETE") {
      stored[kind] = undefined;
      return noContent();
    }
    return undefined;
  });
}

describe("the messenger channels", () => {
  it("connects Telegram with a token that is never shown again", async () => {
    const { calls } = renderChannels();
    const section = screen.getByTestId("channel-telegram");
    const token = (await within(section).findByTestId("telegram-token")) as HTMLInputElement;
    expect(token.type).toBe("password");
    expect(within(section).getByLabelText("Bot token")).toBe(token);
    expect(within(section).getByText("Not connected.")).toBeTruthy();
    // polling needs no public address
    fireEvent.change(within(section).getByTestId("telegram-mode"), { target: { value: "polling" } });
    expect(within(section).queryByTestId("telegram-public-url")).toBeNull();
    fireEvent.change(within(section).getByTestId("telegram-mode"), { target: { value: "webhook" } });
    fireEvent.change(token, { target: { value: "123456:ABC-secret-x9Z1" } });
    fireEvent.change(within(section).getByTestId("telegram-public-url"), { target: { value: "https://bots.example.com" } });
    fireEvent.click(within(section).getByTestId("telegram-connect"));

    const status = await within(section).findByTestId("telegram-status");
    expect(status.getAttribute("data-status")).toBe("active");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({
      url: "/api/v1/bots/b1/channels/telegram",
      body: { token: "123456:ABC-secret-x9Z1", mode: "webhook", public_url: "https://bots.example.com" },
    });
    expect(within(status).getByTestId("channel-account").textContent).toBe("@coffee_bot");
    expect(within(status).getByTestId("channel-token-hint").textContent).toBe("…x9Z1");
    expect(within(status).getByTestId("channel-received").textContent).toBe("12");
    expect(within(status).getByTestId("channel-sent").textContent).toBe("30");
    expect(within(section).queryByTestId("telegram-token")).toBeNull();
    expect(document.body.innerHTML).not.toContain("ABC-secret");
  });

  it("sends polling without a public URL, and refuses a bad URL before asking", async () => {
    const { calls } = renderChannels();
    const section = screen.getByTestId("channel-telegram");
    fireEvent.change(await within(section).findByTestId("telegram-token"), { target: { value: "1:T" } });
    fireEvent.change(within(section).getByTestId("telegram-public-url"), { target: { value: "bots.example.com" } });
    fireEvent.click(within(section).getByTestId("telegram-connect"));
    expect(within(section).getByTestId("telegram-public-url").getAttribute("aria-invalid")).toBe("true");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
    fireEvent.change(within(section).getByTestId("telegram-mode"), { target: { value: "polling" } });
    fireEvent.click(within(section).getByTestId("telegram-connect"));
    await within(section).findByTestId("telegram-status");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ token: "1:T", mode: "polling" });
    expect(within(section).getByTestId("channel-mode").textContent).toBe("polling");
  });

  it("shows the problem of a refused connection, with its field errors at the fields", async () => {
    renderChannels({}, (call) =>
      call.method === "PUT"
        ? problem(422, "Telegram refused the token: Unauthorized", { errors: [{ path: "/body/token", message: "Telegram says: Unauthorized" }] })
        : undefined,
    );
    const section = screen.getByTestId("channel-telegram");
    fireEvent.change(await within(section).findByTestId("telegram-token"), { target: { value: "wrong" } });
    fireEvent.click(within(section).getByTestId("telegram-connect"));
    expect((await within(section).findByTestId("channel-error")).textContent).toContain("Telegram refused the token: Unauthorized");
    const token = within(section).getByTestId("telegram-token");
    expect(token.getAttribute("aria-invalid")).toBe("true");
    expect(token.getAttribute("aria-describedby")).toContain("token-error");
    expect(within(section).getByTestId("field-error").textContent).toBe("Telegram says: Unauthorized");
  });

  it("shows a failed connection's last error and the messages given up, newest first", async () => {
    renderChannels({
      telegram: channel("telegram", {
        status: "failed",
        last_error: "Forbidden: bot was blocked by the user",
        received: 3,
        sent: 1,
        dead_letters: [
          { at: "2025-01-02T09:00:00Z", method: "sendMessage", chat_id: "111", seq: 2, reason: "chat not found" },
          { at: "2025-01-02T09:30:00Z", method: "sendPhoto", chat_id: "222", seq: null, reason: "bot was blocked by the user" },
        ],
      }),
    });
    const status = await screen.findByTestId("telegram-status");
    expect(status.getAttribute("data-status")).toBe("failed");
    expect(within(status).getByTestId("channel-status").textContent).toBe("failed");
    expect(within(status).getByTestId("channel-last-error").textContent).toContain("Forbidden: bot was blocked by the user");
    const letters = within(status).getAllByTestId("dead-letter");
    expect(letters).toHaveLength(2);
    expect(letters[0].textContent).toContain("chat 222");
    expect(letters[0].textContent).toContain("bot was blocked by the user");
    expect(letters[0].querySelector("time")?.getAttribute("dateTime")).toBe("2025-01-02T09:30:00Z");
    expect(letters[1].textContent).toContain("chat 111");
    expect(letters[1].textContent).toContain("#2");
    expect(letters[1].textContent).toContain("chat not found");
  });

  it("disconnects only after a confirmation, then offers to connect again", async () => {
    const { calls } = renderChannels({ telegram: channel("telegram") });
    const section = screen.getByTestId("channel-telegram");
    await within(section).findByTestId("telegram-status");
    fireEvent.click(within(section).getByTestId("telegram-disconnect"));
    expect(within(section).getByRole("alertdialog").textContent).toContain("Disconnect the bot from Telegram?");
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    fireEvent.click(within(section).getByTestId("telegram-disconnect-confirm"));
    await within(section).findByTestId("telegram-token");
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/v1/bots/b1/channels/telegram");
    expect(within(section).queryByTestId("telegram-status")).toBeNull();
  });

  it("replaces a connection's token, keeping its mode", async () => {
    const { calls } = renderChannels({ telegram: channel("telegram", { mode: "polling", token_hint: "old1" }) });
    const section = screen.getByTestId("channel-telegram");
    await within(section).findByTestId("telegram-status");
    fireEvent.click(within(section).getByTestId("telegram-replace"));
    expect((within(section).getByTestId("telegram-mode") as HTMLSelectElement).value).toBe("polling");
    expect((within(section).getByTestId("telegram-token") as HTMLInputElement).value).toBe("");
    fireEvent.change(within(section).getByTestId("telegram-token"), { target: { value: "2:new-token-new2" } });
    fireEvent.click(within(section).getByTestId("telegram-connect"));
    await waitFor(() => expect(within(section).getByTestId("channel-token-hint").textContent).toBe("…new2"));
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ token: "2:new-token-new2", mode: "polling" });
    expect(within(section).queryByTestId("telegram-token")).toBeNull();
  });

  it("connects Viber and lists its delivery receipts", async () => {
    const { calls } = renderChannels();
    const section = screen.getByTestId("channel-viber");
    const token = (await within(section).findByTestId("viber-token")) as HTMLInputElement;
    expect(token.type).toBe("password");
    expect(within(section).queryByTestId("telegram-mode")).toBeNull();
    fireEvent.change(token, { target: { value: "4f1e-viber-token" } });
    fireEvent.change(within(section).getByTestId("viber-public-url"), { target: { value: "https://bots.example.com" } });
    fireEvent.click(within(section).getByTestId("viber-connect"));
    const status = await within(section).findByTestId("viber-status");
    expect(status.getAttribute("data-status")).toBe("active");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({
      url: "/api/v1/bots/b1/channels/viber",
      body: { token: "4f1e-viber-token", public_url: "https://bots.example.com" },
    });
    const receipts = await within(section).findAllByTestId("viber-receipt");
    expect(receipts.map((r) => r.getAttribute("data-status"))).toEqual(["seen", "failed"]);
    expect(receipts[0].textContent).toContain("5491234567890123456");
    expect(receipts[0].textContent).toContain("chat-7");
    expect(receipts[1].textContent).toContain("the user blocked the bot");

    fireEvent.click(within(section).getByTestId("viber-disconnect"));
    fireEvent.click(within(section).getByTestId("viber-disconnect-confirm"));
    await within(section).findByTestId("viber-token");
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/v1/bots/b1/channels/viber")).toBe(true);
  });

  it("says when a connection cannot be loaded, and tries again", async () => {
    let down = true;
    renderChannels({ viber: channel("viber") }, (call) =>
      down && call.method === "GET" && call.url.endsWith("/channels/viber") ? problem(503, "the database did not answer in time") : undefined,
    );
    const section = screen.getByTestId("channel-viber");
    const error = await within(section).findByTestId("channel-error");
    expect(error.textContent).toContain("the database did not answer in time");
    down = false;
    fireEvent.click(within(error).getByRole("button"));
    await waitFor(() => expect(within(section).getByTestId("viber-status")).toBeTruthy());
  });
});
