// The scenario's `nlu` section as a panel of the scenario's inspector ("Intents and
// entities"): intents with their example phrases per language (one a line), added, renamed
// (intent blocks' names of it, their ports' edges and `entry.intents` follow) and removed
// (with a warning naming its uses); whether each is global (`entry.intents[name] = block`) and
// the section's global threshold; entities (lists as `value: synonym, synonym` lines per
// language, RE2 patterns), renamed the same way (the entities blocks and inputs naming it
// follow); an import of Rasa NLU YAML merged into the section; the training status of the live
// version's models; a phrase tried against the section as edited (NluTry.tsx), and the intents
// checked against each other by cross-validation (NluCheck.tsx). Each field is checked as it is
// typed and applied only when it fits (nlu.ts has the checks): the server refuses a draft whose
// section does not.
//
// Test ids: `nlu-manager`, `nlu-intents-empty`, `nlu-intent-row-<i>`, `nlu-intent-name-<i>`,
// `nlu-intent-error-name-<i>`, `nlu-intent-rename-box-<i>`, `nlu-intent-rename-<i>`,
// `nlu-intent-rename-cancel-<i>`, `nlu-intent-remove-<i>`, `nlu-intent-remove-box-<i>`,
// `nlu-intent-remove-confirm-<i>`, `nlu-intent-remove-cancel-<i>`, `nlu-intent-description-<i>`,
// `nlu-intent-examples-<i>-<lang>`, `nlu-intent-count-<i>-<lang>`,
// `nlu-intent-error-examples-<i>-<lang>`, `nlu-intent-warnings-<i>`, `nlu-intent-global-<i>`
// (checkbox), `nlu-intent-global-block-<i>` (select), `nlu-intent-global-command-<i>`,
// `nlu-intent-add-name`, `nlu-intent-add-example`, `nlu-intent-add`, `nlu-intent-add-error`,
// `nlu-global-threshold`, `nlu-global-threshold-error`, `nlu-entities-empty`,
// `nlu-entity-row-<i>`, `nlu-entity-name-<i>`, `nlu-entity-error-name-<i>`,
// `nlu-entity-rename-box-<i>`, `nlu-entity-rename-<i>`, `nlu-entity-rename-cancel-<i>`,
// `nlu-entity-values-<i>-<lang>`, `nlu-entity-error-values-<i>-<lang>`,
// `nlu-entity-pattern-<i>`, `nlu-entity-error-pattern-<i>`, `nlu-entity-uses-<i>`,
// `nlu-entity-remove-<i>`, `nlu-entity-remove-box-<i>`, `nlu-entity-remove-confirm-<i>`,
// `nlu-entity-remove-cancel-<i>`, `nlu-entity-add-name`, `nlu-entity-add-kind`,
// `nlu-entity-add-first`, `nlu-entity-add`, `nlu-entity-add-error`, `nlu-import-files`,
// `nlu-import-language`, `nlu-import`, `nlu-import-error`, `nlu-import-result`,
// `nlu-import-summary`, `nlu-import-merged`, `nlu-import-renamed`, `nlu-import-warnings`,
// `nlu-models`, `nlu-models-none`, `nlu-models-error`, `nlu-model-<block id>`,
// `nlu-model-progress-<block id>`, `nlu-model-error-<block id>`, `nlu-models-train`; the
// phrase tried (NluTry.tsx): `nlu-try`, `nlu-try-text`, `nlu-try-language`, `nlu-try-threshold`,
// `nlu-try-threshold-error`, `nlu-try-submit`, `nlu-try-hint`, `nlu-try-training`,
// `nlu-try-error`, `nlu-try-result`, `nlu-try-stale`, `nlu-try-intent` (`data-intent`: the
// intent, "" for fallback), `nlu-try-ranking`, `nlu-try-row` (`data-intent`),
// `nlu-try-second-look` (`data-state`: the answer's `second_look`), `nlu-try-entities`,
// `nlu-try-language-found`, `nlu-try-sentiment`, `nlu-try-warnings`, `nlu-try-logs`; the
// intents checked (NluCheck.tsx): `nlu-check`, `nlu-check-threshold`, `nlu-check-submit`,
// `nlu-check-hint`, `nlu-check-busy`, `nlu-check-error`, `nlu-check-result`,
// `nlu-check-accuracy`, `nlu-check-row` (`data-intent`; `data-attention="true"` under 80 %
// recognised), `nlu-check-miss` (`data-intent`, `data-predicted`: "" for fallback),
// `nlu-check-stale`.
import { useContext, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import type { ScenarioDocument } from "../api/types";
import { ApiContext } from "../context";
import {
  addEntity,
  addIntent,
  applyValueLines,
  checkExamples,
  checkNluName,
  checkPattern,
  DEFAULT_GLOBAL_THRESHOLD,
  entityStores,
  entityUses,
  entityValueJson,
  formatExamples,
  formatValueLines,
  globalIntents,
  globalThreshold,
  intentUses,
  intentWarnings,
  mergeNlu,
  NLU_LIMITS,
  nluLanguages,
  parseExamples,
  parseValueLines,
  readEntities,
  readIntents,
  removeEntity,
  removeIntent,
  renameEntity,
  renameIntent,
  setEntityPattern,
  setEntityValues,
  setGlobalIntent,
  setGlobalThreshold,
  setIntentDescription,
  setIntentExamples,
  type EntityValue,
  type ExamplesIssue,
  type IntentWarning,
  type MergeReport,
  type NluEntity,
  type NluIntent,
  type NluNameIssue,
  type PatternIssue,
  type ValueLinesIssue,
} from "./nlu";
import { NluCheck } from "./NluCheck";
import { NluTry } from "./NluTry";

type ChangeDoc = (change: (doc: ScenarioDocument) => ScenarioDocument) => void;

const FALLBACK_LANGUAGES = ["uk", "en"];

export function NluManager({
  doc,
  onChange,
  languages,
  scenarioId,
  botId,
  refreshKey = 0,
  pollMs = 2000,
}: {
  doc: ScenarioDocument;
  onChange: ChangeDoc;
  /** The bot's languages, its default first. */
  languages: readonly string[];
  /** For the models' status (omitted: not shown). */
  scenarioId?: string;
  /** For trying a phrase and checking the intents (omitted: not shown). */
  botId?: string;
  /** Changes when a version was published: the status is asked again. */
  refreshKey?: number;
  pollMs?: number;
}) {
  const { t } = useTranslation();
  const api = useContext(ApiContext);
  const intents = useMemo(() => readIntents(doc), [doc]);
  const entities = useMemo(() => readEntities(doc), [doc]);
  const shown = useMemo(() => {
    const all = nluLanguages(doc, languages);
    return all.length ? all : FALLBACK_LANGUAGES;
  }, [doc, languages]);
  // Without the bot's languages (a test), the section's own stand for them.
  const botLanguages = languages.length ? languages : shown;
  const warnings = useMemo(() => intentWarnings(intents, botLanguages), [intents, botLanguages]);
  const intentNames = intents.map((i) => i.name);
  const entityNames = entities.map((e) => e.name);
  const wantsModels = intents.length > 0 || doc.blocks.some((b) => b.type === "intent");

  return (
    <section className="nlu-manager" data-testid="nlu-manager" aria-labelledby="nlu-title">
      <h3 id="nlu-title">{t("editor.nlu.title")}</h3>
      <p className="hint">{t("editor.nlu.intro")}</p>

      <h4 className="nlu-manager__heading">
        {t("editor.nlu.intents")} <span className="muted small">({intents.length})</span>
      </h4>
      {intents.length === 0 ? (
        <p className="hint" data-testid="nlu-intents-empty">
          {t("editor.nlu.noIntents")}
        </p>
      ) : (
        <ol className="nlu-rows">
          {intents.map((intent, index) => (
            <IntentRow
              key={`${index}:${intent.name}`}
              index={index}
              intent={intent}
              others={intentNames.filter((_, i) => i !== index)}
              warnings={warnings[index]}
              languages={shown}
              doc={doc}
              onChange={onChange}
            />
          ))}
        </ol>
      )}
      <AddIntent names={intentNames} language={botLanguages[0]} onChange={onChange} />
      <GlobalThreshold value={globalThreshold(doc)} onChange={onChange} />
      {api && botId && <NluTry botId={botId} doc={doc} languages={botLanguages} />}
      {api && botId && <NluCheck botId={botId} doc={doc} />}

      <h4 className="nlu-manager__heading">
        {t("editor.nlu.entities")} <span className="muted small">({entities.length})</span>
      </h4>
      <p className="hint">{t("editor.nlu.entitiesIntro", { builtin: "number, date, time, email, phone, money, url" })}</p>
      {entities.length === 0 ? (
        <p className="hint" data-testid="nlu-entities-empty">
          {t("editor.nlu.noEntities")}
        </p>
      ) : (
        <ol className="nlu-rows">
          {entities.map((entity, index) => (
            <EntityRow
              key={`${index}:${entity.name}`}
              index={index}
              entity={entity}
              others={entityNames.filter((_, i) => i !== index)}
              languages={shown}
              doc={doc}
              onChange={onChange}
            />
          ))}
        </ol>
      )}
      <AddEntity names={entityNames} language={botLanguages[0]} onChange={onChange} />

      {api && <RasaImport doc={doc} languages={botLanguages} onChange={onChange} />}
      {api && scenarioId && wantsModels && <ModelStatus scenarioId={scenarioId} refreshKey={refreshKey} pollMs={pollMs} />}
    </section>
  );
}

// --- shared ----------------------------------------------------------------------------------

/** Text kept as typed (the caller applies it when it fits); a change made elsewhere (undo, the
 * JSON area, an import) replaces it. */
function useDraft(formatted: string) {
  const [text, setText] = useState(formatted);
  const applied = useRef(formatted);
  useEffect(() => {
    if (formatted !== applied.current) {
      applied.current = formatted;
      setText(formatted);
    }
  }, [formatted]);
  return { text, setText, applied };
}

function useNameError(): (issue: NluNameIssue | null, name: string, kind: "intent" | "entity") => string | null {
  const { t } = useTranslation();
  return (issue, name, kind) => (issue ? t(`editor.nlu.errors.${kind}_${issue}`, { name }) : null);
}

function rowsFor(text: string): number {
  return Math.min(10, Math.max(2, text.split("\n").length + 1));
}

function Confirm({
  what,
  index,
  text,
  onConfirm,
  onCancel,
}: {
  what: "intent" | "entity";
  index: number;
  text: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="nlu-row__confirm nlu-row__confirm--danger" role="alert" data-testid={`nlu-${what}-remove-box-${index}`}>
      <p>{text}</p>
      <div className="buttons">
        <button type="button" className="button-danger small" data-testid={`nlu-${what}-remove-confirm-${index}`} onClick={onConfirm}>
          {t("editor.nlu.removeAnyway")}
        </button>
        <button type="button" className="button-quiet small" data-testid={`nlu-${what}-remove-cancel-${index}`} onClick={onCancel}>
          {t("editor.nlu.cancel")}
        </button>
      </div>
    </div>
  );
}

/** An intent's or an entity's name as typed in its row, and the rename it stands for: checked
 * as typed (`others`: the names the rename may not take), applied by the confirm box or Enter,
 * given back by its cancel or Escape. */
function useRename(what: "intent" | "entity", current: string, others: readonly string[], apply: (from: string, to: string) => void) {
  const nameError = useNameError();
  const id = useId();
  const [name, setName] = useState(current);
  const renaming = name !== current;
  const issue = renaming ? checkNluName(name, others, what === "entity") : null;
  const rename = () => {
    if (renaming && !issue) apply(current, name);
  };
  const cancel = () => setName(current);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault();
      rename();
    } else if (event.key === "Escape") {
      cancel();
    }
  };
  return { what, current, id, name, setName, renaming, issue, error: nameError(issue, name, what), rename, cancel, onKeyDown };
}

