import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { blockDescription, blockTitle, type Block, type BlockType, type ScenarioDocument } from "../api/types";
import type { BotLanguages } from "./blocks";
import { ConditionForm } from "./ConditionForm";
import { inputHiddenFields, inputMapKeys } from "./inputForm";
import { blockPorts } from "./ports";
import { declaredVariables } from "./schemaForm";
import { NLU_FIELDS } from "./NluFields";
import { NluManager } from "./NluManager";
import { hasSettingsForm, SettingsForm } from "./SettingsForm";
import { VariablesManager } from "./VariablesManager";

const ADVANCED_KEY = "rozmova.builder.advancedJson";

/** Whether the "Advanced (JSON)" section is open: remembered across blocks and reloads. */
function useAdvancedOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    try {
      return localStorage.getItem(ADVANCED_KEY) === "open";
    } catch {
      return false;
    }
  });
  const set = (next: boolean) => {
    setOpen(next);
    try {
      if (next) localStorage.setItem(ADVANCED_KEY, "open");
      else localStorage.removeItem(ADVANCED_KEY);
    } catch {
      // storage refused: the choice lasts for this block only
    }
  };
  return [open, set];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The block types drawn by a form of their own rather than from their settings schema: the
 * built-in condition (when the catalogue's schema is the one the form knows, with `when`). */
function handMadeForm(type: BlockType | undefined): "condition" | null {
  const properties = type && isObject(type.settings_schema.properties) ? type.settings_schema.properties : null;
  if (type?.name === "condition" && properties && "when" in properties && "javascript" in properties) return "condition";
  return null;
}

/** A JSON text area applied only when it parses (to the kind of value `expect` names). */
function JsonEditor({
  label,
  value,
  expect,
  onApply,
  testId,
}: {
  label: string;
  value: unknown;
  expect: "object" | "array";
  onApply: (value: unknown) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const pretty = JSON.stringify(value ?? (expect === "array" ? [] : {}), null, 2);
  const [text, setText] = useState(pretty);
  const [edited, setEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Follow changes made elsewhere (the text fields above, a reload) unless mid-edit.
  useEffect(() => {
    if (!edited) setText(pretty);
  }, [pretty, edited]);

  const apply = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setError(t("editor.inspector.invalidJson", { detail: e instanceof Error ? e.message : String(e) }));
      return;
    }
    if (expect === "object" ? !isObject(parsed) : !Array.isArray(parsed)) {
      setError(t(expect === "object" ? "editor.inspector.notObject" : "editor.inspector.notList"));
      return;
    }
    setError(null);
    setEdited(false);
    onApply(parsed);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      apply();
    }
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        data-testid={testId}
        className="code"
        spellCheck={false}
        rows={Math.min(16, Math.max(4, text.split("\n").length))}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          setEdited(true);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      <p id={`${id}-hint`} className="hint">
        {t("editor.inspector.applyHint")}
      </p>
      {error && (
        <p className="error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      <div className="buttons">
        <button type="button" data-testid={`${testId}-apply`} onClick={apply} disabled={!edited}>
          {t("editor.inspector.apply")}
        </button>
        <button
          type="button"
          className="button-quiet"
          disabled={!edited}
          onClick={() => {
            setText(pretty);
            setEdited(false);
            setError(null);
          }}
        >
          {t("editor.inspector.reset")}
        </button>
      </div>
    </div>
  );
}

export function BlockInspector({
  block,
  type,
  doc,
  bot,
  onChange,
  onDelete,
  onMakeStart,
  onFocusBlock,
  onDeclareVariable,
}: {
  block: Block;
  type: BlockType | undefined;
  doc: ScenarioDocument;
  bot: BotLanguages;
  onChange: (change: (block: Block) => Block) => void;
  onDelete: () => void;
  onMakeStart: () => void;
  onFocusBlock: (id: string) => void;
  onDeclareVariable: (name: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const languages = useMemo(
    () => [bot.defaultLanguage, ...bot.languages.filter((l) => l !== bot.defaultLanguage)],
    [bot.defaultLanguage, bot.languages],
  );
  const variables = useMemo(() => declaredVariables(doc.variables), [doc.variables]);
  const withForm = useMemo(() => hasSettingsForm(type), [type]);
  const handMade = useMemo(() => handMadeForm(type), [type]);
  // An input shows the constraints of its kind (and any other that holds a value).
  const hidden = useMemo(() => (block.type === "input" ? inputHiddenFields(block.settings) : undefined), [block.type, block.settings]);
  const mapKeys = useMemo(() => (block.type === "input" ? inputMapKeys(block.settings) : undefined), [block.type, block.settings]);
  const [advancedOpen, setAdvancedOpen] = useAdvancedOpen();
  const ports = blockPorts(block, type);
  const nameId = `name-${block.id}`;

  return (
    <div className="inspector" data-testid="inspector" data-block-id={block.id}>
      <h2>{t("editor.inspector.blockTitle", { id: block.id })}</h2>
      <p className="muted">
        {t("editor.inspector.description")}: <strong title={block.type}>{type ? blockTitle(type, i18n.language) : block.type}</strong>
        {type ? ` — ${blockDescription(type, i18n.language)}` : ""}
      </p>
      <div className="field">
        <label htmlFor={nameId}>{t("editor.inspector.name")}</label>
        <input
          id={nameId}
          data-testid="inspector-name"
          value={typeof block.name === "string" ? block.name : ""}
          placeholder={t("editor.inspector.namePlaceholder")}
          onChange={(e) => {
            const name = e.target.value;
            onChange((b) => {
              const next = { ...b };
              if (name) next.name = name;
              else delete next.name;
              return next;
            });
          }}
        />
      </div>
      {handMade === "condition" ? (
        <ConditionForm block={block} variables={doc.variables} onChange={onChange} onDeclareVariable={onDeclareVariable} />
      ) : withForm ? (
        <SettingsForm
          block={block}
          type={type}
          languages={languages}
          variables={variables}
          onChange={onChange}
          onDeclareVariable={onDeclareVariable}
          hidden={hidden}
          mapKeys={mapKeys}
          doc={doc}
          customFields={NLU_FIELDS}
        />
      ) : (
        <p className="muted">{t("editor.form.noSchema")}</p>
      )}
      <details
        className="advanced"
        data-testid="settings-advanced"
        open={!withForm || advancedOpen}
        onToggle={(e) => {
          if (withForm) setAdvancedOpen(e.currentTarget.open);
        }}
      >
        <summary>{t("editor.form.advanced")}</summary>
        <JsonEditor
          key={block.id}
          label={t("editor.inspector.settings")}
          value={block.settings}
          expect="object"
          testId="inspector-settings"
          onApply={(settings) => onChange((b) => ({ ...b, settings: settings as Record<string, unknown> }))}
        />
      </details>
      <h3>{t("editor.inspector.ports")}</h3>
      {ports.length === 0 ? (
        <p className="muted">{t("editor.inspector.noPorts")}</p>
      ) : (
        <ul className="port-list">
          {ports.map((port) => {
            const target = doc.edges.find((e) => e.source === block.id && (e.port ?? "next") === port)?.target;
            return (
              <li key={port}>
                <code>{port}</code> →{" "}
                {target ? (
                  <button type="button" className="link" onClick={() => onFocusBlock(target)}>
                    {target}
                  </button>
                ) : (
                  <span className="muted">{t("editor.inspector.unconnected")}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className="buttons">
        {doc.entry.start === block.id ? (
          <p className="muted">{t("editor.inspector.isStart")}</p>
        ) : (
          <button type="button" data-testid="inspector-make-start" onClick={onMakeStart}>
            {t("editor.inspector.makeStart")}
          </button>
        )}
        <button type="button" className="button-danger" data-testid="inspector-delete" onClick={onDelete}>
          {t("editor.inspector.delete")}
        </button>
      </div>
    </div>
  );
}

export function ScenarioInspector({
  doc,
  onChange,
  showVariables = 0,
  bot,
  botId,
  scenarioId,
  publishedKey = 0,
}: {
  doc: ScenarioDocument;
  onChange: (change: (doc: ScenarioDocument) => ScenarioDocument) => void;
  /** Counts requests to bring the variables into view (the editor's Variables button). */
  showVariables?: number;
  /** The bot's languages (the intents' example phrases are per language). */
  bot?: BotLanguages;
  /** For trying a phrase against the intents. */
  botId?: string;
  /** For the NLU models' status of the live version. */
  scenarioId?: string;
  /** Changes when a version was published. */
  publishedKey?: number;
}) {
  const { t } = useTranslation();
  const startId = useId();
  const nluLanguages = useMemo(
    () => (bot ? [bot.defaultLanguage, ...bot.languages.filter((l) => l !== bot.defaultLanguage)] : []),
    [bot],
  );
  const known = doc.blocks.some((b) => b.id === doc.entry.start);
  const variablesRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (showVariables > 0) variablesRef.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
  }, [showVariables]);
  return (
    <div className="inspector" data-testid="scenario-inspector">
      <p className="muted">{t("editor.inspector.empty")}</p>
      <h2>{t("editor.inspector.scenario")}</h2>
      <div className="field">
        <label htmlFor={startId}>{t("editor.inspector.start")}</label>
        <select
          id={startId}
          data-testid="scenario-start"
          value={doc.entry.start}
          onChange={(e) => {
            const start = e.target.value;
            onChange((d) => ({ ...d, entry: { ...d.entry, start } }));
          }}
        >
          {!known && <option value={doc.entry.start}>{doc.entry.start || "—"}</option>}
          {doc.blocks.map((b) => (
            <option key={b.id} value={b.id}>
              {b.id}
            </option>
          ))}
        </select>
      </div>
      <div ref={variablesRef}>
        <VariablesManager doc={doc} onChange={onChange} />
      </div>
      <details className="advanced" data-testid="variables-advanced">
        <summary>{t("editor.form.advanced")}</summary>
        <JsonEditor
          label={t("editor.inspector.variables")}
          value={doc.variables ?? []}
          expect="array"
          testId="scenario-variables"
          onApply={(variables) => onChange((d) => ({ ...d, variables: variables as unknown[] }))}
        />
      </details>
      <NluManager doc={doc} onChange={onChange} languages={nluLanguages} scenarioId={scenarioId} botId={botId} refreshKey={publishedKey} />
    </div>
  );
}
