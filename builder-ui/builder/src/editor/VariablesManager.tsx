// The scenario's declared variables as a list to edit: name, type, scope, default and
// description of each, added, renamed (with the blocks' uses, if the author wants) and
// removed (with a warning while blocks still use it). Each field is checked as it is typed and
// applied only when it fits (variables.ts has the checks). Test ids: `variables-manager`,
// `variable-row-<i>`, `variable-<field>-<i>` (name, type, scope, default, description),
// `variable-rename-<i>`, `variable-rename-uses-<i>`, `variable-rename-cancel-<i>`,
// `variable-remove-<i>`, `variable-remove-confirm-<i>`, `variable-remove-cancel-<i>`,
// `variable-error-<field>-<i>`, `variable-add-name`, `variable-add-type`, `variable-add-scope`,
// `variable-add`, `variable-add-error`.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ScenarioDocument } from "../api/types";
import {
  addVariable,
  checkVariableName,
  convertDefault,
  formatDefault,
  parseDefault,
  readVariables,
  removeVariable,
  renameVariable,
  scriptOutputs,
  setVariableField,
  variableUses,
  VARIABLE_SCOPES,
  VARIABLE_TYPES,
  type DeclaredVariable,
  type DefaultIssue,
  type NameIssue,
} from "./variables";

type ChangeDoc = (change: (doc: ScenarioDocument) => ScenarioDocument) => void;

