// "Check the intents" in the intents-and-entities manager: the draft's `nlu` section as it is
// being edited (saved or not) goes to POST /api/v1/bots/{bot_id}/nlu/check, which predicts each
// example phrase by a model trained without it (cross-validation; a few seconds). The answer
// shows the share recognised overall, each intent's (the least recognised first, as given;
// under 80 % marked as needing attention) with what its phrases were taken for instead, and
// the phrases that went wrong. One request, no polls: a change of the section or the threshold
// while it runs does not cancel it, the answer only shows as stale (it still says much about
// intents that did not change); leaving the panel aborts it.
//
// Test ids (listed with the manager's in NluManager.tsx): `nlu-check`, `nlu-check-threshold`,
// `nlu-check-submit`, `nlu-check-hint`, `nlu-check-busy`, `nlu-check-error`,
// `nlu-check-result`, `nlu-check-accuracy`, `nlu-check-row` (`data-intent`, `data-attention`),
// `nlu-check-miss` (`data-intent`, `data-predicted`: "" for fallback), `nlu-check-stale`.
import { useContext, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { errorMessage } from "../api/errors";
import type { ScenarioDocument } from "../api/types";
import { ApiContext } from "../context";
import { nluSection, readIntents } from "./nlu";
import { ThresholdInput, useThreshold } from "./NluThreshold";

type CheckRead = Schemas["CheckRead"];
type CheckRequest = Schemas["CheckRequest"];
type IntentCheckRead = Schemas["IntentCheckRead"];

/** The API's default threshold of a check-up. */
export const DEFAULT_CHECK_THRESHOLD = 0.5;
/** An intent recognised less often than this needs the author's attention. */
export const ATTENTION_BELOW = 0.8;

type Check =
  | { state: "idle" }
  | { state: "checking" }
  | { state: "error"; detail: string }
  | { state: "ready"; report: CheckRead };

/** What a check-up was asked with: a report no longer matching it is marked as stale. */
interface Asked {
  section: unknown;
  threshold: number;
}

interface Miss {
  text: string;
  lang: string;
  intent: string;
  predicted: string | null;
  confidence: number | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const score = (n: number | null | undefined) => (typeof n === "number" ? n.toFixed(2) : "—");

/** Whole percent, rounded down: 99.6 % of the phrases is not "100 %", nor 79.6 % "80 %" next
 * to the mark of under 80 % (the epsilon keeps 0.29 × 100 = 28.999… at 29). */
const percentOf = (share: number) => Math.floor(Math.min(1, Math.max(0, share)) * 100 + 1e-9);

function readMisses(raw: CheckRead["misses"]): Miss[] {
  return raw.filter(isObject).map((m) => ({
    text: typeof m.text === "string" ? m.text : "",
    lang: typeof m.lang === "string" ? m.lang : "",
    intent: typeof m.intent === "string" ? m.intent : "",
    predicted: typeof m.predicted === "string" ? m.predicted : null,
    confidence: typeof m.confidence === "number" ? m.confidence : null,
  }));
}

/** "order_status ×2, fallback ×1". */
function takenFor(row: IntentCheckRead): string {
  return row.taken_for
    .filter(isObject)
    .map((entry) => `${typeof entry.intent === "string" ? entry.intent : "?"} ×${typeof entry.count === "number" ? entry.count : "?"}`)
    .join(", ");
}

export function NluCheck({ botId, doc }: { botId: string; doc: ScenarioDocument }) {
  const { t } = useTranslation();
  const api = useContext(ApiContext)!;
  const id = useId();
  const thresholdField = useThreshold(doc, DEFAULT_CHECK_THRESHOLD);
  const [check, setCheck] = useState<Check>({ state: "idle" });
  const [asked, setAsked] = useState<Asked | null>(null);
  // Each check-up starts a new generation: an older one's answer is dropped.
  const generation = useRef(0);
  const abort = useRef<AbortController | null>(null);


  useEffect(
    () => () => {
      generation.current += 1;
      abort.current?.abort();
    },
    [],
  );

  const section = doc.nlu;
  const threshold = thresholdField.value;
  const busy = check.state === "checking";
  let blocked: string | null = null;
  if (readIntents(doc).length < 2) blocked = t("editor.nlu.check.fewIntents");
  else if (threshold === null) blocked = t("editor.nlu.check.badThreshold");

  const run = async () => {
    if (blocked || busy || threshold === null) return;
    generation.current += 1;
    const mine = generation.current;
    const controller = new AbortController();
    abort.current = controller;
    const body: CheckRequest = { nlu: nluSection(doc), threshold };
    setAsked({ section, threshold });
    setCheck({ state: "checking" });
    try {
      const report = await api.post("/api/v1/bots/{bot_id}/nlu/check", { path: { bot_id: botId }, body, signal: controller.signal });
      if (generation.current === mine) setCheck({ state: "ready", report });
    } catch (e) {
      if (generation.current === mine) setCheck({ state: "error", detail: errorMessage(e) });
    }
  };

  const stale = check.state === "ready" && asked !== null && (asked.section !== section || asked.threshold !== threshold);
  return (
    <div className="nlu-check" data-testid="nlu-check">
      <h4 className="nlu-manager__heading">{t("editor.nlu.check.title")}</h4>
      <p className="hint">{t("editor.nlu.check.intro")}</p>
      <div className="nlu-add__row">
        <ThresholdInput
          threshold={thresholdField}
          label={t("editor.nlu.check.threshold")}
          testId="nlu-check-threshold"
          className="nlu-check__threshold"
          onEnter={() => void run()}
        />
        <button
          type="button"
          className="small"
          data-testid="nlu-check-submit"
          disabled={blocked !== null || busy}
          aria-describedby={blocked ? `${id}-hint` : undefined}
          onClick={() => void run()}
        >
          {busy ? t("editor.nlu.check.running") : t("editor.nlu.check.run")}
        </button>
      </div>
      {blocked && (
        <p className="hint" id={`${id}-hint`} data-testid="nlu-check-hint">
          {blocked}
        </p>
      )}
      {busy && (
        <p className="hint" role="status" data-testid="nlu-check-busy">
          {t("editor.nlu.check.busy")}
        </p>
      )}
      {check.state === "error" && (
        <p className="error" role="alert" data-testid="nlu-check-error">
          {t("editor.nlu.check.failed", { detail: check.detail })}
        </p>
      )}
      {check.state === "ready" && <CheckResult report={check.report} stale={stale} />}
    </div>
  );
}

function CheckResult({ report, stale }: { report: CheckRead; stale: boolean }) {
  const { t } = useTranslation();
  const percent = (share: number) => t("editor.nlu.check.percent", { value: percentOf(share) });
  const misses = readMisses(report.misses);
  const recognised = report.accuracy === null ? report.checked : Math.round(report.accuracy * report.checked);
  const missed = Math.max(report.checked - recognised, misses.length);
  const attention = (share: number | null) => share !== null && share < ATTENTION_BELOW;
  const anyAttention = report.intents.some((row) => attention(row.recognised));
  const needsWork = misses.length > 0 || anyAttention;
  const anyOnePhrase = report.intents.some((row) => row.recognised === null);
  // The headline alone is the live region: the whole table read out on arrival would drown it.
  return (
    <div className={`nlu-check__result${stale ? " nlu-check__result--stale" : ""}`} data-testid="nlu-check-result">
      {stale && (
        <p className="hint" data-testid="nlu-check-stale">
          {t("editor.nlu.check.stale")}
        </p>
      )}
      <p
        className={`nlu-check__accuracy${attention(report.accuracy) ? " nlu-check__accuracy--attention" : ""}`}
        role="status"
        data-testid="nlu-check-accuracy"
      >
        {report.accuracy === null
          ? t("editor.nlu.check.noAccuracy")
          : t("editor.nlu.check.accuracy", { percent: percent(report.accuracy), recognised, checked: report.checked })}
      </p>
      <p className="small muted">
        {t("editor.nlu.check.summary", { examples: report.examples, checked: report.checked, folds: report.folds, threshold: score(report.threshold) })}
      </p>
      {report.intents.length > 0 && (
        <table className="nlu-try__ranking nlu-check__intents">
          <thead>
            <tr>
              <th scope="col">{t("editor.nlu.check.intent")}</th>
              <th scope="col">{t("editor.nlu.check.phrases")}</th>
              <th scope="col">{t("editor.nlu.check.recognised")}</th>
              <th scope="col">{t("editor.nlu.check.takenFor")}</th>
            </tr>
          </thead>
          <tbody>
            {report.intents.map((row) => {
              const poor = attention(row.recognised);
              return (
                <tr
                  key={row.intent}
                  data-testid="nlu-check-row"
                  data-intent={row.intent}
                  data-attention={poor ? "true" : undefined}
                  className={poor ? "nlu-check__row--attention" : undefined}
                  title={poor ? t("editor.nlu.check.attention") : undefined}
                >
                  <th scope="row">
                    <code>{row.intent}</code>
                  </th>
                  <td>{row.examples}</td>
                  <td>
                    {row.recognised === null ? (
                      <span title={t("editor.nlu.check.onePhrase")} aria-label={t("editor.nlu.check.onePhrase")}>
                        —
                      </span>
                    ) : (
                      percent(row.recognised)
                    )}
                  </td>
                  <td className="nlu-check__taken">{takenFor(row) || "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {(anyAttention || anyOnePhrase) && (
        <p className="small muted">
          {[anyAttention ? t("editor.nlu.check.attentionNote") : "", anyOnePhrase ? t("editor.nlu.check.onePhraseNote") : ""].filter(Boolean).join(" ")}
        </p>
      )}
      {misses.length > 0 ? (
        <>
          <p className="small">
            {misses.length < missed ? t("editor.nlu.check.missesSome", { shown: misses.length, total: missed }) : t("editor.nlu.check.misses")}
          </p>
          <ul className="nlu-check__misses">
            {misses.map((miss, i) => (
              <li key={i} data-testid="nlu-check-miss" data-intent={miss.intent} data-predicted={miss.predicted ?? ""}>
                <span className="nlu-check__phrase">{t("editor.nlu.check.phrase", { text: miss.text })}</span> <span className="muted">({miss.lang})</span> —{" "}
                <code>{miss.intent}</code>, {t("editor.nlu.check.takenAs")}{" "}
                {miss.predicted === null ? <span className="badge nlu-try__fallback">{t("editor.nlu.check.fallback")}</span> : <code>{miss.predicted}</code>}{" "}
                <span className="muted">({t("editor.nlu.check.confidence", { confidence: score(miss.confidence) })})</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        report.accuracy !== null && <p className="small">{t("editor.nlu.check.allRecognised")}</p>
      )}
      {needsWork && <p className="small nlu-check__advice">{t("editor.nlu.check.advice")}</p>}
    </div>
  );
}
