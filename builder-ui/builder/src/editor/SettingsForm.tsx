// The inspector's form of a block's settings, drawn from its type's settings schema (see
// schemaForm.ts for what each field is). Each field applies its value to the block as soon as
// it is valid; an invalid one is marked at the field (`field-error`) and not applied.
// Test ids: `field-<pointer>` (the JSON pointer inside the settings with `/` as `.`) on each
// input (on the group of an object, array or map), `array-add-<pointer>`,
// `array-remove-<pointer>.<index>`, `field-error`.
//
// A top-level setting the schema cannot say enough about (a name that must be one of the
// scenario's intents) can be drawn by a custom field instead: `customFields`, by block type
// and setting name (NluFields.tsx). The custom field gets the generic one to fall back on.
import { useEffect, useId, useMemo, useRef, useState, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Block, BlockType, ScenarioDocument } from "../api/types";
import {
  LANGUAGE_PATTERN,
  formatInput,
  freshId,
  getAt,
  isObject,
  missingTranslations,
  moveItem,
  newValue,
  parseInput,
  pointerKey,
  setAt,
  settingsModel,
  singular,
  type FieldIssue,
  type FieldModel,
  type Path,
} from "./schemaForm";

interface FormContext {
  /** The bot's languages, the default first. */
  languages: string[];
  /** The scenario's declared variables. */
  variables: string[];
  /** Sets the value at `path` inside the settings (`undefined` removes it). */
  apply: (path: Path, value: unknown) => void;
  declare: (name: string) => void;
  /** Top-level texts whose inputs keep their older test ids (`inspector-text-<language>`). */
  legacyText: ReadonlySet<string>;
  /** For top-level maps with fixed keys: the keys that apply to the block as it is. */
  mapKeys?: Readonly<Record<string, readonly string[]>>;
}

type ChangeBlock = (change: (block: Block) => Block) => void;

/** What a custom field gets: the top-level setting it draws and the scenario around it. */
export interface CustomFieldProps {
  /** The setting's name. */
  name: string;
  model: FieldModel;
  required: boolean;
  value: unknown;
  /** The scenario the block is in (for what the block may name); absent when not given. */
  doc: ScenarioDocument | undefined;
  /** Sets the setting (`undefined` removes it). */
  apply: (value: unknown) => void;
  /** The field as the schema form draws it (for the author who wants it: "edit as JSON"). */
  generic: ReactNode;
}

/** Custom fields by block type, then top-level setting name. */
export type CustomFields = Readonly<Record<string, Readonly<Record<string, ComponentType<CustomFieldProps>>>>>;

/** Top-level texts the editor has always had inputs for, under these test ids. */
const LEGACY_TEXT = new Set(["text", "prompt"]);

export function SettingsForm({
  block,
  type,
  languages,
  variables,
  onChange,
  onDeclareVariable,
  hidden,
  mapKeys,
  doc,
  customFields,
}: {
  block: Block;
  type: BlockType | undefined;
  languages: string[];
  variables: string[];
  onChange: ChangeBlock;
  onDeclareVariable: (name: string) => void;
  /** Top-level settings not drawn (that do not apply to the block as it is: inputForm.ts). */
  hidden?: ReadonlySet<string>;
  /** Keys a top-level map may take as the block is (an input's re-prompts by its kind). */
  mapKeys?: Readonly<Record<string, readonly string[]>>;
  /** The scenario the block is in, for the custom fields. */
  doc?: ScenarioDocument;
  /** Settings drawn by a field of their own rather than from the schema. */
  customFields?: CustomFields;
}) {
  const model = useMemo(() => settingsModel(type?.settings_schema), [type]);
  const ctx: FormContext = useMemo(
    () => ({
      languages,
      variables,
      apply: (path, value) =>
        onChange((b) => {
          const settings = setAt(b.settings, path, value);
          return { ...b, settings: isObject(settings) ? settings : {} };
        }),
      declare: onDeclareVariable,
      legacyText: LEGACY_TEXT,
      mapKeys,
    }),
    [languages, variables, onChange, onDeclareVariable, mapKeys],
  );
  if (!model) return null;
  return (
    <div className="settings-form" data-testid="settings-form">
      {model.properties.filter((property) => !hidden?.has(property.name)).map((property) => {
        // A message's text is what it is for: kept (empty) rather than dropped.
        const required = property.required || (block.type === "message" && property.name === "text");
        const value = block.settings[property.name];
        const generic = <Field key={property.name} path={[property.name]} model={property.model} required={required} value={value} ctx={ctx} />;
        const Custom = customFields?.[block.type]?.[property.name];
        if (!Custom) return generic;
        return (
          <Custom
            key={property.name}
            name={property.name}
            model={property.model}
            required={required}
            value={value}
            doc={doc}
            apply={(next) => ctx.apply([property.name], next)}
            generic={generic}
          />
        );
      })}
    </div>
  );
}

