import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TraceTurn, TurnAnswer } from "../api/types";
import { json, problem, renderEditor } from "../test/editor";
import { sampleDocument, traceTurn } from "../test/fixtures";
import { isRestartShortcut } from "./TestPanel";

const answer = (text: string, waitingAt: string | null): TurnAnswer => ({
  conversation_id: "c1",
  duplicate: false,
  ended: waitingAt === null,
  status: waitingAt ? "waiting" : "ended",
  inbound_seq: null,
  input: waitingAt ? { kind: "text", block_id: waitingAt } : null,
  messages: [{ type: "text", text, seq: 1, block_id: "hello" }],
});

function chatServer(options: { traceFails?: boolean } = {}) {
  let previews = 0;
  let lastClientId: string | null = null;
  const startTurn: TraceTurn = traceTurn({
    seq: 1,
    client_message_id: null,
    event: { kind: "start" },
    trace: [{ block_id: "hello", type: "message", scenario: "main", port: "next", microseconds: 20, error: null, call: null }],
    variable_changes: {},
    errors: [],
  });
  let turns: TraceTurn[] = [startTurn];
  return {
    get previews() {
      return previews;
    },
    handler: (call: { method: string; url: string; body: unknown }) => {
      if (call.method === "POST" && call.url === "/api/v1/scenarios/s1/preview") {
        previews++;
        turns = [startTurn];
        return json({ conversation_id: "c1", resume_token: "r", answer: answer("Кава чи чай?", "hello") }, 201);
      }
      if (call.method === "POST" && call.url === "/api/v1/conversations/c1/messages") {
        lastClientId = (call.body as { client_message_id: string }).client_message_id;
        turns = [traceTurn({ seq: 2, client_message_id: lastClientId }), ...turns];
        return json(answer("Що ще?", "ask"));
      }
      if (call.url.startsWith("/api/v1/conversations/c1/trace?")) {
        if (options.traceFails) return problem(403, "traces are for organization credentials");
        const limit = Number(new URL(call.url, "http://x").searchParams.get("limit"));
        return json({ items: turns.slice(0, limit) });
      }
      return undefined;
    },
  };
}

describe("the test chat's trace", () => {
  it("shows each turn's trace collapsed under its messages, opens it in one click, and marks visited blocks", async () => {
    const server = chatServer();
    const { calls } = renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    expect(await within(screen.getByTestId("chat-log")).findByText("Кава чи чай?")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(1));
    expect(screen.getByTestId("test-help").textContent).toContain("Alt+R");
    expect(calls.some((c) => c.url === "/api/v1/conversations/c1/trace?limit=1")).toBe(true);
    await waitFor(() => expect(screen.getByTestId("node-hello").getAttribute("data-visited")).toBe("true"));

    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    // under the turn's messages: the user's message, the bot's answer, then its trace
    const log = screen.getByTestId("chat-log");
    const order = [...log.children].map((li) => li.querySelector("[data-testid]")?.getAttribute("data-testid"));
    expect(order).toEqual(["chat-message", "trace-toggle", "chat-message", "chat-message", "trace-toggle"]);

    const toggle = screen.getAllByTestId("trace-toggle")[1];
    await waitFor(() => expect(toggle.textContent).toContain("choice coffee"));
    expect(screen.queryByTestId("trace")).toBeNull(); // collapsed
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const trace = screen.getByTestId("trace");
    const steps = within(trace).getAllByTestId("trace-step");
    expect(steps.map((s) => s.getAttribute("data-block-id"))).toEqual(["hello", "lookup", "sub_ask", "ask"]);
    expect(steps[0].textContent).toContain("coffee");
    expect(steps[0].textContent).toContain("0.04 ms");
    expect(within(trace).getAllByTestId("trace-variable").map((v) => v.textContent)).toEqual([
      'drink: ∅ → "coffee"',
      "count: 1 → 2",
      'gone: "x" → ∅',
    ]);
    const error = within(trace).getByTestId("trace-error");
    expect(error.textContent).toContain("The block failed");
    expect(error.className).toContain("error");

    // The last turn's blocks of this scenario are marked; the waiting block keeps its mark.
    await waitFor(() => expect(screen.getByTestId("node-ask").getAttribute("data-waiting")).toBe("true"));
    expect(screen.getByTestId("node-ask").getAttribute("data-visited")).toBe("true");
    expect(screen.getByTestId("node-hello").getAttribute("data-visited")).toBe("true");
    expect(screen.getByTestId("node-coffee_end").getAttribute("data-visited")).toBeNull();

    // A step's block id selects that block; the chat stays in view.
    fireEvent.click(steps[3]);
    await waitFor(() => expect(screen.getByTestId("node-ask").className).toContain("is-selected"));
    expect(screen.getByTestId("tab-test").getAttribute("aria-selected")).toBe("true");
  });

  it("restarts the chat with Alt+R", async () => {
    const server = chatServer();
    renderEditor(sampleDocument(), server.handler);
    act(() => {
      fireEvent.keyDown(window, { key: "r", code: "KeyR", altKey: true });
    });
    await waitFor(() => expect(server.previews).toBe(1));
    await within(screen.getByTestId("chat-log")).findByText("Кава чи чай?");
    expect(screen.getByTestId("tab-test").getAttribute("aria-selected")).toBe("true");
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    fireEvent.keyDown(window, { key: "®", code: "KeyR", altKey: true });
    await waitFor(() => expect(server.previews).toBe(2));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(1));
    expect(screen.queryByText("Олена")).toBeNull();
    expect(isRestartShortcut({ altKey: true, ctrlKey: true, metaKey: false, code: "KeyR", key: "r" })).toBe(false);
    expect(isRestartShortcut({ altKey: false, ctrlKey: false, metaKey: false, code: "KeyR", key: "r" })).toBe(false);
  });

  it("says so when the trace cannot be read, and the chat goes on", async () => {
    const server = chatServer({ traceFails: true });
    renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await within(screen.getByTestId("chat-log")).findByText("Кава чи чай?");
    const toggle = await screen.findByTestId("trace-toggle");
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId("trace").textContent).toContain("traces are for organization credentials"));
    expect(screen.getByTestId("node-hello").getAttribute("data-visited")).toBeNull();
    expect(screen.getByTestId("chat-input")).toHaveProperty("disabled", false);
  });
});