type RenameState = ReturnType<typeof useRename>;

function NameInput({ rename, index, label }: { rename: RenameState; index: number; label: string }) {
  const { what, id, name, error } = rename;
  return (
    <input
      className="nlu-row__name"
      data-testid={`nlu-${what}-name-${index}`}
      aria-label={label}
      value={name}
      spellCheck={false}
      autoComplete="off"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-name-error` : undefined}
      onChange={(e) => rename.setName(e.target.value)}
      onKeyDown={rename.onKeyDown}
    />
  );
}

/** The name's error, or (a valid new name) the box confirming the rename: `hint` says what
 * follows it, `notes` what does not. */
function RenameConfirm({ rename, index, hint, notes }: { rename: RenameState; index: number; hint: string; notes?: string | null }) {
  const { t } = useTranslation();
  const { what, id, name, error } = rename;
  if (error)
    return (
      <p className="field-error" role="alert" id={`${id}-name-error`} data-testid={`nlu-${what}-error-name-${index}`}>
        {error}
      </p>
    );
  if (!rename.renaming) return null;
  return (
    <div className="nlu-row__confirm" data-testid={`nlu-${what}-rename-box-${index}`}>
      <span className="hint">{hint}</span>
      {notes && <p className="hint">{notes}</p>}
      <div className="buttons">
        <button type="button" className="button-primary small" data-testid={`nlu-${what}-rename-${index}`} onClick={rename.rename}>
          {t("editor.nlu.rename", { from: rename.current || t("editor.nlu.unnamed"), to: name })}
        </button>
        <button type="button" className="button-quiet small" data-testid={`nlu-${what}-rename-cancel-${index}`} onClick={rename.cancel}>
          {t("editor.nlu.cancel")}
        </button>
      </div>
    </div>
  );
}

// --- intents ---------------------------------------------------------------------------------

function IntentRow({
  index,
  intent,
  others,
  warnings,
  languages,
  doc,
  onChange,
}: {
  index: number;
  intent: NluIntent;
  others: string[];
  warnings: IntentWarning[];
  languages: string[];
  doc: ScenarioDocument;
  onChange: ChangeDoc;
}) {
  const { t } = useTranslation();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const uses = useMemo(() => intentUses(doc, intent.name), [doc, intent.name]);
  const rename = useRename("intent", intent.name, others, (from, to) => onChange((d) => renameIntent(d, index, from, to)));
  const label = intent.name || t("editor.nlu.unnamed");
  const globals = globalIntents(doc);
  const target = globals[intent.name];
  const isGlobal = target !== undefined;
  const isCommand = !!doc.entry.commands && intent.name in doc.entry.commands;
  const used = uses.blocks.length > 0 || uses.global !== null;
  const whereUsed = [
    ...(uses.blocks.length ? [t("editor.nlu.usedByBlocks", { blocks: uses.blocks.join(", ") })] : []),
    ...(uses.global !== null ? [t("editor.nlu.usedGlobally", { block: uses.global })] : []),
  ].join("; ");

  const remove = () => {
    if (used && !confirmRemove) {
      setConfirmRemove(true);
      return;
    }
    onChange((d) => removeIntent(d, index));
  };

  return (
    <li className="nlu-row" data-testid={`nlu-intent-row-${index}`} data-name={intent.name}>
      <div className="nlu-row__head">
        <NameInput rename={rename} index={index} label={t("editor.nlu.intentName")} />
        <button
          type="button"
          className="icon-button button-danger"
          data-testid={`nlu-intent-remove-${index}`}
          aria-label={t("editor.nlu.removeIntent", { name: label })}
          title={t("editor.nlu.remove")}
          onClick={remove}
        >
          ×
        </button>
      </div>
      <RenameConfirm rename={rename} index={index} hint={used ? t("editor.nlu.renameFollows", { uses: whereUsed }) : t("editor.nlu.renameUnused")} />
      {confirmRemove && (
        <Confirm
          what="intent"
          index={index}
          text={t("editor.nlu.intentStillUsed", { name: label, uses: whereUsed })}
          onConfirm={remove}
          onCancel={() => setConfirmRemove(false)}
        />
      )}
      <DescriptionField index={index} value={intent.description} onChange={onChange} />
      {languages.map((language) => (
        <ExamplesField
          key={language}
          index={index}
          language={language}
          phrases={intent.examples[language] ?? []}
          others={Object.entries(intent.examples).reduce((n, [l, list]) => (l === language ? n : n + list.length), 0)}
          onApply={(phrases) => onChange((d) => setIntentExamples(d, index, language, phrases))}
        />
      ))}
      {warnings.length > 0 && (
        <ul className="nlu-warnings" data-testid={`nlu-intent-warnings-${index}`} aria-label={t("editor.nlu.warningsOf", { name: label })}>
          {warnings.map((w, i) => (
            <li key={i}>{t(`editor.nlu.warnings.${w.code}`, w)}</li>
          ))}
        </ul>
      )}
      <div className="nlu-row__global">
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid={`nlu-intent-global-${index}`}
            checked={isGlobal}
            disabled={!isGlobal && doc.blocks.length === 0}
            onChange={(e) => {
              const on = e.target.checked;
              const first = doc.blocks[0]?.id ?? null;
              onChange((d) => setGlobalIntent(d, intent.name, on ? first : null));
            }}
          />
          {t("editor.nlu.global")}
        </label>
        {isGlobal && (
          <select
            data-testid={`nlu-intent-global-block-${index}`}
            aria-label={t("editor.nlu.globalBlock", { name: label })}
            value={target}
            onChange={(e) => {
              const block = e.target.value;
              onChange((d) => setGlobalIntent(d, intent.name, block));
            }}
          >
            {!doc.blocks.some((b) => b.id === target) && <option value={target}>{t("editor.nlu.missingBlock", { id: target })}</option>}
            {doc.blocks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name ? `${b.name} (${b.id})` : b.id}
              </option>
            ))}
          </select>
        )}
      </div>
      {isGlobal && <p className="hint">{t("editor.nlu.globalHint")}</p>}
      {isGlobal && isCommand && (
        <p className="field-error" role="alert" data-testid={`nlu-intent-global-command-${index}`}>
          {t("editor.nlu.globalIsCommand", { name: intent.name })}
        </p>
      )}
    </li>
  );
}

function ExamplesField({
  index,
  language,
  phrases,
  others,
  onApply,
}: {
  index: number;
  language: string;
  phrases: string[];
  /** The intent's phrases in its other languages. */
  others: number;
  onApply: (phrases: string[]) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { text, setText, applied } = useDraft(formatExamples(phrases));
  const [issue, setIssue] = useState<ExamplesIssue | null>(null);
  const change = (raw: string) => {
    setText(raw);
    const parsed = parseExamples(raw);
    const problem = checkExamples(parsed, others);
    setIssue(problem);
    if (problem) return;
    applied.current = formatExamples(parsed);
    onApply(parsed);
  };
  return (
    <div className="nlu-row__field">
      <label htmlFor={`${id}-examples`}>
        <span className="nlu-lang">{language}</span>{" "}
        <span data-testid={`nlu-intent-count-${index}-${language}`}>{t("editor.nlu.exampleCount", { count: phrases.length })}</span>
      </label>
      <textarea
        id={`${id}-examples`}
        data-testid={`nlu-intent-examples-${index}-${language}`}
        rows={rowsFor(text)}
        value={text}
        placeholder={t("editor.nlu.examplesPlaceholder")}
        aria-invalid={issue ? true : undefined}
        aria-describedby={issue ? `${id}-error` : undefined}
        onChange={(e) => change(e.target.value)}
      />
      {issue && (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid={`nlu-intent-error-examples-${index}-${language}`}>
          {t(`editor.nlu.errors.examples_${issue}`, { limit: issue === "too_many" ? NLU_LIMITS.examples : NLU_LIMITS.exampleChars })}
        </p>
      )}
    </div>
  );
}

function DescriptionField({ index, value, onChange }: { index: number; value: string; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const { text, setText, applied } = useDraft(value);
  return (
    <input
      className="nlu-row__description"
      data-testid={`nlu-intent-description-${index}`}
      aria-label={t("editor.nlu.description")}
      placeholder={t("editor.nlu.descriptionPlaceholder")}
      maxLength={NLU_LIMITS.description}
      value={text}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        applied.current = next;
        onChange((d) => setIntentDescription(d, index, next));
      }}
    />
  );
}

function AddIntent({ names, language, onChange }: { names: string[]; language: string; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const nameError = useNameError();
  const id = useId();
  const [name, setName] = useState("");
  const [example, setExample] = useState("");
  const [tried, setTried] = useState(false);
  const trimmed = name.trim();
  const phrase = example.trim();
  const nameIssue = checkNluName(trimmed, names);
  let shown: string | null = null;
  if (names.length >= NLU_LIMITS.intents) shown = t("editor.nlu.errors.intent_limit", { limit: NLU_LIMITS.intents });
  else if (name !== "" || tried) shown = nameError(nameIssue, trimmed, "intent");
  if (!shown && tried && !phrase) shown = t("editor.nlu.errors.first_example");
  if (!shown && phrase.length > NLU_LIMITS.exampleChars) shown = t("editor.nlu.errors.examples_too_long", { limit: NLU_LIMITS.exampleChars });
  const add = () => {
    setTried(true);
    if (nameIssue || !phrase || phrase.length > NLU_LIMITS.exampleChars || names.length >= NLU_LIMITS.intents) return;
    onChange((d) => addIntent(d, trimmed, { [language]: [phrase] }));
    setName("");
    setExample("");
    setTried(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    }
  };
  return (
    <div className="nlu-add" data-testid="nlu-intent-add-form">
      <h5>{t("editor.nlu.addIntent")}</h5>
      <div className="nlu-add__row">
        <input
          data-testid="nlu-intent-add-name"
          aria-label={t("editor.nlu.intentName")}
          placeholder={t("editor.nlu.intentPlaceholder")}
          value={name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${id}-error` : undefined}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={onKey}
        />
        <input
          data-testid="nlu-intent-add-example"
          aria-label={t("editor.nlu.firstExample", { language })}
          placeholder={t("editor.nlu.firstExample", { language })}
          value={example}
          onChange={(e) => setExample(e.target.value)}
          onKeyDown={onKey}
        />
        <button type="button" className="small" data-testid="nlu-intent-add" onClick={add}>
          + {t("editor.nlu.add")}
        </button>
      </div>
      {shown && (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid="nlu-intent-add-error">
          {shown}
        </p>
      )}
    </div>
  );
}

