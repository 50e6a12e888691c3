import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import type { Bot, ScenarioSummary } from "../api/types";
import { BotActions } from "../bot/BotActions";
import { ChannelsPanel } from "../bot/Channels";
import { WidgetSettings } from "../bot/WidgetSettings";
import { useApi } from "../context";
import { navigate, routeHref, type BotTab } from "../routes";
import { useLoad } from "../useLoad";

function CreateScenarioForm({ botId, onCreated }: { botId: string; onCreated: (s: ScenarioSummary) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.post("/api/v1/bots/{bot_id}/scenarios", {
        path: { bot_id: botId },
        body: { name: name.trim() },
      });
      setName("");
      onCreated(created);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-inline" onSubmit={submit} data-testid="scenario-create-form" aria-labelledby="scenario-create-title">
      <h2 id="scenario-create-title">{t("scenarios.create")}</h2>
      <div className="field">
        <label htmlFor="scenario-name">{t("scenarios.name")}</label>
        <input
          id="scenario-name"
          data-testid="scenario-name"
          value={name}
          maxLength={120}
          placeholder={t("scenarios.namePlaceholder")}
          onChange={(e) => setName(e.target.value)}
          required
        />
      </div>
      <button type="submit" className="button-primary" data-testid="scenario-create-submit" disabled={busy || !name.trim()}>
        {busy ? t("scenarios.creating") : t("scenarios.submit")}
      </button>
      {error && (
        <p className="error" role="alert" data-testid="scenario-create-error">
          {error}
        </p>
      )}
    </form>
  );
}

function ScenariosTab({ botId, botName }: { botId: string; botName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(
    async () => (await api.get("/api/v1/bots/{bot_id}/scenarios", { path: { bot_id: botId }, query: { limit: 200 } })).items,
    [api, botId],
  );
  return (
    <>
      <h2 className="visually-hidden">{t("scenarios.title", { bot: botName })}</h2>
      <section aria-live="polite" data-testid="scenarios-list">
        {value.state === "loading" && <p className="muted" data-testid="scenarios-loading">{t("app.loading")}</p>}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="scenarios-error">
            <p>{t("scenarios.error", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && value.data.length === 0 && (
          <p className="empty" data-testid="scenarios-empty">
            {t("scenarios.empty")}
          </p>
        )}
        {value.state === "ready" && value.data.length > 0 && (
          <ul className="rows">
            {value.data.map((scenario) => (
              <li key={scenario.id}>
                <a
                  className="row"
                  href={routeHref({ name: "scenario", scenarioId: scenario.id })}
                  data-testid="scenario-row"
                  data-scenario-id={scenario.id}
                >
                  <span className="row-title">{scenario.name}</span>
                  <span className="row-meta">
                    {t("scenarios.revision", { revision: scenario.revision })} ·{" "}
                    {scenario.live_version ? t("scenarios.live", { version: scenario.live_version }) : t("scenarios.notPublished")}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CreateScenarioForm
        botId={botId}
        onCreated={(created) => (value.state === "ready" ? update((list) => [...list, created]) : reload())}
      />
    </>
  );
}

function SettingsTab({ bot, onChange }: { bot: Bot; onChange: (bot: Bot) => void }) {
  return (
    <div className="bot-settings" data-testid="bot-settings">
      <ChannelsPanel botId={bot.id} />
      <WidgetSettings bot={bot} onSaved={onChange} />
    </div>
  );
}

export function BotScreen({ botId, tab = "scenarios" }: { botId: string; tab?: BotTab }) {
  const { t } = useTranslation();
  const api = useApi();
  const bot = useLoad(() => api.get("/api/v1/bots/{bot_id}", { path: { bot_id: botId } }), [api, botId]);
  const botName = bot.value.state === "ready" ? bot.value.data.name : "…";
  const changed = (next: Bot) => bot.update(() => next);
  const tabs: Array<{ tab: BotTab; label: string }> = [
    { tab: "scenarios", label: t("bot.scenariosTab") },
    { tab: "settings", label: t("bot.settingsTab") },
  ];

  return (
    <div className="page">
      <p>
        <a href={routeHref({ name: "bots" })}>← {t("scenarios.back")}</a>
      </p>
      <div className="bot-head">
        <h1 data-testid="bot-title">{botName}</h1>
        {bot.value.state === "ready" && (
          <BotActions bot={bot.value.data} onUpdated={changed} onDeleted={() => navigate({ name: "bots" })} />
        )}
      </div>
      {bot.value.state === "error" && (
        <div className="error-box" role="alert" data-testid="bot-error">
          <p>{t("bot.loadError", { detail: bot.value.error })}</p>
          <button type="button" onClick={bot.reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      <nav className="subnav" aria-label={t("bot.sections")}>
        {tabs.map((item) => (
          <a
            key={item.tab}
            href={routeHref({ name: "bot", botId, tab: item.tab })}
            aria-current={tab === item.tab ? "page" : undefined}
            data-testid={`bot-tab-${item.tab}`}
          >
            {item.label}
          </a>
        ))}
      </nav>
      {tab === "scenarios" && <ScenariosTab botId={botId} botName={botName} />}
      {tab === "settings" && bot.value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
      {tab === "settings" && bot.value.state === "ready" && <SettingsTab bot={bot.value.data} onChange={changed} />}
    </div>
  );
}
