import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MessageOut, TraceTurn, TurnAnswer } from "../api/types";
import { json, problem, renderEditor } from "../test/editor";
import { sampleDocument, traceTurn } from "../test/fixtures";
import type { SocketLike } from "./chatSocket";
import { isRestartShortcut } from "./TestPanel";

type Said = { text: string } | { choice_id: string };
type Stored = { seq: number; direction: "in" | "out"; message: Record<string, unknown> };
type Frame = Record<string, unknown>;

/** The browser's WebSocket, played by the test: the fake chat server answers it (a tick
 * later, as a network would). */
class FakeSocket implements SocketLike {
  static server: ChatServer | null = null;
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: Frame[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
    setTimeout(() => FakeSocket.server?.connect(this), 0);
  }
  send(data: string) {
    const frame = JSON.parse(data) as Frame;
    this.sent.push(frame);
    setTimeout(() => FakeSocket.server?.receive(this, frame), 0);
  }
  close(code = 1000) {
    if (this.readyState === 3) return;
    this.closedWith = code;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code }), 0);
  }
  // the server's side
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(frame: Frame) {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOf(type: string) {
    return this.sent.filter((f) => f.type === type);
  }
}

const GREETING: MessageOut = {
  type: "text",
  text: "Кава чи чай?",
  seq: 1,
  block_id: "hello",
  buttons: [],
  quick_replies: [
    { id: "coffee", label: "Кава" },
    { id: "tea", label: "Чай" },
  ],
};

type ChatServer = ReturnType<typeof chatServer>;

/** The API and the chat socket of one bot with one preview conversation at a time: REST and
 * the socket share its history, so either can continue it. */