/** Whether the form can show a block type's settings (else the JSON text area stands in). */
export function hasSettingsForm(type: BlockType | undefined): boolean {
  return settingsModel(type?.settings_schema) !== null;
}

interface FieldProps {
  path: Path;
  model: FieldModel;
  required: boolean;
  value: unknown;
  ctx: FormContext;
  /** A label other than the model's title (array items). */
  label?: string;
}

function testId(path: Path): string {
  return `field-${pointerKey(path)}`;
}

function Field(props: FieldProps) {
  switch (props.model.kind) {
    case "string":
      if (props.model.enum) return <EnumField {...props} />;
      return <TextField {...props} />;
    case "number":
    case "scalar":
    case "json":
      return <TextField {...props} />;
    case "boolean":
      return <BooleanField {...props} />;
    case "localized":
      return <LocalizedField {...props} />;
    case "object":
      return <ObjectField {...props} />;
    case "array":
      return <ArrayField {...props} />;
    case "enumSet":
      return <EnumSetField {...props} />;
    case "map":
      return <MapField {...props} />;
  }
}

function FieldError({ id, issue }: { id: string; issue: FieldIssue | null }) {
  const { t } = useTranslation();
  if (!issue) return null;
  return (
    <p className="field-error" role="alert" id={id} data-testid="field-error">
      {t(`editor.form.errors.${issue.code}`, { limit: issue.limit })}
    </p>
  );
}

function Label({ htmlFor, model, required, label }: { htmlFor?: string; model: FieldModel; required: boolean; label?: string }) {
  return (
    <label htmlFor={htmlFor} title={model.description}>
      {label ?? model.title}
      {required && (
        <span className="required-mark" aria-hidden="true">
          {" "}*
        </span>
      )}
    </label>
  );
}

function Hint({ model }: { model: FieldModel }) {
  const { t } = useTranslation();
  const parts: string[] = [];
  if (model.description && model.description.length <= 160) parts.push(model.description);
  if (model.default !== undefined && model.kind !== "boolean") parts.push(t("editor.form.defaultValue", { value: formatInput(model, model.default) }));
  if (!parts.length) return null;
  return <p className="hint">{parts.join(" · ")}</p>;
}

/** Text, number, several scalar types or JSON in one input: the text is kept as typed, the
 * value applied only when it parses and fits. */
