import { describe, it } from "node:test";
import { expect } from "./expect";
import {
  BACKOFF_MAX_MS, ChatClient, backoffDelay, type ClientEvents, type Persisted, type SocketLike,
} from "../src/client";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  closed: number | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) { this.sent.push(JSON.parse(data)); }
  close(code?: number) { this.closed = code; this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.({}); }
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code }); }
}

function harness(stored: Persisted | null = null) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  const log: string[] = [];
  let saved: Persisted | null = stored;
  let n = 0;
  const events: ClientEvents = {
    state: (s) => log.push(`state:${s}`),
    reset: () => log.push("reset"),
    welcome: () => log.push("welcome"),
    item: (i) => log.push(`item:${i.direction}:${i.message.text ?? i.message.type}`),
    update: () => log.push("update"),
    input: (i, ended) => log.push(`input:${i?.kind ?? "none"}:${ended}`),
    typing: () => log.push("typing"),
    error: (c) => log.push(`error:${c}`),
    stream: (id, text) => log.push(`stream:${id}:${text}`),
    streamDrop: (id) => log.push(`drop:${id}`),
  };
  const client = new ChatClient({
    url: "ws://h/ws/v1/chat?key=k",
    language: "en",
    store: { load: () => saved && JSON.parse(JSON.stringify(saved)), save: (s) => { saved = JSON.parse(JSON.stringify(s)); } },
    events,
    socket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    uuid: () => `id-${++n}`,
    random: () => 0.5,
    now: () => 0,
    setTimeout: (fn, ms) => { const t = { fn, ms, id: timers.length }; timers.push(t); return t; },
    clearTimeout: (h) => { const i = timers.indexOf(h as never); if (i >= 0) timers.splice(i, 1); },
  });
  const runTimer = (ms: number) => {
    const i = timers.findIndex((t) => t.ms === ms);
    expect(i, `a ${ms} ms timer`).toBeGreaterThanOrEqual(0);
    const [t] = timers.splice(i, 1);
    t.fn();
  };
  return { client, sockets, timers, log, runTimer, saved: () => saved! };
}

const welcome = (resumed = false) => ({
  type: "welcome", v: 1, conversation_id: "c1", resume_token: "tok", language: "en", resumed,
  bot: { name: "Demo", languages: ["uk", "en"], theme: { title: "Demo" } }, seq: 0,
});