function chatServer(options: { traceFails?: boolean; turnTrace?: unknown[] } = {}) {
  let previews = 0;
  let seq = 0;
  let history: Stored[] = [];
  let input: { kind: "text"; block_id: string } | null = null;
  let answers = new Map<string, { answer: TurnAnswer; inbound: number }>();
  const startTurn: TraceTurn = traceTurn({
    seq: 1,
    client_message_id: null,
    event: { kind: "start" },
    trace: [{ block_id: "hello", type: "message", scenario: "main", port: "next", microseconds: 20, error: null, call: null }],
    variable_changes: {},
    errors: [],
  });
  let turns: TraceTurn[] = [startTurn];
  const restMessages: { client_message_id: string }[] = [];

  const record = (direction: Stored["direction"], message: Record<string, unknown>) => {
    seq += 1;
    history.push({ seq, direction, message });
    return seq;
  };
  const answerTo = (said: Said, clientMessageId: string) => {
    const stored = answers.get(clientMessageId);
    if (stored) return { ...stored, duplicate: true };
    const inbound = record("in", "text" in said ? { type: "text", text: said.text } : { type: "choice", choice_id: said.choice_id });
    const reply = { type: "text" as const, text: "Що ще?", block_id: "hello", buttons: [], quick_replies: [] };
    const replySeq = record("out", reply);
    input = { kind: "text", block_id: "ask" };
    const trace = options.turnTrace ? { trace: options.turnTrace } : {};
    turns = [traceTurn({ seq: turns.length + 1, client_message_id: clientMessageId, ...trace }), ...turns];
    const answer: TurnAnswer = {
      conversation_id: "c1",
      duplicate: false,
      ended: false,
      status: "waiting",
      inbound_seq: inbound,
      input,
      messages: [{ ...reply, seq: replySeq }],
    };
    answers.set(clientMessageId, { answer, inbound });
    return { answer, inbound, duplicate: false };
  };
  const messageFrame = (item: Stored, clientMessageId?: string): Frame => ({
    type: "message",
    seq: item.seq,
    direction: item.direction,
    message: item.message,
    ...(clientMessageId ? { client_message_id: clientMessageId } : {}),
  });
  const inputFrame = (): Frame => ({ type: "input", seq, input, ended: input === null, status: input ? "waiting" : "ended" });

  const server = {
    sockets: FakeSocket.made,
    /** Sockets are refused before the upgrade (a 403): they close without opening. */
    refuseSockets: false,
    /** The next message frame is answered with this error frame. */
    refuseNext: null as Frame | null,
    /** Message frames are taken but not answered (the turn is slow). */
    hold: false,
    restMessages,
    get previews() {
      return previews;
    },
    /** A turn that did not come from the person (the answer time ran out). */
    timeout() {
      const item = { type: "text", text: "Ви ще тут?", block_id: "ask", buttons: [], quick_replies: [] };
      record("out", item);
      turns = [traceTurn({ seq: turns.length + 1, client_message_id: null, event: { kind: "timeout" } }), ...turns];
    },
    connect(ws: FakeSocket) {
      if (server.refuseSockets) ws.drop(1006);
      else ws.accept();
    },
    receive(ws: FakeSocket, frame: Frame) {
      if (frame.type === "ping") return ws.deliver({ type: "pong", seq });
      if (frame.type === "hello") {
        const resume = frame.resume as { token: string; last_seq: number };
        if (resume.token !== `r${previews}` && resume.token !== `fresh${previews}`) {
          return ws.deliver({ type: "welcome", v: 1, seq: 0, conversation_id: "web", resume_token: "x", language: "uk", resumed: false });
        }
        ws.deliver({ type: "welcome", v: 1, seq, conversation_id: "c1", resume_token: `fresh${previews}`, language: null, resumed: true });
        const missed = history.filter((item) => item.seq > resume.last_seq).map((item) => messageFrame(item));
        if (missed.length > 1) ws.deliver({ type: "batch", seq, frames: missed });
        else if (missed.length === 1) ws.deliver(missed[0]);
        return ws.deliver(inputFrame());
      }
      if (frame.type !== "message") return;
      const id = frame.client_message_id as string;
      if (server.refuseNext) {
        const error = server.refuseNext;
        server.refuseNext = null;
        return ws.deliver({ type: "error", seq, client_message_id: id, ...error });
      }
      if (server.hold) return;
      const said: Said = typeof frame.text === "string" ? { text: frame.text } : { choice_id: frame.choice_id as string };
      const { answer, inbound, duplicate } = answerTo(said, id);
      const frames: Frame[] = [{ type: "ack", seq: inbound, client_message_id: id, duplicate }];
      if (!duplicate) {
        frames.push(messageFrame(history.find((item) => item.seq === inbound)!, id));
        for (const m of answer.messages) frames.push(messageFrame(history.find((item) => item.seq === m.seq)!));
      }
      frames.push(inputFrame());
      ws.deliver({ type: "batch", seq, frames });
    },
    handler: (call: { method: string; url: string; body: unknown }) => {
      if (call.method === "POST" && call.url === "/api/v1/scenarios/s1/preview") {
        previews++;
        seq = 0;
        history = [];
        answers = new Map();
        turns = [startTurn];
        record("out", { ...GREETING });
        input = { kind: "text", block_id: "hello" };
        const answer: TurnAnswer = {
          conversation_id: "c1",
          duplicate: false,
          ended: false,
          status: "waiting",
          inbound_seq: null,
          input,
          messages: [GREETING],
        };
        return json({ conversation_id: "c1", scenario_id: "s1", version_id: "v1", version: null, revision: 2, resume_token: `r${previews}`, answer }, 201);
      }
      if (call.method === "GET" && call.url === "/api/v1/scenarios/s1") return json({ id: "s1", bot_id: "b1" });
      if (call.method === "GET" && call.url === "/api/v1/bots/b1/chat-key") return json({ bot_id: "b1", key: "rzc_test" });
      if (call.method === "POST" && call.url === "/api/v1/conversations/c1/messages") {
        const body = call.body as { client_message_id: string; text?: string; choice_id?: string };
        restMessages.push(body);
        const said: Said = body.text !== undefined ? { text: body.text } : { choice_id: body.choice_id! };
        const { answer, duplicate } = answerTo(said, body.client_message_id);
        return json({ ...answer, duplicate });
      }
      if (call.url.startsWith("/api/v1/conversations/c1/trace?")) {
        if (options.traceFails) return problem(403, "traces are for organization credentials");
        const limit = Number(new URL(call.url, "http://x").searchParams.get("limit"));
        return json({ items: turns.slice(0, limit) });
      }
      return undefined;
    },
  };
  FakeSocket.server = server;
  return server;
}

