import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";

type Result = { ok: true; number: number; warnings: number } | { ok: false; detail: string };

export function PublishBar({
  scenarioId,
  beforePublish,
  revision,
  onPublished,
}: {
  scenarioId: string;
  /** Saves the draft first; false when it could not be saved. */
  beforePublish: () => Promise<boolean>;
  revision: () => number;
  onPublished?: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [changelog, setChangelog] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      if (!(await beforePublish())) {
        setResult({ ok: false, detail: t("editor.test.saveFirst") });
        return;
      }
      const published = await api.post("/api/v1/scenarios/{scenario_id}/publish", {
        path: { scenario_id: scenarioId },
        // The revision the author sees: a draft saved meanwhile elsewhere is a 409, not published.
        body: { changelog: changelog.trim(), revision: revision() },
      });
      setResult({ ok: true, number: published.number, warnings: published.warnings?.length ?? 0 });
      setChangelog("");
      onPublished?.();
    } catch (e) {
      setResult({ ok: false, detail: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="publish" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t("editor.publish.changelog")}
      </label>
      <input
        id={id}
        data-testid="publish-changelog"
        value={changelog}
        maxLength={2000}
        placeholder={t("editor.publish.changelogPlaceholder")}
        onChange={(e) => setChangelog(e.target.value)}
      />
      <button type="submit" className="button-primary" data-testid="publish-button" disabled={busy}>
        {busy ? t("editor.publish.publishing") : t("editor.publish.submit")}
      </button>
      {result && (
        <span
          className={result.ok ? "publish__result ok" : "publish__result error"}
          role={result.ok ? "status" : "alert"}
          data-testid="publish-result"
          data-ok={result.ok ? "true" : "false"}
          data-version={result.ok ? result.number : undefined}
        >
          {result.ok
            ? `${t("editor.publish.done", { number: result.number })}${result.warnings ? ` ${t("editor.publish.warnings", { count: result.warnings })}` : ""}`
            : t("editor.publish.failed", { detail: result.detail })}
        </span>
      )}
    </form>
  );
}
