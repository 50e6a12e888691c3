// The condition block's own form: "all"/"any" of a list of rules (left operand, operator,
// right operand), nested groups (all, any, not), or a JavaScript expression instead. Only what
// the author edits is written (keys and their order elsewhere stay as they are), so settings
// written by hand load and save unchanged.
// Test ids (`<p>`: the rule's JSON pointer in the settings with `/` as `.`, `when.0.all.1`):
// `condition-form`, `condition-source-rules`, `condition-source-javascript`, `condition-mode`,
// `condition-javascript`, `condition-node-<p>` (data-kind), `condition-left-kind-<p>`,
// `condition-left-<p>`, `condition-op-<p>`, `condition-right-kind-<p>`, `condition-right-<p>`,
// `condition-group-kind-<p>`, `condition-negate-<p>`, `condition-remove-<p>`,
// `condition-add-rule-<list>`, `condition-add-group-<list>`, `condition-json-<p>`,
// `condition-error` (data-issue).
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Block } from "../api/types";
import {
  defaultRightKind,
  newGroup,
  newRule,
  nodeKind,
  operandKind,
  operandText,
  OPERATORS,
  parseOperand,
  regroup,
  ruleIssues,
  UNARY_OPERATORS,
  type OperandIssue,
  type OperandKind,
  type RuleIssue,
} from "./condition";
import { isObject, pointerKey, setAt, type Path } from "./schemaForm";
import { SYSTEM_VARIABLES, variableTypes } from "./variables";

type ChangeBlock = (change: (block: Block) => Block) => void;

interface Ctx {
  /** Declared variable names, in order. */
  variables: string[];
  types: Map<string, string>;
  /** Sets the value at `path` inside the settings (`undefined` removes it). */
  apply: (path: Path, value: unknown) => void;
  declare: (name: string) => void;
  /** Right operands put aside while an operator takes none, by rule path. */
  stash: Map<string, unknown>;
}

const OPERAND_KINDS: OperandKind[] = ["var", "text", "number", "boolean", "null"];

export function ConditionForm({
  block,
  variables: declared,
  onChange,
  onDeclareVariable,
}: {
  block: Block;
  /** The document's `variables` as they are. */
  variables: unknown;
  onChange: ChangeBlock;
  onDeclareVariable: (name: string) => void;
}) {
  const { t } = useTranslation();
  const types = useMemo(() => variableTypes(declared), [declared]);
  const names = useMemo(() => [...types.keys()], [types]);
  const stash = useRef(new Map<string, unknown>()).current;
  // What the other source (rules or JavaScript) had, to bring back when switching back.
  const other = useRef<{ rules?: Record<string, unknown>; javascript?: unknown }>({});
  const ctx: Ctx = useMemo(
    () => ({
      variables: names,
      types,
      apply: (path, value) =>
        onChange((b) => {
          const settings = setAt(b.settings, path, value);
          return { ...b, settings: isObject(settings) ? settings : {} };
        }),
      declare: onDeclareVariable,
      stash,
    }),
    [names, types, onChange, onDeclareVariable, stash],
  );
  const settings = block.settings;
  const javascript = "javascript" in settings && settings.javascript !== null && settings.javascript !== undefined;
  const when = Array.isArray(settings.when) ? settings.when : [];
  const mode = settings.mode === "any" ? "any" : "all";

  // Rules and JavaScript exclude each other: switching puts one aside (for this block, until
  // the inspector closes) and brings back what was put aside of the other.
  const toJavaScript = () => {
    if (javascript) return;
    const rules: Record<string, unknown> = {};
    if (settings.when !== undefined) rules.when = settings.when;
    if (settings.mode !== undefined) rules.mode = settings.mode;
    other.current.rules = rules;
    const code = typeof other.current.javascript === "string" ? other.current.javascript : "";
    onChange((b) => {
      const { when: _w, mode: _m, ...rest } = b.settings;
      void _w;
      void _m;
      return { ...b, settings: { ...rest, javascript: code } };
    });
  };
  const toRules = () => {
    if (!javascript) return;
    other.current.javascript = settings.javascript;
    const kept = other.current.rules;
    const restored = kept && Array.isArray(kept.when) && kept.when.length ? kept : { when: [newRule(names)] };
    onChange((b) => {
      const { javascript: _js, ...rest } = b.settings;
      void _js;
      return { ...b, settings: { ...rest, ...restored } };
    });
  };

  return (
    <div className="settings-form condition-form" data-testid="condition-form">
      <fieldset className="field condition-source" role="radiogroup">
        <legend>{t("editor.condition.source")}</legend>
        <label className="checkbox">
          <input type="radio" name={`source-${block.id}`} data-testid="condition-source-rules" checked={!javascript} onChange={toRules} />
          {t("editor.condition.rules")}
        </label>
        <label className="checkbox">
          <input type="radio" name={`source-${block.id}`} data-testid="condition-source-javascript" checked={javascript} onChange={toJavaScript} />
          {t("editor.condition.javascript")}
        </label>
      </fieldset>
      {javascript ? (
        <JavaScriptField value={settings.javascript} ctx={ctx} />
      ) : (
        <>
          <div className="field">
            <label htmlFor={`mode-${block.id}`}>{t("editor.condition.mode")}</label>
            <select
              id={`mode-${block.id}`}
              data-testid="condition-mode"
              value={mode}
              onChange={(e) => ctx.apply(["mode"], e.target.value)}
            >
              <option value="all">{t("editor.condition.modes.all")}</option>
              <option value="any">{t("editor.condition.modes.any")}</option>
            </select>
          </div>
          <RuleList path={["when"]} items={when} ctx={ctx} top />
          <p className="hint">{t("editor.condition.ports")}</p>
        </>
      )}
    </div>
  );
}

