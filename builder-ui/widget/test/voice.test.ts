// Voice messages: the client's binary frame (JSON header, a newline byte, the recording), kept
// pending in memory and resent like text, merged with the server's echo (the transcript), and
// refused ones; then the widget's microphone in jsdom over fake MediaRecorder and getUserMedia.
import { describe, it } from "node:test";
import { expect } from "./expect";
import {
  ChatClient, VOICE_MAX_BYTES, backoffDelay, voiceFrame, type ClientEvents, type Persisted, type SocketLike,
} from "../src/client";
import { Widget } from "../src/ui";

/** A sent frame: a text frame parsed, a binary one split into its header and recording. */
type Sent = { [k: string]: any; audio?: number[] };

function parseVoice(frame: Uint8Array): Sent {
  const nl = frame.indexOf(0x0a);
  expect(nl > 0, "a newline after the header").toBe(true);
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(0, nl)));
  return { ...header, audio: Array.from(frame.subarray(nl + 1)) };
}

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Sent[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string | Uint8Array) {
    this.sent.push(typeof data === "string" ? JSON.parse(data) : parseVoice(data));
  }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.({}); }
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code }); }
  voice() { return this.sent.filter((f) => f.type === "voice"); }
}

const VOICE = { max_bytes: 1048576, max_seconds: 60 };
const MIME = "audio/webm;codecs=opus";

const welcome = (resumed = false, voice: object | null = VOICE) => ({
  type: "welcome", v: 1, conversation_id: "c1", resume_token: "tok", language: "en", resumed,
  bot: { name: "Demo", languages: ["en"], ...(voice ? { voice } : {}) }, seq: 0,
});

const echo = (seq: number, text: string | undefined, cmid?: string) => ({
  type: "message", seq, direction: "in", message: text === undefined ? { type: "audio" } : { type: "audio", text },
  ...(cmid ? { client_message_id: cmid } : {}),
});

const textInput = (seq: number) =>
  ({ type: "input", seq, input: { kind: "text", block_id: "ask" }, ended: false, status: "waiting" });

function harness(stored: Persisted | null = null) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const log: string[] = [];
  let saved: Persisted | null = stored;
  let n = 0;
  const events: ClientEvents = {
    state: () => undefined,
    reset: () => log.push("reset"),
    welcome: () => log.push("welcome"),
    item: (i) => log.push(`item:${i.direction}:${i.message.type}:${i.message.text ?? ""}${i.failed ? ":failed" : ""}`),
    update: (i) => log.push(`update:${i.seq ?? "-"}:${i.message.text ?? ""}${i.failed ? ":failed" : ""}`),
    input: (i, ended) => log.push(`input:${i?.kind ?? "none"}:${ended}`),
    typing: () => undefined,
    error: (c) => log.push(`error:${c}`),
    stream: () => undefined,
    streamDrop: () => undefined,
  };
  const client = new ChatClient({
    url: "ws://h/ws/v1/chat?key=k", language: "en",
    store: { load: () => saved && JSON.parse(JSON.stringify(saved)), save: (s) => { saved = JSON.parse(JSON.stringify(s)); } },
    events,
    socket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    uuid: () => `id-${++n}`,
    random: () => 0.5,
    now: () => 0,
    setTimeout: (fn, ms) => { const t = { fn, ms }; timers.push(t); return t; },
    clearTimeout: (h) => { const i = timers.indexOf(h as never); if (i >= 0) timers.splice(i, 1); },
  });
  const runTimer = (ms: number) => {
    const i = timers.findIndex((t) => t.ms === ms);
    expect(i, `a ${ms} ms timer`).toBeGreaterThanOrEqual(0);
    timers.splice(i, 1)[0].fn();
  };
  const online = (voice: object = VOICE) => {
    client.start();
    sockets[0].open();
    sockets[0].frame(welcome(false, voice));
    return sockets[0];
  };
  return { client, sockets, log, runTimer, online, saved: () => saved! };
}

describe("voiceFrame", () => {
  it("is the header as UTF-8 JSON, one newline byte, then the recording unchanged", () => {
    const audio = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x0a, 0x00, 0xff]);
    const frame = voiceFrame({ type: "voice", client_message_id: "c-1", mime_type: MIME }, audio);
    const head = '{"type":"voice","client_message_id":"c-1","mime_type":"audio/webm;codecs=opus"}';
    expect(frame.length).toBe(head.length + 1 + audio.length);
    expect(new TextDecoder().decode(frame.subarray(0, head.length))).toBe(head);
    expect(frame[head.length]).toBe(0x0a);
    // The recording's own newline bytes are past the first one: the split is unambiguous.
    expect(Array.from(frame.subarray(head.length + 1))).toEqual(Array.from(audio));
  });

  it("escapes a newline inside the header, so the first 0x0A still ends it", () => {
    const frame = voiceFrame({ type: "voice", client_message_id: "a\nb", mime_type: "x/ü" }, new Uint8Array([1]));
    const parsed = parseVoice(frame);
    expect(parsed.client_message_id).toBe("a\nb");
    expect(parsed.mime_type).toBe("x/ü");
    expect(parsed.audio).toEqual([1]);
  });
});

