// The test panel's side of the chat socket (docs/websocket-protocol.md, version 1): one
// preview conversation, joined with its resume token and kept alive across drops. The widget
// (builder-ui/widget) speaks the same protocol in its own bundle; this client is smaller (no
// storage, no reload survival) and says when it gives up, so that the panel can carry on over
// REST. The WebSocket constructor and the timers are injected, so that tests drive it.
import type { components } from "../api/schema";
import type { ChatButton } from "../api/types";

export type InputRequest = components["schemas"]["InputRequest"];

/** Keep-alive: the server closes a socket that says nothing for 120 s. */
export const PING_MS = 25_000;
/** A server silent for two pings and a bit is gone even if TCP has not noticed. */
export const SILENCE_MS = PING_MS * 2 + 10_000;
/** The server must welcome us within this after the socket opens. */
export const WELCOME_MS = 10_000;
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 8_000;
/** Reconnections tried in a row after a drop before giving up. */
export const MAX_RECONNECTS = 6;
/** The longest wait honoured from an error frame's retry_after. */
export const RETRY_AFTER_MAX_S = 60;
/** How often one message is resent after retryable errors before it counts as failed. */
export const MAX_RESENDS = 5;
const OPEN = 1;
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

/** What the client needs of a WebSocket (the browser's, or a test's fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type SocketConstructor = new (url: string) => SocketLike;

/** The environment's WebSocket, or null where there is none (the panel then uses REST). */
export function defaultSocketConstructor(): SocketConstructor | null {
  const ctor = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof ctor === "function" ? (ctor as SocketConstructor) : null;
}

