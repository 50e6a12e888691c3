import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import type { Bot } from "../api/types";
import { BotActions } from "../bot/BotActions";
import { useApi } from "../context";
import { routeHref } from "../routes";
import { useLoad } from "../useLoad";

const BOT_LANGUAGES = ["uk", "en"] as const;

function CreateBotForm({ onCreated }: { onCreated: (bot: Bot) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [name, setName] = useState("");
  const [defaultLanguage, setDefaultLanguage] = useState<string>("uk");
  const [languages, setLanguages] = useState<string[]>(["uk"]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (language: string, on: boolean) => {
    setLanguages((list) => (on ? [...new Set([...list, language])] : list.filter((l) => l !== language)));
  };
  const chosen = [...new Set([defaultLanguage, ...languages])];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const bot = await api.post("/api/v1/bots", {
        body: { name: name.trim(), default_language: defaultLanguage, languages: chosen },
      });
      setName("");
      onCreated(bot);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-inline" onSubmit={submit} data-testid="bot-create-form" aria-labelledby="bot-create-title">
      <h2 id="bot-create-title">{t("bots.create")}</h2>
      <div className="field">
        <label htmlFor="bot-name">{t("bots.name")}</label>
        <input
          id="bot-name"
          data-testid="bot-name"
          value={name}
          maxLength={120}
          placeholder={t("bots.namePlaceholder")}
          onChange={(e) => setName(e.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="bot-default-language">{t("bots.defaultLanguage")}</label>
        <select
          id="bot-default-language"
          data-testid="bot-default-language"
          value={defaultLanguage}
          onChange={(e) => setDefaultLanguage(e.target.value)}
        >
          {BOT_LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {t(`bots.languageNames.${language}`)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t("bots.languages")}</legend>
        {BOT_LANGUAGES.map((language) => (
          <label key={language} className="checkbox">
            <input
              type="checkbox"
              data-testid={`bot-language-${language}`}
              checked={chosen.includes(language)}
              disabled={language === defaultLanguage}
              onChange={(e) => toggle(language, e.target.checked)}
            />
            {t(`bots.languageNames.${language}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button-primary" data-testid="bot-create-submit" disabled={busy || !name.trim()}>
        {busy ? t("bots.creating") : t("bots.submit")}
      </button>
      {error && (
        <p className="error" role="alert" data-testid="bot-create-error">
          {error}
        </p>
      )}
    </form>
  );
}

export function BotsScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(async () => (await api.get("/api/v1/bots", { query: { limit: 200 } })).items, [api]);
  const [deleted, setDeleted] = useState<string | null>(null);

  return (
    <div className="page">
      <h1>{t("bots.title")}</h1>
      {deleted && (
        <p className="notice" role="status" data-testid="bot-deleted">
          {t("bots.deleted", { name: deleted })}
        </p>
      )}
      <section aria-live="polite" data-testid="bots-list">
        {value.state === "loading" && <p className="muted" data-testid="bots-loading">{t("app.loading")}</p>}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="bots-error">
            <p>{t("bots.error", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && value.data.length === 0 && (
          <p className="empty" data-testid="bots-empty">
            {t("bots.empty")}
          </p>
        )}
        {value.state === "ready" && value.data.length > 0 && (
          <ul className="rows">
            {value.data.map((bot) => (
              <li key={bot.id} className="bot-item" data-testid="bot-item" data-bot-id={bot.id}>
                <a className="row" href={routeHref({ name: "bot", botId: bot.id })} data-testid="bot-row" data-bot-id={bot.id}>
                  <span className="row-title">{bot.name}</span>
                  <span className="row-meta">
                    {t("bots.languages")}: {bot.languages.join(", ")} · {t("bots.defaultLanguage")}: {bot.default_language}
                  </span>
                </a>
                <BotActions
                  bot={bot}
                  onUpdated={(changed) => update((bots) => bots.map((b) => (b.id === changed.id ? changed : b)))}
                  onDeleted={(gone) => {
                    setDeleted(gone.name);
                    update((bots) => bots.filter((b) => b.id !== gone.id));
                  }}
                  extra={
                    <a
                      className="button-link small"
                      href={routeHref({ name: "bot", botId: bot.id, tab: "settings" })}
                      data-testid="bot-settings-link"
                      aria-label={t("bots.settingsOf", { name: bot.name })}
                    >
                      {t("bots.settings")}
                    </a>
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <CreateBotForm
        onCreated={(bot) => {
          setDeleted(null);
          if (value.state === "ready") update((bots) => [...bots, bot]);
          else reload();
        }}
      />
    </div>
  );
}