function useTransport(transport: "socket" | "rest") {
  vi.stubGlobal("WebSocket", transport === "socket" ? FakeSocket : undefined);
}

beforeEach(() => {
  FakeSocket.made.length = 0;
  FakeSocket.server = null;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const log = () => within(screen.getByTestId("chat-log"));
const botTexts = () => screen.queryAllByTestId("chat-message").filter((m) => m.getAttribute("data-from") === "bot").map((m) => m.textContent);
const connection = () => screen.getByTestId("test-connection");

describe.each(["socket", "rest"] as const)("the test chat's trace (over %s)", (transport) => {
  beforeEach(() => useTransport(transport));

  it("shows each turn's trace collapsed under its messages, opens it in one click, and marks visited blocks", async () => {
    const server = chatServer();
    const { calls } = renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    expect(await log().findByText("Кава чи чай?")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(1));
    expect(screen.getByTestId("test-help").textContent).toContain("Alt+R");
    expect(calls.some((c) => c.url === "/api/v1/conversations/c1/trace?limit=1")).toBe(true);
    await waitFor(() => expect(screen.getByTestId("node-hello").getAttribute("data-visited")).toBe("true"));
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe(transport === "socket" ? "online" : "rest"));

    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    // under the turn's messages: the user's message, the bot's answer, then its trace
    const chat = screen.getByTestId("chat-log");
    const order = [...chat.children].map((li) => li.querySelector("[data-testid]")?.getAttribute("data-testid"));
    expect(order).toEqual(["chat-message", "trace-toggle", "chat-message", "chat-message", "trace-toggle"]);
    expect(botTexts()).toEqual(["Кава чи чай?", "Що ще?"]);
    // the message went over the transport under test, and only over it
    const socketMessages = FakeSocket.made.flatMap((s) => s.sentOf("message"));
    expect(socketMessages).toHaveLength(transport === "socket" ? 1 : 0);
    expect(server.restMessages).toHaveLength(transport === "socket" ? 0 : 1);

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
    expect(screen.getByTestId("node-hello").getAttribute("data-waiting")).toBeNull();
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
    await log().findByText("Кава чи чай?");
    expect(screen.getByTestId("tab-test").getAttribute("aria-selected")).toBe("true");
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    fireEvent.keyDown(window, { key: "®", code: "KeyR", altKey: true });
    await waitFor(() => expect(server.previews).toBe(2));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(1));
    expect(screen.queryByText("Олена")).toBeNull();
    if (transport === "socket") {
      // the first conversation's socket is closed; the second resumes the new preview
      await waitFor(() => expect(FakeSocket.made).toHaveLength(2));
      expect(FakeSocket.made[0].closedWith).toBe(1000);
      await waitFor(() => expect(FakeSocket.made[1].sentOf("hello")[0]).toMatchObject({ resume: { token: "r2", last_seq: 1 } }));
    }
    expect(isRestartShortcut({ altKey: true, ctrlKey: true, metaKey: false, code: "KeyR", key: "r" })).toBe(false);
    expect(isRestartShortcut({ altKey: false, ctrlKey: false, metaKey: false, code: "KeyR", key: "r" })).toBe(false);
  });

  it("says so when the trace cannot be read, and the chat goes on", async () => {
    const server = chatServer({ traceFails: true });
    renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    const toggle = await screen.findByTestId("trace-toggle");
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId("trace").textContent).toContain("traces are for organization credentials"));
    expect(screen.getByTestId("node-hello").getAttribute("data-visited")).toBeNull();
    expect(screen.getByTestId("chat-input")).toHaveProperty("disabled", false);
  });
});

