import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, type ProblemItem } from "../api/errors";
import type { ChatButton, MessageOut, PreviewStarted, TraceTurn, TurnAnswer } from "../api/types";
import { useApi } from "../context";
import {
  ChatSocket,
  chatSocketUrl,
  defaultSocketConstructor,
  randomId,
  type GiveUpReason,
  type InputRequest,
  type Outgoing,
  type SocketConstructor,
  type SocketError,
  type SocketItem,
} from "./chatSocket";
import { formatTrace, visitedBlocks, type TraceView } from "./trace";
import type { PanelIssue } from "./ValidationPanel";

type TraceState =
  | { state: "loading" }
  | { state: "error"; detail: string }
  | { state: "none" }
  | { state: "ready"; view: TraceView };
type ChatItem =
  | { from: "bot"; message: MessageOut }
  | { from: "user"; text: string; id?: string; failed?: boolean }
  | { from: "trace"; turn: number; trace: TraceState };
/** What the conversation waits for now (a turn's answer, or the socket's `input` frame). */
type Waiting = { input: InputRequest | null; ended: boolean };
/** How the test chat talks to the server: the widget's socket (connecting, online,
 * reconnecting), or REST when there is no socket to be had. */
export type Connection = "connecting" | "online" | "reconnecting" | "rest";
/** Why the chat went over to REST (shown once, under the chat). */
type FallbackReason = GiveUpReason | "nokey";

/** Socket error codes with a text of their own (docs/websocket-protocol.md); others show the code. */
const ERROR_CODES = [
  "bad_json",
  "bad_frame",
  "hello_required",
  "conversation_ended",
  "not_runnable",
  "rate_limited",
  "too_long",
  "lock_timeout",
  "dependency_unavailable",
  "database_unavailable",
  "internal",
] as const;

/** The keyboard shortcut that restarts the test chat (see the editor's keydown handler). */
export const RESTART_SHORTCUT = "Alt+R";

/** Whether a key press is the restart shortcut: Alt+R (by the key's place, so that a layout
 * where Alt+R types a letter still works), without Ctrl or Meta. */
export function isRestartShortcut(event: Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "code" | "key">): boolean {
  return event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyR" || event.key.toLowerCase() === "r");
}

/** A client_message_id: random, unique per message (crypto.randomUUID needs a secure page). */
export const messageId = randomId;

function Buttons({ buttons, disabled, onChoose }: { buttons: ChatButton[]; disabled: boolean; onChoose: (b: ChatButton) => void }) {
  return (
    <div className="chat-buttons">
      {buttons.map((button) =>
        button.url ? (
          <a key={button.id} className="chat-button" href={button.url} target="_blank" rel="noreferrer noopener">
            {button.label} ↗
          </a>
        ) : (
          <button
            key={button.id}
            type="button"
            className="chat-button"
            data-testid="chat-button"
            data-choice-id={button.id}
            disabled={disabled}
            onClick={() => onChoose(button)}
          >
            {button.label}
          </button>
        ),
      )}
    </div>
  );
}

/** A button's label for a choice the person made elsewhere (another tab, a REST call). */
function choiceLabel(items: ChatItem[], waiting: Waiting | null, id: string | undefined): string {
  const lists: ChatButton[][] = [waiting?.input?.choices ?? []];
  for (const item of items) if (item.from === "bot") lists.push(item.message.buttons ?? [], item.message.quick_replies ?? []);
  for (let n = lists.length - 1; n >= 0; n--) {
    const found = lists[n].find((b) => b.id === id);
    if (found) return found.label;
  }
  return id ?? "";
}

