// Frame shapes of docs/websocket-protocol.md (version 1). Fields the widget does not use are
// left out; unknown fields are ignored so that the server can add some.

export interface Button {
  id: string;
  label: string;
  url?: string | null;
}

export type MessageType = "text" | "image" | "file" | "video" | "audio" | "delay" | "handoff";

export interface OutboundMessage {
  type: MessageType | string;
  text?: string | null;
  url?: string | null;
  buttons?: Button[];
  quick_replies?: Button[];
  seconds?: number | null;
  /** On the person's own messages echoed back: `{type: "choice", choice_id}`. */
  choice_id?: string;
  /** On a bot answer that was first streamed (`partial` frames): the stream it completes. */
  stream_id?: string | null;
  /** The answer was cut short (the provider's stream dropped, or the person wrote meanwhile). */
  incomplete?: boolean;
}

export type Direction = "in" | "out" | "operator";

export type InputKind =
  | "text" | "number" | "email" | "phone" | "date" | "choice" | "buttons" | "handoff";

export interface InputRequest {
  kind: InputKind | string;
  block_id?: string;
  choices?: Button[];
  attempts_left?: number | null;
}

export type ConversationStatus = "active" | "waiting" | "handoff" | "ended";

export interface Theme {
  title?: string | null;
  color?: string | null;
  avatar_url?: string | null;
}

/** The server takes voice messages (binary frames) from this bot's widget, up to these. */
export interface VoiceLimits {
  /** The whole binary frame (header, newline and recording). */
  max_bytes: number;
  max_seconds: number;
}

export interface BotInfo {
  name?: string;
  languages?: string[];
  theme?: Theme | null;
  /** Absent: the server cannot transcribe, the widget shows no microphone. */
  voice?: VoiceLimits | null;
}

export type ServerFrame =
  | { type: "welcome"; seq?: number; v: number; conversation_id: string; resume_token: string;
      language: string | null; resumed: boolean; bot?: BotInfo }
  | { type: "message"; seq: number; direction: Direction; message: OutboundMessage;
      client_message_id?: string | null }
  | { type: "input"; seq?: number; input: InputRequest | null; ended: boolean;
      status: ConversationStatus | string }
  | { type: "typing"; seq?: number }
  /** A piece of a bot answer being generated: `text` starts at code point `offset` of the
   *  answer. `end`: no more pieces; `discard`: the answer will not be stored, drop it. The
   *  stored answer follows as a `message` whose `message.stream_id` is this `stream_id`. */
  | { type: "partial"; seq?: number; stream_id: string; block_id?: string; offset: number;
      text: string; end?: boolean; discard?: boolean }
  | { type: "ack"; seq: number; client_message_id: string; duplicate?: boolean }
  | { type: "error"; seq?: number; code: string; message?: string;
      client_message_id?: string | null;
      /** Set when the server could not take the message *now* (Redis or the database down,
       *  the conversation busy): nothing was stored, resend it after this many seconds. */
      retry_after?: number }
  | { type: "pong"; seq?: number }
  | { type: "reconnect"; seq?: number; reason?: string }
  /** Several frames as one (a turn's ack, messages and input): the widget asks for these. */
  | { type: "batch"; seq?: number; frames: ServerFrame[] };

/** What the person says: exactly one of text / choice_id (payload is not used by the widget). */
export interface Outgoing {
  client_message_id: string;
  text?: string;
  choice_id?: string;
}

/** The header of a binary voice frame: this JSON, one `\n` byte, then the recording. */
export interface VoiceHeader {
  type: "voice";
  client_message_id: string;
  mime_type: string;
}

/** One line of the rendered history, as stored in localStorage. */
export interface HistoryItem {
  /** The server's history position; absent on an optimistic message not acknowledged yet. */
  seq?: number;
  direction: Direction;
  message: OutboundMessage;
  client_message_id?: string;
  /** The server refused it (an `error` frame naming its client_message_id). */
  failed?: boolean;
}
