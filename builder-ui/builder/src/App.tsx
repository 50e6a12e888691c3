import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiClient } from "./api/client";
import { ApiContext } from "./context";
import { changeLanguage, LANGUAGES, type UiLanguage } from "./i18n";
import { mayLeave, parseRoute, routeHref, type Route } from "./routes";
import { BotScreen } from "./screens/BotScreen";
import { BotsScreen } from "./screens/BotsScreen";
import { LoginScreen } from "./screens/LoginScreen";
import { ModulesScreen } from "./modules/ModulesScreen";
import { SecretsScreen } from "./modules/SecretsScreen";
import { ModelsScreen } from "./models/ModelsScreen";
import { OrgSwitcher } from "./OrgSwitcher";
import { ShortcutsHelp, useShortcutsHelp } from "./ShortcutsHelp";

// CodeMirror is large: the module editor comes on its own chunk, when first opened.
const ModuleEditorScreen = lazy(() => import("./modules/ModuleEditor"));
// The canvas (React Flow and the editor) loads when a scenario is opened, not with the login.
const EditorScreen = lazy(() => import("./screens/EditorScreen").then((m) => ({ default: m.EditorScreen })));

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (event: HashChangeEvent) => {
      // A screen that would lose work said no: back to its address, nothing followed.
      if (!mayLeave()) return window.history.replaceState(window.history.state, "", event.oldURL);
      setRoute(parseRoute(window.location.hash));
    };
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
  const [session, setSession] = useState(api.session);
  const [help, setHelp] = useState(false);
  const route = useHashRoute();
  useEffect(() => api.onAuthChange(setLoggedIn), [api]);
  useEffect(() => api.onSessionChange(setSession), [api]);
  useShortcutsHelp(help, setHelp);
  const current = loggedIn ? session : null;

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
              <a
                href={routeHref({ name: "modules" })}
                data-testid="nav-modules"
                aria-current={route.name === "modules" || route.name === "module" ? "page" : undefined}
              >
                {t("modules.nav")}
              </a>
              <a href={routeHref({ name: "secrets" })} data-testid="nav-secrets" aria-current={route.name === "secrets" ? "page" : undefined}>
                {t("secrets.nav")}
              </a>
              <a href={routeHref({ name: "models" })} data-testid="nav-models" aria-current={route.name === "models" ? "page" : undefined}>
                {t("models.nav")}
              </a>
            </nav>
          )}
          <div className="header-end">
            {current && <OrgSwitcher session={current} />}
            <LanguageSwitch />
            <button
              type="button"
              className="button-quiet shortcuts-button"
              data-testid="shortcuts-open"
              aria-keyshortcuts="Shift+?"
              aria-label={t("app.shortcuts")}
              title={t("app.shortcuts")}
              onClick={() => setHelp(true)}
            >
              ?
            </button>
            {loggedIn && (
              <button type="button" className="button-quiet" data-testid="logout" onClick={logout}>
                {t("app.logout")}
              </button>
            )}
          </div>
        </header>
        {/* Keyed by the organization: a switch starts every screen afresh in the new one. */}
        <main id="main" className="app-main" key={current?.organization.id ?? "none"}>
          {!loggedIn ? (
            <LoginScreen />
          ) : route.name === "modules" ? (
            <ModulesScreen />
          ) : route.name === "module" ? (
            <Suspense fallback={<p className="page muted">{t("app.loading")}</p>}>
              <ModuleEditorScreen key={route.moduleName} name={route.moduleName} />
            </Suspense>
          ) : route.name === "secrets" ? (
            <SecretsScreen />
          ) : route.name === "models" ? (
            <ModelsScreen tab={route.tab} role={current?.role} />
          ) : route.name === "scenario" ? (
            <Suspense fallback={<p className="page muted">{t("app.loading")}</p>}>
              <EditorScreen key={route.scenarioId} scenarioId={route.scenarioId} />
            </Suspense>
          ) : route.name === "bot" ? (
            <BotScreen key={route.botId} botId={route.botId} tab={route.tab} />
          ) : (
            <BotsScreen />
          )}
        </main>
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </ApiContext.Provider>
  );
}