describe("ChatClient, voice messages", () => {
  it("sends one binary frame, shows the message at once and takes the transcript from the echo", async () => {
    const h = harness();
    const ws = h.online();
    const item = await h.client.sendVoice(new Uint8Array([1, 2, 3]), MIME);
    expect(ws.voice()).toEqual([{ type: "voice", client_message_id: "id-1", mime_type: MIME, audio: [1, 2, 3] }]);
    expect(item.message).toEqual({ type: "audio" });
    expect(h.log).toContain("item:in:audio:");
    // The recording is not stored: neither in pending nor anywhere in the saved state.
    expect(h.saved().pending).toEqual([]);
    expect(JSON.stringify(h.saved()).includes("[1,2,3]")).toBe(false);
    ws.frame({ type: "batch", seq: 3, frames: [
      { type: "ack", seq: 2, client_message_id: "id-1", duplicate: false },
      echo(2, "My name is Alice.", "id-1"),
      { type: "message", seq: 3, direction: "out", message: { type: "text", text: "Nice to meet you, My name is Alice." } },
      textInput(3),
    ] });
    expect(h.log.filter((l) => l.startsWith("item:in"))).toHaveLength(1);
    expect(h.log).toContain("update:2:");
    expect(h.log).toContain("update:2:My name is Alice.");
    expect(h.saved().items[0]).toEqual({ direction: "in", client_message_id: "id-1", seq: 2,
      message: { type: "audio", text: "My name is Alice." } });
    // Acknowledged: a reconnect does not send it again.
    ws.drop();
    h.runTimer(backoffDelay(0, () => 0.5));
    h.sockets[1].open();
    h.sockets[1].frame(welcome(true));
    expect(h.sockets[1].voice()).toEqual([]);
  });

  it("takes a Blob and an ArrayBuffer as well", async () => {
    const h = harness();
    const ws = h.online();
    await h.client.sendVoice(new Blob([new Uint8Array([7, 8])], { type: MIME }), MIME);
    await h.client.sendVoice(new Uint8Array([9]).buffer, "audio/ogg;codecs=opus");
    expect(ws.voice().map((f) => [f.client_message_id, f.mime_type, f.audio])).toEqual([
      ["id-1", MIME, [7, 8]], ["id-2", "audio/ogg;codecs=opus", [9]],
    ]);
  });

  it("keeps nothing heard as a voice message without text", async () => {
    const h = harness();
    const ws = h.online();
    await h.client.sendVoice(new Uint8Array([1]), MIME);
    ws.frame({ type: "ack", seq: 2, client_message_id: "id-1" });
    ws.frame(echo(2, undefined, "id-1"));
    expect(h.saved().items[0].message).toEqual({ type: "audio" });
    expect(h.saved().items[0].seq).toBe(2);
  });

  it("queues while offline and resends with the same id, in order with text, after resuming", async () => {
    const h = harness();
    const ws = h.online();
    ws.drop();
    h.client.send({ text: "first" });
    await h.client.sendVoice(new Uint8Array([5, 5]), MIME);
    h.client.send({ text: "third" });
    expect(ws.sent.filter((f) => f.type !== "hello")).toEqual([]);
    h.runTimer(backoffDelay(0, () => 0.5));
    h.sockets[1].open();
    h.sockets[1].frame(welcome(true));
    expect(h.sockets[1].sent.slice(1).map((f) => `${f.type}:${f.client_message_id}`))
      .toEqual(["message:id-1", "voice:id-2", "message:id-3"]);
    expect(h.sockets[1].voice()[0].audio).toEqual([5, 5]);
  });

  it("recognises its unacknowledged voice message in a resume's replay (no id there)", async () => {
    const h = harness();
    const ws = h.online();
    h.client.send({ text: "Alice" });
    await h.client.sendVoice(new Uint8Array([1]), MIME);
    ws.drop();
    h.runTimer(backoffDelay(0, () => 0.5));
    h.sockets[1].open();
    h.sockets[1].frame(welcome(true));
    // The replay: the text, then the voice message whose transcript is the same word. Each
    // is matched to its own: the typed one by its text, the voice one by being audio.
    h.sockets[1].frame({ type: "message", seq: 2, direction: "in", message: { type: "audio", text: "Alice" } });
    h.sockets[1].frame({ type: "message", seq: 3, direction: "in", message: { type: "text", text: "Alice" } });
    expect(h.log.filter((l) => l.startsWith("item:in"))).toHaveLength(2); // the two optimistic ones only
    expect(h.saved().items.map((i) => `${i.seq}:${i.message.type}:${i.message.text}`))
      .toEqual(["3:text:Alice", "2:audio:Alice"]);
    expect(h.saved().pending).toEqual([]);
  });

  it("marks a refused voice message as failed and never sends it again", async () => {
    const h = harness();
    const ws = h.online();
    await h.client.sendVoice(new Uint8Array([1]), MIME);
    ws.frame({ type: "error", seq: 1, code: "voice_unavailable", message: "no speech engine", client_message_id: "id-1" });
    expect(h.saved().items[0].failed).toBe(true);
    expect(h.log).toContain("update:-::failed");
    expect(h.log).toContain("error:voice_unavailable");
    await h.client.sendVoice(new Uint8Array([2]), MIME);
    ws.frame({ type: "error", seq: 1, code: "too_long", client_message_id: "id-2" });
    ws.frame({ type: "error", seq: 1, code: "bad_frame", client_message_id: "nobody" });
    ws.drop();
    h.runTimer(backoffDelay(0, () => 0.5));
    h.sockets[1].open();
    h.sockets[1].frame(welcome(true));
    expect(h.sockets[1].voice()).toEqual([]);
    expect(h.log).toContain("error:too_long");
  });

  it("resends a voice message the server could not take now, after retry_after", async () => {
    const h = harness();
    const ws = h.online();
    await h.client.sendVoice(new Uint8Array([4]), MIME);
    ws.frame({ type: "error", code: "dependency_unavailable", client_message_id: "id-1", retry_after: 2 });
    expect(h.saved().items[0].failed).toBe(undefined);
    h.runTimer(2_000);
    expect(ws.voice().map((f) => f.client_message_id)).toEqual(["id-1", "id-1"]);
  });

  it("does not send a recording over the server's limit", async () => {
    const h = harness();
    const ws = h.online({ max_bytes: 100, max_seconds: 60 });
    const item = await h.client.sendVoice(new Uint8Array(100), MIME); // 100 + header > 100
    expect(item.failed).toBe(true);
    expect(ws.voice()).toEqual([]);
    expect(h.log).toContain("item:in:audio::failed");
    expect(h.log).toContain("error:too_long");
    // Without a limit in the welcome, 1 MiB is the protocol's default.
    const h2 = harness();
    const ws2 = h2.online({});
    await h2.client.sendVoice(new Uint8Array(VOICE_MAX_BYTES), MIME);
    expect(ws2.voice()).toEqual([]);
    await h2.client.sendVoice(new Uint8Array(1000), MIME);
    expect(ws2.voice()).toHaveLength(1);
  });

  it("after a reload, a voice message whose recording is lost is failed unless the replay has it", async () => {
    const h = harness();
    const ws = h.online();
    await h.client.sendVoice(new Uint8Array([1]), MIME);
    await h.client.sendVoice(new Uint8Array([2]), MIME);
    ws.drop();
    // A new page: the saved state only.
    const stored = h.saved();
    expect(stored.items.map((i) => i.client_message_id)).toEqual(["id-1", "id-2"]);
    const page = harness(stored);
    page.client.start();
    page.sockets[0].open();
    page.sockets[0].frame(welcome(true));
    expect(page.sockets[0].voice()).toEqual([]); // nothing to resend
    page.sockets[0].frame(echo(2, "hello there")); // the first one did arrive
    page.sockets[0].frame(textInput(2));
    const items = page.saved().items;
    expect(items.map((i) => `${i.seq}:${i.message.text ?? ""}:${i.failed ?? false}`))
      .toEqual(["2:hello there:false", "undefined::true"]);
  });

  it("forgets unsent recordings when a new conversation starts", async () => {
    const h = harness();
    const ws = h.online();
    ws.drop();
    await h.client.sendVoice(new Uint8Array([1]), MIME);
    h.client.restart();
    h.sockets[1].open();
    h.sockets[1].frame(welcome(false));
    expect(h.sockets[1].voice()).toEqual([]);
  });
});

