import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiClient } from "./api/client";
import { ApiContext } from "./context";
import { changeLanguage, LANGUAGES, type UiLanguage } from "./i18n";
import { parseRoute, routeHref, type Route } from "./routes";
import { BotScreen } from "./screens/BotScreen";
import { BotsScreen } from "./screens/BotsScreen";
import { EditorScreen } from "./screens/EditorScreen";
import { LoginScreen } from "./screens/LoginScreen";

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t("app.language")}</span>
      <select
        data-testid="lang-switch"
        value={i18n.language}
        onChange={(e) => changeLanguage(e.target.value as UiLanguage)}
        aria-label={t("app.language")}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {language === "uk" ? "Українська" : "English"}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App({ api }: { api: ApiClient }) {
  const { t } = useTranslation();
  const [loggedIn, setLoggedIn] = useState(api.loggedIn);
  const route = useHashRoute();
  useEffect(() => api.onAuthChange(setLoggedIn), [api]);
  const session = loggedIn ? api.session : null;

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // signed out locally either way
    }
  };

  return (
    <ApiContext.Provider value={api}>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <div className="app">
        <header className="app-header">
          <a className="brand" href={routeHref({ name: "bots" })}>
            {t("app.title")}
          </a>
          {loggedIn && (
            <nav aria-label={t("app.bots")}>
              <a href={routeHref({ name: "bots" })}>{t("app.bots")}</a>
            </nav>
          )}
          <div className="header-end">
            {session && <span className="org">{session.organization.name}</span>}
            <LanguageSwitch />
            {loggedIn && (
              <button type="button" className="button-quiet" data-testid="logout" onClick={logout}>
                {t("app.logout")}
              </button>
            )}
          </div>
        </header>
        <main id="main" className="app-main">
          {!loggedIn ? (
            <LoginScreen />
          ) : route.name === "scenario" ? (
            <EditorScreen key={route.scenarioId} scenarioId={route.scenarioId} />
          ) : route.name === "bot" ? (
            <BotScreen key={route.botId} botId={route.botId} />
          ) : (
            <BotsScreen />
          )}
        </main>
      </div>
    </ApiContext.Provider>
  );
}