describe("the test chat over the widget's socket", () => {
  beforeEach(() => useTransport("socket"));

  async function started(server: ChatServer) {
    const view = renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("online"));
    return view;
  }

  it("resumes the preview with its token from the last seq shown, so the greeting is not shown twice; buttons go over the socket", async () => {
    const server = chatServer();
    const { calls } = await started(server);
    const ws = FakeSocket.made[0];
    expect(ws.url).toBe(`ws://${location.host}/ws/v1/chat?key=rzc_test`);
    expect(ws.sent[0]).toEqual({ type: "hello", v: 1, batch: true, resume: { token: "r1", last_seq: 1, only: true } });
    expect(calls.filter((c) => c.url === "/api/v1/bots/b1/chat-key")).toHaveLength(1);
    expect(connection().getAttribute("aria-label")).toBe("Connection: online over the widget's WebSocket");
    expect(connection().getAttribute("role")).toBe("status");
    expect(botTexts()).toEqual(["Кава чи чай?"]);
    await waitFor(() => expect(screen.getByTestId("node-hello").getAttribute("data-waiting")).toBe("true"));

    fireEvent.click(screen.getByRole("button", { name: "Кава" }));
    await log().findByText("Що ще?");
    const [sent] = ws.sentOf("message");
    expect(sent).toEqual({ type: "message", client_message_id: expect.any(String), choice_id: "coffee" });
    // shown once: the optimistic echo is our own message coming back
    expect(screen.getAllByTestId("chat-message").map((m) => [m.getAttribute("data-from"), m.textContent])).toEqual([
      ["bot", "Кава чи чай?"],
      ["user", "Кава"],
      ["bot", "Що ще?"],
    ]);
    // the `input` frame moved the highlight
    await waitFor(() => expect(screen.getByTestId("node-ask").getAttribute("data-waiting")).toBe("true"));
    expect(screen.getByTestId("node-hello").getAttribute("data-waiting")).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    expect(calls.some((c) => c.url.includes("/messages"))).toBe(false);
  });

  it("reconnects after a drop and resumes: what it missed is shown once, with its trace", async () => {
    const server = chatServer();
    const { calls } = await started(server);
    FakeSocket.made[0].drop(1006);
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("reconnecting"));
    expect(connection().getAttribute("aria-label")).toBe("Connection: lost, reconnecting to the chat socket");
    server.timeout(); // while away, the answer time ran out
    await waitFor(() => expect(FakeSocket.made).toHaveLength(2), { timeout: 3000 });
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("online"));
    expect(FakeSocket.made[1].sent[0]).toEqual({ type: "hello", v: 1, batch: true, resume: { token: "fresh1", last_seq: 1, only: true } });
    await log().findByText("Ви ще тут?");
    // an item delivered again (live and in the replay) is shown once
    act(() => FakeSocket.made[1].deliver({ type: "message", seq: 2, direction: "out", message: { type: "text", text: "Ви ще тут?" } }));
    expect(botTexts()).toEqual(["Кава чи чай?", "Ви ще тут?"]);
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    expect(calls.filter((c) => c.url.includes("/trace?limit=1"))).toHaveLength(2);

    // and again (the server restarting): nothing comes twice
    FakeSocket.made[1].deliver({ type: "reconnect", seq: 2, reason: "shutdown" });
    await waitFor(() => expect(FakeSocket.made).toHaveLength(3));
    await waitFor(() => expect(FakeSocket.made[2].sent[0]).toMatchObject({ resume: { token: "fresh1", last_seq: 2 } }));
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("online"));
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "так" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await log().findByText("Що ще?");
    expect(botTexts()).toEqual(["Кава чи чай?", "Ви ще тут?", "Що ще?"]);
    expect(FakeSocket.made[2].sentOf("message")).toHaveLength(1);
  });

  it("shows error frames readably; a retryable one is sent again after retry_after", async () => {
    const server = chatServer();
    await started(server);
    server.refuseNext = { code: "too_long", message: "a text is limited to 4096 characters" };
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "довгий текст" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    const alert = await screen.findByTestId("chat-error");
    expect(alert.textContent).toBe("The message is too long. (a text is limited to 4096 characters)");
    expect(alert.getAttribute("role")).toBe("alert");
    const refused = log().getByText("довгий текст");
    expect(refused.getAttribute("data-failed")).toBe("true");
    expect(log().getByText("Not delivered")).toBeTruthy();

    server.refuseNext = { code: "lock_timeout", message: "the conversation is busy", retry_after: 0.5 };
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    expect(screen.getByTestId("chat-send")).toHaveProperty("disabled", false);
    fireEvent.click(screen.getByTestId("chat-send"));
    expect(screen.queryByTestId("chat-error")).toBeNull();
    const retrying = await screen.findByTestId("chat-retrying");
    expect(retrying.textContent).toBe("The conversation is busy with another turn. (the conversation is busy) Sending again in 0.5 s…");
    await log().findByText("Що ще?", {}, { timeout: 3000 });
    const sent = FakeSocket.made[0].sentOf("message").slice(1);
    expect(sent).toHaveLength(2);
    expect(sent[0].client_message_id).toBe(sent[1].client_message_id);
    expect(screen.queryByTestId("chat-retrying")).toBeNull();
    expect(log().getByText("Олена").getAttribute("data-failed")).toBeNull();
  });

  it("falls back to REST when the socket cannot be opened", async () => {
    const server = chatServer();
    server.refuseSockets = true;
    renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("rest"));
    expect(connection().getAttribute("aria-label")).toBe("Connection: the chat socket is unavailable, the test chat goes over HTTP");
    expect(screen.getByTestId("chat-notice").textContent).toBe("The chat socket could not be opened; the test chat goes on over HTTP.");
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await log().findByText("Що ще?");
    expect(server.restMessages).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("node-ask").getAttribute("data-waiting")).toBe("true"));
  });

  it("falls back to REST when the bot's chat key cannot be read, or there is no WebSocket at all", async () => {
    const server = chatServer();
    const { calls } = renderEditor(sampleDocument(), (call) =>
      call.url === "/api/v1/bots/b1/chat-key" ? problem(403, "viewer") : server.handler(call),
    );
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    await waitFor(() => expect(connection().getAttribute("data-state")).toBe("rest"));
    expect(screen.getByTestId("chat-notice").textContent).toContain("chat key");
    expect(FakeSocket.made).toHaveLength(0);
    expect(calls.some((c) => c.url === "/api/v1/bots/b1/chat-key")).toBe(true);
  });

  it("hands what the socket never delivered to REST with the same client_message_id when the server closes it for good", async () => {
    const server = chatServer();
    await started(server);
    server.hold = true;
    fireEvent.change(screen.getByTestId("chat-input"), { target: { value: "Олена" } });
    fireEvent.click(screen.getByTestId("chat-send"));
    await waitFor(() => expect(FakeSocket.made[0].sentOf("message")).toHaveLength(1));
    FakeSocket.made[0].drop(1008);
    await log().findByText("Що ще?");
    expect(server.restMessages.map((m) => m.client_message_id)).toEqual([FakeSocket.made[0].sentOf("message")[0].client_message_id]);
    expect(connection().getAttribute("data-state")).toBe("rest");
    expect(screen.getByTestId("chat-notice").textContent).toBe("The server closed the chat socket; the test chat goes on over HTTP.");
    expect(log().getAllByText("Олена")).toHaveLength(1);
  });

  it("closes the socket when the panel goes away", async () => {
    const server = chatServer();
    const { unmount } = await started(server);
    unmount();
    expect(FakeSocket.made[0].closedWith).toBe(1000);
  });
});