// ----- the widget's microphone -------------------------------------------------------------

class FakeRecorder {
  static instances: FakeRecorder[] = [];
  static supported = ["audio/webm;codecs=opus"];
  static isTypeSupported(t: string) { return FakeRecorder.supported.includes(t); }
  state = "inactive";
  mimeType: string;
  ondataavailable: ((e: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  constructor(public stream: FakeStream, public options: { mimeType?: string; audioBitsPerSecond?: number }) {
    this.mimeType = options.mimeType || "audio/webm";
    FakeRecorder.instances.push(this);
  }
  start() { this.state = "recording"; }
  stop() {
    this.state = "inactive";
    this.ondataavailable?.({ data: new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3])]) });
    this.onstop?.();
  }
}

class FakeStream {
  stopped = 0;
  getTracks() { return [{ stop: () => { this.stopped += 1; } }]; }
}

async function jsdom(): Promise<any> {
  const proc = (globalThis as unknown as { process: { cwd(): string } }).process;
  const { createRequire } = await import("node:module" as string);
  return createRequire(`${proc.cwd()}/`)("jsdom");
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function widget(opts: { voice?: object; media?: boolean; deny?: string; language?: string } = {}) {
  const { media = true, deny, language = "en" } = opts;
  const voice = "voice" in opts ? opts.voice : VOICE;
  const { JSDOM } = await jsdom();
  const dom = new JSDOM("<!doctype html><body></body>", { url: "https://shop.example/" });
  const g = globalThis as any;
  g.window = dom.window;
  g.document = dom.window.document;
  g.location = dom.window.location;
  g.requestAnimationFrame = (fn: () => void) => fn();
  const streams: FakeStream[] = [];
  const nav = media ? {
    mediaDevices: {
      getUserMedia: async () => {
        if (deny) throw Object.assign(new Error("refused"), { name: deny });
        const s = new FakeStream();
        streams.push(s);
        return s;
      },
    },
  } : {};
  Object.defineProperty(globalThis, "navigator", { value: nav, configurable: true, writable: true });
  FakeRecorder.instances = [];
  if (media) g.MediaRecorder = FakeRecorder;
  else delete g.MediaRecorder;

  const host = document.createElement("div");
  document.body.append(host);
  const w = new Widget(host, { lang: "en", langFixed: false, open: true, botKey: "k" });
  const sockets: FakeSocket[] = [];
  let n = 0;
  const client = new ChatClient({
    url: "ws://h/ws/v1/chat?key=k", language,
    store: { load: () => null, save: () => undefined },
    events: w.events(),
    socket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    uuid: () => `id-${++n}`,
    random: () => 0.5, now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined,
  });
  w.attach(client);
  client.start();
  const ws = sockets[0];
  ws.open();
  ws.frame({ ...welcome(false, voice ?? null), language });
  ws.frame(textInput(1));
  const root = host.shadowRoot!;
  const mic = root.querySelector<HTMLButtonElement>("button.mic")!;
  return {
    ws, client, root, mic, streams,
    field: root.querySelector<HTMLInputElement>("form input")!,
    form: root.querySelector<HTMLFormElement>("form")!,
    ins: () => [...root.querySelectorAll<HTMLElement>(".msg.in")].map((el) =>
      el.querySelector(".bub")!.textContent + (el.querySelector(".note") ? ` (${el.querySelector(".note")!.textContent})` : "")),
    sys: () => [...root.querySelectorAll<HTMLElement>(".log .sys")].map((el) => el.textContent),
  };
}

describe("Widget, the microphone", () => {
  it("is shown when the server takes voice and the browser can record, for answers the bot hears", async () => {
    const t = await widget();
    expect(t.mic.hidden).toBe(false);
    expect(t.mic.getAttribute("aria-label")).toBe("Record a voice message");
    expect(t.mic.type).toBe("button"); // never submits the form
    t.ws.frame({ type: "input", seq: 1, input: { kind: "buttons", choices: [{ id: "y", label: "Yes" }] }, ended: false, status: "waiting" });
    expect(t.mic.hidden).toBe(false); // the field is there too: a spoken "yes" is typed text
    t.ws.frame({ type: "input", seq: 1, input: { kind: "date" }, ended: false, status: "waiting" });
    expect(t.mic.hidden).toBe(true);
    t.ws.frame({ type: "input", seq: 1, input: { kind: "handoff" }, ended: false, status: "handoff" });
    expect(t.mic.hidden).toBe(true);
    expect(t.field.hidden).toBe(false);
    t.ws.frame(textInput(1));
    expect(t.mic.hidden).toBe(false);
    t.ws.frame({ type: "input", seq: 1, input: null, ended: true, status: "ended" });
    expect(t.mic.hidden).toBe(true);
  });

  it("is not shown without bot.voice, or without MediaRecorder", async () => {
    expect((await widget({ voice: undefined })).mic.hidden).toBe(true);
    const t = await widget({ media: false });
    expect(t.mic.hidden).toBe(true);
    expect(t.field.hidden).toBe(false);
  });

  it("records on a press, shows the time, sends on the second press; the echo shows the transcript", async () => {
    const t = await widget();
    t.mic.click();
    await tick();
    const [rec] = FakeRecorder.instances;
    expect(rec.state).toBe("recording");
    expect(rec.options).toEqual({ mimeType: "audio/webm;codecs=opus", audioBitsPerSecond: 32000 });
    expect(t.mic.classList.contains("rec")).toBe(true);
    expect(t.mic.getAttribute("aria-label")).toBe("Stop recording and send");
    expect(t.mic.textContent).toBe("0:00");
    t.mic.click();
    await tick(); // Blob.arrayBuffer
    expect(rec.state).toBe("inactive");
    expect(t.streams[0].stopped).toBe(1); // the microphone is released
    expect(t.mic.classList.contains("rec")).toBe(false);
    expect(t.mic.getAttribute("aria-label")).toBe("Record a voice message");
    expect(t.ws.voice()).toEqual([{ type: "voice", client_message_id: "id-1", mime_type: "audio/webm;codecs=opus",
      audio: [0x1a, 0x45, 0xdf, 0xa3] }]);
    expect(t.ins()).toEqual(["🎤 Voice message…"]);
    t.ws.frame({ type: "batch", seq: 3, frames: [
      { type: "ack", seq: 2, client_message_id: "id-1" }, echo(2, "My name is Alice.", "id-1"), textInput(2),
    ] });
    expect(t.ins()).toEqual(["🎤 My name is Alice."]);
  });

  it("speaks Ukrainian in Ukrainian, and says when nothing was heard", async () => {
    const t = await widget({ language: "uk" });
    expect(t.mic.getAttribute("aria-label")).toBe("Записати голосове повідомлення");
    await t.client.sendVoice(new Uint8Array([1]), MIME);
    expect(t.ins()).toEqual(["🎤 Голосове повідомлення…"]);
    t.ws.frame({ type: "ack", seq: 2, client_message_id: "id-1" });
    t.ws.frame(echo(2, undefined, "id-1"));
    expect(t.ins()).toEqual(["🎤 Голосове повідомлення"]);
  });

  it("says so when the microphone is refused, and hides nothing", async () => {
    const t = await widget({ deny: "NotAllowedError" });
    t.mic.click();
    await tick();
    expect(t.sys()).toEqual(["The microphone is not allowed. You can type instead."]);
    expect(t.mic.hidden).toBe(false);
    expect(t.form.hidden).toBe(false);
    expect(t.ws.voice()).toEqual([]);
  });

  it("throws the recording away when the conversation ends meanwhile", async () => {
    const t = await widget();
    t.mic.click();
    await tick();
    t.ws.frame({ type: "input", seq: 1, input: null, ended: true, status: "ended" });
    await tick();
    expect(FakeRecorder.instances[0].state).toBe("inactive");
    expect(t.streams[0].stopped).toBe(1);
    expect(t.ws.voice()).toEqual([]);
  });

  it("throws the recording away when the chat is closed", async () => {
    const t = await widget();
    t.mic.click();
    await tick();
    t.root.querySelector<HTMLButtonElement>("button.x")!.click();
    await tick();
    expect(FakeRecorder.instances[0].state).toBe("inactive");
    expect(t.streams[0].stopped).toBe(1);
    expect(t.ws.voice()).toEqual([]);
  });

  it("stops and sends by itself at the bot's max_seconds (a little before)", async () => {
    const t = await widget({ voice: { max_bytes: 1048576, max_seconds: 1 } });
    t.mic.click();
    await tick();
    expect(FakeRecorder.instances[0].state).toBe("recording");
    await new Promise((r) => setTimeout(r, 900));
    expect(FakeRecorder.instances[0].state).toBe("inactive");
    expect(t.mic.classList.contains("rec")).toBe(false);
    expect(t.ws.voice()).toHaveLength(1);
  });

  it("hides the microphone once the server cannot transcribe, and marks the message", async () => {
    const t = await widget();
    await t.client.sendVoice(new Uint8Array([1]), MIME);
    t.ws.frame({ type: "error", seq: 1, code: "voice_unavailable", client_message_id: "id-1" });
    expect(t.mic.hidden).toBe(true);
    expect(t.ins()).toEqual(["🎤 Voice message (Not delivered)"]);
    expect(t.sys()).toEqual(["Voice messages are not available now. Please type."]);
  });
});