function GlobalThreshold({ value, onChange }: { value: number | null; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const id = useId();
  const { text, setText, applied } = useDraft(value === null ? "" : String(value));
  const [bad, setBad] = useState(false);
  const change = (raw: string) => {
    setText(raw);
    if (raw.trim() === "") {
      setBad(false);
      applied.current = "";
      onChange((d) => setGlobalThreshold(d, null));
      return;
    }
    const n = Number(raw.trim().replace(",", "."));
    if (!Number.isFinite(n) || n < 0 || n > 1) {
      setBad(true);
      return;
    }
    setBad(false);
    applied.current = String(n);
    onChange((d) => setGlobalThreshold(d, n));
  };
  return (
    <div className="field nlu-threshold">
      <label htmlFor={id}>{t("editor.nlu.threshold")}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={1}
        step={0.05}
        data-testid="nlu-global-threshold"
        value={text}
        placeholder={String(DEFAULT_GLOBAL_THRESHOLD)}
        aria-invalid={bad ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => change(e.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {t("editor.nlu.thresholdHint", { value: DEFAULT_GLOBAL_THRESHOLD })}
      </p>
      {bad && (
        <p className="field-error" role="alert" data-testid="nlu-global-threshold-error">
          {t("editor.nlu.errors.threshold")}
        </p>
      )}
    </div>
  );
}

// --- entities --------------------------------------------------------------------------------

function valueIssueText(t: (key: string, options?: Record<string, unknown>) => string, issue: ValueLinesIssue): string {
  return t(`editor.nlu.errors.values_${issue.code}`, issue as unknown as Record<string, unknown>);
}

function EntityRow({
  index,
  entity,
  others,
  languages,
  doc,
  onChange,
}: {
  index: number;
  entity: NluEntity;
  others: string[];
  languages: string[];
  doc: ScenarioDocument;
  onChange: ChangeDoc;
}) {
  const { t } = useTranslation();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const uses = useMemo(() => entityUses(doc, entity.name), [doc, entity.name]);
  const rename = useRename("entity", entity.name, others, (from, to) => onChange((d) => renameEntity(d, index, from, to)));
  const stores = rename.renaming && !rename.issue ? entityStores(doc, entity.name) : [];
  const label = entity.name || t("editor.nlu.unnamed");
  const remove = () => {
    if (uses.length > 0 && !confirmRemove) {
      setConfirmRemove(true);
      return;
    }
    onChange((d) => removeEntity(d, index));
  };
  return (
    <li className="nlu-row" data-testid={`nlu-entity-row-${index}`} data-name={entity.name}>
      <div className="nlu-row__head">
        <NameInput rename={rename} index={index} label={t("editor.nlu.entityName")} />
        <span className="badge">{t(`editor.nlu.kinds.${entity.kind}`)}</span>
        <button
          type="button"
          className="icon-button button-danger"
          data-testid={`nlu-entity-remove-${index}`}
          aria-label={t("editor.nlu.removeEntity", { name: label })}
          title={t("editor.nlu.remove")}
          onClick={remove}
        >
          ×
        </button>
      </div>
      <RenameConfirm
        rename={rename}
        index={index}
        hint={uses.length ? t("editor.nlu.renameEntityFollows", { blocks: uses.join(", ") }) : t("editor.nlu.renameEntityUnused")}
        notes={stores.length ? t("editor.nlu.renameEntityStored", { blocks: stores.join(", "), from: entity.name }) : null}
      />
      {confirmRemove && (
        <Confirm
          what="entity"
          index={index}
          text={t("editor.nlu.entityStillUsed", { name: label, blocks: uses.join(", ") })}
          onConfirm={remove}
          onCancel={() => setConfirmRemove(false)}
        />
      )}
      {entity.kind === "list" && (
        <>
          <p className="hint">{t("editor.nlu.valuesHint")}</p>
          {languages.map((language) => (
            <ValuesField key={language} index={index} language={language} values={entity.values} onChange={onChange} />
          ))}
        </>
      )}
      {entity.kind === "regex" && <PatternField index={index} pattern={entity.pattern} onChange={onChange} />}
      {entity.kind === "other" && <p className="hint">{t("editor.nlu.otherKind")}</p>}
      <p className="hint nlu-row__uses" data-testid={`nlu-entity-uses-${index}`}>
        {uses.length > 0 ? t("editor.nlu.usedIn", { blocks: uses.join(", ") }) : t("editor.nlu.unused")}
      </p>
    </li>
  );
}

function ValuesField({ index, language, values, onChange }: { index: number; language: string; values: EntityValue[]; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const id = useId();
  const { text, setText, applied } = useDraft(formatValueLines(values, language));
  const [issue, setIssue] = useState<ValueLinesIssue | null>(null);
  const change = (raw: string) => {
    setText(raw);
    const parsed = parseValueLines(raw);
    if (!parsed.ok) {
      setIssue(parsed.issue);
      return;
    }
    setIssue(null);
    const next = applyValueLines(values, language, parsed.values);
    applied.current = formatValueLines(next, language);
    onChange((d) => setEntityValues(d, index, next));
  };
  return (
    <div className="nlu-row__field">
      <label htmlFor={`${id}-values`}>
        <span className="nlu-lang">{language}</span> {t("editor.nlu.valuesLabel")}
      </label>
      <textarea
        id={`${id}-values`}
        className="code"
        data-testid={`nlu-entity-values-${index}-${language}`}
        rows={rowsFor(text)}
        value={text}
        spellCheck={false}
        placeholder={t("editor.nlu.valuesPlaceholder")}
        aria-invalid={issue ? true : undefined}
        aria-describedby={issue ? `${id}-error` : undefined}
        onChange={(e) => change(e.target.value)}
      />
      {issue && (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid={`nlu-entity-error-values-${index}-${language}`}>
          {valueIssueText(t, issue)}
        </p>
      )}
    </div>
  );
}

function PatternField({ index, pattern, onChange }: { index: number; pattern: string; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const id = useId();
  const { text, setText, applied } = useDraft(pattern);
  const [issue, setIssue] = useState<PatternIssue | null>(null);
  const change = (raw: string) => {
    setText(raw);
    const problem = checkPattern(raw);
    setIssue(problem);
    if (problem) return;
    applied.current = raw;
    onChange((d) => setEntityPattern(d, index, raw));
  };
  return (
    <div className="nlu-row__field">
      <label htmlFor={`${id}-pattern`}>{t("editor.nlu.pattern")}</label>
      <input
        id={`${id}-pattern`}
        className="code"
        data-testid={`nlu-entity-pattern-${index}`}
        value={text}
        spellCheck={false}
        autoComplete="off"
        maxLength={NLU_LIMITS.pattern + 1}
        aria-invalid={issue ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => change(e.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {t("editor.nlu.patternHint")}
      </p>
      {issue && (
        <p className="field-error" role="alert" data-testid={`nlu-entity-error-pattern-${index}`}>
          {t(`editor.nlu.errors.pattern_${issue}`, { limit: NLU_LIMITS.pattern })}
        </p>
      )}
    </div>
  );
}

function AddEntity({ names, language, onChange }: { names: string[]; language: string; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const nameError = useNameError();
  const id = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"list" | "regex">("list");
  const [first, setFirst] = useState("");
  const [tried, setTried] = useState(false);
  const trimmed = name.trim();
  const nameIssue = checkNluName(trimmed, names, true);
  const parsed = kind === "list" ? parseValueLines(first) : null;
  const patternIssue = kind === "regex" ? checkPattern(first) : null;
  let firstError: string | null = null;
  if (parsed && !parsed.ok) firstError = parsed.issue.code === "empty" ? t("editor.nlu.errors.first_value") : valueIssueText(t, parsed.issue);
  if (patternIssue) firstError = t(`editor.nlu.errors.pattern_${patternIssue}`, { limit: NLU_LIMITS.pattern });
  let shown: string | null = null;
  if (names.length >= NLU_LIMITS.entities) shown = t("editor.nlu.errors.entity_limit", { limit: NLU_LIMITS.entities });
  else if (name !== "" || tried) shown = nameError(nameIssue, trimmed, "entity");
  if (!shown && (tried || (first !== "" && !(parsed && !parsed.ok && parsed.issue.code === "empty")))) shown = firstError;
  const add = () => {
    setTried(true);
    if (nameIssue || firstError || names.length >= NLU_LIMITS.entities) return;
    if (parsed?.ok) {
      const values = applyValueLines([], language, parsed.values).map(entityValueJson);
      onChange((d) => addEntity(d, { name: trimmed, kind: "list", values }));
    } else {
      onChange((d) => addEntity(d, { name: trimmed, kind: "regex", pattern: first }));
    }
    setName("");
    setFirst("");
    setTried(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    }
  };
  return (
    <div className="nlu-add" data-testid="nlu-entity-add-form">
      <h5>{t("editor.nlu.addEntity")}</h5>
      <div className="nlu-add__row">
        <input
          data-testid="nlu-entity-add-name"
          aria-label={t("editor.nlu.entityName")}
          placeholder={t("editor.nlu.entityPlaceholder")}
          value={name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${id}-error` : undefined}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={onKey}
        />
        <select data-testid="nlu-entity-add-kind" aria-label={t("editor.nlu.kind")} value={kind} onChange={(e) => setKind(e.target.value as "list" | "regex")}>
          <option value="list">{t("editor.nlu.kinds.list")}</option>
          <option value="regex">{t("editor.nlu.kinds.regex")}</option>
        </select>
        <input
          className="code"
          data-testid="nlu-entity-add-first"
          aria-label={kind === "list" ? t("editor.nlu.firstValue", { language }) : t("editor.nlu.pattern")}
          placeholder={kind === "list" ? t("editor.nlu.firstValuePlaceholder") : t("editor.nlu.patternPlaceholder")}
          value={first}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setFirst(e.target.value)}
          onKeyDown={onKey}
        />
        <button type="button" className="small" data-testid="nlu-entity-add" onClick={add}>
          + {t("editor.nlu.add")}
        </button>
      </div>
      {shown && (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid="nlu-entity-add-error">
          {shown}
        </p>
      )}
    </div>
  );
}

// --- Rasa import -----------------------------------------------------------------------------

interface ImportResult {
  summary: Record<string, number>;
  renamed: Record<string, string>;
  renamedEntities: Record<string, string>;
  warnings: string[];
  merge: MergeReport;
}

function readText(file: File): Promise<string> {
  if (typeof file.text === "function") return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsText(file);
  });
}

function RasaImport({ doc, languages, onChange }: { doc: ScenarioDocument; languages: readonly string[]; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const api = useContext(ApiContext)!;
  const id = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [language, setLanguage] = useState(languages[0] ?? "uk");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const docRef = useRef(doc);
  docRef.current = doc;

  const run = async () => {
    if (!files.length || busy) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const contents = await Promise.all(files.map(async (file) => ({ name: file.name, content: await readText(file) })));
      const answer = await api.post("/api/v1/nlu/import/rasa", { body: { files: contents, language } });
      const { report } = mergeNlu(docRef.current.nlu, answer.data);
      if (report.limits.length) {
        setError(t("editor.nlu.import.limits", { limits: report.limits.join("; ") }));
        return;
      }
      onChange((d) => ({ ...d, nlu: mergeNlu(d.nlu, answer.data).section }));
      setResult({
        summary: answer.summary,
        renamed: answer.renamed,
        renamedEntities: answer.renamed_entities,
        warnings: answer.warnings,
        merge: report,
      });
      setFiles([]);
      if (fileInput.current) fileInput.current.value = "";
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const renamed = result ? [...Object.entries(result.renamed), ...Object.entries(result.renamedEntities)] : [];
  return (
    <div className="nlu-import" data-testid="nlu-import-form">
      <h4 className="nlu-manager__heading">{t("editor.nlu.import.title")}</h4>
      <p className="hint">{t("editor.nlu.import.intro")}</p>
      <div className="nlu-add__row">
        <label htmlFor={`${id}-files`} className="visually-hidden">
          {t("editor.nlu.import.files")}
        </label>
        <input
          id={`${id}-files`}
          ref={fileInput}
          type="file"
          multiple
          accept=".yml,.yaml"
          data-testid="nlu-import-files"
          onChange={(e) => {
            setFiles(Array.from(e.target.files ?? []));
            setError(null);
          }}
        />
        <select data-testid="nlu-import-language" aria-label={t("editor.nlu.import.language")} value={language} onChange={(e) => setLanguage(e.target.value)}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button type="button" className="small" data-testid="nlu-import" disabled={!files.length || busy} onClick={() => void run()}>
          {busy ? t("editor.nlu.import.running") : t("editor.nlu.import.run")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="nlu-import-error">
          {t("editor.nlu.import.failed", { detail: error })}
        </p>
      )}
      {result && (
        <div className="nlu-import__result" role="status" data-testid="nlu-import-result">
          <p data-testid="nlu-import-summary">
            {t("editor.nlu.import.summary", {
              intents: result.summary.intents ?? 0,
              examples: result.summary.examples ?? 0,
              entities: result.summary.entities ?? 0,
              warnings: result.summary.warnings ?? result.warnings.length,
            })}
          </p>
          <p data-testid="nlu-import-merged">
            {t("editor.nlu.import.merged", {
              added: result.merge.addedIntents.length,
              extended: result.merge.extendedIntents.length,
              examples: result.merge.addedExamples,
              entitiesAdded: result.merge.addedEntities.length,
              entitiesReplaced: result.merge.replacedEntities.length,
            })}
            {result.merge.replacedEntities.length > 0 && ` ${t("editor.nlu.import.replaced", { names: result.merge.replacedEntities.join(", ") })}`}
          </p>
          {renamed.length > 0 && (
            <div data-testid="nlu-import-renamed">
              <p>{t("editor.nlu.import.renamed")}</p>
              <ul>
                {renamed.map(([from, to]) => (
                  <li key={`${from}>${to}`}>
                    <code>{from}</code> → <code>{to}</code>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {result.warnings.length > 0 && (
            <div data-testid="nlu-import-warnings">
              <p>{t("editor.nlu.import.warnings")}</p>
              <ul className="nlu-warnings">
                {result.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

// --- models of the live version --------------------------------------------------------------

interface ModelView {
  block_id: string;
  status: string;
  progress: number;
  phase: string;
  examples: number;
  seconds: number | null;
  error: string | null;
  size: number;
  warnings: Array<{ [key: string]: unknown }>;
}

type Models = { state: "loading" } | { state: "none" } | { state: "error"; detail: string } | { state: "ready"; version: number; models: ModelView[] };

function ModelStatus({ scenarioId, refreshKey, pollMs }: { scenarioId: string; refreshKey: number; pollMs: number }) {
  const { t } = useTranslation();
  const api = useContext(ApiContext)!;
  const [models, setModels] = useState<Models>({ state: "loading" });
  const [version, setVersion] = useState<number | null>(null);
  const [poll, setPoll] = useState(0);
  const [training, setTraining] = useState(false);

  // The live version: again after each publish.
  useEffect(() => {
    let live = true;
    setVersion(null);
    api
      .get("/api/v1/scenarios/{scenario_id}", { path: { scenario_id: scenarioId } })
      .then((scenario) => {
        if (!live) return;
        if (scenario.live_version === null || scenario.live_version === undefined) setModels({ state: "none" });
        else setVersion(scenario.live_version);
      })
      .catch((e: unknown) => live && setModels({ state: "error", detail: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [api, scenarioId, refreshKey]);

  // Its models: every `pollMs` while one is training.
  useEffect(() => {
    if (version === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    api
      .get("/api/v1/scenarios/{scenario_id}/versions/{number}/nlu", { path: { scenario_id: scenarioId, number: version } })
      .then((answer) => {
        if (!live) return;
        setModels({ state: "ready", version, models: answer.models });
        if (answer.models.some((m) => m.status === "training")) timer = setTimeout(() => live && setPoll((n) => n + 1), pollMs);
      })
      .catch((e: unknown) => live && setModels({ state: "error", detail: errorMessage(e) }));
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, scenarioId, version, poll, pollMs]);

  const train = async () => {
    if (models.state !== "ready") return;
    setTraining(true);
    try {
      const answer = await api.post("/api/v1/scenarios/{scenario_id}/versions/{number}/nlu/train", {
        path: { scenario_id: scenarioId, number: models.version },
      });
      setModels({ state: "ready", version: models.version, models: answer.models });
      setPoll((n) => n + 1);
    } catch (e) {
      setModels({ state: "error", detail: errorMessage(e) });
    } finally {
      setTraining(false);
    }
  };

  return (
    <div className="nlu-models" data-testid="nlu-models">
      <h4 className="nlu-manager__heading">
        {t("editor.nlu.models.title")}
        {models.state === "ready" && <span className="muted small"> · {t("editor.nlu.models.version", { number: models.version })}</span>}
      </h4>
      {models.state === "loading" && <p className="hint">{t("editor.nlu.models.loading")}</p>}
      {models.state === "none" && (
        <p className="hint" data-testid="nlu-models-none">
          {t("editor.nlu.models.unpublished")}
        </p>
      )}
      {models.state === "error" && (
        <p className="error" role="alert" data-testid="nlu-models-error">
          {t("editor.nlu.models.failedToLoad", { detail: models.detail })}
        </p>
      )}
      {models.state === "ready" && models.models.length === 0 && <p className="hint">{t("editor.nlu.models.noBlocks")}</p>}
      {models.state === "ready" && models.models.length > 0 && (
        <ul className="nlu-models__list">
          {models.models.map((m) => (
            <li key={m.block_id} className={`nlu-model nlu-model--${m.status}`} data-testid={`nlu-model-${m.block_id}`} data-status={m.status}>
              <code>{m.block_id}</code> <span className={`badge nlu-model__status`}>{t(`editor.nlu.models.status.${knownStatus(m.status)}`)}</span>
              {m.status === "training" && (
                <div className="nlu-model__progress">
                  <progress
                    data-testid={`nlu-model-progress-${m.block_id}`}
                    max={1}
                    value={m.progress}
                    aria-label={t("editor.nlu.models.progress", { block: m.block_id })}
                  />
                  <span className="small muted">
                    {Math.round(m.progress * 100)} %{m.phase ? ` · ${m.phase}` : ""}
                  </span>
                </div>
              )}
              {m.status === "ready" && (
                <span className="small muted">
                  {" "}
                  {t("editor.nlu.models.readyInfo", { examples: m.examples, seconds: m.seconds === null ? "—" : m.seconds.toFixed(1), size: Math.max(1, Math.round(m.size / 1024)) })}
                </span>
              )}
              {m.status === "failed" && m.error && (
                <p className="field-error" data-testid={`nlu-model-error-${m.block_id}`}>
                  {m.error}
                </p>
              )}
              {m.warnings.length > 0 && (
                <ul className="nlu-warnings">
                  {m.warnings.map((w, i) => (
                    <li key={i}>{typeof w.message === "string" ? w.message : JSON.stringify(w)}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {models.state === "ready" && models.models.some((m) => m.status === "failed" || m.status === "not_trained") && (
        <button type="button" className="small" data-testid="nlu-models-train" disabled={training} onClick={() => void train()}>
          {t("editor.nlu.models.train")}
        </button>
      )}
    </div>
  );
}

function knownStatus(status: string): "not_trained" | "training" | "ready" | "failed" | "unknown" {
  return status === "not_trained" || status === "training" || status === "ready" || status === "failed" ? status : "unknown";
}