/** `ws(s)://<this page's host>/ws/v1/chat?key=…`: the socket lives where the builder is served. */
export function chatSocketUrl(key: string, base: { protocol: string; host: string } = globalThis.location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}/ws/v1/chat?key=${encodeURIComponent(key)}`;
}

/** Exponential backoff with jitter (half to all of 0.5 s · 2^attempt, at most 8 s). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.round(base / 2 + (random() * base) / 2);
}

export type Direction = "in" | "out" | "operator";

/** A history item's message as the socket sends it (a person's own choice: `{type: "choice", choice_id}`). */
export interface SocketMessage {
  type: string;
  text?: string | null;
  url?: string | null;
  buttons?: ChatButton[];
  quick_replies?: ChatButton[];
  seconds?: number | null;
  block_id?: string | null;
  choice_id?: string;
}

export interface SocketItem {
  seq: number;
  direction: Direction;
  message: SocketMessage;
  clientMessageId: string | null;
}

export interface InputState {
  seq: number;
  input: InputRequest | null;
  ended: boolean;
  status: string;
}

export interface SocketError {
  code: string;
  message: string;
  clientMessageId: string | null;
  /** Seconds the server asked us to wait before resending; null when it is not worth it. */
  retryAfter: number | null;
  /** The client resends the frame by itself after retryAfter. */
  willRetry: boolean;
}

export type Outgoing = { client_message_id: string } & ({ text: string } | { choice_id: string });

/** connecting: the first connection; online: welcomed; reconnecting: lost after being online;
 * closed: closed by us, or given up. */
export type SocketConnection = "connecting" | "online" | "reconnecting" | "closed";

/** Why the client stopped trying: `refused` (never welcomed: no socket, a 403, a refused
 * hello), `policy` (closed 1008/1009: a retry would be closed again), `exhausted` (reconnects
 * used up), `not_resumed` (the server did not take the token and started another
 * conversation, which is not the preview). */
export type GiveUpReason = "refused" | "policy" | "exhausted" | "not_resumed";

export interface SocketEvents {
  connection?(state: SocketConnection): void;
  welcome?(info: { conversationId: string; resumed: boolean }): void;
  /** A history item not seen before (by seq), that is not our own message coming back. */
  item?(item: SocketItem): void;
  /** Our message is stored at `seq` (said once per message). */
  ack?(clientMessageId: string, seq: number, duplicate: boolean): void;
  input?(state: InputState): void;
  typing?(): void;
  error?(error: SocketError): void;
  /** The client stopped; `pending` are our messages never acknowledged (resend them elsewhere
   * with the same client_message_id: the server stores and answers each once). */
  giveUp?(reason: GiveUpReason, pending: Outgoing[]): void;
}

export interface ChatSocketOptions {
  url: string;
  /** The conversation's resume token (POST /preview's resume_token). */
  token: string;
  /** The highest seq already shown: the server replays only what comes after. */
  lastSeq: number;
  language?: string;
  events: SocketEvents;
  WebSocket: SocketConstructor;
  uuid?: () => string;
  random?: () => number;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

type Frame = Record<string, unknown> & { type?: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function integer(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

/** A client_message_id: random, unique per message (crypto.randomUUID needs a secure page). */
export function randomId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === "function") c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ChatSocket {
  connection: SocketConnection = "connecting";
  /** The highest history seq seen: sent as `last_seq` on every resume. */
  lastSeq: number;
  private token: string;
  private ws: SocketLike | null = null;
  private welcomed = false; // on the current socket
  private everOnline = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private welcomeTimer: unknown = null;
  private lastFrameAt = 0;
  /** Ours, unacknowledged, in the order sent. */
  private readonly pending = new Map<string, Outgoing>();
  /** Every id we sent: its echo is not someone else's message. */
  private readonly own = new Set<string>();
  private readonly acked = new Set<string>();
  private readonly resends = new Map<string, number>();
  private readonly timers = new Set<unknown>();
  private readonly o: Required<Omit<ChatSocketOptions, "language">> & { language?: string };

  constructor(options: ChatSocketOptions) {
    this.o = {
      uuid: randomId,
      random: Math.random,
      now: Date.now,
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.token = options.token;
    this.lastSeq = options.lastSeq;
  }

  /** Opens the connection (once). */
  start(): void {
    if (this.ws || this.stopped || this.retryTimer !== null) return;
    this.connect();
  }

  /** Says something; queued until the socket is online, resent after a reconnect until
   * acknowledged. Returns its client_message_id (`id`, or a new one). */
  send(what: { text: string } | { choice_id: string }, id: string = this.o.uuid()): string {
    const out: Outgoing = "text" in what ? { client_message_id: id, text: what.text } : { client_message_id: id, choice_id: what.choice_id };
    this.pending.set(id, out);
    this.own.add(id);
    if (this.welcomed) this.transmit(out);
    return id;
  }

  /** Closes for good (the panel restarts or goes away); no event follows. */
  close(): void {
    this.stopped = true;
    this.clearAll();
    this.drop(1000);
    this.connection = "closed";
  }

  private connect(): void {
    this.retryTimer = null;
    this.welcomed = false;
    this.setConnection(this.everOnline ? "reconnecting" : "connecting");
    let ws: SocketLike;
    try {
      ws = new this.o.WebSocket(this.o.url);
    } catch {
      this.lost();
      return;
    }
    this.ws = ws;
    // Every handler checks `this.ws === ws`: a replaced socket's late events change nothing.
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastFrameAt = this.o.now();
      this.hello(ws);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = this.o.now();
      let frame: unknown;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (isObject(frame)) this.handle(frame);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      this.stopHeartbeat();
      if (this.stopped) return;
      if (ev.code === CLOSE_POLICY || ev.code === CLOSE_TOO_BIG) {
        // Flood, an oversized frame or a slow hello: an automatic retry would end the same way.
        this.giveUp("policy");
        return;
      }
      this.lost();
    };
    ws.onerror = () => {
      /* a close event follows; it decides */
    };
  }

  private hello(ws: SocketLike): void {
    const hello: Record<string, unknown> = {
      type: "hello",
      v: 1,
      batch: true,
      // only: the preview or nothing (a token that no longer works must not start a
      // conversation of its own on the published version).
      resume: { token: this.token, last_seq: this.lastSeq, only: true },
    };
    if (this.o.language) hello.language = this.o.language;
    this.write(ws, hello);
    this.clearTimer(this.welcomeTimer);
    this.welcomeTimer = this.later(() => {
      this.welcomeTimer = null;
      if (this.ws === ws && !this.welcomed) this.abandon(ws, 4000, "no welcome");
    }, WELCOME_MS);
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case "welcome":
        return this.onWelcome(frame);
      case "message":
        return this.onMessage(frame);
      case "input":
        this.o.events.input?.({
          seq: integer(frame.seq) ?? this.lastSeq,
          input: isObject(frame.input) ? (frame.input as unknown as InputRequest) : null,
          ended: frame.ended === true,
          status: typeof frame.status === "string" ? frame.status : frame.ended ? "ended" : "active",
        });
        return;
      case "batch":
        if (Array.isArray(frame.frames)) {
          for (const inner of frame.frames) if (isObject(inner) && inner.type !== "batch") this.handle(inner);
        }
        return;
      case "ack":
        if (typeof frame.client_message_id === "string") {
          this.confirm(frame.client_message_id, integer(frame.seq) ?? this.lastSeq, frame.duplicate === true);
        }
        return;
      case "typing":
        this.o.events.typing?.();
        return;
      case "error":
        return this.onError(frame);
      case "reconnect": {
        // The server is going away: a new connection lands on an instance that stays.
        const ws = this.ws;
        if (ws) this.abandon(ws, 1000, "server asked to reconnect", true);
        return;
      }
      default:
        return; // pong, and frame types added later
    }
  }

  private onWelcome(frame: Frame): void {
    if (frame.resumed !== true) {
      // The token was not taken and the server started a conversation of its own: that is
      // not the preview (it runs the published version, as a web visitor). Stop here.
      this.giveUp("not_resumed");
      return;
    }
    if (typeof frame.resume_token === "string") this.token = frame.resume_token; // the freshest
    this.welcomed = true;
    this.everOnline = true;
    this.attempt = 0;
    this.clearTimer(this.welcomeTimer);
    this.welcomeTimer = null;
    this.setConnection("online");
    this.o.events.welcome?.({ conversationId: String(frame.conversation_id ?? ""), resumed: true });
    // Unacknowledged messages go again with their ids: stored and answered once.
    for (const out of this.pending.values()) this.transmit(out);
    this.startHeartbeat();
  }

  private onMessage(frame: Frame): void {
    const seq = integer(frame.seq);
    // History items come in seq order, each once per socket; after a resume the server
    // replays only what follows last_seq. Anything at or below it was shown already.
    if (seq === null || seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const direction: Direction = frame.direction === "in" || frame.direction === "operator" ? frame.direction : "out";
    const message: SocketMessage = isObject(frame.message) ? (frame.message as unknown as SocketMessage) : { type: "text" };
    const cmid = typeof frame.client_message_id === "string" ? frame.client_message_id : null;
    if (direction === "in") {
      if (cmid && this.own.has(cmid)) {
        this.confirm(cmid, seq, false); // our own message, echoed
        return;
      }
      // A replayed item has no client_message_id: know our unacknowledged message by content.
      const mine = cmid ? undefined : this.unconfirmed(message);
      if (mine) {
        this.confirm(mine, seq, false);
        return;
      }
    }
    this.o.events.item?.({ seq, direction, message, clientMessageId: cmid });
  }

  private unconfirmed(message: SocketMessage): string | undefined {
    for (const out of this.pending.values()) {
      if (message.type === "choice" ? "choice_id" in out && out.choice_id === message.choice_id : "text" in out && out.text === message.text) {
        return out.client_message_id;
      }
    }
    return undefined;
  }

  private confirm(cmid: string, seq: number, duplicate: boolean): void {
    this.pending.delete(cmid);
    this.resends.delete(cmid);
    if (!this.own.has(cmid) || this.acked.has(cmid)) return;
    this.acked.add(cmid);
    this.o.events.ack?.(cmid, seq, duplicate);
  }

  private onError(frame: Frame): void {
    const cmid = typeof frame.client_message_id === "string" ? frame.client_message_id : null;
    const retryAfter = typeof frame.retry_after === "number" && frame.retry_after >= 0 ? frame.retry_after : null;
    const error = {
      code: typeof frame.code === "string" ? frame.code : "internal",
      message: typeof frame.message === "string" ? frame.message : "",
      clientMessageId: cmid,
      retryAfter,
    };
    const ws = this.ws;
    if (!this.welcomed && ws) {
      // The hello was refused. A retryable refusal (the database is down): say hello again
      // after the wait, on the same socket. Anything else will not get better.
      if (retryAfter !== null) {
        this.o.events.error?.({ ...error, willRetry: true });
        this.clearTimer(this.welcomeTimer); // hello() starts it again
        this.welcomeTimer = null;
        this.later(() => {
          if (this.ws === ws && !this.welcomed) this.hello(ws);
        }, this.wait(retryAfter));
        return;
      }
      this.o.events.error?.({ ...error, willRetry: false });
      this.giveUp(error.code === "not_resumed" ? "not_resumed" : "refused");
      return;
    }
    const out = cmid ? this.pending.get(cmid) : undefined;
    if (out && retryAfter !== null) {
      const tries = (this.resends.get(out.client_message_id) ?? 0) + 1;
      if (tries <= MAX_RESENDS) {
        // Nothing was stored: the same frame, same id, after the server's wait.
        this.resends.set(out.client_message_id, tries);
        this.o.events.error?.({ ...error, willRetry: true });
        this.later(() => {
          if (this.pending.has(out.client_message_id)) this.transmit(out);
        }, this.wait(retryAfter));
        return;
      }
    }
    if (out) {
      // Refused for good (nothing stored): a resend would be refused again.
      this.pending.delete(out.client_message_id);
      this.resends.delete(out.client_message_id);
    }
    this.o.events.error?.({ ...error, willRetry: false });
  }

  private wait(seconds: number): number {
    return Math.min(Math.max(seconds, 0.5), RETRY_AFTER_MAX_S) * 1000;
  }

  private transmit(out: Outgoing): void {
    if (this.ws && this.ws.readyState === OPEN && this.welcomed) this.write(this.ws, { type: "message", ...out });
  }

  private write(ws: SocketLike, frame: Record<string, unknown>): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      /* closing: the close event decides */
    }
  }

  /** A connection we stop using (no welcome, silent, the server going away): close it and go
   * on as if it had dropped, without waiting for the browser's close event. */
  private abandon(ws: SocketLike, code: number, reason: string, now = false): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.welcomed = false;
    this.stopHeartbeat();
    try {
      ws.close(code, reason);
    } catch {
      /* already closing */
    }
    if (this.stopped) return;
    if (now) {
      this.attempt = 0;
      this.connect();
    } else this.lost();
  }

  /** The connection dropped: try again (with backoff), or give up. */
  private lost(): void {
    if (!this.everOnline) {
      this.giveUp("refused");
      return;
    }
    if (this.attempt >= MAX_RECONNECTS) {
      this.giveUp("exhausted");
      return;
    }
    this.setConnection("reconnecting");
    const delay = backoffDelay(this.attempt, this.o.random);
    this.attempt += 1;
    this.retryTimer = this.later(() => this.connect(), delay);
  }

  private giveUp(reason: GiveUpReason): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearAll();
    this.drop(1000);
    this.setConnection("closed");
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.o.events.giveUp?.(reason, pending);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const tick = () => {
      this.pingTimer = null;
      const ws = this.ws;
      if (!ws || !this.welcomed) return;
      if (this.o.now() - this.lastFrameAt > SILENCE_MS) {
        this.abandon(ws, 4001, "silent");
        return;
      }
      if (ws.readyState === OPEN) this.write(ws, { type: "ping" });
      this.pingTimer = this.later(tick, PING_MS);
    };
    this.pingTimer = this.later(tick, PING_MS);
  }

  private stopHeartbeat(): void {
    this.clearTimer(this.pingTimer);
    this.clearTimer(this.welcomeTimer);
    this.pingTimer = this.welcomeTimer = null;
  }

  private later(fn: () => void, ms: number): unknown {
    const handle: unknown = this.o.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private clearTimer(handle: unknown): void {
    if (handle === null) return;
    this.timers.delete(handle);
    this.o.clearTimeout(handle);
  }

  private clearAll(): void {
    for (const handle of this.timers) this.o.clearTimeout(handle);
    this.timers.clear();
    this.retryTimer = this.pingTimer = this.welcomeTimer = null;
  }

  private drop(code: number): void {
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(code);
    } catch {
      /* already closing */
    }
  }

  private setConnection(state: SocketConnection): void {
    if (state === this.connection) return;
    this.connection = state;
    this.o.events.connection?.(state);
  }
}