function JavaScriptField({ value, ctx }: { value: unknown; ctx: Ctx }) {
  const { t } = useTranslation();
  const id = useId();
  const formatted = typeof value === "string" ? value : "";
  const [text, setText] = useState(formatted);
  const applied = useRef(formatted);
  useEffect(() => {
    if (formatted !== applied.current) {
      applied.current = formatted;
      setText(formatted);
    }
  }, [formatted]);
  const empty = text.trim() === "";
  return (
    <div className="field form-field">
      <label htmlFor={id}>{t("editor.condition.expression")}</label>
      <textarea
        id={id}
        className="code"
        spellCheck={false}
        data-testid="condition-javascript"
        rows={Math.min(10, Math.max(3, text.split("\n").length))}
        value={text}
        placeholder="vars.age >= 18"
        aria-invalid={empty ? true : undefined}
        aria-describedby={empty ? `${id}-error` : `${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          applied.current = e.target.value;
          ctx.apply(["javascript"], e.target.value);
        }}
      />
      {empty ? (
        <p className="field-error" role="alert" id={`${id}-error`} data-testid="condition-error" data-issue="javascript">
          {t("editor.condition.errors.javascript")}
        </p>
      ) : (
        <p className="hint" id={`${id}-hint`}>
          {t("editor.condition.javascriptHint")}
        </p>
      )}
    </div>
  );
}

function RuleList({ path, items, ctx, top = false }: { path: Path; items: unknown[]; ctx: Ctx; top?: boolean }) {
  const { t } = useTranslation();
  const key = pointerKey(path);
  const write = (next: unknown[]) => ctx.apply(path, next);
  return (
    <div className={top ? "condition-list condition-list--top" : "condition-list"}>
      {items.length === 0 && top && (
        <p className="field-error" role="alert" data-testid="condition-error" data-issue="noRules">
          {t("editor.condition.errors.noRules")}
        </p>
      )}
      <ol className="condition-rules">
        {items.map((item, index) => (
          <li key={index}>
            <ConditionNode
              path={[...path, index]}
              node={item}
              ctx={ctx}
              onReplace={(node) => write(items.map((x, i) => (i === index ? node : x)))}
              onRemove={() => write(items.filter((_, i) => i !== index))}
            />
          </li>
        ))}
      </ol>
      <div className="buttons condition-add">
        <button type="button" className="small" data-testid={`condition-add-rule-${key}`} onClick={() => write([...items, newRule(ctx.variables)])}>
          + {t("editor.condition.addRule")}
        </button>
        <button type="button" className="small" data-testid={`condition-add-group-${key}`} onClick={() => write([...items, newGroup(ctx.variables)])}>
          + {t("editor.condition.addGroup")}
        </button>
      </div>
    </div>
  );
}

function Issues({ issues, path }: { issues: RuleIssue[]; path: Path }) {
  const { t } = useTranslation();
  return (
    <>
      {issues.map((issue) => (
        <p key={issue} className="field-error" role="alert" data-testid="condition-error" data-issue={issue} data-path={pointerKey(path)}>
          {t(`editor.condition.errors.${issue}`)}
        </p>
      ))}
    </>
  );
}

function NodeControls({ path, negated, onNegate, onRemove }: { path: Path; negated: boolean; onNegate: () => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const key = pointerKey(path);
  return (
    <span className="array-row__controls">
      <button
        type="button"
        className="icon-button"
        data-testid={`condition-negate-${key}`}
        aria-pressed={negated}
        title={negated ? t("editor.condition.unnegate") : t("editor.condition.negate")}
        onClick={onNegate}
      >
        {t("editor.condition.not")}
      </button>
      <button
        type="button"
        className="icon-button button-danger"
        data-testid={`condition-remove-${key}`}
        aria-label={t("editor.condition.remove")}
        title={t("editor.condition.remove")}
        onClick={onRemove}
      >
        ×
      </button>
    </span>
  );
}

/** One rule or group. `unwrap`: it is the inside of a NOT, which its NOT button takes away
 * (its test ids are those of the NOT's path). */
function ConditionNode({
  path,
  node,
  ctx,
  onReplace,
  onRemove,
  unwrap,
}: {
  path: Path;
  node: unknown;
  ctx: Ctx;
  onReplace: (node: unknown) => void;
  onRemove: () => void;
  unwrap?: { path: Path; run: () => void };
}) {
  const { t } = useTranslation();
  const kind = nodeKind(node);
  const key = pointerKey(path);
  const issues = ruleIssues(node);
  const controls = (
    <NodeControls
      path={unwrap?.path ?? path}
      negated={unwrap !== undefined}
      onNegate={unwrap ? unwrap.run : () => onReplace({ not: node })}
      onRemove={onRemove}
    />
  );

  if (kind === "unknown" || !isObject(node)) {
    return (
      <div className="condition-node condition-node--unknown" data-testid={`condition-node-${key}`} data-kind="unknown">
        <div className="array-row__head">
          <span className="array-row__title">{t("editor.condition.unknown")}</span>
          {controls}
        </div>
        <JsonNode path={path} node={node} ctx={ctx} />
      </div>
    );
  }
  if (kind === "not" && !unwrap) {
    // NOT of a rule or group: drawn as that rule with its NOT button pressed.
    const inner = node.not;
    const unwrapThis = { path, run: () => onReplace(inner) };
    return (
      <div className="condition-node--not" data-testid={`condition-node-${key}`} data-kind="not">
        <span className="condition-not-badge">{t("editor.condition.notTitle")}</span>
        <ConditionNode
          path={[...path, "not"]}
          node={inner}
          ctx={ctx}
          onReplace={(next) => ctx.apply([...path, "not"], next)}
          // The inner rule gone, its NOT goes with it.
          onRemove={onRemove}
          unwrap={unwrapThis}
        />
      </div>
    );
  }
  if (kind === "not") {
    // A NOT inside a NOT: drawn as a NOT of its own.
    return (
      <div className="condition-node condition-node--group" data-testid={`condition-node-${key}`} data-kind="not">
        <div className="array-row__head">
          <span className="array-row__title">{t("editor.condition.notTitle")}</span>
          {controls}
        </div>
        <ConditionNode path={[...path, "not"]} node={node.not} ctx={ctx} onReplace={(next) => ctx.apply([...path, "not"], next)} onRemove={onRemove} />
      </div>
    );
  }
  if (kind === "all" || kind === "any") {
    const list = Array.isArray(node[kind]) ? (node[kind] as unknown[]) : [];
    return (
      <div className={`condition-node condition-node--group`} data-testid={`condition-node-${key}`} data-kind={kind}>
        <div className="array-row__head">
          <select
            aria-label={t("editor.condition.groupKind")}
            data-testid={`condition-group-kind-${key}`}
            value={kind}
            onChange={(e) => onReplace(regroup(node, kind, e.target.value === "any" ? "any" : "all"))}
          >
            <option value="all">{t("editor.condition.groups.all")}</option>
            <option value="any">{t("editor.condition.groups.any")}</option>
          </select>
          {controls}
        </div>
        <Issues issues={issues} path={path} />
        <RuleList path={[...path, kind]} items={list} ctx={ctx} />
      </div>
    );
  }
  return <Comparison path={path} node={node} ctx={ctx} issues={issues} controls={controls} />;
}

function Comparison({
  path,
  node,
  ctx,
  issues,
  controls,
}: {
  path: Path;
  node: Record<string, unknown>;
  ctx: Ctx;
  issues: RuleIssue[];
  controls: ReactNode;
}) {
  const { t } = useTranslation();
  const key = pointerKey(path);
  const op = typeof node.op === "string" ? node.op : "";
  const known = (OPERATORS as readonly string[]).includes(op);
  const unary = UNARY_OPERATORS.has(op);
  const leftVar = isObject(node.left) && typeof node.left.var === "string" ? node.left.var.split(/[.[]/)[0] : undefined;
  const leftType = leftVar ? ctx.types.get(leftVar) : undefined;

  const setOp = (next: string) => {
    const updated: Record<string, unknown> = { ...node, op: next };
    if (UNARY_OPERATORS.has(next)) {
      if (updated.right !== undefined) ctx.stash.set(key, updated.right);
      delete updated.right;
    } else if (updated.right === undefined || updated.right === null) {
      const kept = ctx.stash.get(key);
      if (kept !== undefined) updated.right = kept;
    }
    ctx.apply(path, updated);
  };

  return (
    <div className="condition-node condition-node--rule" data-testid={`condition-node-${key}`} data-kind="comparison">
      <div className="array-row__head">
        <span className="array-row__title">{t("editor.condition.rule")}</span>
        {controls}
      </div>
      <Operand path={[...path, "left"]} side="left" operand={node.left} ctx={ctx} defaultKind="var" />
      <div className="field condition-op">
        <select
          aria-label={t("editor.condition.operator")}
          data-testid={`condition-op-${key}`}
          value={op}
          aria-invalid={known ? undefined : true}
          onChange={(e) => setOp(e.target.value)}
        >
          {!known && <option value={op}>{op || "—"}</option>}
          {OPERATORS.map((o) => (
            <option key={o} value={o}>
              {t(`editor.condition.operators.${o}`)}
            </option>
          ))}
        </select>
      </div>
      {!unary && (
        <Operand
          path={[...path, "right"]}
          side="right"
          operand={node.right}
          ctx={ctx}
          defaultKind={defaultRightKind(op, leftType)}
          pattern={op === "matches"}
        />
      )}
      <Issues issues={issues} path={path} />
    </div>
  );
}

/** One side of a comparison: how it is given (a variable or a literal of a type) and its text;
 * the text is applied when it reads as that kind. */
function Operand({
  path,
  side,
  operand,
  ctx,
  defaultKind,
  pattern = false,
}: {
  path: Path;
  side: "left" | "right";
  operand: unknown;
  ctx: Ctx;
  defaultKind: OperandKind;
  pattern?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const rule = pointerKey(path.slice(0, -1));
  const current = operandKind(operand);
  const fingerprint = JSON.stringify(operand ?? null);
  const [kind, setKind] = useState<OperandKind>(current ?? defaultKind);
  const [text, setText] = useState(operandText(operand));
  const [issue, setIssue] = useState<OperandIssue | null>(null);
  const applied = useRef(fingerprint);
  // A change made elsewhere (undo, the JSON area, another rule removed) replaces what is here.
  useEffect(() => {
    if (fingerprint !== applied.current) {
      applied.current = fingerprint;
      setKind(current ?? defaultKind);
      setText(operandText(operand));
      setIssue(null);
    }
  }, [fingerprint]);

  const commit = (nextKind: OperandKind, raw: string) => {
    setKind(nextKind);
    setText(raw);
    const parsed = parseOperand(nextKind, raw);
    if (!parsed.ok) {
      setIssue(parsed.issue);
      return;
    }
    setIssue(null);
    applied.current = JSON.stringify(parsed.operand);
    ctx.apply(path, parsed.operand);
  };
  const changeKind = (nextKind: OperandKind) => {
    // The text carries over (a number typed as text becomes the number), except out of a
    // yes/no or an empty value.
    let raw = kind === "null" || kind === "boolean" ? "" : text;
    if (nextKind === "boolean") raw = text.trim() === "true" ? "true" : "false";
    if (nextKind === "null") raw = "";
    commit(nextKind, raw);
  };

  const kinds = kind === "json" ? [...OPERAND_KINDS, "json" as const] : OPERAND_KINDS;
  const label = t(side === "left" ? "editor.condition.left" : "editor.condition.right");
  const errorId = `${id}-error`;
  const testId = `condition-${side}-${rule}`;
  const common = {
    id,
    "data-testid": testId,
    "aria-label": label,
    "aria-invalid": issue ? true : undefined,
    "aria-describedby": issue ? errorId : undefined,
  };
  let input: ReactNode;
  if (kind === "var") {
    input = <VariableInput common={common} value={text} ctx={ctx} onChange={(v) => commit("var", v)} />;
  } else if (kind === "boolean") {
    input = (
      <select {...common} value={text === "true" ? "true" : "false"} onChange={(e) => commit("boolean", e.target.value)}>
        <option value="true">{t("editor.condition.true")}</option>
        <option value="false">{t("editor.condition.false")}</option>
      </select>
    );
  } else if (kind === "null") {
    input = <span className="muted condition-null" data-testid={testId}>{t("editor.condition.nullValue")}</span>;
  } else {
    input = (
      <input
        {...common}
        type="text"
        inputMode={kind === "number" ? "decimal" : undefined}
        className={kind === "json" || pattern ? "code" : undefined}
        spellCheck={false}
        autoComplete="off"
        placeholder={pattern ? t("editor.condition.patternPlaceholder") : kind === "number" ? "0" : undefined}
        value={text}
        onChange={(e) => commit(kind, e.target.value)}
      />
    );
  }
  const root = kind === "var" && !issue ? text.trim().split(/[.[]/)[0] : "";
  const undeclared = root !== "" && !ctx.variables.includes(root) && !SYSTEM_VARIABLES.includes(root);
  return (
    <div className={`condition-operand condition-operand--${side}`} data-kind={kind}>
      <div className="condition-operand__row">
        <select
          className="condition-operand__kind"
          aria-label={t(side === "left" ? "editor.condition.leftKind" : "editor.condition.rightKind")}
          data-testid={`condition-${side}-kind-${rule}`}
          value={kind}
          onChange={(e) => changeKind(e.target.value as OperandKind)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`editor.condition.kinds.${k}`)}
            </option>
          ))}
        </select>
        {input}
      </div>
      {issue && (
        <p className="field-error" role="alert" id={errorId} data-testid="condition-error" data-issue={issue}>
          {t(`editor.condition.errors.${issue}`)}
        </p>
      )}
      {undeclared && (
        <p className="hint">
          {t("editor.form.undeclared", { name: root })}{" "}
          <button type="button" className="link" data-testid={`condition-declare-${side}-${rule}`} onClick={() => ctx.declare(root)}>
            {t("editor.form.declare")}
          </button>
        </p>
      )}
    </div>
  );
}

/** A variable's name: typed (with suggestions) or chosen among the declared and the system
 * variables. */
function VariableInput({
  common,
  value,
  ctx,
  onChange,
}: {
  common: Record<string, unknown>;
  value: string;
  ctx: Ctx;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const listId = `${String(common.id)}-variables`;
  const known = ctx.variables.includes(value) || SYSTEM_VARIABLES.includes(value);
  return (
    <span className="variable-input">
      <input {...common} type="text" list={listId} autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {[...ctx.variables, ...SYSTEM_VARIABLES].map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <select
        aria-label={t("editor.form.pickVariable")}
        title={t("editor.form.pickVariable")}
        data-testid={`${String(common["data-testid"])}-pick`}
        value={known ? value : ""}
        onChange={(e) => {
          if (e.target.value) onChange(e.target.value);
        }}
      >
        <option value="">{t("editor.form.variables")}…</option>
        {ctx.variables.length > 0 && (
          <optgroup label={t("editor.condition.declared")}>
            {ctx.variables.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label={t("editor.condition.system")}>
          {SYSTEM_VARIABLES.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </optgroup>
      </select>
    </span>
  );
}

/** A rule the form cannot draw, as JSON: applied when it parses. */
function JsonNode({ path, node, ctx }: { path: Path; node: unknown; ctx: Ctx }) {
  const { t } = useTranslation();
  const formatted = JSON.stringify(node ?? null, null, 2);
  const [text, setText] = useState(formatted);
  const [bad, setBad] = useState(false);
  const applied = useRef(formatted);
  useEffect(() => {
    if (formatted !== applied.current) {
      applied.current = formatted;
      setText(formatted);
      setBad(false);
    }
  }, [formatted]);
  return (
    <>
      <textarea
        className="code"
        spellCheck={false}
        rows={Math.min(8, Math.max(2, text.split("\n").length))}
        data-testid={`condition-json-${pointerKey(path)}`}
        aria-label={t("editor.condition.unknown")}
        aria-invalid={bad ? true : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = JSON.parse(e.target.value);
            setBad(false);
            applied.current = JSON.stringify(parsed, null, 2);
            ctx.apply(path, parsed);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && (
        <p className="field-error" role="alert" data-testid="condition-error" data-issue="json">
          {t("editor.condition.errors.json")}
        </p>
      )}
    </>
  );
}
