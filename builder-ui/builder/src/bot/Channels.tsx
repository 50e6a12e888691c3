// The bot's messenger connections: Telegram and Viber, each connected with its token (a
// password field, never shown again: the API answers with `token_hint` only), its status
// (active or failed, the last error, counters, the messages given up) and a disconnect after
// a confirmation; Viber also lists its delivery receipts.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiClient } from "../api/client";
import { ApiError, errorMessage, fieldErrors } from "../api/errors";
import type { components } from "../api/schema";
import { useApi } from "../context";
import { useLoad } from "../useLoad";

export type ChannelKind = "telegram" | "viber";
export type Channel = components["schemas"]["ChannelRead"];
export type Receipt = components["schemas"]["Receipt"];
type TelegramMode = components["schemas"]["TelegramConnect"]["mode"];

const PUBLIC_URL = /^https?:\/\/[!-.0-~]+(\/[!-~]*)?$/;

/** The channel's three calls, by kind (each path is its own typed operation). */
function channelCalls(api: ApiClient, botId: string, kind: ChannelKind) {
  const path = { bot_id: botId };
  return {
    /** The connection, or null when there is none (404). */
    read: async (): Promise<Channel | null> => {
      try {
        return kind === "telegram"
          ? await api.get("/api/v1/bots/{bot_id}/channels/telegram", { path })
          : await api.get("/api/v1/bots/{bot_id}/channels/viber", { path });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    connect: (token: string, mode: TelegramMode, publicUrl: string | null): Promise<Channel> =>
      kind === "telegram"
        ? api.put("/api/v1/bots/{bot_id}/channels/telegram", {
            path,
            body: mode === "webhook" && publicUrl ? { token, mode, public_url: publicUrl } : { token, mode },
          })
        : api.put("/api/v1/bots/{bot_id}/channels/viber", { path, body: publicUrl ? { token, public_url: publicUrl } : { token } }),
    disconnect: () =>
      kind === "telegram"
        ? api.delete("/api/v1/bots/{bot_id}/channels/telegram", { path })
        : api.delete("/api/v1/bots/{bot_id}/channels/viber", { path }),
  };
}

function useWhen() {
  const { i18n } = useTranslation();
  return (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(i18n.language);
  };
}

function ConnectForm({
  kind,
  botId,
  onConnected,
  onCancel,
  initialMode = "webhook",
}: {
  kind: ChannelKind;
  botId: string;
  onConnected: (channel: Channel) => void;
  onCancel?: () => void;
  /** When replacing a connection: its mode. */
  initialMode?: TelegramMode;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [token, setToken] = useState("");
  const [mode, setMode] = useState<TelegramMode>(initialMode);
  const [publicUrl, setPublicUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const withUrl = kind === "viber" || mode === "webhook";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const url = publicUrl.trim();
    const local: Record<string, string> = {};
    if (!token.trim()) local.token = t("channels.tokenRequired");
    if (withUrl && url && !PUBLIC_URL.test(url)) local.public_url = t("channels.publicUrlInvalid");
    setFields(local);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const channel = await channelCalls(api, botId, kind).connect(token.trim(), mode, withUrl && url ? url : null);
      setToken(""); // never kept once sent
      onConnected(channel);
    } catch (e) {
      setError(errorMessage(e));
      setFields(fieldErrors(e));
      setBusy(false);
    }
  };

  const describe = (name: string, hint?: string) =>
    [fields[name] ? `${id}-${name}-error` : null, hint].filter(Boolean).join(" ") || undefined;
  const fieldError = (name: string) =>
    fields[name] ? (
      <p className="field-error" id={`${id}-${name}-error`} data-testid="field-error">
        {fields[name]}
      </p>
    ) : null;

  return (
    <form className="channel-form" onSubmit={submit} noValidate data-testid={`${kind}-connect-form`}>
      <div className="field">
        <label htmlFor={`${id}-token`}>{t("channels.token")}</label>
        <input
          id={`${id}-token`}
          type="password"
          data-testid={`${kind}-token`}
          autoComplete="off"
          spellCheck={false}
          value={token}
          required
          aria-invalid={fields.token ? true : undefined}
          aria-describedby={describe("token", `${id}-token-hint`)}
          onChange={(e) => setToken(e.target.value)}
        />
        <p className="hint" id={`${id}-token-hint`}>
          {t(`channels.tokenHint.${kind}`)}
        </p>
        {fieldError("token")}
      </div>
      {kind === "telegram" && (
        <div className="field">
          <label htmlFor={`${id}-mode`}>{t("channels.mode")}</label>
          <select
            id={`${id}-mode`}
            data-testid="telegram-mode"
            value={mode}
            aria-invalid={fields.mode ? true : undefined}
            onChange={(e) => setMode(e.target.value as TelegramMode)}
          >
            <option value="webhook">{t("channels.modes.webhook")}</option>
            <option value="polling">{t("channels.modes.polling")}</option>
          </select>
          {fieldError("mode")}
        </div>
      )}
      {withUrl && (
        <div className="field">
          <label htmlFor={`${id}-url`}>{t("channels.publicUrl")}</label>
          <input
            id={`${id}-url`}
            type="url"
            data-testid={`${kind}-public-url`}
            value={publicUrl}
            maxLength={500}
            placeholder="https://bots.example.com"
            aria-invalid={fields.public_url ? true : undefined}
            aria-describedby={describe("public_url", `${id}-url-hint`)}
            onChange={(e) => setPublicUrl(e.target.value)}
          />
          <p className="hint" id={`${id}-url-hint`}>
            {t(`channels.publicUrlHint.${kind}`)}
          </p>
          {fieldError("public_url")}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid={`${kind}-connect`} disabled={busy}>
          {busy ? t("channels.connecting") : t("channels.connect")}
        </button>
        {onCancel && (
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t("channels.cancel")}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="channel-error">
          {t("channels.connectFailed", { detail: error })}
        </p>
      )}
    </form>
  );
}

function ChannelStatus({ kind, channel }: { kind: ChannelKind; channel: Channel }) {
  const { t } = useTranslation();
  const when = useWhen();
  const letters = [...channel.dead_letters].reverse(); // the API lists the newest last
  return (
    <div className={`channel-status channel-status--${channel.status}`} data-testid={`${kind}-status`} data-status={channel.status}>
      <dl className="facts">
        <div>
          <dt>{t("channels.status")}</dt>
          <dd>
            <span className={`badge badge-status badge-status--${channel.status}`} data-testid="channel-status">
              {t(`channels.statuses.${channel.status}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t("channels.account")}</dt>
          <dd data-testid="channel-account">{channel.account}</dd>
        </div>
        {kind === "telegram" && (
          <div>
            <dt>{t("channels.modeLabel")}</dt>
            <dd data-testid="channel-mode">{t(`channels.modeNames.${channel.mode}`)}</dd>
          </div>
        )}
        <div>
          <dt>{t("channels.tokenEnding")}</dt>
          <dd data-testid="channel-token-hint">
            <code>{t("channels.tokenEndingValue", { hint: channel.token_hint })}</code>
          </dd>
        </div>
        <div>
          <dt>{t("channels.received")}</dt>
          <dd data-testid="channel-received">{channel.received}</dd>
        </div>
        <div>
          <dt>{t("channels.sent")}</dt>
          <dd data-testid="channel-sent">{channel.sent}</dd>
        </div>
        <div>
          <dt>{t("channels.updated")}</dt>
          <dd>
            <time dateTime={channel.updated_at}>{when(channel.updated_at)}</time>
          </dd>
        </div>
      </dl>
      {channel.last_error && (
        <p className="error-box last-error" data-testid="channel-last-error">
          <strong>{t("channels.lastError")}:</strong> {channel.last_error}
        </p>
      )}
      <h4>{t("channels.deadLetters")}</h4>
      {letters.length === 0 ? (
        <p className="muted small" data-testid="dead-letters-empty">
          {t("channels.noDeadLetters")}
        </p>
      ) : (
        <>
          <p className="hint">{t("channels.deadLettersHint")}</p>
          <ol className="dead-letters">
            {letters.map((letter, index) => (
              <li key={`${letter.at}-${index}`} data-testid="dead-letter">
                <span className="muted small">
                  <time dateTime={letter.at}>{when(letter.at)}</time> ·{" "}
                  {letter.chat_id ? t("channels.chat", { chat: letter.chat_id }) : t("channels.noChat")}
                  {letter.seq !== null && ` · #${letter.seq}`} · <code>{letter.method}</code>
                </span>
                <span className="dead-letter__reason">{letter.reason}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function Receipts({ botId, refreshKey }: { botId: string; refreshKey: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const when = useWhen();
  const { value, reload } = useLoad(
    () => api.get("/api/v1/bots/{bot_id}/channels/{kind}/receipts", { path: { bot_id: botId, kind: "viber" }, query: { limit: 50 } }),
    [api, botId, refreshKey],
  );
  return (
    <div className="receipts" data-testid="viber-receipts">
      <h4>{t("channels.receipts")}</h4>
      <p className="hint">{t("channels.receiptsHint")}</p>
      {value.state === "loading" && <p className="muted small">{t("channels.receiptsLoading")}</p>}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="receipts-error">
          <p>{t("channels.receiptsError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {value.state === "ready" && value.data.length === 0 && (
        <p className="muted small" data-testid="receipts-empty">
          {t("channels.noReceipts")}
        </p>
      )}
      {value.state === "ready" && value.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("channels.receiptTime")}</th>
                <th scope="col">{t("channels.receiptToken")}</th>
                <th scope="col">{t("channels.receiptChat")}</th>
                <th scope="col">{t("channels.receiptStatus")}</th>
                <th scope="col">{t("channels.receiptReason")}</th>
              </tr>
            </thead>
            <tbody>
              {value.data.map((receipt) => (
                <tr key={`${receipt.message_token}-${receipt.chat_id}`} data-testid="viber-receipt" data-status={receipt.status}>
                  <td>
                    <time dateTime={receipt.updated_at}>{when(receipt.updated_at)}</time>
                  </td>
                  <td>
                    <code>{receipt.message_token}</code>
                  </td>
                  <td>
                    <code>{receipt.chat_id}</code>
                  </td>
                  <td>
                    <span className={`badge receipt--${receipt.status}`}>{t(`channels.receiptStatuses.${receipt.status}`)}</span>
                  </td>
                  <td>{receipt.reason ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ChannelSection({ botId, kind }: { botId: string; kind: ChannelKind }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const calls = useCallback(() => channelCalls(api, botId, kind), [api, botId, kind]);
  const { value, reload, update } = useLoad(() => calls().read(), [calls]);
  const [replacing, setReplacing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const confirmCancel = useRef<HTMLButtonElement>(null);
  const channelName = t(`channels.${kind}`);

  useEffect(() => {
    if (confirming) confirmCancel.current?.focus();
  }, [confirming]);

  /** Reads the status again, keeping the one shown until the answer comes. */
  const refresh = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const channel = await calls().read();
      update(() => channel);
      setRefreshKey((n) => n + 1);
    } catch (e) {
      setActionError(t("channels.loadError", { detail: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await calls().disconnect();
      setConfirming(false);
      setReplacing(false);
      update(() => null);
    } catch (e) {
      setActionError(t("channels.disconnectFailed", { detail: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  const connected = (channel: Channel) => {
    setReplacing(false);
    setActionError(null);
    update(() => channel);
    setRefreshKey((n) => n + 1);
  };

  const channel = value.state === "ready" ? value.data : null;
  return (
    <section className="card channel" data-testid={`channel-${kind}`} aria-labelledby={`${id}-title`} aria-busy={value.state === "loading" || busy}>
      <div className="section-head">
        <h3 id={`${id}-title`}>{channelName}</h3>
        {value.state === "ready" && !channel && <span className="badge muted">{t("channels.notConnected")}</span>}
        {channel && (
          <button type="button" className="small" data-testid={`${kind}-refresh`} onClick={() => void refresh()} disabled={busy}>
            {t("channels.refresh")}
          </button>
        )}
      </div>
      {value.state === "loading" && <p className="muted">{t("channels.loading")}</p>}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="channel-error">
          <p>{t("channels.loadError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {value.state === "ready" && !channel && <ConnectForm kind={kind} botId={botId} onConnected={connected} />}
      {channel && (
        <>
          <ChannelStatus kind={kind} channel={channel} />
          <div className="buttons">
            <button
              type="button"
              data-testid={`${kind}-replace`}
              aria-expanded={replacing}
              onClick={() => {
                setReplacing((on) => !on);
                setConfirming(false);
              }}
            >
              {t("channels.replace")}
            </button>
            <button
              type="button"
              className="button-danger"
              data-testid={`${kind}-disconnect`}
              aria-expanded={confirming}
              onClick={() => {
                setConfirming((on) => !on);
                setReplacing(false);
              }}
            >
              {t("channels.disconnect")}
            </button>
          </div>
          {replacing && (
            <ConnectForm kind={kind} botId={botId} onConnected={connected} onCancel={() => setReplacing(false)} initialMode={channel.mode} />
          )}
          {confirming && (
            <div className="confirm-box" role="alertdialog" aria-labelledby={`${id}-disconnect`} data-testid={`${kind}-disconnect-dialog`}>
              <p id={`${id}-disconnect`}>{t("channels.disconnectQuestion", { channel: channelName })}</p>
              <div className="buttons">
                <button
                  type="button"
                  className="button-danger-solid"
                  data-testid={`${kind}-disconnect-confirm`}
                  disabled={busy}
                  onClick={() => void disconnect()}
                >
                  {busy ? t("channels.disconnecting") : t("channels.disconnectConfirm", { channel: channelName })}
                </button>
                <button
                  type="button"
                  ref={confirmCancel}
                  className="button-quiet"
                  data-testid={`${kind}-disconnect-cancel`}
                  onClick={() => setConfirming(false)}
                >
                  {t("channels.cancel")}
                </button>
              </div>
            </div>
          )}
          {actionError && (
            <p className="error" role="alert" data-testid="channel-error">
              {actionError}
            </p>
          )}
          {kind === "viber" && <Receipts botId={botId} refreshKey={refreshKey} />}
        </>
      )}
    </section>
  );
}

export function ChannelsPanel({ botId }: { botId: string }) {
  const { t } = useTranslation();
  return (
    <section className="settings-section" aria-labelledby="channels-title" data-testid="channels">
      <h2 id="channels-title">{t("channels.title")}</h2>
      <p className="hint">{t("channels.intro")}</p>
      <div className="channels">
        <ChannelSection botId={botId} kind="telegram" />
        <ChannelSection botId={botId} kind="viber" />
      </div>
    </section>
  );
}