function TextField({ path, model, required, value, ctx, label }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  const formatted = formatInput(model, value);
  const [text, setText] = useState(formatted);
  const [issue, setIssue] = useState<FieldIssue | null>(null);
  const applied = useRef(formatted);
  // A change made elsewhere (the JSON area, a reload) replaces what is typed here.
  useEffect(() => {
    if (formatted !== applied.current) {
      applied.current = formatted;
      setText(formatted);
      setIssue(null);
    }
  }, [formatted]);

  const change = (raw: string, badInput = false) => {
    setText(raw);
    const parsed = badInput ? ({ ok: false, issue: { path: [], code: "number" } } as const) : parseInput(model, raw, required);
    if (!parsed.ok) {
      setIssue(parsed.issue);
      return;
    }
    setIssue(null);
    applied.current = formatInput(model, parsed.value);
    ctx.apply(path, parsed.value);
  };

  const isVariable = model.kind === "string" && model.variable;
  const listId = `${id}-variables`;
  const common = {
    id,
    "data-testid": testId(path),
    value: text,
    "aria-invalid": issue ? true : undefined,
    "aria-describedby": issue ? errorId : undefined,
    "aria-required": required || undefined,
    placeholder: model.default !== undefined ? formatInput(model, model.default) : undefined,
  };
  let input: ReactNode;
  if (model.kind === "json" || (model.kind === "string" && model.multiline)) {
    const code = model.kind === "json" || (model.kind === "string" && model.code);
    input = (
      <textarea
        {...common}
        className={code ? "code" : undefined}
        spellCheck={code ? false : undefined}
        rows={Math.min(10, Math.max(model.kind === "json" ? 2 : 3, text.split("\n").length))}
        onChange={(e) => change(e.target.value)}
      />
    );
  } else if (model.kind === "number") {
    input = (
      <input
        {...common}
        type="number"
        min={model.minimum ?? model.exclusiveMinimum}
        max={model.maximum ?? model.exclusiveMaximum}
        step={model.integer ? 1 : "any"}
        onChange={(e) => change(e.target.value, e.target.validity?.badInput === true)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        list={isVariable && ctx.variables.length ? listId : undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={model.kind === "string" && model.maxLength !== undefined ? model.maxLength + 1 : undefined}
        onChange={(e) => change(e.target.value)}
      />
    );
  }
  const current = typeof value === "string" ? value : "";
  const undeclared = isVariable && current !== "" && !issue && !ctx.variables.includes(current.split(".")[0]);
  return (
    <div className="field form-field" data-kind={model.kind}>
      <Label htmlFor={id} model={model} required={required} label={label} />
      {isVariable ? (
        <div className="variable-input">
          {input}
          {ctx.variables.length > 0 && (
            <>
              <datalist id={listId}>
                {ctx.variables.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
              <select
                aria-label={t("editor.form.pickVariable")}
                title={t("editor.form.pickVariable")}
                data-testid={`variable-select-${pointerKey(path)}`}
                value={ctx.variables.includes(current) ? current : ""}
                onChange={(e) => {
                  if (e.target.value) change(e.target.value);
                }}
              >
                <option value="">{t("editor.form.variables")}…</option>
                {ctx.variables.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </>
          )}
        </div>
      ) : (
        input
      )}
      <FieldError id={errorId} issue={issue} />
      {undeclared && (
        <p className="hint">
          {t("editor.form.undeclared", { name: current })}{" "}
          <button type="button" className="link" data-testid={`variable-declare-${pointerKey(path)}`} onClick={() => ctx.declare(current.split(".")[0])}>
            {t("editor.form.declare")}
          </button>
        </p>
      )}
      {model.kind === "json" && !issue && <p className="hint">{t("editor.form.jsonHint")}</p>}
      {!issue && model.kind !== "json" && <Hint model={model} />}
    </div>
  );
}

function EnumField({ path, model, required, value, ctx, label }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  if (model.kind !== "string" || !model.enum) return null;
  const options = model.enum;
  const shown = typeof value === "string" ? value : typeof model.default === "string" ? model.default : "";
  const unknown = shown !== "" && !options.includes(shown);
  return (
    <div className="field form-field" data-kind="enum">
      <Label htmlFor={id} model={model} required={required} label={label} />
      <select
        id={id}
        data-testid={testId(path)}
        value={shown}
        aria-invalid={unknown ? true : undefined}
        onChange={(e) => ctx.apply(path, e.target.value === "" ? undefined : e.target.value)}
      >
        {(!required || shown === "") && model.default === undefined && <option value="">{t("editor.form.none")}</option>}
        {unknown && <option value={shown}>{shown}</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} issue={unknown ? { path, code: "enum" } : null} />
    </div>
  );
}

function BooleanField({ path, model, value, ctx, label }: FieldProps) {
  const id = useId();
  const checked = typeof value === "boolean" ? value : model.default === true;
  return (
    <div className="field form-field form-field--checkbox" data-kind="boolean">
      <label htmlFor={id} className="checkbox" title={model.description}>
        <input id={id} type="checkbox" data-testid={testId(path)} checked={checked} onChange={(e) => ctx.apply(path, e.target.checked)} />
        {label ?? model.title}
      </label>
    </div>
  );
}

/** A text per language: one input per bot language, marked when it has no text. */
function LocalizedField({ path, model, required, value, ctx, label }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const texts = isObject(value) ? value : {};
  const extra = Object.keys(texts).filter((l) => !ctx.languages.includes(l));
  const languages = [...ctx.languages, ...extra];
  const missing = new Set(missingTranslations(value, ctx.languages));
  const legacy = path.length === 1 && ctx.legacyText.has(String(path[0]));
  const long = path.length === 1;
  const set = (language: string, text: string) => {
    const next: Record<string, unknown> = { ...texts, [language]: text };
    // An optional text cleared in every language goes away rather than stay as "".
    const gone = !required && Object.values(next).every((v) => v === "");
    ctx.apply(path, gone ? undefined : next);
  };
  return (
    <fieldset className="field form-group form-group--localized" data-testid={testId(path)} data-kind="localized">
      <legend title={model.description}>
        {label ?? model.title}
        {required && <span aria-hidden="true"> *</span>}
      </legend>
      {languages.map((language) => {
        const inputId = `${id}-${language}`;
        const isMissing = missing.has(language);
        const props = {
          id: inputId,
          value: typeof texts[language] === "string" ? (texts[language] as string) : "",
          onChange: (e: { target: { value: string } }) => set(language, e.target.value),
          "data-missing": isMissing ? "true" : undefined,
          "aria-describedby": isMissing ? `${inputId}-missing` : undefined,
        };
        const controlId = legacy ? `inspector-text-${language}` : testId([...path, language]);
        return (
          <div className="localized-row" key={language} data-testid={legacy ? testId([...path, language]) : undefined}>
            <label htmlFor={inputId} className="localized-row__language">
              {language}
            </label>
            {long ? <textarea {...props} rows={2} data-testid={controlId} /> : <input {...props} type="text" data-testid={controlId} />}
            {isMissing && (
              <span className="missing-translation" id={`${inputId}-missing`} data-testid="missing-translation">
                {t("editor.form.missingTranslation")}
              </span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function OptionalToggle({ path, model, ctx, present }: { path: Path; model: FieldModel; ctx: FormContext; present: boolean }) {
  const { t } = useTranslation();
  return present ? (
    <button type="button" className="button-quiet small" data-testid={`optional-remove-${pointerKey(path)}`} onClick={() => ctx.apply(path, undefined)}>
      {t("editor.form.removeOptional")}
    </button>
  ) : (
    <button
      type="button"
      className="small"
      data-testid={`optional-add-${pointerKey(path)}`}
      onClick={() => ctx.apply(path, newValue(model, { languages: ctx.languages, idBase: String(path[path.length - 1] ?? "item") }))}
    >
      + {t("editor.form.addOptional")}
    </button>
  );
}

function ObjectField({ path, model, required, value, ctx, label, bare }: FieldProps & { bare?: boolean }) {
  if (model.kind !== "object") return null;
  const present = isObject(value);
  const body = present
    ? model.properties.map((property) => (
        <Field
          key={property.name}
          path={[...path, property.name]}
          model={property.model}
          required={property.required}
          value={value[property.name]}
          ctx={ctx}
        />
      ))
    : null;
  if (bare) return <>{body}</>;
  return (
    <fieldset className={present ? "field form-group" : "field form-group is-absent"} data-testid={testId(path)} data-kind="object">
      <legend title={model.description}>
        {label ?? model.title}
        {required && <span aria-hidden="true"> *</span>}
        {!required && <OptionalToggle path={path} model={model} ctx={ctx} present={present} />}
      </legend>
      {required && !present ? <OptionalToggle path={path} model={model} ctx={ctx} present={false} /> : body}
    </fieldset>
  );
}

function ArrayField({ path, model, required, value, ctx, label }: FieldProps) {
  const { t } = useTranslation();
  if (model.kind !== "array") return null;
  const items = Array.isArray(value) ? value : [];
  const key = pointerKey(path);
  const name = String(path[path.length - 1] ?? "item");
  const itemTitle = model.items.kind === "object" && model.items.title && model.items.title !== "" ? model.items.title : singular(name);
  const full = model.maxItems !== undefined && items.length >= model.maxItems;
  const write = (next: unknown[]) => ctx.apply(path, next.length === 0 && !required ? undefined : next);
  const add = () => write([...items, newValue(model.items, { languages: ctx.languages, idBase: singular(name), siblings: items })]);
  return (
    <fieldset className="field form-group form-group--array" data-testid={testId(path)} data-kind="array">
      <legend title={model.description}>
        {label ?? model.title}
        {required && <span aria-hidden="true"> *</span>}
        <span className="muted small"> ({items.length}{model.maxItems !== undefined ? `/${model.maxItems}` : ""})</span>
      </legend>
      {items.length === 0 && <p className="hint">{t("editor.form.empty")}</p>}
      <ol className="array-rows">
        {items.map((item, index) => {
          const itemPath = [...path, index];
          const object = model.items.kind === "object";
          const title = `${itemTitle} ${index + 1}`;
          const controls = (
            <span className="array-row__controls">
              <button
                type="button"
                className="icon-button"
                aria-label={`${t("editor.form.up")}: ${title}`}
                title={t("editor.form.up")}
                data-testid={`array-up-${key}.${index}`}
                disabled={index === 0}
                onClick={() => write(moveItem(items, index, index - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`${t("editor.form.down")}: ${title}`}
                title={t("editor.form.down")}
                data-testid={`array-down-${key}.${index}`}
                disabled={index === items.length - 1}
                onClick={() => write(moveItem(items, index, index + 1))}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button button-danger"
                aria-label={`${t("editor.form.remove")}: ${title}`}
                title={t("editor.form.remove")}
                data-testid={`array-remove-${key}.${index}`}
                onClick={() => write(items.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </span>
          );
          return (
            <li key={index} className={object ? "array-row array-row--object" : "array-row"} data-testid={`array-row-${key}.${index}`}>
              {object ? (
                <>
                  <div className="array-row__head">
                    <span className="array-row__title">{title}</span>
                    {controls}
                  </div>
                  <ObjectField path={itemPath} model={model.items} required value={item} ctx={ctx} bare />
                </>
              ) : (
                <div className="array-row__inline">
                  <Field path={itemPath} model={model.items} required value={item} ctx={ctx} label={title} />
                  {controls}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="small"
        data-testid={`array-add-${key}`}
        aria-label={`${t("editor.form.add")}: ${label ?? model.title}`}
        disabled={full}
        onClick={add}
      >
        + {t("editor.form.add")}
      </button>
    </fieldset>
  );
}

function EnumSetField({ path, model, required, value, ctx, label }: FieldProps) {
  if (model.kind !== "enumSet") return null;
  const chosen = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  const toggle = (option: string, on: boolean) => {
    const next = model.options.filter((o) => (o === option ? on : chosen.includes(o)));
    ctx.apply(path, next.length === 0 && !required ? undefined : next);
  };
  return (
    <fieldset className="field form-group" data-testid={testId(path)} data-kind="enumSet">
      <legend title={model.description}>
        {label ?? model.title}
        {required && <span aria-hidden="true"> *</span>}
      </legend>
      <div className="enum-set">
        {model.options.map((option) => (
          <label key={option} className="checkbox">
            <input
              type="checkbox"
              data-testid={`${testId(path)}-${option}`}
              checked={chosen.includes(option)}
              onChange={(e) => toggle(option, e.target.checked)}
            />
            {option}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Values under keys: a key input (or a choice of allowed keys) and the value's field. */
function MapField({ path, model, required, value, ctx, label }: FieldProps) {
  const { t } = useTranslation();
  if (model.kind !== "map") return null;
  const entries = isObject(value) ? Object.entries(value) : [];
  const keys = entries.map(([k]) => k);
  const key = pointerKey(path);
  const full = model.maxProperties !== undefined && entries.length >= model.maxProperties;
  const allowed = path.length === 1 ? ctx.mapKeys?.[String(path[0])] : undefined;
  // Keys that are languages (an intent's phrases per language): the bot's own languages.
  const keyOptions = model.keyEnum ?? (model.keyPattern === LANGUAGE_PATTERN ? ctx.languages : undefined);
  const free = keyOptions ? keyOptions.filter((k) => !keys.includes(k) && (!allowed || allowed.includes(k))) : null;
  const write = (next: Array<[string, unknown]>) => ctx.apply(path, next.length === 0 && !required ? undefined : Object.fromEntries(next));
  const add = () => {
    const name = free ? free[0] : freshId("key", keys);
    if (name === undefined) return;
    write([...entries, [name, newValue(model.values, { languages: ctx.languages })]]);
  };
  return (
    <fieldset className="field form-group form-group--map" data-testid={testId(path)} data-kind="map">
      <legend title={model.description}>
        {label ?? model.title}
        {required && <span aria-hidden="true"> *</span>}
      </legend>
      {entries.length === 0 && <p className="hint">{t("editor.form.empty")}</p>}
      <ol className="array-rows">
        {entries.map(([name], index) => (
          <li key={index} className="array-row" data-testid={`array-row-${key}.${index}`}>
            <div className="array-row__head">
              <MapKey
                path={path}
                name={name}
                taken={keys}
                options={allowed && keyOptions ? keyOptions.filter((k) => allowed.includes(k)) : keyOptions}
                pattern={model.keyPattern}
                onRename={(next) => write(entries.map(([k, v]) => (k === name ? [next, v] : [k, v])))}
              />
              <button
                type="button"
                className="icon-button button-danger"
                aria-label={`${t("editor.form.remove")}: ${name}`}
                title={t("editor.form.remove")}
                data-testid={`array-remove-${key}.${index}`}
                onClick={() => write(entries.filter(([k]) => k !== name))}
              >
                ×
              </button>
            </div>
            <Field path={[...path, name]} model={model.values} required value={getAt(value, [name])} ctx={ctx} label={t("editor.form.value")} />
          </li>
        ))}
      </ol>
      <button type="button" className="small" data-testid={`array-add-${key}`} disabled={full || (free !== null && free.length === 0)} onClick={add}>
        + {t("editor.form.add")}
      </button>
    </fieldset>
  );
}

function MapKey({
  path,
  name,
  taken,
  options,
  pattern,
  onRename,
}: {
  path: Path;
  name: string;
  taken: string[];
  options?: string[];
  pattern?: string;
  onRename: (name: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(name);
  const [issue, setIssue] = useState<FieldIssue | null>(null);
  useEffect(() => setText(name), [name]);
  if (options) {
    return (
      <select
        aria-label={t("editor.form.key")}
        data-testid={`${testId(path)}-key-${name}`}
        value={name}
        onChange={(e) => onRename(e.target.value)}
      >
        {[name, ...options.filter((o) => !taken.includes(o))].map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  const change = (raw: string) => {
    setText(raw);
    const model: FieldModel = { kind: "string", name: "", title: "", nullable: false, multiline: false, code: false, variable: false, minLength: 1, ...(pattern ? { pattern } : {}) };
    const parsed = parseInput(model, raw, true);
    if (!parsed.ok) return setIssue(parsed.issue);
    if (raw !== name && taken.includes(raw)) return setIssue({ path: [], code: "enum" });
    setIssue(null);
    if (raw !== name) onRename(raw);
  };
  return (
    <span className="map-key">
      <input
        id={id}
        aria-label={t("editor.form.key")}
        data-testid={`${testId(path)}-key-${name}`}
        value={text}
        aria-invalid={issue ? true : undefined}
        aria-describedby={issue ? `${id}-error` : undefined}
        onChange={(e) => change(e.target.value)}
      />
      <FieldError id={`${id}-error`} issue={issue} />
    </span>
  );
}
