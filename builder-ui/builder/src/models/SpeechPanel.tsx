// The organization's speech engines (GET/PUT /api/v1/speech/settings): which of the engines
// this server runs its voice messages and uploads go to, in order (the first is asked, the
// others are its fallbacks). Editors change it; others read it.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";
import { useLoad } from "../useLoad";

export interface SpeechSettings {
  engines: string[];
  available: string[];
  default: boolean;
}

/** `order` with `engine` moved by `step` places (kept within the list). */
export function moved(order: readonly string[], engine: string, step: number): string[] {
  const from = order.indexOf(engine);
  const to = Math.min(order.length - 1, Math.max(0, from + step));
  if (from < 0 || from === to) return [...order];
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, engine);
  return next;
}

function SpeechEditor({ settings, canEdit, onSaved }: { settings: SpeechSettings; canEdit: boolean; onSaved: (s: SpeechSettings) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [order, setOrder] = useState<string[]>(settings.engines);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const unused = settings.available.filter((engine) => !order.includes(engine));
  const change = (next: string[]) => {
    setOrder(next);
    setNotice(null);
    setError(null);
  };
  const save = async () => {
    if (order.length === 0) {
      setError(t("models.speech.atLeastOne"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = (await api.put("/api/v1/speech/settings", { body: { engines: order } })) as SpeechSettings;
      setOrder(saved.engines);
      setNotice(t("models.speech.saved"));
      onSaved(saved);
    } catch (e) {
      setError(t("models.saveFailed", { detail: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };
  const name = (engine: string) => t(`models.speech.engines.${engine}`, { defaultValue: engine });
  return (
    <section className="card model-form" data-testid="speech-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("models.speech.title")}</h2>
      <p className="hint">{t("models.speech.intro")}</p>
      {settings.default && (
        <p className="muted small" data-testid="speech-default">
          {t("models.speech.serverOrder")}
        </p>
      )}
      <ol className="engine-order" data-testid="speech-order">
        {order.map((engine, index) => (
          <li key={engine} data-testid={`speech-engine-${engine}`}>
            <span>{name(engine)}</span>{" "}
            <span className="muted small">{index === 0 ? t("models.speech.first") : t("models.speech.fallback")}</span>
            {canEdit && (
              <span className="buttons inline">
                <button type="button" aria-label={t("models.speech.up", { engine: name(engine) })} disabled={index === 0} onClick={() => change(moved(order, engine, -1))} data-testid={`speech-up-${engine}`}>
                  ↑
                </button>
                <button type="button" aria-label={t("models.speech.down", { engine: name(engine) })} disabled={index === order.length - 1} onClick={() => change(moved(order, engine, 1))} data-testid={`speech-down-${engine}`}>
                  ↓
                </button>
                <button type="button" aria-label={t("models.speech.remove", { engine: name(engine) })} onClick={() => change(order.filter((e) => e !== engine))} data-testid={`speech-remove-${engine}`}>
                  ×
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {canEdit && unused.length > 0 && (
        <p className="buttons">
          {unused.map((engine) => (
            <button type="button" key={engine} onClick={() => change([...order, engine])} data-testid={`speech-add-${engine}`}>
              {t("models.speech.add", { engine: name(engine) })}
            </button>
          ))}
        </p>
      )}
      {canEdit && (
        <div className="buttons">
          <button type="button" className="button-primary" onClick={save} disabled={busy} data-testid="speech-save">
            {busy ? t("models.saving") : t("models.speech.save")}
          </button>
        </div>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="speech-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="speech-error">
          {error}
        </p>
      )}
    </section>
  );
}

export function SpeechPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/speech/settings") as Promise<SpeechSettings>, [api]);
  return (
    <div data-testid="speech-panel">
      {value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="speech-load-error">
          <p>{t("models.speech.loadError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {value.state === "ready" && <SpeechEditor settings={value.data} canEdit={canEdit} onSaved={(saved) => update(() => saved)} />}
    </div>
  );
}