export function TestPanel({
  scenarioId,
  botId,
  startRequest,
  beforeStart,
  onWaiting,
  onIssue,
  onVisited,
  onFocusBlock,
  scenarioName,
  socketConstructor,
}: {
  scenarioId: string;
  /** The scenario's bot (its chat key opens the socket); read from the scenario when absent. */
  botId?: string;
  /** Incremented to start (or restart) a conversation from outside (the toolbar's Test). */
  startRequest: number;
  /** Saves the draft first; false when it could not be saved. */
  beforeStart: () => Promise<boolean>;
  onWaiting: (blockId: string | null) => void;
  onIssue: (issue: PanelIssue) => void;
  /** The blocks of this scenario the last turn passed through (none after a restart). */
  onVisited?: (blockIds: string[]) => void;
  /** A trace step's block id was clicked. */
  onFocusBlock?: (blockId: string) => void;
  /** The scenario's name: trace steps in other scenarios are not on this canvas. */
  scenarioName?: string;
  /** The WebSocket to use (tests); default: the browser's; null: REST only. */
  socketConstructor?: SocketConstructor | null;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const inputId = useId();
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [items, setItems] = useState<ChatItem[]>([]);
  const [waiting, setWaitingState] = useState<Waiting | null>(null);
  const [busy, setBusy] = useState(false);
  // The draft as it is now, or a published version (no save needed).
  const [target, setTarget] = useState<"draft" | number>("draft");
  const [versions, setVersions] = useState<number[]>([]);
  const targetId = useId();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** A retryable refusal (retry_after): the message goes again by itself. */
  const [retrying, setRetrying] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [problems, setProblems] = useState<ProblemItem[] | null>(null);
  const [text, setText] = useState("");
  const generation = useRef(0);
  const turns = useRef(0);
  const log = useRef<HTMLOListElement>(null);
  /** The open socket of the current conversation; null over REST. */
  const socket = useRef<ChatSocket | null>(null);
  /** The highest history seq shown: a resume asks for what follows, REST answers skip it. */
  const lastSeq = useRef(0);
  /** Our message in flight over the socket, and whether it was acknowledged. */
  const inFlight = useRef<{ id: string; acked: boolean } | null>(null);
  /** Bot messages arrived over the socket that no trace covers yet (a timeout's turn). */
  const untraced = useRef(false);
  const resolvedBot = useRef<string | null>(botId ?? null);
  const chatKeys = useRef(new Map<string, string>());
  // The latest props for callbacks from the socket.
  const latest = useRef({ onWaiting, onVisited, scenarioName });
  latest.current = { onWaiting, onVisited, scenarioName };
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const waitingRef = useRef(waiting);
  waitingRef.current = waiting;

  const closeSocket = () => {
    socket.current?.close();
    socket.current = null;
    inFlight.current = null;
    untraced.current = false;
  };

  const setWaiting = (next: Waiting) => {
    setWaitingState(next);
    latest.current.onWaiting(!next.ended && next.input ? next.input.block_id : null);
  };

  /** The turn's trace, shown under its messages: the newest turn of the conversation (the one
   * with our client_message_id when we sent one). */
  const loadTrace = async (conversation: string, clientMessageId: string | null, mine: number) => {
    const turn = ++turns.current;
    const update = (trace: TraceState) =>
      setItems((list) => list.map((item) => (item.from === "trace" && item.turn === turn ? { ...item, trace } : item)));
    setItems((list) => [...list, { from: "trace", turn, trace: { state: "loading" } }]);
    const visited = (ids: string[]) => latest.current.onVisited?.(ids);
    try {
      let page = await api.get("/api/v1/conversations/{conversation_id}/trace", {
        path: { conversation_id: conversation },
        query: { limit: 1 },
      });
      let found: TraceTurn | undefined = page.items[0];
      if (clientMessageId && found && found.client_message_id !== null && found.client_message_id !== clientMessageId) {
        // Another turn came in meanwhile (a timeout): look a little further back.
        page = await api.get("/api/v1/conversations/{conversation_id}/trace", {
          path: { conversation_id: conversation },
          query: { limit: 10 },
        });
        found = page.items.find((item) => item.client_message_id === clientMessageId) ?? found;
      }
      if (mine !== generation.current) return;
      if (!found) {
        update({ state: "none" });
        visited([]);
        return;
      }
      const view = formatTrace(found);
      update({ state: "ready", view });
      visited(visitedBlocks(view, latest.current.scenarioName ?? null));
    } catch (e) {
      if (mine !== generation.current) return;
      update({ state: "error", detail: errorMessage(e) });
      visited([]);
    }
  };

  /** A turn's answer over REST (the preview's first one too): its messages not shown yet. */
  const take = (next: TurnAnswer, conversation: string, clientMessageId: string | null, mine: number) => {
    const fresh = next.messages.filter((m) => !(m.seq <= lastSeq.current));
    lastSeq.current = Math.max(lastSeq.current, next.inbound_seq ?? 0, ...next.messages.map((m) => m.seq).filter(Number.isFinite));
    setItems((list) => [...list, ...fresh.map((message): ChatItem => ({ from: "bot", message }))]);
    setWaiting({ input: next.input, ended: next.ended });
    void loadTrace(conversation, clientMessageId, mine);
  };

  /** Sends over REST (also what the socket could not deliver, with the same id: stored and
   * answered once). */
  const sendRest = async (conversation: string, out: Outgoing, mine: number) => {
    setBusy(true);
    try {
      const next = await api.post("/api/v1/conversations/{conversation_id}/messages", {
        path: { conversation_id: conversation },
        body: out,
      });
      if (mine === generation.current) take(next, conversation, out.client_message_id, mine);
    } catch (e) {
      if (mine === generation.current) setError(t("editor.test.failed", { detail: errorMessage(e) }));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  const describeError = (e: SocketError) => {
    const what = (ERROR_CODES as readonly string[]).includes(e.code) ? t(`editor.test.socket.errors.${e.code}`) : e.code;
    const detail = e.message || e.code;
    return e.willRetry && e.retryAfter !== null
      ? t("editor.test.socket.retrying", { what, detail, seconds: Math.max(e.retryAfter, 0.5) })
      : t("editor.test.socket.error", { what, detail });
  };

  /** Goes on over REST: the socket is not to be had (or gave up). */
  const fallBack = (conversation: string, mine: number, reason: FallbackReason | null, pending: Outgoing[] = []) => {
    socket.current = null;
    inFlight.current = null;
    setTyping(false);
    setRetrying(null);
    setConnection("rest");
    if (reason) setNotice(t(`editor.test.socket.fallback.${reason}`));
    if (reason === "refused" || reason === "nokey") {
      // The key may have been rotated meanwhile: read it again next time.
      if (resolvedBot.current) chatKeys.current.delete(resolvedBot.current);
    }
    setBusy(false);
    void (async () => {
      for (const out of pending) {
        if (mine !== generation.current) return;
        await sendRest(conversation, out, mine);
      }
    })();
  };

  const readChatKey = async (): Promise<string> => {
    let bot = resolvedBot.current;
    if (!bot) {
      const scenario = await api.get("/api/v1/scenarios/{scenario_id}", { path: { scenario_id: scenarioId } });
      bot = resolvedBot.current = scenario.bot_id;
    }
    const known = chatKeys.current.get(bot);
    if (known) return known;
    const { key } = await api.get("/api/v1/bots/{bot_id}/chat-key", { path: { bot_id: bot } });
    chatKeys.current.set(bot, key);
    return key;
  };

  /** Joins the preview over the widget's socket with its resume token, from the last seq
   * shown (the preview's first answer came with POST /preview). */
  const openSocket = async (started: PreviewStarted, mine: number) => {
    const conversation = started.conversation_id;
    const Socket = socketConstructor === undefined ? defaultSocketConstructor() : socketConstructor;
    if (!Socket) {
      fallBack(conversation, mine, null);
      return;
    }
    let key: string;
    try {
      key = await readChatKey();
    } catch {
      if (mine === generation.current) fallBack(conversation, mine, "nokey");
      return;
    }
    if (mine !== generation.current) return;
    const current = () => mine === generation.current && socket.current === client;
    const client: ChatSocket = new ChatSocket({
      url: chatSocketUrl(key),
      token: started.resume_token,
      lastSeq: lastSeq.current,
      WebSocket: Socket,
      uuid: messageId,
      events: {
        connection: (state) => {
          if (current() && state !== "closed") setConnection(state);
        },
        item: (item: SocketItem) => {
          if (!current()) return;
          lastSeq.current = Math.max(lastSeq.current, item.seq);
          setTyping(false);
          if (item.direction === "in") {
            const said =
              item.message.type === "choice"
                ? choiceLabel(itemsRef.current, waitingRef.current, item.message.choice_id)
                : (item.message.text ?? `[${item.message.type}]`);
            setItems((list) => [...list, { from: "user", text: said }]);
            return;
          }
          if (item.direction === "out") untraced.current = true;
          const message = { ...item.message, seq: item.seq } as MessageOut;
          setItems((list) => [...list, { from: "bot", message }]);
        },
        ack: (id) => {
          if (current() && inFlight.current?.id === id) inFlight.current.acked = true;
        },
        input: (state) => {
          if (!current()) return;
          setTyping(false);
          setWaiting({ input: state.input, ended: state.ended });
          const turn = inFlight.current;
          if (turn?.acked) {
            // Our turn is complete: its messages are in, its trace can be read.
            inFlight.current = null;
            untraced.current = false;
            setBusy(false);
            setRetrying(null);
            void loadTrace(conversation, turn.id, mine);
          } else if (!turn && untraced.current) {
            untraced.current = false;
            void loadTrace(conversation, null, mine);
          }
        },
        typing: () => {
          if (current()) setTyping(true);
        },
        error: (e) => {
          if (!current()) return;
          setTyping(false);
          if (e.willRetry) {
            setRetrying(describeError(e));
            return;
          }
          setRetrying(null);
          setError(describeError(e));
          if (e.clientMessageId && inFlight.current?.id === e.clientMessageId) {
            inFlight.current = null;
            setBusy(false);
            const failed = e.clientMessageId;
            setItems((list) => list.map((item) => (item.from === "user" && item.id === failed ? { ...item, failed: true } : item)));
          }
          if (e.code === "conversation_ended") setWaiting({ input: null, ended: true });
        },
        welcome: () => {
          if (current()) setRetrying(null);
        },
        giveUp: (reason, pending) => {
          if (current()) fallBack(conversation, mine, reason, pending);
        },
      },
    });
    socket.current = client;
    setConnection("connecting");
    client.start();
  };

  const start = async () => {
    const mine = ++generation.current;
    closeSocket();
    setBusy(true);
    setError(null);
    setNotice(null);
    setRetrying(null);
    setTyping(false);
    setProblems(null);
    setItems([]);
    setWaitingState(null);
    setConversationId(null);
    setConnection(null);
    lastSeq.current = 0;
    onWaiting(null);
    onVisited?.([]);
    try {
      if (target === "draft" && !(await beforeStart())) {
        if (mine === generation.current) setError(t("editor.test.saveFirst"));
        return;
      }
      const started = await api.post("/api/v1/scenarios/{scenario_id}/preview", {
        path: { scenario_id: scenarioId },
        body: target === "draft" ? {} : { version: target },
      });
      if (mine !== generation.current) return;
      setConversationId(started.conversation_id);
      take(started.answer, started.conversation_id, null, mine);
      await openSocket(started, mine);
    } catch (e) {
      if (mine !== generation.current) return;
      if (e instanceof ApiError && e.status === 422 && e.errors?.length) setProblems(e.errors);
      else setError(t("editor.test.failed", { detail: errorMessage(e) }));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  const send = (message: { text: string } | { choice_id: string; label: string }) => {
    if (!conversationId) return;
    const mine = generation.current;
    const said = "text" in message ? message.text : message.label;
    const what = "text" in message ? { text: message.text } : { choice_id: message.choice_id };
    setError(null);
    const client = socket.current;
    if (client) {
      const id = messageId();
      inFlight.current = { id, acked: false };
      client.send(what, id);
      setBusy(true);
      setItems((list) => [...list, { from: "user", text: said, id }]);
      return;
    }
    const out = { client_message_id: messageId(), ...what } as Outgoing;
    setItems((list) => [...list, { from: "user", text: said, id: out.client_message_id }]);
    void sendRest(conversationId, out, mine);
  };

  // The versions to offer: read with the panel and again on each start (one was published).
  const loadVersions = () => {
    api
      .get("/api/v1/scenarios/{scenario_id}/versions", { path: { scenario_id: scenarioId }, query: { limit: 200 } })
      .then((page) => setVersions(page.items.map((v) => v.number).sort((a, b) => b - a)))
      .catch(() => undefined); // the draft stays testable; the list comes back next time
  };
  useEffect(loadVersions, [api, scenarioId, startRequest]);

  // The toolbar's Test button: each press increments startRequest.
  useEffect(() => {
    if (startRequest > 0) void start();
  }, [startRequest]);

  // A panel that goes away (or moves to another scenario) leaves no socket behind.
  useEffect(
    () => () => {
      generation.current++;
      closeSocket();
    },
    [scenarioId],
  );
  useEffect(() => {
    if (botId) resolvedBot.current = botId;
  }, [botId]);

  useEffect(() => () => onWaiting(null), [onWaiting]);
  useEffect(() => () => onVisited?.([]), [onVisited]);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const said = text.trim();
    if (!said) return;
    setText("");
    send({ text: said });
  };

  const ended = waiting?.ended ?? false;
  const lastBot = [...items].reverse().find((i) => i.from === "bot");
  const choices = waiting?.input?.kind === "choice" ? (waiting.input.choices ?? []) : [];

  return (
    <section className="test-panel" data-testid="test-panel" aria-labelledby="test-title">
      <div className="test-panel__head">
        <h2 id="test-title" className="visually-hidden">
          {t("editor.test.title")}
        </h2>
        <span className="muted small">{conversationId ? t("editor.test.running") : ""}</span>
        {conversationId && connection && (
          <span
            className={`test-connection test-connection--${connection}`}
            data-testid="test-connection"
            data-state={connection}
            role="status"
            aria-label={t(`editor.test.socket.label.${connection}`)}
            title={t(`editor.test.socket.label.${connection}`)}
          >
            <span className="test-connection__dot" aria-hidden="true" />
            <span aria-hidden="true">{t(`editor.test.socket.state.${connection}`)}</span>
          </span>
        )}
        <label className="visually-hidden" htmlFor={targetId}>
          {t("editor.test.target")}
        </label>
        <select
          id={targetId}
          data-testid="test-target"
          value={String(target)}
          onFocus={loadVersions}
          onChange={(e) => setTarget(e.target.value === "draft" ? "draft" : Number(e.target.value))}
        >
          <option value="draft">{t("editor.test.draft")}</option>
          {versions.map((n) => (
            <option key={n} value={n}>
              {t("editor.test.version", { number: n })}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="test-restart"
          onClick={() => void start()}
          disabled={busy && !conversationId}
          aria-keyshortcuts={RESTART_SHORTCUT}
          title={RESTART_SHORTCUT}
        >
          {conversationId ? t("editor.test.restart") : t("editor.test.start")}
        </button>
      </div>
      <p className="hint" data-testid="test-help">
        {t("editor.test.help")}
      </p>
      {!conversationId && !busy && !problems && !error && <p className="muted">{t("editor.test.intro")}</p>}
      {busy && !conversationId && <p className="muted">{t("editor.test.starting")}</p>}
      {problems && (
        <div className="error-box" data-testid="chat-errors">
          <p>{t("editor.test.errors")}</p>
          <ul className="issues">
            {problems.map((p, i) => (
              <li key={i}>
                <button type="button" className="issue issue--error" data-testid="chat-error-item" onClick={() => onIssue(p)}>
                  <span className="issue__message">{p.message}</span>
                  <span className="issue__where">
                    {p.code ? `${p.code} · ` : ""}
                    {p.path || "/"}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ol className="chat-log" ref={log} aria-live="polite" data-testid="chat-log">
        {items.map((item, i) =>
          item.from === "trace" ? (
            <TraceItem key={`trace-${item.turn}`} turn={item.turn} trace={item.trace} onFocusBlock={onFocusBlock} />
          ) : item.from === "user" ? (
            <li key={i} className={item.failed ? "chat-message chat-message--user is-failed" : "chat-message chat-message--user"}>
              <span className="visually-hidden">{t("editor.test.you")}: </span>
              <div className="chat-text" data-testid="chat-message" data-from="user" data-failed={item.failed ? "true" : undefined}>
                {item.text}
              </div>
              {item.failed && <span className="error small">{t("editor.test.socket.notDelivered")}</span>}
            </li>
          ) : (
            <li key={i} className="chat-message chat-message--bot">
              <span className="visually-hidden">{t("editor.test.bot")}: </span>
              <div
                className="chat-text"
                data-testid="chat-message"
                data-from="bot"
                data-seq={item.message.seq}
                data-block-id={item.message.block_id ?? undefined}
              >
              {item.message.type === "delay" ? (
                <span className="muted">{t("editor.test.pause", { seconds: item.message.seconds ?? 0 })}</span>
              ) : item.message.type === "handoff" ? (
                <span className="muted">{item.message.text ?? t("editor.test.handoff")}</span>
              ) : (
                <>
                  {item.message.url && (
                    <a href={item.message.url} target="_blank" rel="noreferrer noopener">
                      [{item.message.type}]
                    </a>
                  )}
                  {item.message.text && <span>{item.message.text}</span>}
                </>
              )}
              </div>
              {(item.message.buttons?.length ?? 0) > 0 && (
                <Buttons
                  buttons={item.message.buttons!}
                  disabled={busy || ended || item !== lastBot}
                  onChoose={(b) => send({ choice_id: b.id, label: b.label })}
                />
              )}
              {(item.message.quick_replies?.length ?? 0) > 0 && item === lastBot && (
                <Buttons
                  buttons={item.message.quick_replies!}
                  disabled={busy || ended}
                  onChoose={(b) => send({ choice_id: b.id, label: b.label })}
                />
              )}
            </li>
          ),
        )}
      </ol>
      {typing && (
        <p className="muted small" data-testid="chat-typing">
          {t("editor.test.socket.typing")}
        </p>
      )}
      {choices.length > 0 && !ended && (
        <Buttons buttons={choices} disabled={busy} onChoose={(b) => send({ choice_id: b.id, label: b.label })} />
      )}
      {ended && (
        <p className="muted" data-testid="chat-ended">
          {t("editor.test.ended")}
        </p>
      )}
      {waiting?.input && !ended && (
        <p className="muted small" data-testid="chat-waiting">
          {t("editor.test.waiting", { block: waiting.input.block_id })}
        </p>
      )}
      {retrying && (
        <p className="muted small" role="status" data-testid="chat-retrying">
          {retrying}
        </p>
      )}
      {notice && (
        <p className="muted small" role="status" data-testid="chat-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="chat-error">
          {error}
        </p>
      )}
      <form className="chat-form" onSubmit={submit}>
        <label htmlFor={inputId} className="visually-hidden">
          {t("editor.test.input")}
        </label>
        <input
          id={inputId}
          data-testid="chat-input"
          value={text}
          placeholder={t("editor.test.input")}
          onChange={(e) => setText(e.target.value)}
          disabled={!conversationId || ended}
          autoComplete="off"
        />
        <button type="submit" data-testid="chat-send" disabled={!conversationId || ended || busy || !text.trim()}>
          {t("editor.test.send")}
        </button>
      </form>
    </section>
  );
}

function TraceItem({ turn, trace, onFocusBlock }: { turn: number; trace: TraceState; onFocusBlock?: (blockId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const view = trace.state === "ready" ? trace.view : null;
  return (
    <li className="chat-trace" data-testid="chat-trace" data-turn={turn}>
      <button
        type="button"
        className="chat-trace__toggle"
        data-testid="trace-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">{open ? "▾" : "▸"}</span> {t("editor.trace.toggle")}
        {view && (
          <span className="muted">
            {" "}
            · {t("editor.trace.event", { event: view.event, duration: view.duration })}
            {view.errors.length > 0 && <span className="trace-error-count"> · ⚠ {view.errors.length}</span>}
          </span>
        )}
      </button>
      {open && (
        <div className="trace" id={id} data-testid="trace" aria-label={t("editor.trace.label", { seq: view?.seq ?? turn })}>
          {trace.state === "loading" && <p className="muted small">{t("editor.trace.loading")}</p>}
          {trace.state === "error" && <p className="error small">{t("editor.trace.failed", { detail: trace.detail })}</p>}
          {trace.state === "none" && <p className="muted small">{t("editor.trace.none")}</p>}
          {view && (
            <>
              <h4>{t("editor.trace.steps")}</h4>
              {view.steps.length === 0 ? (
                <p className="muted small">{t("editor.trace.noSteps")}</p>
              ) : (
                <ol className="trace-steps">
                  {view.steps.map((step, index) => (
                    <li key={index}>
                      <button
                        type="button"
                        className={step.error ? "trace-step has-error" : "trace-step"}
                        data-testid="trace-step"
                        data-block-id={step.blockId}
                        data-port={step.port ?? undefined}
                        title={t("editor.trace.focus", { id: step.blockId })}
                        onClick={() => onFocusBlock?.(step.blockId)}
                      >
                        <span className="trace-step__block">{step.blockId}</span>
                        {step.type && <span className="trace-step__type">{step.type}</span>}
                        <span className="trace-step__port">→ {step.port ?? t("editor.trace.noPort")}</span>
                        <span className="trace-step__time">{step.time}</span>
                      </button>
                      {step.call && (
                        <div className="trace-step__call muted small">
                          {t("editor.trace.call", { ...step.call })}
                          {step.call.error ? ` — ${step.call.error}` : ""}
                        </div>
                      )}
                      {step.call && step.call.logs.length > 0 && (
                        <ul className="trace-step__logs muted small" data-testid="trace-call-logs">
                          {step.call.logs.map((line, index) => (
                            <li key={index}>{line}</li>
                          ))}
                          {step.call.logsLeftOut > 0 && (
                            <li className="trace-step__logs-more" data-testid="trace-call-logs-more">
                              {t("editor.trace.moreLogs", { count: step.call.logsLeftOut })}
                            </li>
                          )}
                        </ul>
                      )}
                      {step.error && <div className="trace-step__error error small">{step.error}</div>}
                    </li>
                  ))}
                </ol>
              )}
              {view.variables.length > 0 && (
                <>
                  <h4>{t("editor.trace.variables")}</h4>
                  <ul className="trace-variables">
                    {view.variables.map((change) => (
                      <li key={change.name} data-testid="trace-variable" data-name={change.name}>
                        <code>{change.name}</code>: {change.before} → {change.after}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {view.errors.length > 0 && (
                <>
                  <h4>{t("editor.trace.errors")}</h4>
                  <ul className="trace-errors">
                    {view.errors.map((error, index) => (
                      <li key={index} className="error" data-testid="trace-error" data-block-id={error.blockId ?? undefined}>
                        {error.code && <code>{error.code}</code>} {error.message}
                        {error.blockId && (
                          <>
                            {" "}
                            <button type="button" className="link" onClick={() => onFocusBlock?.(error.blockId!)}>
                              {error.blockId}
                            </button>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}
