import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  ChatSocket,
  MAX_RECONNECTS,
  PING_MS,
  SILENCE_MS,
  backoffDelay,
  chatSocketUrl,
  type GiveUpReason,
  type InputState,
  type Outgoing,
  type SocketError,
  type SocketItem,
  type SocketLike,
} from "./chatSocket";

/** A WebSocket that the test opens, feeds and closes by hand. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(frame: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOf(type: string) {
    return this.sent.filter((f) => f.type === type);
  }
}

/** Timers run by hand: `advance(ms)` fires whatever is due. */
function clock() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id: unknown) => {
      due.delete(id as number);
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const [id, first] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!first || first.at > until) break;
        due.delete(id!);
        now = first.at;
        first.fn();
      }
      now = until;
    },
    get pending() {
      return due.size;
    },
  };
}

function setup(options: { lastSeq?: number } = {}) {
  FakeSocket.made = [];
  const time = clock();
  const log: string[] = [];
  const items: SocketItem[] = [];
  const inputs: InputState[] = [];
  const errors: SocketError[] = [];
  const acks: [string, number, boolean][] = [];
  const gaveUp: { reason: GiveUpReason; pending: Outgoing[] }[] = [];
  const states: string[] = [];
  let ids = 0;
  const client = new ChatSocket({
    url: "ws://builder.test/ws/v1/chat?key=rzc_k",
    token: "t0",
    lastSeq: options.lastSeq ?? 1,
    WebSocket: FakeSocket,
    uuid: () => `m${++ids}`,
    random: () => 0.5,
    now: time.now,
    setTimeout: time.setTimeout,
    clearTimeout: time.clearTimeout,
    events: {
      connection: (s) => states.push(s),
      item: (item) => {
        items.push(item);
        log.push(`item:${item.seq}`);
      },
      input: (s) => {
        inputs.push(s);
        log.push(`input:${s.input?.block_id ?? "none"}`);
      },
      ack: (id, seq, duplicate) => {
        acks.push([id, seq, duplicate]);
        log.push(`ack:${id}`);
      },
      error: (e) => errors.push(e),
      typing: () => log.push("typing"),
      welcome: () => log.push("welcome"),
      giveUp: (reason, pending) => gaveUp.push({ reason, pending }),
    },
  });
  const socket = (n = -1) => FakeSocket.made.at(n)!;
  const welcome = (ws = socket(), token = "t1") =>
    ws.frame({ type: "welcome", v: 1, seq: 1, conversation_id: "c1", resume_token: token, language: null, resumed: true });
  return { client, time, log, items, inputs, errors, acks, gaveUp, states, socket, welcome };
}

const out = (seq: number, text: string, block = "ask") => ({
  type: "message",
  seq,
  direction: "out",
  message: { type: "text", text, buttons: [], quick_replies: [], block_id: block },
});
const input = (seq: number, block: string | null) => ({
  type: "input",
  seq,
  input: block ? { kind: "text", block_id: block, choices: [], attempts_left: null } : null,
  ended: block === null,
  status: block ? "waiting" : "ended",
});

