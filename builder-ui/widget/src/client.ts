// The protocol client: one conversation over /ws/v1/chat, kept alive across drops and page
// reloads. It has no DOM dependency (the socket, timers and storage are injected) so that its
// state machine can be unit-tested.

import type {
  BotInfo, ConversationStatus, HistoryItem, InputRequest, Outgoing, OutboundMessage, ServerFrame,
  VoiceHeader,
} from "./types";

/** What survives a page reload, in localStorage under a key per bot. */
export interface Persisted {
  v: 1;
  token?: string;
  lastSeq: number;
  language?: string;
  bot?: BotInfo;
  items: HistoryItem[];
  /** Sent (or about to be) but not acknowledged: resent with the same id after a reconnect.
   *  Text and choices only: a voice message's recording is kept in memory (see sendVoice). */
  pending: Outgoing[];
  input: InputRequest | null;
  ended: boolean;
  status: ConversationStatus | string;
}

export interface Store {
  load(): Persisted | null;
  save(state: Persisted): void;
}

/**
 * connecting: first attempt on this page; online: welcome received; reconnecting: lost a
 * conversation that was online; error: never got through (refused origin, server down), still
 * retrying; stopped: closed by the server for a policy reason (1008/1009), waits for the person.
 */
export type ConnectionState = "idle" | "connecting" | "online" | "reconnecting" | "error" | "stopped";

export interface ClientEvents {
  state(state: ConnectionState): void;
  /** The conversation was replaced by a new one: drop what is rendered. */
  reset(): void;
  welcome(bot: BotInfo | undefined, language: string, resumed: boolean): void;
  /** A new history item; `live` is false for the optimistic echo of the person's own text. */
  item(item: HistoryItem): void;
  /** An item already rendered changed (acknowledged, or refused). */
  update(item: HistoryItem): void;
  input(input: InputRequest | null, ended: boolean, status: string): void;
  typing(): void;
  error(code: string): void;
  /** A bot answer being generated (`partial` frames): its whole text so far, on each change.
   *  The item whose `message.stream_id` is `id` takes its place when it is stored. */
  stream(id: string, text: string): void;
  /** That answer will not come (discarded, or the turn ended without it): remove it. */
  streamDrop(id: string): void;
}

