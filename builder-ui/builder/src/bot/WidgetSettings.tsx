// The website widget of a bot: its chat key (rotated after a confirmation), the embed code
// with a copy button, a link to try it on the demo page, and its settings: the allowed
// origins (`settings.allowed_origins`) and the look (`settings.theme`: title, accent colour
// and avatar, the keys the widget honours). Settings are saved with PATCH
// /api/v1/bots/{bot_id} {settings}: the whole settings object with the changes.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, fieldErrors } from "../api/errors";
import type { components } from "../api/schema";
import type { Bot } from "../api/types";
import { useApi } from "../context";
import { useLoad } from "../useLoad";

type BotSettings = components["schemas"]["BotSettings"];

export const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
export const COLOR = /^#[0-9a-fA-F]{6}$/;
export const MAX_ORIGINS = 50;
/** The widget's own accent (widget/src/styles.ts), shown when the bot sets none. */
const WIDGET_ACCENT = "#1f6feb";

function attribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** The tag a site pastes into its pages: the widget from this server, for this bot's key. */
export function embedSnippet(origin: string, key: string): string {
  return `<script src="${attribute(origin)}/widget.js" data-bot="${attribute(key)}" async></script>`;
}

/** An origin as typed, trimmed and without the trailing slash a pasted address often has. */
export function normalizeOrigin(value: string): string {
  return value.trim().replace(/\/$/, "");
}

type CopyState = "idle" | "copied" | "manual";

function selectText(node: HTMLElement): void {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(node);
  selection.removeAllRanges();
  selection.addRange(range);
}

function ChatKey({ botId }: { botId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/bots/{bot_id}/chat-key", { path: { bot_id: botId } }), [api, botId]);
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const [rotated, setRotated] = useState(false);
  const [copy, setCopy] = useState<CopyState>("idle");
  const code = useRef<HTMLElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (copy !== "copied") return;
    const timer = setTimeout(() => setCopy("idle"), 4000);
    return () => clearTimeout(timer);
  }, [copy]);

  const rotate = async () => {
    setRotating(true);
    setRotateError(null);
    try {
      const fresh = await api.post("/api/v1/bots/{bot_id}/chat-key/rotate", { path: { bot_id: botId } });
      update(() => fresh);
      setConfirming(false);
      setRotated(true);
      setCopy("idle");
    } catch (e) {
      setRotateError(errorMessage(e));
    } finally {
      setRotating(false);
    }
  };

  if (value.state === "loading") return <p className="muted">{t("widget.chatKeyLoading")}</p>;
  if (value.state === "error") {
    return (
      <div className="error-box" role="alert" data-testid="chat-key-error">
        <p>{t("widget.chatKeyError", { detail: value.error })}</p>
        <button type="button" onClick={reload}>
          {t("app.retry")}
        </button>
      </div>
    );
  }
  const key = value.data.key;
  const snippet = embedSnippet(window.location.origin, key);

  const copySnippet = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(snippet);
      setCopy("copied");
    } catch {
      // No clipboard API (an insecure page) or no permission: select the code, then try the
      // older command; if that fails too, the person copies the selection themselves.
      if (code.current) selectText(code.current);
      let copied = false;
      try {
        copied = typeof document.execCommand === "function" && document.execCommand("copy");
      } catch {
        copied = false;
      }
      setCopy(copied ? "copied" : "manual");
    }
  };

  return (
    <>
      <div className="field">
        <span className="label" id={`${id}-key`}>
          {t("widget.chatKey")}
        </span>
        <div className="key-line">
          <code className="chat-key" data-testid="chat-key" aria-labelledby={`${id}-key`}>
            {key}
          </code>
          <button type="button" className="small" data-testid="chat-key-rotate" aria-expanded={confirming} onClick={() => setConfirming((on) => !on)}>
            {t("widget.rotate")}
          </button>
        </div>
        <p className="hint">{t("widget.chatKeyHint")}</p>
      </div>
      {confirming && (
        <div className="confirm-box" role="alertdialog" aria-labelledby={`${id}-rotate`} data-testid="chat-key-rotate-dialog">
          <p id={`${id}-rotate`}>{t("widget.rotateQuestion")}</p>
          <div className="buttons">
            <button type="button" className="button-danger-solid" data-testid="chat-key-rotate-confirm" disabled={rotating} onClick={() => void rotate()}>
              {rotating ? t("widget.rotating") : t("widget.rotateConfirm")}
            </button>
            <button type="button" ref={cancel} className="button-quiet" data-testid="chat-key-rotate-cancel" onClick={() => setConfirming(false)}>
              {t("bots.cancel")}
            </button>
          </div>
          {rotateError && (
            <p className="error" role="alert" data-testid="chat-key-rotate-error">
              {t("widget.rotateFailed", { detail: rotateError })}
            </p>
          )}
        </div>
      )}
      {rotated && !confirming && (
        <p className="notice small" role="status" data-testid="chat-key-rotated">
          {t("widget.rotated")}
        </p>
      )}
      <div className="field">
        <span className="label" id={`${id}-embed`}>
          {t("widget.embed")}
        </span>
        <pre className="snippet" aria-labelledby={`${id}-embed`}>
          <code ref={code} data-testid="embed-snippet">
            {snippet}
          </code>
        </pre>
        <p className="hint">{t("widget.embedHint")}</p>
        <div className="buttons">
          <button type="button" data-testid="embed-copy" onClick={() => void copySnippet()}>
            {t("widget.copy")}
          </button>
          <span role="status" aria-live="polite">
            {copy === "copied" && (
              <span className="ok" data-testid="embed-copied">
                {t("widget.copied")}
              </span>
            )}
            {copy === "manual" && (
              <span className="warning-text" data-testid="embed-copy-manual">
                {t("widget.copyManual")}
              </span>
            )}
          </span>
          <a className="push-end" href={`/demo?key=${encodeURIComponent(key)}`} target="_blank" rel="noopener" data-testid="widget-demo">
            {t("widget.demo")} ↗
          </a>
        </div>
      </div>
    </>
  );
}

