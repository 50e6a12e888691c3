// "Try a phrase" in the intents-and-entities manager: a phrase is sent with the draft's `nlu`
// section as it is being edited (saved or not) to POST /api/v1/bots/{bot_id}/nlu/try, and the
// answer says what the bot would make of it: the intent (or fallback) at the threshold, the
// ranking by both looks, what became of the second look, the entities, language, sentiment,
// training warnings and the trace's lines. A new set of intents is trained on its first try:
// while the answer says `training`, the same request is asked again every `pollMs` for up to
// `waitMs`, and no longer once the phrase, the section, the language or the threshold changed
// (the answer would be to another question) or the panel is gone.
//
// Test ids (listed with the manager's in NluManager.tsx): `nlu-try`, `nlu-try-text`,
// `nlu-try-language`, `nlu-try-threshold`, `nlu-try-threshold-error`, `nlu-try-submit`,
// `nlu-try-hint`, `nlu-try-training`, `nlu-try-error`, `nlu-try-result`, `nlu-try-stale`,
// `nlu-try-intent`, `nlu-try-ranking`, `nlu-try-row`, `nlu-try-second-look`,
// `nlu-try-entities`, `nlu-try-language-found`, `nlu-try-sentiment`, `nlu-try-warnings`,
// `nlu-try-logs`.
import { useContext, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { errorMessage } from "../api/errors";
import type { ScenarioDocument } from "../api/types";
import { ApiContext } from "../context";
import { nluSection, readIntents } from "./nlu";
import { ThresholdInput, useThreshold } from "./NluThreshold";

type TryRead = Schemas["TryRead"];
type TryRequest = Schemas["TryRequest"];

/** The API's default: an intent block's threshold when it sets none. */
export const DEFAULT_TRY_THRESHOLD = 0.5;
/** The API's bound on a phrase. */
const MAX_PHRASE = 1000;

const SECOND_LOOKS = ["not_needed", "taken", "shed", "failed", "off", "not_ready", "closed"] as const;
const SENTIMENTS = ["positive", "neutral", "negative"] as const;

type Trial =
  | { state: "idle" }
  | { state: "asking" }
  | { state: "training" }
  | { state: "still_training" }
  | { state: "error"; detail: string }
  | { state: "ready"; answer: TryRead };

/** What a try was asked with: a ready answer no longer matching it is marked as stale. */
interface Asked {
  text: string;
  section: unknown;
  language: string;
  threshold: number;
}

const score = (n: number | null | undefined) => (typeof n === "number" ? n.toFixed(2) : "—");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function NluTry({
  botId,
  doc,
  languages,
  pollMs = 1000,
  waitMs = 30000,
}: {
  botId: string;
  doc: ScenarioDocument;
  /** The bot's languages, its default first. */
  languages: readonly string[];
  pollMs?: number;
  waitMs?: number;
}) {
  const { t } = useTranslation();
  const api = useContext(ApiContext)!;
  const id = useId();
  const [text, setText] = useState("");
  const [language, setLanguage] = useState(languages[0] ?? "");
  const thresholdField = useThreshold(doc, DEFAULT_TRY_THRESHOLD);
  const [trial, setTrial] = useState<Trial>({ state: "idle" });
  const [asked, setAsked] = useState<Asked | null>(null);
  // Each try (and each change of what it asked) starts a new generation: an older one's
  // answers and polls are dropped.
  const generation = useRef(0);
  const abort = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);


  useEffect(() => {
    if (!languages.includes(language) && languages.length) setLanguage(languages[0]);
  }, [languages, language]);

  const stop = () => {
    generation.current += 1;
    abort.current?.abort();
    abort.current = null;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => stop, []);

  const section = doc.nlu;
  const threshold = thresholdField.value;
  // What was asked changed while it trained: stop asking.
  useEffect(() => {
    if (!asked) return;
    if (asked.text === text && asked.section === section && asked.language === language && asked.threshold === threshold) return;
    stop();
    setTrial((current) => (current.state === "asking" || current.state === "training" ? { state: "idle" } : current));
  }, [asked, text, section, language, threshold]);

  const hasIntents = readIntents(doc).length > 0;
  const phrase = text.trim();
  const busy = trial.state === "asking" || trial.state === "training";
  let blocked: string | null = null;
  if (!hasIntents) blocked = t("editor.nlu.try.noIntents");
  else if (!phrase) blocked = t("editor.nlu.try.noPhrase");
  else if (threshold === null) blocked = t("editor.nlu.try.badThreshold");

  const run = () => {
    if (blocked || busy || threshold === null) return;
    stop();
    const mine = generation.current;
    const body: TryRequest = { text: phrase, nlu: nluSection(doc), threshold, ...(language ? { language } : {}) };
    const started = Date.now();
    setAsked({ text, section, language, threshold });
    setTrial({ state: "asking" });
    const ask = async () => {
      const controller = new AbortController();
      abort.current = controller;
      try {
        const answer = await api.post("/api/v1/bots/{bot_id}/nlu/try", { path: { bot_id: botId }, body, signal: controller.signal });
        if (generation.current !== mine) return;
        if (answer.status !== "training") {
          setTrial({ state: "ready", answer });
        } else if (Date.now() - started + pollMs > waitMs) {
          setTrial({ state: "still_training" });
        } else {
          setTrial({ state: "training" });
          timer.current = setTimeout(() => void ask(), pollMs);
        }
      } catch (e) {
        if (generation.current === mine) setTrial({ state: "error", detail: errorMessage(e) });
      }
    };
    void ask();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  };

  const stale =
    trial.state === "ready" &&
    asked !== null &&
    (asked.text !== text || asked.section !== section || asked.language !== language || asked.threshold !== threshold);
  return (
    <div className="nlu-try" data-testid="nlu-try">
      <h4 className="nlu-manager__heading">{t("editor.nlu.try.title")}</h4>
      <p className="hint">{t("editor.nlu.try.intro")}</p>
      <div className="nlu-add__row">
        <input
          className="nlu-try__text"
          data-testid="nlu-try-text"
          aria-label={t("editor.nlu.try.phrase")}
          placeholder={t("editor.nlu.try.placeholder")}
          value={text}
          maxLength={MAX_PHRASE}
          autoComplete="off"
          aria-describedby={blocked ? `${id}-hint` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {languages.length > 0 && (
          <select data-testid="nlu-try-language" aria-label={t("editor.nlu.try.language")} value={language} onChange={(e) => setLanguage(e.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        )}
        <ThresholdInput
          threshold={thresholdField}
          label={t("editor.nlu.try.threshold")}
          testId="nlu-try-threshold"
          className="nlu-try__threshold"
          onEnter={run}
        />
        <button type="button" className="small" data-testid="nlu-try-submit" disabled={blocked !== null || busy} onClick={run}>
          {busy ? t("editor.nlu.try.running") : t("editor.nlu.try.run")}
        </button>
      </div>
      {blocked && (
        <p className="hint" id={`${id}-hint`} data-testid="nlu-try-hint">
          {blocked}
        </p>
      )}
      {threshold === null && (
        <p className="field-error" role="alert" data-testid="nlu-try-threshold-error">
          {t("editor.nlu.errors.threshold")}
        </p>
      )}
      {(trial.state === "training" || trial.state === "still_training") && (
        <p className="hint nlu-try__training" role="status" data-testid="nlu-try-training" data-state={trial.state}>
          {trial.state === "training" ? t("editor.nlu.try.training") : t("editor.nlu.try.stillTraining", { seconds: Math.round(waitMs / 1000) })}
        </p>
      )}
      {trial.state === "error" && (
        <p className="error" role="alert" data-testid="nlu-try-error">
          {t("editor.nlu.try.failed", { detail: trial.detail })}
        </p>
      )}
      {trial.state === "ready" && <TryResult answer={trial.answer} stale={stale} />}
    </div>
  );
}

function TryResult({ answer, stale }: { answer: TryRead; stale: boolean }) {
  const { t } = useTranslation();
  const fallback = answer.intent === null;
  const secondLook = (SECOND_LOOKS as readonly string[]).includes(answer.second_look) ? answer.second_look : "unknown";
  const entities = answer.entities.filter(isObject);
  const language = isObject(answer.language) ? answer.language : null;
  const sentiment = isObject(answer.sentiment) ? answer.sentiment : null;
  const sentimentLabel = sentiment && typeof sentiment.label === "string" ? sentiment.label : "";
  return (
    <div className={`nlu-try__result${stale ? " nlu-try__result--stale" : ""}`} role="status" data-testid="nlu-try-result">
      {stale && (
        <p className="hint" data-testid="nlu-try-stale">
          {t("editor.nlu.try.stale")}
        </p>
      )}
      <p className={`nlu-try__intent${fallback ? " nlu-try__intent--fallback" : ""}`} data-testid="nlu-try-intent" data-intent={answer.intent ?? ""}>
        {fallback ? (
          <>
            <span className="badge nlu-try__fallback">{t("editor.nlu.try.fallback")}</span> {t("editor.nlu.try.fallbackInfo", { confidence: score(answer.confidence), threshold: score(answer.threshold) })}
          </>
        ) : (
          <>
            → <code>{answer.intent}</code> {t("editor.nlu.try.intentInfo", { confidence: score(answer.confidence), threshold: score(answer.threshold) })}
          </>
        )}
      </p>
      {answer.ranking.length > 0 && (
        <table className="nlu-try__ranking" data-testid="nlu-try-ranking">
          <thead>
            <tr>
              <th scope="col">{t("editor.nlu.try.intent")}</th>
              <th scope="col">{t("editor.nlu.try.confidence")}</th>
              <th scope="col">{t("editor.nlu.try.first")}</th>
              <th scope="col">{t("editor.nlu.try.second")}</th>
            </tr>
          </thead>
          <tbody>
            {answer.ranking.map((row) => (
              <tr key={row.intent} data-testid="nlu-try-row" data-intent={row.intent} className={row.intent === answer.intent ? "nlu-try__row--chosen" : undefined}>
                <th scope="row">
                  <code>{row.intent}</code>
                </th>
                <td>
                  <span className="nlu-try__bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(Math.min(1, Math.max(0, row.confidence)) * 100)}%` }} />
                  </span>
                  {score(row.confidence)}
                </td>
                <td>{score(row.first)}</td>
                <td>{score(row.second)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small" data-testid="nlu-try-second-look" data-state={answer.second_look}>
        {t(`editor.nlu.try.secondLook.${secondLook}`, { value: answer.second_look })}
      </p>
      {entities.length > 0 && (
        <div data-testid="nlu-try-entities">
          <p className="small">{t("editor.nlu.try.entities")}</p>
          <ul className="nlu-try__entities">
            {entities.map((e, i) => (
              <li key={i}>
                <code>{String(e.entity ?? "")}</code> = <strong>{typeof e.value === "string" ? e.value : JSON.stringify(e.value)}</strong>{" "}
                <span className="muted">({t("editor.nlu.try.matched", { text: String(e.text ?? "") })})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="small" data-testid="nlu-try-language-found">
        {language && typeof language.code === "string"
          ? t("editor.nlu.try.languageFound", { code: language.code, confidence: score(typeof language.confidence === "number" ? language.confidence : null) })
          : t("editor.nlu.try.languageUnsure")}
      </p>
      {sentiment && (
        <p className="small" data-testid="nlu-try-sentiment" data-label={sentimentLabel}>
          {t("editor.nlu.try.sentiment", {
            label: (SENTIMENTS as readonly string[]).includes(sentimentLabel) ? t(`editor.nlu.try.sentiments.${sentimentLabel}`) : sentimentLabel,
            score: score(typeof sentiment.score === "number" ? sentiment.score : null),
          })}
        </p>
      )}
      {answer.warnings.length > 0 && (
        <div data-testid="nlu-try-warnings">
          <p className="small">{t("editor.nlu.try.warnings")}</p>
          <ul className="nlu-warnings">
            {answer.warnings.map((w, i) => (
              <li key={i}>{typeof w.message === "string" ? w.message : JSON.stringify(w)}</li>
            ))}
          </ul>
        </div>
      )}
      {answer.logs.length > 0 && (
        <ul className="nlu-try__logs" data-testid="nlu-try-logs" aria-label={t("editor.nlu.try.logs")}>
          {answer.logs.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