export interface SocketLike {
  readyState: number;
  /** A string is a text frame (JSON); bytes are a binary frame (a voice message). */
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface ClientOptions {
  url: string;
  language?: string;
  store: Store;
  events: ClientEvents;
  socket: (url: string) => SocketLike;
  uuid: () => string;
  random?: () => number;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export const PING_MS = 25_000;
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 10_000;
/** A server that sends nothing for two pings and a bit is gone even if TCP has not noticed. */
const SILENCE_MS = PING_MS * 2 + 10_000;
/** The server must greet within this after the socket opens, or we try another connection. */
const WELCOME_MS = 15_000;
/** Enough to scroll back through a conversation without filling the origin's storage quota. */
export const MAX_ITEMS = 200;
/** The longest wait honoured from an error frame's retry_after before resending. */
export const RETRY_AFTER_MAX_S = 60;
/** A voice frame's size limit when the server's welcome does not name one. */
export const VOICE_MAX_BYTES = 1024 * 1024;
/** Closed stream ids remembered so that a late piece cannot bring its answer back. */
const CLOSED_STREAMS = 32;
const OPEN = 1;

export function emptyState(): Persisted {
  return { v: 1, lastSeq: 0, items: [], pending: [], input: null, ended: false, status: "active" };
}

/** An answer being generated. Offsets count code points (the server's str indices). */
interface Stream {
  text: string;
  /** Code points in `text`. */
  length: number;
  /** `end` came: no more pieces, the stored message (or an input) follows. */
  ended: boolean;
}

/** A binary voice frame: the header as UTF-8 JSON, one newline byte (0x0A), the recording.
 *  JSON.stringify escapes every newline inside strings, so the first 0x0A ends the header. */
export function voiceFrame(header: VoiceHeader, audio: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const frame = new Uint8Array(head.length + 1 + audio.length);
  frame.set(head);
  frame[head.length] = 0x0a;
  frame.set(audio, head.length + 1);
  return frame;
}

/** Exponential backoff with jitter: spreads a crowd of widgets reconnecting after a deploy. */
export function backoffDelay(attempt: number, random: () => number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.round(base / 2 + (random() * base) / 2);
}

export class ChatClient {
  state: Persisted;
  connection: ConnectionState = "idle";
  private ws: SocketLike | null = null;
  private attempt = 0;
  private everOnline = false;
  private sentResume = false;
  private stoppedByUser = false;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private welcomeTimer: unknown = null;
  private lastFrameAt = 0;
  /** Answers being generated, by stream_id; in memory only (the stored message is history). */
  private streams = new Map<string, Stream>();
  private closedStreams: string[] = [];
  /** Voice messages not acknowledged yet: client_message_id → the whole binary frame. In
   *  memory only, never in localStorage: a recording is up to a megabyte (more than a site's
   *  storage quota may spare, and base64 in a JSON string would be a third more again), and
   *  a reload mid-send is rare. A reload loses them: their items are then marked not
   *  delivered, unless the server's replay shows that they did arrive. */
  private voice = new Map<string, Uint8Array>();
  private readonly o: Required<ClientOptions>;

  constructor(options: ClientOptions) {
    this.o = {
      random: Math.random, now: Date.now,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      language: "",
      ...options,
    } as Required<ClientOptions>;
    this.state = sanitize(options.store.load());
  }

  get started(): boolean {
    return this.connection !== "idle";
  }

  /** Opens the connection (no-op when already connecting or online). */
  start(): void {
    this.stoppedByUser = false;
    if (this.ws || this.retryTimer !== null) return;
    this.connect();
  }

  /** Try now instead of waiting for the backoff (the browser came back online, a retry click). */
  nudge(): void {
    if (this.connection === "online" || this.connection === "idle") return;
    if (this.ws && this.ws.readyState <= OPEN) return;
    this.cancelRetry();
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stoppedByUser = true;
    this.cancelRetry();
    this.stopTimers();
    this.drop();
    this.setConnection("idle");
  }

  /** Says something: shown at once, queued while offline, resent until acknowledged. */
  send(what: { text: string } | { choice_id: string; label: string }): HistoryItem {
    const id = this.o.uuid();
    const out: Outgoing = "text" in what
      ? { client_message_id: id, text: what.text }
      : { client_message_id: id, choice_id: what.choice_id };
    const item: HistoryItem = {
      direction: "in", client_message_id: id,
      message: { type: "text", text: "text" in what ? what.text : what.label },
    };
    this.state.pending.push(out);
    this.pushItem(item);
    this.save();
    this.o.events.item(item);
    if (this.connection === "online") this.transmit(out);
    else if (this.connection === "stopped" || this.connection === "idle") this.start();
    return item;
  }

  /**
   * Says something by voice: a recording (`mimeType` as MediaRecorder made it) sent as one
   * binary frame; the server transcribes it and answers like a text message. Shown at once
   * (an `audio` item without text until the echo brings the transcript), resent with the same
   * id after a reconnect while the page lives. A recording over the server's size limit is
   * not sent: its item is marked failed and `error("too_long")` is raised.
   */
  async sendVoice(data: Blob | ArrayBuffer | Uint8Array, mimeType: string): Promise<HistoryItem> {
    const audio = data instanceof Uint8Array ? data
      : new Uint8Array(data instanceof ArrayBuffer ? data : await data.arrayBuffer());
    const id = this.o.uuid();
    const frame = voiceFrame({ type: "voice", client_message_id: id, mime_type: mimeType }, audio);
    const item: HistoryItem = { direction: "in", client_message_id: id, message: { type: "audio" } };
    const tooBig = frame.length > (this.state.bot?.voice?.max_bytes || VOICE_MAX_BYTES);
    if (tooBig) item.failed = true;
    else this.voice.set(id, frame);
    this.pushItem(item);
    this.save();
    this.o.events.item(item);
    if (tooBig) this.o.events.error("too_long");
    else if (this.connection === "online") this.transmitVoice(id);
    else if (this.connection === "stopped" || this.connection === "idle") this.start();
    return item;
  }

  /** A new conversation: forget the old one and greet the server without `resume`. */
  restart(): void {
    this.state = { ...emptyState(), bot: this.state.bot, language: this.state.language };
    this.streams.clear();
    this.voice.clear();
    this.save();
    this.o.events.reset();
    this.cancelRetry();
    this.stopTimers();
    this.drop();
    this.attempt = 0;
    this.stoppedByUser = false;
    this.connect();
  }

  private connect(): void {
    this.retryTimer = null;
    this.setConnection(this.everOnline ? "reconnecting"
      : this.connection === "error" ? "error" : "connecting");
    let ws: SocketLike;
    try {
      ws = this.o.socket(this.o.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    // Handlers check `this.ws === ws`: a replaced socket's late events must not touch state.
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastFrameAt = this.o.now();
      this.sentResume = Boolean(this.state.token);
      // batch: a turn arrives as one frame (ack, messages, input) instead of four or five.
      const hello: Record<string, unknown> = { type: "hello", v: 1, batch: true };
      if (this.o.language) hello.language = this.o.language;
      if (this.state.token) hello.resume = { token: this.state.token, last_seq: this.state.lastSeq };
      ws.send(JSON.stringify(hello));
      this.welcomeTimer = this.o.setTimeout(() => {
        if (this.ws === ws && this.connection !== "online") ws.close(4000, "no welcome");
      }, WELCOME_MS);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = this.o.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (frame && typeof frame === "object") this.handle(frame);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopTimers();
      if (this.stoppedByUser) return;
      if (ev.code === 1008 || ev.code === 1009) {
        // Policy closes (flood, oversized frame, slow hello) would repeat on an automatic
        // retry; wait until the person acts.
        this.setConnection("stopped");
        this.o.events.error(ev.code === 1009 ? "too_big" : "policy");
        return;
      }
      this.scheduleRetry();
    };
    ws.onerror = () => { /* a close event follows; it decides */ };
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome": return this.onWelcome(frame);
      case "message": return this.onMessage(frame);
      case "partial": return this.onPartial(frame);
      case "input":
        // Sent at the end of every turn: an answer still shown as being generated is not coming.
        for (const id of [...this.streams.keys()]) this.dropStream(id);
        // And after a resume's replay: a voice message whose recording a reload lost and that
        // the replay did not show arriving never will.
        for (const i of this.state.items) {
          if (isVoice(i) && i.seq === undefined && !i.failed && !this.voice.has(i.client_message_id!)) {
            i.failed = true;
            this.o.events.update(i);
          }
        }
        this.state.input = frame.input ?? null;
        this.state.ended = Boolean(frame.ended);
        this.state.status = frame.status || (frame.ended ? "ended" : "active");
        this.save();
        this.o.events.input(this.state.input, this.state.ended, String(this.state.status));
        return;
      case "batch":
        if (Array.isArray(frame.frames)) {
          for (const inner of frame.frames) {
            if (inner && typeof inner === "object" && inner.type !== "batch") this.handle(inner);
          }
        }
        return;
      case "typing": return this.o.events.typing();
      case "ack": return this.confirm(frame.client_message_id, frame.seq);
      case "error": return this.onError(frame);
      case "reconnect":
        // The server is going away; a fresh connection lands on an instance that stays.
        this.stopTimers();
        this.drop();
        this.attempt = 0;
        this.connect();
        return;
      default:
        return; // pong, and frame types added later
    }
  }

  private onWelcome(frame: Extract<ServerFrame, { type: "welcome" }>): void {
    if (this.sentResume && !frame.resumed) {
      // The old conversation is gone (expired, ended or unknown): its history and its unsent
      // answers belong to questions nobody asks any more.
      this.state = { ...emptyState() };
      this.streams.clear();
      this.voice.clear();
      this.o.events.reset();
    }
    this.state.token = frame.resume_token;
    // A resumed welcome may leave the language out: the conversation keeps the one it had.
    if (frame.language) this.state.language = frame.language;
    if (frame.bot) this.state.bot = frame.bot;
    this.save();
    this.attempt = 0;
    this.everOnline = true;
    if (this.welcomeTimer !== null) this.o.clearTimeout(this.welcomeTimer);
    this.welcomeTimer = null;
    this.setConnection("online");
    this.o.events.welcome(this.state.bot, this.state.language || "", frame.resumed);
    // Everything unacknowledged, text and voice, again in the order it was said.
    const at = (id: string) => this.state.items.findIndex((i) => i.client_message_id === id);
    const ids = [...this.state.pending.map((p) => p.client_message_id), ...this.voice.keys()];
    for (const id of ids.sort((a, b) => at(a) - at(b))) this.transmitId(id);
    this.startHeartbeat();
  }

  private onPartial(frame: Extract<ServerFrame, { type: "partial" }>): void {
    const id = frame.stream_id;
    if (typeof id !== "string" || !id || this.closedStreams.includes(id)) return;
    if (frame.discard) {
      this.dropStream(id);
      return;
    }
    let stream = this.streams.get(id);
    if (!stream) this.streams.set(id, (stream = { text: "", length: 0, ended: false }));
    const offset = frame.offset;
    // A piece at the end is appended; a repeat adds only what is new; after a gap (pieces
    // missed) nothing is added: the stored message brings the whole text.
    if (!stream.ended && typeof frame.text === "string" && Number.isInteger(offset)
        && offset >= 0 && offset <= stream.length) {
      const fresh = Array.from(frame.text).slice(stream.length - offset);
      if (fresh.length) {
        stream.text += fresh.join("");
        stream.length += fresh.length;
        this.o.events.stream(id, stream.text);
      }
    }
    if (frame.end) stream.ended = true;
  }

  /** Forgets a stream (its late pieces are ignored); true when it was open. */
  private closeStream(id: string): boolean {
    if (!this.closedStreams.includes(id)) {
      this.closedStreams.push(id);
      if (this.closedStreams.length > CLOSED_STREAMS) this.closedStreams.shift();
    }
    return this.streams.delete(id);
  }

  private dropStream(id: string): void {
    if (this.closeStream(id)) this.o.events.streamDrop(id);
  }

  private onMessage(frame: Extract<ServerFrame, { type: "message" }>): void {
    const sid = frame.message?.stream_id;
    // The stored answer of a stream: the item event replaces what was shown of it.
    const streamed = typeof sid === "string" && sid !== "" && this.closeStream(sid);
    const seq = Number(frame.seq);
    const cmid = frame.client_message_id || undefined;
    if (frame.direction === "in" && cmid) {
      const mine = this.state.items.find((i) => i.client_message_id === cmid);
      if (mine) {
        // Our own optimistic message echoed back: stored, so no need to send it again.
        this.transcribed(mine, frame.message);
        this.confirm(cmid, seq);
        if (seq > this.state.lastSeq) this.state.lastSeq = seq;
        this.save();
        return;
      }
    }
    if (Number.isFinite(seq) && this.state.items.some((i) => i.seq === seq)) {
      if (streamed) this.o.events.streamDrop(sid as string); // already shown as stored
      return;
    }
    if (Number.isFinite(seq) && seq > this.state.lastSeq) this.state.lastSeq = seq;
    let message = frame.message || { type: "text" };
    if (frame.direction === "in") {
      // A replayed history item carries no client_message_id: recognise our own unacknowledged
      // message by what it says, or it would show twice after the resend.
      const mine = this.ownUnconfirmed(message);
      if (mine) {
        this.transcribed(mine, message);
        this.confirm(mine.client_message_id!, seq);
        return;
      }
      // Another tab's button press arrives as {type: "choice", choice_id}: show its label.
      if (message.type === "choice") message = { type: "text", text: this.choiceLabel(message.choice_id) };
    }
    const item: HistoryItem = { seq, direction: frame.direction, message };
    if (cmid) item.client_message_id = cmid;
    // A pause is a presentation hint, not history worth keeping across a reload.
    if (item.message.type !== "delay") this.pushItem(item);
    this.save();
    this.o.events.item(item);
  }

  private onError(frame: Extract<ServerFrame, { type: "error" }>): void {
    const cmid = frame.client_message_id;
    if (cmid && typeof frame.retry_after === "number" && frame.retry_after >= 0) {
      // Not refused, only not now: keep the message pending (a reconnect resends it too) and
      // send it again once the server's wait is over. The person sees it as still sending.
      this.resendLater(cmid, frame.retry_after);
      this.o.events.error(frame.code);
      return;
    }
    if (cmid) {
      // Refused for good (nothing was stored): resending would only be refused again.
      this.state.pending = this.state.pending.filter((p) => p.client_message_id !== cmid);
      this.voice.delete(cmid);
      const item = this.state.items.find((i) => i.client_message_id === cmid);
      if (item && frame.code !== "rate_limited") {
        item.failed = true;
        this.o.events.update(item);
      }
    }
    if (frame.code === "conversation_ended") {
      this.state.ended = true;
      this.state.status = "ended";
      this.state.input = null;
      this.o.events.input(null, true, "ended");
    }
    this.save();
    this.o.events.error(frame.code);
  }

  private ownUnconfirmed(message: OutboundMessage): HistoryItem | undefined {
    return this.state.items.find((i) => {
      if (i.direction !== "in" || i.seq !== undefined || i.failed || !i.client_message_id) return false;
      // A transcript cannot be foreseen: a replayed voice message is taken for our oldest
      // unacknowledged one (recorded on this page, or one whose recording a reload lost).
      if (isVoice(i) || message.type === "audio") return isVoice(i) && message.type === "audio";
      const out = this.state.pending.find((p) => p.client_message_id === i.client_message_id);
      if (!out) return false;
      return message.type === "choice" ? out.choice_id === message.choice_id
        : out.text !== undefined && out.text === message.text;
    });
  }

  private choiceLabel(id: string | undefined): string {
    const lists = [this.state.input?.choices || []];
    for (const i of this.state.items) lists.push(i.message.buttons || [], i.message.quick_replies || []);
    for (let n = lists.length - 1; n >= 0; n--) {
      const found = lists[n].find((b) => b.id === id);
      if (found) return found.label;
    }
    return id || "";
  }

  /** Our voice message's echo: its transcript (none when nothing was heard) is what it says. */
  private transcribed(item: HistoryItem, message: OutboundMessage | undefined): void {
    if (!isVoice(item) || message?.type !== "audio" || item.message.text === message.text) return;
    item.message = { ...message };
    this.o.events.update(item);
  }

  private confirm(cmid: string, seq: number): void {
    this.state.pending = this.state.pending.filter((p) => p.client_message_id !== cmid);
    this.voice.delete(cmid);
    const item = this.state.items.find((i) => i.client_message_id === cmid);
    if (item && item.seq === undefined && Number.isFinite(seq)) {
      item.seq = seq;
      // Stored after all: a voice message given up after a reload (another tab sent it).
      delete item.failed;
      this.o.events.update(item);
    }
    this.save();
  }

  private resendLater(cmid: string, seconds: number): void {
    const delay = Math.min(Math.max(seconds, 0.5), RETRY_AFTER_MAX_S) * 1000;
    this.o.setTimeout(() => this.transmitId(cmid), delay);
  }

  /** Sends the pending text or voice message with this id, if it is still pending. */
  private transmitId(cmid: string): void {
    const out = this.state.pending.find((p) => p.client_message_id === cmid);
    if (out) this.transmit(out);
    else this.transmitVoice(cmid);
  }

  private transmit(out: Outgoing): void {
    if (this.ws && this.ws.readyState === OPEN) this.ws.send(JSON.stringify({ type: "message", ...out }));
  }

  private transmitVoice(cmid: string): void {
    const frame = this.voice.get(cmid);
    if (frame && this.ws && this.ws.readyState === OPEN) this.ws.send(frame);
  }

  private pushItem(item: HistoryItem): void {
    this.state.items.push(item);
    if (this.state.items.length > MAX_ITEMS) this.state.items.splice(0, this.state.items.length - MAX_ITEMS);
  }

  private startHeartbeat(): void {
    const tick = () => {
      const ws = this.ws;
      if (!ws) return;
      if (this.o.now() - this.lastFrameAt > SILENCE_MS) {
        ws.close(4001, "silent");
        // Some browsers take long to report the close of a dead link; do not wait for it.
        ws.onclose?.({ code: 4001 });
        return;
      }
      if (ws.readyState === OPEN) ws.send(JSON.stringify({ type: "ping" }));
      this.pingTimer = this.o.setTimeout(tick, PING_MS);
    };
    this.pingTimer = this.o.setTimeout(tick, PING_MS);
  }

  private scheduleRetry(): void {
    this.setConnection(this.everOnline ? "reconnecting" : "error");
    const delay = backoffDelay(this.attempt, this.o.random);
    this.attempt += 1;
    this.retryTimer = this.o.setTimeout(() => this.connect(), delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.o.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private stopTimers(): void {
    if (this.pingTimer !== null) this.o.clearTimeout(this.pingTimer);
    if (this.welcomeTimer !== null) this.o.clearTimeout(this.welcomeTimer);
    this.pingTimer = this.welcomeTimer = null;
  }

  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try {
        ws.close(1000);
      } catch { /* already closing */ }
    }
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    this.o.events.state(state);
  }

  private save(): void {
    this.o.store.save(this.state);
  }
}

/** The person's own voice message (an optimistic item: its recording is ours). */
export function isVoice(item: HistoryItem): boolean {
  return item.direction === "in" && item.message.type === "audio" && Boolean(item.client_message_id);
}

/** Stored state may come from an older widget or be hand-edited: keep only what is sound. */
function sanitize(raw: Persisted | null): Persisted {
  const base = emptyState();
  if (!raw || typeof raw !== "object" || raw.v !== 1) return base;
  return {
    ...base,
    token: typeof raw.token === "string" ? raw.token : undefined,
    lastSeq: Number.isFinite(raw.lastSeq) ? raw.lastSeq : 0,
    language: typeof raw.language === "string" ? raw.language : undefined,
    bot: raw.bot && typeof raw.bot === "object" ? raw.bot : undefined,
    items: Array.isArray(raw.items) ? raw.items.filter((i) => i && i.message) : [],
    pending: Array.isArray(raw.pending) ? raw.pending.filter((p) => p && p.client_message_id) : [],
    input: raw.input && typeof raw.input === "object" ? raw.input : null,
    ended: Boolean(raw.ended),
    status: typeof raw.status === "string" ? raw.status : "active",
  };
}