interface FormState {
  origins: string[];
  title: string;
  color: string;
  avatar: string;
}

function formOf(settings: BotSettings | undefined): FormState {
  const theme = settings?.theme ?? {};
  return {
    origins: [...(settings?.allowed_origins ?? [])],
    title: theme.title ?? "",
    color: theme.color ?? "",
    avatar: theme.avatar_url ?? "",
  };
}

function WidgetForm({ bot, onSaved }: { bot: Bot; onSaved: (bot: Bot) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [form, setForm] = useState<FormState>(() => formOf(bot.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const rows = useRef<Array<HTMLInputElement | null>>([]);

  useEffect(() => {
    if (focusRow === null) return;
    rows.current[focusRow]?.focus();
    setFocusRow(null);
  }, [focusRow]);

  const change = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(false);
  };
  const setOrigin = (index: number, text: string) => change({ origins: form.origins.map((o, i) => (i === index ? text : o)) });
  const addOrigin = () => {
    change({ origins: [...form.origins, ""] });
    setFocusRow(form.origins.length);
  };
  const removeOrigin = (index: number) => {
    change({ origins: form.origins.filter((_, i) => i !== index) });
    setErrors({});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    // Rows left empty are dropped; `sentFrom[i]` is the row of the i-th origin sent, for the
    // server's errors (settings/allowed_origins/<i>).
    const sentFrom: number[] = [];
    const origins: string[] = [];
    const local: Record<string, string> = {};
    form.origins.forEach((raw, row) => {
      const origin = normalizeOrigin(raw);
      if (!origin) return;
      if (!ORIGIN.test(origin)) local[`origin-${row}`] = t("widget.originInvalid");
      sentFrom.push(row);
      origins.push(origin);
    });
    if (origins.length > MAX_ORIGINS) local.origins = t("widget.tooManyOrigins", { limit: MAX_ORIGINS });
    const color = form.color.trim();
    const avatar = form.avatar.trim();
    const title = form.title.trim();
    if (color && !COLOR.test(color)) local.color = t("widget.accentInvalid");
    if (avatar && !/^https?:\/\//.test(avatar)) local.avatar = t("widget.avatarInvalid");
    setErrors(local);
    if (Object.keys(local).length) {
      setFailure(t("widget.fixFields"));
      return;
    }
    const settings: BotSettings = {
      ...bot.settings,
      allowed_origins: origins,
      theme: { ...bot.settings.theme, title: title || null, color: color || null, avatar_url: avatar || null },
    };
    setBusy(true);
    try {
      const updated = await api.patch("/api/v1/bots/{bot_id}", { path: { bot_id: bot.id }, body: { settings } });
      setForm(formOf(updated.settings));
      setSaved(true);
      onSaved(updated);
    } catch (e) {
      setFailure(t("widget.failed", { detail: errorMessage(e) }));
      const server: Record<string, string> = {};
      for (const [path, message] of Object.entries(fieldErrors(e))) {
        const origin = /^settings\/allowed_origins\/(\d+)$/.exec(path);
        if (origin) server[`origin-${sentFrom[Number(origin[1])] ?? 0}`] = message;
        else if (path === "settings/allowed_origins") server.origins = message;
        else if (path === "settings/theme/title") server.title = message;
        else if (path === "settings/theme/color") server.color = message;
        else if (path === "settings/theme/avatar_url") server.avatar = message;
      }
      setErrors(server);
    } finally {
      setBusy(false);
    }
  };

  const error = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`${id}-${name}-error`} data-testid="field-error">
        {errors[name]}
      </p>
    ) : null;
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${id}-${name}-error` } : {});
  const accent = COLOR.test(form.color.trim()) ? form.color.trim() : WIDGET_ACCENT;

  return (
    <form className="widget-form" onSubmit={submit} noValidate data-testid="widget-form">
      <fieldset className="form-section" aria-describedby={`${id}-origins-hint`}>
        <legend>{t("widget.origins")}</legend>
        <p className="hint" id={`${id}-origins-hint`}>
          {t("widget.originsHint")}
        </p>
        {form.origins.length === 0 && (
          <p className="muted small" data-testid="origins-empty">
            {t("widget.noOrigins")}
          </p>
        )}
        <ul className="origin-rows">
          {form.origins.map((origin, index) => (
            <li key={index} data-testid="origins-row">
              <div className="input-with-button">
                <input
                  ref={(node) => {
                    rows.current[index] = node;
                  }}
                  type="url"
                  value={origin}
                  maxLength={300}
                  placeholder={t("widget.originPlaceholder")}
                  aria-label={t("widget.origin", { index: index + 1 })}
                  data-testid="origins-input"
                  {...invalid(`origin-${index}`)}
                  onChange={(e) => setOrigin(index, e.target.value)}
                />
                <button
                  type="button"
                  className="icon-button"
                  data-testid="origins-remove"
                  aria-label={t("widget.removeOrigin", { index: index + 1 })}
                  title={t("widget.removeOrigin", { index: index + 1 })}
                  onClick={() => removeOrigin(index)}
                >
                  ×
                </button>
              </div>
              {error(`origin-${index}`)}
            </li>
          ))}
        </ul>
        {error("origins")}
        <button type="button" className="small" data-testid="origins-add" onClick={addOrigin} disabled={form.origins.length >= MAX_ORIGINS}>
          + {t("widget.addOrigin")}
        </button>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("widget.theme")}</legend>
        <div className="theme-grid">
          <div>
            <div className="field">
              <label htmlFor={`${id}-title`}>{t("widget.themeTitle")}</label>
              <input
                id={`${id}-title`}
                data-testid="theme-title"
                value={form.title}
                maxLength={60}
                placeholder={bot.name}
                {...invalid("title")}
                onChange={(e) => change({ title: e.target.value })}
              />
              <p className="hint">{t("widget.themeTitleHint")}</p>
              {error("title")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-accent`}>{t("widget.accent")}</label>
              <div className="input-with-button">
                <input
                  id={`${id}-accent`}
                  data-testid="theme-accent"
                  value={form.color}
                  maxLength={7}
                  size={9}
                  placeholder={WIDGET_ACCENT}
                  spellCheck={false}
                  {...invalid("color")}
                  onChange={(e) => change({ color: e.target.value })}
                />
                <input
                  type="color"
                  className="color-picker"
                  data-testid="theme-accent-picker"
                  value={accent.toLowerCase()}
                  aria-label={t("widget.accentPicker")}
                  onChange={(e) => change({ color: e.target.value })}
                />
              </div>
              <p className="hint">{t("widget.accentHint")}</p>
              {error("color")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-avatar`}>{t("widget.avatar")}</label>
              <input
                id={`${id}-avatar`}
                type="url"
                data-testid="theme-avatar"
                value={form.avatar}
                maxLength={2048}
                placeholder="https://"
                {...invalid("avatar")}
                onChange={(e) => change({ avatar: e.target.value })}
              />
              <p className="hint">{t("widget.avatarHint")}</p>
              {error("avatar")}
            </div>
          </div>
          <figure className="widget-preview" aria-label={t("widget.preview")} data-testid="widget-preview">
            <div className="widget-preview__head" style={{ background: accent }}>
              {form.title.trim() || bot.name}
            </div>
            <div className="widget-preview__body">
              <span className="widget-preview__bubble" style={{ background: accent }}>
                …
              </span>
            </div>
            <figcaption className="muted small">{t("widget.preview")}</figcaption>
          </figure>
        </div>
      </fieldset>

      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="origins-save" disabled={busy}>
          {busy ? t("widget.saving") : t("widget.save")}
        </button>
        {saved && (
          <span className="ok" role="status" data-testid="widget-saved">
            {t("widget.saved")}
          </span>
        )}
      </div>
      {failure && (
        <p className="error" role="alert" data-testid="widget-error">
          {failure}
        </p>
      )}
    </form>
  );
}

export function WidgetSettings({ bot, onSaved }: { bot: Bot; onSaved: (bot: Bot) => void }) {
  const { t } = useTranslation();
  return (
    <section className="settings-section card" aria-labelledby="widget-title" data-testid="widget-settings">
      <h2 id="widget-title">{t("widget.title")}</h2>
      <ChatKey botId={bot.id} />
      <WidgetForm key={bot.id} bot={bot} onSaved={onSaved} />
    </section>
  );
}
