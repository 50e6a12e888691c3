import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, type ProblemItem } from "../api/errors";
import type { ChatButton, MessageOut, TraceTurn, TurnAnswer } from "../api/types";
import { useApi } from "../context";
import { formatTrace, visitedBlocks, type TraceView } from "./trace";
import type { PanelIssue } from "./ValidationPanel";

type TraceState =
  | { state: "loading" }
  | { state: "error"; detail: string }
  | { state: "none" }
  | { state: "ready"; view: TraceView };
type ChatItem =
  | { from: "bot"; message: MessageOut }
  | { from: "user"; text: string }
  | { from: "trace"; turn: number; trace: TraceState };

/** The keyboard shortcut that restarts the test chat (see the editor's keydown handler). */
export const RESTART_SHORTCUT = "Alt+R";

/** Whether a key press is the restart shortcut: Alt+R (by the key's place, so that a layout
 * where Alt+R types a letter still works), without Ctrl or Meta. */
export function isRestartShortcut(event: Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "code" | "key">): boolean {
  return event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyR" || event.key.toLowerCase() === "r");
}

/** A client_message_id: random, unique per message (crypto.randomUUID needs a secure page). */
export function messageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === "function") c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

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

export function TestPanel({
  scenarioId,
  startRequest,
  beforeStart,
  onWaiting,
  onIssue,
  onVisited,
  onFocusBlock,
  scenarioName,
}: {
  scenarioId: string;
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
}) {
  const { t } = useTranslation();
  const api = useApi();
  const inputId = useId();
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [items, setItems] = useState<ChatItem[]>([]);
  const [answer, setAnswer] = useState<TurnAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ProblemItem[] | null>(null);
  const [text, setText] = useState("");
  const generation = useRef(0);
  const turns = useRef(0);
  const log = useRef<HTMLOListElement>(null);

  /** The turn's trace, shown under its messages: the newest turn of the conversation (the one
   * with our client_message_id when we sent one). */
  const loadTrace = async (conversation: string, clientMessageId: string | null, mine: number) => {
    const turn = ++turns.current;
    const update = (trace: TraceState) =>
      setItems((list) => list.map((item) => (item.from === "trace" && item.turn === turn ? { ...item, trace } : item)));
    setItems((list) => [...list, { from: "trace", turn, trace: { state: "loading" } }]);
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
        onVisited?.([]);
        return;
      }
      const view = formatTrace(found);
      update({ state: "ready", view });
      onVisited?.(visitedBlocks(view, scenarioName ?? null));
    } catch (e) {
      if (mine !== generation.current) return;
      update({ state: "error", detail: errorMessage(e) });
      onVisited?.([]);
    }
  };

  const take = (next: TurnAnswer, conversation: string, clientMessageId: string | null, mine: number) => {
    setAnswer(next);
    setItems((list) => [...list, ...next.messages.map((message): ChatItem => ({ from: "bot", message }))]);
    onWaiting(!next.ended && next.input ? next.input.block_id : null);
    void loadTrace(conversation, clientMessageId, mine);
  };

  const start = async () => {
    const mine = ++generation.current;
    setBusy(true);
    setError(null);
    setProblems(null);
    setItems([]);
    setAnswer(null);
    setConversationId(null);
    onWaiting(null);
    onVisited?.([]);
    try {
      if (!(await beforeStart())) {
        if (mine === generation.current) setError(t("editor.test.saveFirst"));
        return;
      }
      const started = await api.post("/api/v1/scenarios/{scenario_id}/preview", {
        path: { scenario_id: scenarioId },
        body: {},
      });
      if (mine !== generation.current) return;
      setConversationId(started.conversation_id);
      take(started.answer, started.conversation_id, null, mine);
    } catch (e) {
      if (mine !== generation.current) return;
      if (e instanceof ApiError && e.status === 422 && e.errors?.length) setProblems(e.errors);
      else setError(t("editor.test.failed", { detail: errorMessage(e) }));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  const send = async (message: { text: string } | { choice_id: string; label: string }) => {
    if (!conversationId) return;
    const mine = generation.current;
    setBusy(true);
    setError(null);
    setItems((list) => [...list, { from: "user", text: "text" in message ? message.text : message.label }]);
    try {
      const clientMessageId = messageId();
      const body = "text" in message
        ? { text: message.text, client_message_id: clientMessageId }
        : { choice_id: message.choice_id, client_message_id: clientMessageId };
      const next = await api.post("/api/v1/conversations/{conversation_id}/messages", {
        path: { conversation_id: conversationId },
        body,
      });
      if (mine === generation.current) take(next, conversationId, clientMessageId, mine);
    } catch (e) {
      if (mine === generation.current) setError(t("editor.test.failed", { detail: errorMessage(e) }));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  // The toolbar's Test button: each press increments startRequest.
  useEffect(() => {
    if (startRequest > 0) void start();
  }, [startRequest]);

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
    void send({ text: said });
  };

  const ended = answer?.ended ?? false;
  const lastBot = [...items].reverse().find((i) => i.from === "bot");
  const choices = answer?.input?.kind === "choice" ? (answer.input.choices ?? []) : [];

  return (
    <section className="test-panel" data-testid="test-panel" aria-labelledby="test-title">
      <div className="test-panel__head">
        <h2 id="test-title" className="visually-hidden">
          {t("editor.test.title")}
        </h2>
        <span className="muted small">{conversationId ? t("editor.test.running") : ""}</span>
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
            <li key={i} className="chat-message chat-message--user">
              <span className="visually-hidden">{t("editor.test.you")}: </span>
              <div className="chat-text" data-testid="chat-message" data-from="user">
                {item.text}
              </div>
            </li>
          ) : (
            <li key={i} className="chat-message chat-message--bot">
              <span className="visually-hidden">{t("editor.test.bot")}: </span>
              <div className="chat-text" data-testid="chat-message" data-from="bot" data-block-id={item.message.block_id ?? undefined}>
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
                  onChoose={(b) => void send({ choice_id: b.id, label: b.label })}
                />
              )}
              {(item.message.quick_replies?.length ?? 0) > 0 && item === lastBot && (
                <Buttons
                  buttons={item.message.quick_replies!}
                  disabled={busy || ended}
                  onChoose={(b) => void send({ choice_id: b.id, label: b.label })}
                />
              )}
            </li>
          ),
        )}
      </ol>
      {choices.length > 0 && !ended && (
        <Buttons buttons={choices} disabled={busy} onChoose={(b) => void send({ choice_id: b.id, label: b.label })} />
      )}
      {ended && (
        <p className="muted" data-testid="chat-ended">
          {t("editor.test.ended")}
        </p>
      )}
      {answer?.input && !ended && (
        <p className="muted small" data-testid="chat-waiting">
          {t("editor.test.waiting", { block: answer.input.block_id })}
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