export function VariablesManager({ doc, onChange }: { doc: ScenarioDocument; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const variables = useMemo(() => readVariables(doc.variables), [doc.variables]);
  const names = variables.map((v) => v.name);
  return (
    <section className="variables-manager" data-testid="variables-manager" aria-labelledby="variables-title">
      <h3 id="variables-title">
        {t("editor.variables.title")} <span className="muted small">({variables.length})</span>
      </h3>
      <p className="hint">{t("editor.variables.intro", { example: "{{name}}" })}</p>
      {variables.length === 0 ? (
        <p className="hint" data-testid="variables-empty">
          {t("editor.variables.none")}
        </p>
      ) : (
        <ol className="variable-rows">
          {variables.map((variable, index) => (
            <VariableRow
              // A rename or a removal gives the rows after it fresh fields.
              key={`${index}:${variable.name}`}
              index={index}
              variable={variable}
              others={names.filter((_, i) => i !== index)}
              doc={doc}
              onChange={onChange}
            />
          ))}
        </ol>
      )}
      <AddVariable names={names} onAdd={(variable) => onChange((d) => addVariable(d, variable))} />
    </section>
  );
}

function useNameError(): (issue: NameIssue | null, name: string) => string | null {
  const { t } = useTranslation();
  return (issue, name) => (issue ? t(`editor.variables.errors.${issue}`, { name }) : null);
}

function VariableRow({
  index,
  variable,
  others,
  doc,
  onChange,
}: {
  index: number;
  variable: DeclaredVariable;
  others: string[];
  doc: ScenarioDocument;
  onChange: ChangeDoc;
}) {
  const { t } = useTranslation();
  const nameError = useNameError();
  const id = useId();
  const [name, setName] = useState(variable.name);
  const [renameUses, setRenameUses] = useState(true);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [dropped, setDropped] = useState<string | null>(null);
  const uses = useMemo(() => variableUses(doc, variable.name), [doc, variable.name]);
  const usedBy = useMemo(() => [...new Set(uses.map((u) => u.blockId))], [uses]);
  const renaming = name !== variable.name;
  const issue = renaming ? checkVariableName(name, others) : null;
  const error = nameError(issue, name);
  const knownType = (VARIABLE_TYPES as readonly string[]).includes(variable.type);
  const knownScope = (VARIABLE_SCOPES as readonly string[]).includes(variable.scope);
  const label = variable.name || t("editor.variables.unnamed");

  const rename = () => {
    if (!renaming || issue) return;
    const from = variable.name;
    onChange((d) => renameVariable(d, index, from, name, renameUses && usedBy.length > 0));
  };
  const onNameKey = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault();
      rename();
    } else if (event.key === "Escape") {
      setName(variable.name);
    }
  };
  const setType = (type: string) => {
    const next = variable.hasDefault ? convertDefault(variable.default, type) : undefined;
    setDropped(variable.hasDefault && next === undefined ? formatDefault(variable.type, variable.default) : null);
    onChange((d) => {
      let out = setVariableField(d, index, "type", type);
      if (variable.hasDefault && next !== variable.default) out = setVariableField(out, index, "default", next);
      return out;
    });
  };
  const remove = () => {
    if (usedBy.length > 0 && !confirmRemove) {
      setConfirmRemove(true);
      return;
    }
    onChange((d) => removeVariable(d, index));
  };
  const stuck = renaming && !issue && renameUses ? scriptOutputs(doc, uses) : [];

  return (
    <li className="variable-row" data-testid={`variable-row-${index}`} data-name={variable.name}>
      <div className="variable-row__head">
        <input
          id={`${id}-name`}
          className="variable-row__name"
          data-testid={`variable-name-${index}`}
          aria-label={t("editor.variables.name")}
          value={name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-name-error` : undefined}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={onNameKey}
        />
        <button
          type="button"
          className="icon-button button-danger"
          data-testid={`variable-remove-${index}`}
          aria-label={t("editor.variables.removeNamed", { name: label })}
          title={t("editor.variables.remove")}
          onClick={remove}
        >
          ×
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert" id={`${id}-name-error`} data-testid={`variable-error-name-${index}`}>
          {error}
        </p>
      )}
      {renaming && !issue && (
        <div className="variable-row__confirm" data-testid={`variable-rename-box-${index}`}>
          {usedBy.length > 0 ? (
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid={`variable-rename-uses-${index}`}
                checked={renameUses}
                onChange={(e) => setRenameUses(e.target.checked)}
              />
              {t("editor.variables.renameUses", { count: uses.length, blocks: usedBy.join(", ") })}
            </label>
          ) : (
            <span className="hint">{t("editor.variables.unusedRename")}</span>
          )}
          {stuck.length > 0 && <p className="hint">{t("editor.variables.checkScripts", { blocks: stuck.join(", ") })}</p>}
          <div className="buttons">
            <button type="button" className="button-primary small" data-testid={`variable-rename-${index}`} onClick={rename}>
              {t("editor.variables.rename", { from: label, to: name })}
            </button>
            <button type="button" className="button-quiet small" data-testid={`variable-rename-cancel-${index}`} onClick={() => setName(variable.name)}>
              {t("editor.variables.cancel")}
            </button>
          </div>
        </div>
      )}
      {confirmRemove && (
        <div className="variable-row__confirm variable-row__confirm--danger" role="alert" data-testid={`variable-remove-box-${index}`}>
          <p>{t("editor.variables.stillUsed", { name: label, count: usedBy.length, blocks: usedBy.join(", ") })}</p>
          <div className="buttons">
            <button type="button" className="button-danger small" data-testid={`variable-remove-confirm-${index}`} onClick={remove}>
              {t("editor.variables.removeAnyway")}
            </button>
            <button type="button" className="button-quiet small" data-testid={`variable-remove-cancel-${index}`} onClick={() => setConfirmRemove(false)}>
              {t("editor.variables.cancel")}
            </button>
          </div>
        </div>
      )}
      <div className="variable-row__fields">
        <label className="variable-row__field">
          <span>{t("editor.variables.type")}</span>
          <select data-testid={`variable-type-${index}`} value={variable.type} onChange={(e) => setType(e.target.value)}>
            {!knownType && <option value={variable.type}>{variable.type}</option>}
            {VARIABLE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`editor.variables.types.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="variable-row__field">
          <span>{t("editor.variables.scope")}</span>
          <select
            data-testid={`variable-scope-${index}`}
            value={variable.scope}
            title={knownScope ? t(`editor.variables.scopeHints.${variable.scope}`) : undefined}
            onChange={(e) => {
              const scope = e.target.value;
              onChange((d) => setVariableField(d, index, "scope", scope));
            }}
          >
            {!knownScope && <option value={variable.scope}>{variable.scope}</option>}
            {VARIABLE_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {t(`editor.variables.scopes.${scope}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <DefaultField
        key={variable.type}
        index={index}
        variable={variable}
        onApply={(value) => {
          setDropped(null);
          onChange((d) => setVariableField(d, index, "default", value));
        }}
      />
      {dropped !== null && (
        <p className="hint" data-testid={`variable-default-dropped-${index}`}>
          {t("editor.variables.defaultDropped", { value: dropped })}
        </p>
      )}
      <DescriptionField index={index} value={doc.variables?.[index]} onChange={onChange} />
      <p className="hint variable-row__uses" data-testid={`variable-uses-${index}`}>
        {usedBy.length > 0 ? t("editor.variables.usedBy", { blocks: usedBy.join(", ") }) : t("editor.variables.unused")}
      </p>
    </li>
  );
}

/** Text kept as typed (the caller applies it when it fits); a change made elsewhere (undo, the
 * JSON area) replaces it. */
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

function DefaultField({ index, variable, onApply }: { index: number; variable: DeclaredVariable; onApply: (value: unknown) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const formatted = variable.hasDefault ? formatDefault(variable.type, variable.default) : "";
  const { text, setText, applied } = useDraft(formatted);
  const [issue, setIssue] = useState<DefaultIssue | null>(null);
  const label = t("editor.variables.default");
  if (variable.type === "boolean") {
    const value = variable.default === true ? "true" : variable.default === false ? "false" : "";
    return (
      <label className="variable-row__field variable-row__field--wide">
        <span>{label}</span>
        <select data-testid={`variable-default-${index}`} value={value} onChange={(e) => onApply(e.target.value === "" ? undefined : e.target.value === "true")}>
          <option value="">{t("editor.variables.noDefault")}</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </label>
    );
  }
  const change = (raw: string) => {
    setText(raw);
    const parsed = parseDefault(variable.type, raw);
    if (!parsed.ok) {
      setIssue(parsed.issue);
      return;
    }
    setIssue(null);
    applied.current = parsed.value === undefined ? "" : formatDefault(variable.type, parsed.value);
    onApply(parsed.value);
  };
  const placeholder = t(`editor.variables.placeholders.${(VARIABLE_TYPES as readonly string[]).includes(variable.type) ? variable.type : "any"}`);
  return (
    <div className="variable-row__field variable-row__field--wide">
      <label htmlFor={`${id}-default`}>{label}</label>
      <input
        id={`${id}-default`}
        data-testid={`variable-default-${index}`}
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        className={variable.type === "string" || variable.type === "date" || variable.type === "number" ? undefined : "code"}
        aria-invalid={issue ? true : undefined}
        aria-describedby={issue ? `${id}-default-error` : undefined}
        onChange={(e) => change(e.target.value)}
      />
      {issue && (
        <p className="field-error" role="alert" id={`${id}-default-error`} data-testid={`variable-error-default-${index}`}>
          {t(`editor.variables.errors.default_${issue}`)}
        </p>
      )}
    </div>
  );
}

function DescriptionField({ index, value, onChange }: { index: number; value: unknown; onChange: ChangeDoc }) {
  const { t } = useTranslation();
  const current = typeof value === "object" && value !== null && typeof (value as { description?: unknown }).description === "string" ? (value as { description: string }).description : "";
  const { text, setText, applied } = useDraft(current);
  return (
    <input
      className="variable-row__description"
      data-testid={`variable-description-${index}`}
      aria-label={t("editor.variables.description")}
      placeholder={t("editor.variables.descriptionPlaceholder")}
      value={text}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        applied.current = next;
        onChange((d) => setVariableField(d, index, "description", next === "" ? undefined : next));
      }}
    />
  );
}

function AddVariable({ names, onAdd }: { names: string[]; onAdd: (variable: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const nameError = useNameError();
  const id = useId();
  const [name, setName] = useState("");
  const [type, setType] = useState<string>("string");
  const [scope, setScope] = useState<string>("conversation");
  const [tried, setTried] = useState(false);
  const issue = checkVariableName(name.trim(), names);
  const shown = name !== "" || tried ? nameError(issue, name.trim()) : null;
  const add = () => {
    setTried(true);
    if (issue) return;
    const variable: Record<string, unknown> = { name: name.trim(), type };
    if (scope !== "conversation") variable.scope = scope;
    onAdd(variable);
    setName("");
    setTried(false);
  };
  return (
    <div className="variable-add" data-testid="variable-add-form">
      <h4>{t("editor.variables.addTitle")}</h4>
      <div className="variable-add__row">
        <input
          id={`${id}-name`}
          data-testid="variable-add-name"
          aria-label={t("editor.variables.name")}
          placeholder={t("editor.variables.namePlaceholder")}
          value={name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${id}-error` : undefined}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <select data-testid="variable-add-type" aria-label={t("editor.variables.type")} value={type} onChange={(e) => setType(e.target.value)}>
          {VARIABLE_TYPES.map((option) => (
            <option key={option} value={option}>
              {t(`editor.variables.types.${option}`)}
            </option>
          ))}
        </select>
        <select data-testid="variable-add-scope" aria-label={t("editor.variables.scope")} value={scope} onChange={(e) => setScope(e.target.value)}>
          {VARIABLE_SCOPES.map((option) => (
            <option key={option} value={option}>
              {t(`editor.variables.scopes.${option}`)}
            </option>
          ))}
        </select>
        <button type="button" className="small" data-testid="variable-add" onClick={add}>
          + {t("editor.variables.add")}
        </button>
      </div>
      {shown && (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid="variable-add-error">
          {shown}
        </p>
      )}
    </div>
  );
}
