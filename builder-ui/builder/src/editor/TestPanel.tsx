import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, type ProblemItem } from "../api/errors";
import type { ChatButton, MessageOut, TurnAnswer } from "../api/types";
import { useApi } from "../context";
import type { PanelIssue } from "./ValidationPanel";

type ChatItem = { from: "bot"; message: MessageOut } | { from: "user"; text: string };

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
}: {
  scenarioId: string;
  /** Incremented to start (or restart) a conversation from outside (the toolbar's Test). */
  startRequest: number;
  /** Saves the draft first; false when it could not be saved. */
  beforeStart: () => Promise<boolean>;
  onWaiting: (blockId: string | null) => void;
  onIssue: (issue: PanelIssue) => void;
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
  const log = useRef<HTMLOListElement>(null);

  const take = (next: TurnAnswer) => {
    setAnswer(next);
    setItems((list) => [...list, ...next.messages.map((message): ChatItem => ({ from: "bot", message }))]);
    onWaiting(!next.ended && next.input ? next.input.block_id : null);
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
      take(started.answer);
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
      const body = "text" in message
        ? { text: message.text, client_message_id: messageId() }
        : { choice_id: message.choice_id, client_message_id: messageId() };
      const next = await api.post("/api/v1/conversations/{conversation_id}/messages", {
        path: { conversation_id: conversationId },
        body,
      });
      if (mine === generation.current) take(next);
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
  const lastBot = [...items].reverse().find((i) => i.from === "bot") as { from: "bot"; message: MessageOut } | undefined;
  const choices = answer?.input?.kind === "choice" ? (answer.input.choices ?? []) : [];

  return (
    <section className="test-panel" data-testid="test-panel" aria-labelledby="test-title">
      <div className="test-panel__head">
        <h2 id="test-title" className="visually-hidden">
          {t("editor.test.title")}
        </h2>
        <span className="muted small">{conversationId ? t("editor.test.running") : ""}</span>
        <button type="button" data-testid="test-restart" onClick={() => void start()} disabled={busy && !conversationId}>
          {conversationId ? t("editor.test.restart") : t("editor.test.start")}
        </button>
      </div>
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
          item.from === "user" ? (
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