describe("ChatClient", () => {
  it("greets, stores the token and renders history in order", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    expect(h.sockets[0].sent[0]).toEqual({ type: "hello", v: 1, batch: true, language: "en" });
    h.sockets[0].frame(welcome());
    h.sockets[0].frame({ type: "message", seq: 1, direction: "out", message: { type: "text", text: "Hi" } });
    h.sockets[0].frame({ type: "input", seq: 1, input: { kind: "buttons", block_id: "w" }, ended: false, status: "waiting" });
    expect(h.client.connection).toBe("online");
    expect(h.saved().token).toBe("tok");
    expect(h.saved().lastSeq).toBe(1);
    expect(h.log).toContain("item:out:Hi");
    expect(h.log).toContain("input:buttons:false");
  });

  it("takes a turn as one batch frame", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.client.send({ text: "Olena" });
    h.sockets[0].frame({ type: "batch", seq: 3, frames: [
      { type: "ack", seq: 2, client_message_id: "id-1", duplicate: false },
      { type: "message", seq: 2, direction: "in", message: { type: "text", text: "Olena" }, client_message_id: "id-1" },
      { type: "message", seq: 3, direction: "out", message: { type: "text", text: "Hi, Olena" } },
      { type: "input", seq: 3, input: { kind: "text", block_id: "q" }, ended: false, status: "waiting" },
    ] });
    expect(h.log.filter((l) => l === "item:in:Olena")).toHaveLength(1);
    expect(h.log).toContain("item:out:Hi, Olena");
    expect(h.log).toContain("input:text:false");
    expect(h.saved().pending).toEqual([]);
    expect(h.saved().lastSeq).toBe(3);
  });

  it("shows its own message at once and merges the echo", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.client.send({ text: "Olena" });
    expect(h.sockets[0].sent[1]).toEqual({ type: "message", client_message_id: "id-1", text: "Olena" });
    h.sockets[0].frame({ type: "ack", seq: 2, client_message_id: "id-1", duplicate: false });
    h.sockets[0].frame({ type: "message", seq: 2, direction: "in", message: { type: "text", text: "Olena" }, client_message_id: "id-1" });
    expect(h.log.filter((l) => l === "item:in:Olena")).toHaveLength(1);
    expect(h.saved().pending).toEqual([]);
    expect(h.saved().items.map((i) => i.seq)).toEqual([2]);
  });

  it("queues while offline and resends with the same id after resuming", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.sockets[0].frame({ type: "message", seq: 3, direction: "out", message: { type: "text", text: "Q" } });
    h.sockets[0].drop();
    expect(h.client.connection).toBe("reconnecting");
    h.client.send({ choice_id: "yes", label: "Yes" });
    expect(h.sockets[0].sent.some((f) => f.type === "message")).toBe(false);
    h.runTimer(backoffDelay(0, () => 0.5));
    h.sockets[1].open();
    expect(h.sockets[1].sent[0]).toEqual({ type: "hello", v: 1, batch: true, language: "en", resume: { token: "tok", last_seq: 3 } });
    h.sockets[1].frame(welcome(true));
    expect(h.sockets[1].sent[1]).toEqual({ type: "message", client_message_id: "id-1", choice_id: "yes" });
    // The replayed copy of a message whose ack was lost carries no id: matched by content.
    h.sockets[1].frame({ type: "message", seq: 4, direction: "in", message: { type: "choice", choice_id: "yes" } });
    expect(h.log.filter((l) => l.startsWith("item:in"))).toHaveLength(1);
    expect(h.saved().pending).toEqual([]);
  });

  it("drops the old history when the server starts a new conversation instead", () => {
    const h = harness({ v: 1, token: "old", lastSeq: 9, items: [{ seq: 9, direction: "out", message: { type: "text", text: "x" } }], pending: [], input: null, ended: false, status: "waiting" });
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome(false));
    expect(h.log).toContain("reset");
    expect(h.saved().items).toEqual([]);
    expect(h.saved().lastSeq).toBe(0);
  });

  it("skips history items it already has", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    const m = { type: "message", seq: 1, direction: "out", message: { type: "text", text: "Hi" } };
    h.sockets[0].frame(m);
    h.sockets[0].frame(m);
    expect(h.log.filter((l) => l === "item:out:Hi")).toHaveLength(1);
  });

  it("backs off exponentially with jitter up to 10 s", () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(30, () => 1)).toBe(BACKOFF_MAX_MS);
    const h = harness();
    h.client.start();
    h.sockets[0].drop();
    expect(h.client.connection).toBe("error");
    expect(h.timers.map((t) => t.ms)).toEqual([backoffDelay(0, () => 0.5)]);
  });

  it("stops on a policy close instead of looping, and tries again when asked", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.sockets[0].drop(1008);
    expect(h.client.connection).toBe("stopped");
    expect(h.timers.filter((t) => t.ms < 20_000)).toEqual([]);
    expect(h.log).toContain("error:policy");
    h.client.nudge();
    expect(h.sockets).toHaveLength(2);
  });

  it("reconnects at once on a reconnect frame and pings every 25 s", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.runTimer(25_000);
    expect(h.sockets[0].sent[h.sockets[0].sent.length - 1]).toEqual({ type: "ping" });
    h.sockets[0].frame({ type: "reconnect", seq: 1, reason: "deploy" });
    expect(h.sockets).toHaveLength(2);
    h.sockets[0].drop(1012); // the old socket's close changes nothing
    expect(h.sockets).toHaveLength(2);
  });

  it("keeps a message the server could not take now and resends it after retry_after", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.client.send({ text: "hello" });
    const sends = () => h.sockets[0].sent.filter((f) => f.type === "message" && f.text === "hello");
    expect(sends()).toHaveLength(1);
    h.sockets[0].frame({ type: "error", code: "dependency_unavailable", message: "Redis is down",
      client_message_id: "id-1", retry_after: 2 });
    expect(h.saved().pending.map((p) => p.client_message_id)).toEqual(["id-1"]);
    expect(h.saved().items[0].failed).toBe(undefined);
    h.runTimer(2_000);
    expect(sends()).toHaveLength(2);
    expect(sends()[1].client_message_id).toBe("id-1");
    // Confirmed meanwhile: a later timer resends nothing.
    h.sockets[0].frame({ type: "error", code: "lock_timeout", client_message_id: "id-1", retry_after: 1 });
    h.sockets[0].frame({ type: "ack", seq: 3, client_message_id: "id-1" });
    h.runTimer(1_000);
    expect(sends()).toHaveLength(2);
    expect(h.log).toContain("error:dependency_unavailable");
  });

  it("marks a refused message as failed and stops resending it", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.client.send({ text: "late" });
    h.sockets[0].frame({ type: "error", seq: 5, code: "conversation_ended", message: "ended", client_message_id: "id-1" });
    expect(h.saved().pending).toEqual([]);
    expect(h.saved().items[0].failed).toBe(true);
    expect(h.log).toContain("input:none:true");
  });

  it("accumulates an answer's pieces by offset: a repeat adds only what is new, a gap nothing", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    const part = (offset: number, text: string, more: object = {}) =>
      h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "s1", block_id: "llm", offset, text, ...more });
    part(0, "Hel");
    part(3, "lo");
    part(3, "lo");          // the same piece again: nothing new
    part(2, "llo, w");      // overlaps: only ", w" is new
    part(20, "lost");       // a gap: pieces were missed
    part(8, "orld");        // still a gap against what the client has (7 code points)
    part(7, "orld");
    // Offsets count code points: "👋" is one (two UTF-16 units).
    part(12, "👋");
    part(13, "!", { end: true });
    part(14, "after the end");
    expect(h.log.filter((l) => l.startsWith("stream:"))).toEqual([
      "stream:s1:Hel", "stream:s1:Hello", "stream:s1:Hello, w", "stream:s1:Hello, world",
      "stream:s1:Hello, world👋", "stream:s1:Hello, world👋!",
    ]);
    // Pieces are not history: nothing stored, the position unchanged.
    expect(h.saved().items).toEqual([]);
    expect(h.saved().lastSeq).toBe(0);
  });

  it("hands a stream over to its stored message, which is kept with its stream_id", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "s1", offset: 0, text: "Hi" });
    h.sockets[0].frame({ type: "message", seq: 2, direction: "out",
      message: { type: "text", text: "Hi there", stream_id: "s1", incomplete: true } });
    // A late piece does not bring the answer back, and the input removes nothing.
    h.sockets[0].frame({ type: "partial", seq: 2, stream_id: "s1", offset: 2, text: " there" });
    h.sockets[0].frame({ type: "input", seq: 2, input: { kind: "text" }, ended: false, status: "waiting" });
    expect(h.log.slice(h.log.indexOf("welcome") + 1)).toEqual([
      "stream:s1:Hi", "item:out:Hi there", "input:text:false",
    ]);
    expect(h.saved().items[0].message).toEqual({ type: "text", text: "Hi there", stream_id: "s1", incomplete: true });
  });

  it("drops a discarded stream, and at the input every stream whose message did not come", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "a", offset: 0, text: "one" });
    h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "a", offset: 3, text: "", discard: true });
    h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "a", offset: 3, text: " two" });
    h.sockets[0].frame({ type: "partial", seq: 1, stream_id: "b", offset: 0, text: "orphan", end: true });
    h.sockets[0].frame({ type: "input", seq: 1, input: { kind: "text" }, ended: false, status: "waiting" });
    expect(h.log.slice(h.log.indexOf("welcome") + 1)).toEqual([
      "stream:a:one", "drop:a", "stream:b:orphan", "drop:b", "input:text:false",
    ]);
  });

  it("takes pieces inside a batch in order with the turn's other frames", () => {
    const h = harness();
    h.client.start();
    h.sockets[0].open();
    h.sockets[0].frame(welcome());
    h.sockets[0].frame({ type: "batch", seq: 1, frames: [
      { type: "partial", seq: 1, stream_id: "s", offset: 0, text: "Ab" },
      { type: "partial", seq: 1, stream_id: "s", offset: 1, text: "bc" },
      { type: "partial", seq: 1, stream_id: "s", offset: 3, text: "d", end: true },
      { type: "message", seq: 2, direction: "out", message: { type: "text", text: "Abcd", stream_id: "s" } },
      { type: "input", seq: 2, input: { kind: "text" }, ended: false, status: "waiting" },
    ] });
    expect(h.log.slice(h.log.indexOf("welcome") + 1)).toEqual([
      "stream:s:Ab", "stream:s:Abc", "stream:s:Abcd", "item:out:Abcd", "input:text:false",
    ]);
  });
});