describe("the test chat without WebSocket", () => {
  beforeEach(() => useTransport("rest"));

  it("runs a published version instead of the draft when one is chosen, without saving first", async () => {
    const server = chatServer();
    const { calls } = renderEditor(sampleDocument(), (call) => {
      if (call.method === "GET" && call.url.startsWith("/api/v1/scenarios/s1/versions")) {
        return json({ items: [1, 2].map((number) => ({ number, changelog: "", published_by: "user:u1", created_at: "2025-01-01T00:00:00Z" })), total: 2 });
      }
      return server.handler(call);
    });
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    const saves = () => calls.filter((c) => c.method === "PUT" && c.url.endsWith("/draft")).length;
    const previews = () => calls.filter((c) => c.method === "POST" && c.url.endsWith("/preview")).map((c) => c.body);
    expect(previews()).toEqual([{}]);
    const savedBefore = saves();
    await screen.findByRole("option", { name: "Version 2" });
    fireEvent.change(screen.getByTestId("test-target"), { target: { value: "2" } });
    fireEvent.click(screen.getByTestId("test-restart"));
    await waitFor(() => expect(previews()).toEqual([{}, { version: 2 }]));
    expect(saves()).toBe(savedBefore); // a version needs no save of the draft
    await log().findByText("Кава чи чай?");
  });

  it("shows what each service call said under its step, as text", async () => {
    const call = { status: "ok", milliseconds: 3.2, error: null };
    const printed = ["<b>not bold</b>", ...Array.from({ length: 21 }, (_, i) => `line ${i + 2}`)];
    const server = chatServer({
      turnTrace: [
        {
          block_id: "intent",
          type: "intent",
          scenario: "main",
          port: "order_status",
          microseconds: 3400,
          error: null,
          call: { ...call, service: "nlu", operation: "classify", logs: ["first look: order_status 0.42, cancel 0.31", "second look: order_status 0.88"] },
        },
        { block_id: "lookup", type: "http", scenario: "main", port: "next", microseconds: 900, error: null, call: { ...call, service: "http", operation: "GET", logs: [] } },
        { block_id: "script", type: "module", scenario: "main", port: "next", microseconds: 800, error: null, call: { ...call, service: "modules", operation: "run", logs: printed } },
      ],
    });
    renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    fireEvent.click(screen.getByRole("button", { name: "Кава" }));
    await waitFor(() => expect(screen.getAllByTestId("trace-toggle")).toHaveLength(2));
    const toggle = screen.getAllByTestId("trace-toggle")[1];
    await waitFor(() => expect(toggle.textContent).toContain("choice coffee"));
    fireEvent.click(toggle);
    const steps = within(screen.getByTestId("trace"))
      .getAllByTestId("trace-step")
      .map((step) => step.parentElement!);
    const lines = (step: HTMLElement) => [...within(step).getByTestId("trace-call-logs").querySelectorAll("li")].map((li) => li.textContent);

    // under the intent step's call line, its two lines in order
    expect(steps[0].querySelector(".trace-step__call")?.textContent).toContain("nlu.classify: ok");
    expect(lines(steps[0])).toEqual(["first look: order_status 0.42, cancel 0.31", "second look: order_status 0.88"]);
    expect(steps[0].querySelector(".trace-step__call")?.nextElementSibling).toBe(within(steps[0]).getByTestId("trace-call-logs"));
    // a call that said nothing, and a step without a call, have no list
    expect(within(steps[1]).queryByTestId("trace-call-logs")).toBeNull();
    // a script's console: data shown as text, the first 20 lines, then how many more
    expect(lines(steps[2])).toEqual([...printed.slice(0, 20), "More lines not shown: 2."]);
    expect(steps[2].querySelector("b")).toBeNull();
    expect(within(steps[2]).getByTestId("trace-call-logs-more").textContent).toBe("More lines not shown: 2.");

    // the start turn's step has no call, so no list either
    fireEvent.click(screen.getAllByTestId("trace-toggle")[0]);
    const first = screen.getAllByTestId("trace")[0];
    expect(within(first).getAllByTestId("trace-step")).toHaveLength(1);
    expect(within(first).queryByTestId("trace-call-logs")).toBeNull();
  });

  it("goes over REST without asking for a chat key", async () => {
    const server = chatServer();
    const { calls } = renderEditor(sampleDocument(), server.handler);
    fireEvent.click(screen.getByTestId("test-start"));
    await log().findByText("Кава чи чай?");
    expect(connection().getAttribute("data-state")).toBe("rest");
    expect(screen.queryByTestId("chat-notice")).toBeNull();
    expect(calls.some((c) => c.url.includes("chat-key"))).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Чай" }));
    await log().findByText("Що ще?");
    expect(server.restMessages).toEqual([{ client_message_id: expect.any(String), choice_id: "tea" }]);
  });
});