describe("the test chat's socket client", () => {
  it("builds the socket's address from the page's", () => {
    expect(chatSocketUrl("rzc k", { protocol: "https:", host: "app.example.com" })).toBe("wss://app.example.com/ws/v1/chat?key=rzc%20k");
    expect(chatSocketUrl("k", { protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws/v1/chat?key=k");
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  it("greets with hello resuming the conversation from the last seq shown, in batch mode", () => {
    const c = setup({ lastSeq: 3 });
    c.client.start();
    expect(c.socket().url).toBe("ws://builder.test/ws/v1/chat?key=rzc_k");
    expect(c.socket().sent).toEqual([]);
    c.socket().open();
    expect(c.socket().sent).toEqual([{ type: "hello", v: 1, batch: true, resume: { token: "t0", last_seq: 3, only: true } }]);
    c.welcome();
    c.socket().frame(input(3, "ask"));
    expect(c.states).toEqual(["online"]);
    expect(c.log).toEqual(["welcome", "input:ask"]);
    expect(c.client.connection).toBe("online");
  });

  it("unwraps a batch: the ack, our own echo (not shown twice), the bot's messages, the input", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    const id = c.client.send({ text: "Олена" });
    expect(c.socket().sentOf("message")).toEqual([{ type: "message", client_message_id: "m1", text: "Олена" }]);
    c.socket().frame({
      type: "batch",
      seq: 4,
      frames: [
        { type: "ack", seq: 2, client_message_id: id, duplicate: false },
        { type: "message", seq: 2, direction: "in", message: { type: "text", text: "Олена" }, client_message_id: id },
        out(3, "Раді бачити"),
        out(4, "Ще щось?"),
        input(4, "ask"),
      ],
    });
    expect(c.log).toEqual(["welcome", "ack:m1", "item:3", "item:4", "input:ask"]);
    expect(c.items.map((i) => i.message.text)).toEqual(["Раді бачити", "Ще щось?"]);
    expect(c.items[0].message.block_id).toBe("ask");
    expect(c.acks).toEqual([["m1", 2, false]]);
    expect(c.client.lastSeq).toBe(4);
  });

  it("drops history items it has seen (by seq), and takes other people's messages", () => {
    const c = setup({ lastSeq: 2 });
    c.client.start();
    c.socket().open();
    c.welcome();
    c.socket().frame(out(2, "already shown"));
    c.socket().frame(out(3, "new"));
    c.socket().frame(out(3, "again"));
    c.socket().frame({ type: "message", seq: 4, direction: "in", message: { type: "choice", choice_id: "tea" } });
    c.socket().frame({ type: "message", seq: 5, direction: "operator", message: { type: "text", text: "Оператор тут" } });
    c.socket().frame({ type: "message", direction: "out", message: { type: "text", text: "no seq" } });
    expect(c.items.map((i) => [i.seq, i.direction, i.message.text ?? i.message.choice_id])).toEqual([
      [3, "out", "new"],
      [4, "in", "tea"],
      [5, "operator", "Оператор тут"],
    ]);
  });

  it("reconnects after a drop and resumes from the highest seq with the freshest token, resending what was not acknowledged", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome(c.socket(), "t1");
    c.socket().frame(out(2, "two"));
    const id = c.client.send({ choice_id: "coffee" });
    const first = c.socket();
    first.drop(1006);
    expect(c.client.connection).toBe("reconnecting");
    expect(c.states).toEqual(["online", "reconnecting"]);
    expect(FakeSocket.made).toHaveLength(1);
    c.time.advance(backoffDelay(0, () => 0.5));
    expect(FakeSocket.made).toHaveLength(2);
    c.socket().open();
    expect(c.socket().sent[0]).toEqual({ type: "hello", v: 1, batch: true, resume: { token: "t1", last_seq: 2, only: true } });
    c.welcome(c.socket(), "t2");
    // The unacknowledged choice goes again, with the same id.
    expect(c.socket().sentOf("message")).toEqual([{ type: "message", client_message_id: id, choice_id: "coffee" }]);
    // The replay: our message was stored before the drop (no client_message_id in history),
    // then the answer; the resend is acknowledged as a duplicate afterwards.
    c.socket().frame({
      type: "batch",
      seq: 4,
      frames: [
        out(2, "two"),
        { type: "message", seq: 3, direction: "in", message: { type: "choice", choice_id: "coffee" } },
        out(4, "Кава!"),
        input(4, null),
      ],
    });
    c.socket().frame({ type: "batch", seq: 4, frames: [{ type: "ack", seq: 3, client_message_id: id, duplicate: true }, input(4, null)] });
    expect(c.items.map((i) => i.seq)).toEqual([2, 4]);
    expect(c.acks).toEqual([[id, 3, false]]);
    expect(c.states).toEqual(["online", "reconnecting", "online"]);
    // The old socket's late events change nothing.
    first.frame(out(9, "late"));
    expect(c.items.map((i) => i.seq)).toEqual([2, 4]);
  });

  it("reconnects at once when the server says it is going away", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    c.socket().frame({ type: "reconnect", seq: 1, reason: "shutdown" });
    expect(FakeSocket.made[0].closedWith).toBe(1000);
    expect(FakeSocket.made).toHaveLength(2);
    expect(c.client.connection).toBe("reconnecting");
    FakeSocket.made[0].drop(1012); // its close event comes later: ignored
    expect(FakeSocket.made).toHaveLength(2);
    c.socket().open();
    expect(c.socket().sent[0]).toMatchObject({ type: "hello", resume: { token: "t1" } });
  });

  it("gives up after a bounded number of reconnections, handing over what was not acknowledged", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    c.client.send({ text: "hi" });
    for (let attempt = 0; attempt < MAX_RECONNECTS; attempt++) {
      c.socket().drop(1006);
      c.time.advance(BACKOFF_MAX_MS);
    }
    expect(FakeSocket.made).toHaveLength(MAX_RECONNECTS + 1);
    expect(c.gaveUp).toEqual([]);
    c.socket().drop(1006);
    expect(c.gaveUp).toEqual([{ reason: "exhausted", pending: [{ client_message_id: "m1", text: "hi" }] }]);
    expect(c.client.connection).toBe("closed");
    c.time.advance(60_000);
    expect(FakeSocket.made).toHaveLength(MAX_RECONNECTS + 1);
  });

  it("gives up at once when it never got through, on a policy close, or when the token is not taken", () => {
    const refused = setup();
    refused.client.start();
    refused.socket().drop(1006); // a 403 before the upgrade
    expect(refused.gaveUp.map((g) => g.reason)).toEqual(["refused"]);

    const policy = setup();
    policy.client.start();
    policy.socket().open();
    policy.welcome();
    policy.socket().drop(1008);
    expect(policy.gaveUp.map((g) => g.reason)).toEqual(["policy"]);
    expect(FakeSocket.made).toHaveLength(1);

    const stranger = setup();
    stranger.client.start();
    stranger.socket().open();
    stranger.socket().frame({ type: "welcome", v: 1, conversation_id: "other", resume_token: "x", resumed: false });
    expect(stranger.gaveUp.map((g) => g.reason)).toEqual(["not_resumed"]);
    expect(stranger.socket().closedWith).toBe(1000);

    const constructorThrows = setup();
    const Throwing = class {
      constructor() {
        throw new Error("SecurityError");
      }
    } as unknown as typeof FakeSocket;
    const client = new ChatSocket({
      url: "ws://x",
      token: "t",
      lastSeq: 0,
      WebSocket: Throwing,
      events: { giveUp: (reason) => constructorThrows.gaveUp.push({ reason, pending: [] }) },
    });
    client.start();
    expect(constructorThrows.gaveUp.map((g) => g.reason)).toEqual(["refused"]);

    const silent = setup();
    silent.client.start();
    silent.socket().open();
    silent.time.advance(10_000); // no welcome
    expect(silent.socket().closedWith).toBe(4000);
    expect(silent.gaveUp.map((g) => g.reason)).toEqual(["refused"]);
  });

  it("resends after retry_after with the same id; a refusal without it is final", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    const id = c.client.send({ text: "hi" });
    c.socket().frame({ type: "error", seq: 1, code: "dependency_unavailable", message: "Redis is unreachable", client_message_id: id, retry_after: 2 });
    expect(c.errors).toEqual([
      { code: "dependency_unavailable", message: "Redis is unreachable", clientMessageId: id, retryAfter: 2, willRetry: true },
    ]);
    expect(c.socket().sentOf("message")).toHaveLength(1);
    c.time.advance(1999);
    expect(c.socket().sentOf("message")).toHaveLength(1);
    c.time.advance(1);
    expect(c.socket().sentOf("message")).toEqual([
      { type: "message", client_message_id: id, text: "hi" },
      { type: "message", client_message_id: id, text: "hi" },
    ]);
    const long = c.client.send({ text: "x".repeat(5000) });
    c.socket().frame({ type: "error", seq: 1, code: "too_long", message: "a text is limited to 4096 characters", client_message_id: long });
    expect(c.errors.at(-1)).toMatchObject({ code: "too_long", willRetry: false, retryAfter: null });
    // Not pending any more: a reconnect does not send it again.
    c.socket().drop(1006);
    c.time.advance(BACKOFF_MAX_MS);
    c.socket().open();
    c.welcome();
    expect(c.socket().sentOf("message").map((m) => m.client_message_id)).toEqual([id]);
  });

  it("says hello again when the hello itself is refused for a while", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.socket().frame({ type: "error", seq: 0, code: "database_unavailable", message: "down", retry_after: 1 });
    expect(c.errors[0]).toMatchObject({ code: "database_unavailable", willRetry: true });
    c.time.advance(1000);
    expect(c.socket().sentOf("hello")).toHaveLength(2);
    c.welcome();
    expect(c.client.connection).toBe("online");

    const bad = setup();
    bad.client.start();
    bad.socket().open();
    bad.socket().frame({ type: "error", seq: 0, code: "bad_frame", message: "resume.last_seq must be an integer" });
    expect(bad.errors[0]).toMatchObject({ code: "bad_frame", willRetry: false });
    expect(bad.gaveUp.map((g) => g.reason)).toEqual(["refused"]);

    // A token the server no longer takes: nothing was started there; the panel moves on.
    const stale = setup();
    stale.client.start();
    stale.socket().open();
    stale.socket().frame({ type: "error", seq: 0, code: "not_resumed", message: "nothing was started" });
    expect(stale.gaveUp.map((g) => g.reason)).toEqual(["not_resumed"]);
  });

  it("pings to stay alive, and treats a silent server as gone", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    c.time.advance(PING_MS);
    expect(c.socket().sentOf("ping")).toHaveLength(1);
    c.socket().frame({ type: "pong", seq: 1 });
    c.time.advance(PING_MS);
    expect(c.socket().sentOf("ping")).toHaveLength(2);
    c.time.advance(SILENCE_MS); // nothing heard since the pong
    expect(FakeSocket.made[0].closedWith).toBe(4001);
    expect(c.client.connection).toBe("reconnecting");
  });

  it("closes for good: no reconnection, no events", () => {
    const c = setup();
    c.client.start();
    c.socket().open();
    c.welcome();
    c.client.close();
    expect(c.socket().closedWith).toBe(1000);
    c.socket().drop(1006);
    c.time.advance(60_000);
    expect(FakeSocket.made).toHaveLength(1);
    expect(c.gaveUp).toEqual([]);
    expect(c.time.pending).toBe(0);
  });
});
