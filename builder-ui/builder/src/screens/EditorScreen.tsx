import { ReactFlowProvider } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import { toBlockTypes } from "../api/types";
import { useApi } from "../context";
import { ScenarioEditor } from "../editor/Editor";
import { routeHref } from "../routes";
import { useLoad } from "../useLoad";

export function EditorScreen({ scenarioId }: { scenarioId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload } = useLoad(async () => {
    const [scenario, rawTypes] = await Promise.all([
      api.get("/api/v1/scenarios/{scenario_id}", { path: { scenario_id: scenarioId } }),
      api.get("/api/v1/block-types"),
    ]);
    const bot = await api.get("/api/v1/bots/{bot_id}", { path: { bot_id: scenario.bot_id } });
    return { scenario, bot, types: toBlockTypes(rawTypes) };
  }, [api, scenarioId]);

  if (value.state === "loading") {
    return (
      <p className="page muted" data-testid="editor-loading">
        {t("app.loading")}
      </p>
    );
  }
  if (value.state === "error") {
    return (
      <div className="page">
        <p>
          <a href={routeHref({ name: "bots" })}>← {t("scenarios.back")}</a>
        </p>
        <div className="error-box" role="alert" data-testid="editor-error">
          <p>{t("editor.loadError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      </div>
    );
  }
  const { scenario, bot, types } = value.data;
  return (
    <ReactFlowProvider>
      <ScenarioEditor scenario={scenario} bot={bot} types={types} />
    </ReactFlowProvider>
  );
}
