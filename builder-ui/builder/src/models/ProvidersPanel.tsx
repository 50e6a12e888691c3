// The organization's model providers (GET/PUT/DELETE /api/v1/llm/providers/{name}): each
// with its kind, model, address, key (a secret's name), fallbacks, limits and prices; a form
// to add one or change one; a connection test of a stored provider (POST …/test: ok and the
// time with the model's answer, or the provider's reason); a deletion after a confirmation,
// with the server's refusal shown when other providers still fall back to it.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";
import { useLoad, type Load } from "../useLoad";
import {
  checkProvider,
  fallingBackTo,
  KEYLESS_KINDS,
  MAX_FALLBACKS,
  NEEDS_API_BASE,
  PROVIDER_KINDS,
  providerBody,
  providerForm,
  type ConnectionTest,
  type ProviderForm,
  type ProviderKind,
  type ProviderRead,
} from "./forms";
import { ConfirmDelete, Field, SecretSelect, serverFieldErrors, useFieldMessages, useFormats } from "./ui";

const MODEL_EXAMPLES: Record<ProviderKind, string> = {
  openai: "gpt-4o-mini",
  azure: "my-gpt-4o-deployment",
  gemini: "gemini-1.5-flash",
  anthropic: "claude-3-5-haiku-latest",
  openai_compatible: "llama3.1:8b",
};

const API_BASE_EXAMPLES: Record<ProviderKind, string> = {
  openai: "https://api.openai.com/v1",
  azure: "https://my-resource.openai.azure.com",
  gemini: "https://generativelanguage.googleapis.com",
  anthropic: "https://api.anthropic.com",
  openai_compatible: "http://llm.internal:8080/v1",
};

/** The fallbacks in their order: each moved up or down or removed, another added from the
 * organization's other providers. */
function FallbacksField({
  id,
  value,
  onChange,
  others,
  error,
}: {
  id: string;
  value: string[];
  onChange: (fallbacks: string[]) => void;
  others: string[];
  error: string | null;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState("");
  const left = others.filter((name) => !value.includes(name));
  const full = value.length >= MAX_FALLBACKS;
  const move = (index: number, by: number) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item);
    onChange(next);
  };
  const describedBy = [error ? `${id}-fallbacks-error` : null, `${id}-fallbacks-hint`].filter(Boolean).join(" ");
  return (
    <fieldset className="field" aria-describedby={describedBy} data-testid="provider-fallbacks">
      <legend>{t("models.providers.fallbacks")}</legend>
      {value.length === 0 ? (
        <p className="muted small" data-testid="fallbacks-none">
          {t("models.providers.noFallbacks")}
        </p>
      ) : (
        <ol className="fallback-list">
          {value.map((name, index) => (
            <li key={name} data-testid="fallback-item" data-fallback={name}>
              <code>{name}</code>
              <span className="toolbar-group">
                <button type="button" className="small" aria-label={t("models.providers.fallbackUp", { name })} disabled={index === 0} onClick={() => move(index, -1)}>
                  ↑
                </button>
                <button
                  type="button"
                  className="small"
                  aria-label={t("models.providers.fallbackDown", { name })}
                  disabled={index === value.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="small button-quiet"
                  data-testid="fallback-remove"
                  aria-label={t("models.providers.fallbackRemove", { name })}
                  onClick={() => onChange(value.filter((other) => other !== name))}
                >
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      {others.length === 0 ? null : (
        <span className="input-with-button fallback-add">
          <label className="visually-hidden" htmlFor={`${id}-fallback-add`}>
            {t("models.providers.fallbackAddLabel")}
          </label>
          <select id={`${id}-fallback-add`} data-testid="fallback-choice" value={adding} disabled={full || left.length === 0} onChange={(e) => setAdding(e.target.value)}>
            <option value="">{t("models.providers.fallbackChoose")}</option>
            {left.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="small"
            data-testid="fallback-add"
            disabled={!adding || full}
            onClick={() => {
              onChange([...value, adding]);
              setAdding("");
            }}
          >
            {t("models.providers.fallbackAdd")}
          </button>
        </span>
      )}
      <p className="hint" id={`${id}-fallbacks-hint`}>
        {others.length === 0 ? t("models.providers.fallbacksNoOthers") : t("models.providers.fallbacksHint", { max: MAX_FALLBACKS })}
      </p>
      {error && (
        <p className="field-error" id={`${id}-fallbacks-error`} data-testid="error-fallbacks">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A new provider (its name typed) or a stored one changed (its name fixed: the API keeps a
 * provider under its name, so another name would be another provider). */
function ProviderEditor({
  provider,
  providers,
  secrets,
  onSaved,
  onCancel,
}: {
  provider?: ProviderRead;
  providers: ProviderRead[];
  secrets: Load<string[]>;
  onSaved: (provider: ProviderRead, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const isNew = !provider;
  const [form, setForm] = useState<ProviderForm>(() => providerForm(provider));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement & HTMLSelectElement>(null);

  useEffect(() => first.current?.focus(), []);

  const existing = providers.map((p) => p.name);
  const local = submitted ? checkProvider(form, { isNew, existing }) : {};
  const message = useFieldMessages(local, server);
  const set = <K extends keyof ProviderForm>(field: K, value: ProviderForm[K]) => {
    setForm((was) => ({ ...was, [field]: value }));
    setServer((was) => {
      if (!(field in was)) return was;
      const { [field]: _dropped, ...rest } = was;
      return rest;
    });
  };
  const others = existing.filter((name) => name !== form.name);
  const needsBase = NEEDS_API_BASE.includes(form.kind);
  const keyless = KEYLESS_KINDS.includes(form.kind);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    setServer({});
    const problems = checkProvider(form, { isNew, existing });
    if (Object.keys(problems).length > 0) {
      setError(t("models.fixFields", { n: Object.keys(problems).length }));
      return;
    }
    setBusy(true);
    try {
      const saved = await api.put("/api/v1/llm/providers/{name}", { path: { name: form.name }, body: providerBody(form) });
      onSaved(saved, isNew);
    } catch (e) {
      setServer(serverFieldErrors(e));
      setError(t("models.saveFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  const title = isNew ? t("models.providers.add") : t("models.providers.editOf", { name: provider.name });
  return (
    <form className={isNew ? "card model-form" : "model-form model-form--inline"} onSubmit={submit} noValidate data-testid="provider-form" aria-label={title}>
      {isNew ? <h2>{title}</h2> : <h3 className="visually-hidden">{title}</h3>}
      <div className="form-row">
        {isNew && (
          <Field id={id} name="name" label={t("models.name")} hint={t("models.providers.nameHint")} error={message("name")}>
            {(props) => (
              <input
                {...props}
                ref={first}
                className="mono name-input"
                data-testid="provider-name-input"
                value={form.name}
                maxLength={64}
                autoComplete="off"
                spellCheck={false}
                placeholder="main"
                required
                onChange={(e) => set("name", e.target.value)}
              />
            )}
          </Field>
        )}
        <Field id={id} name="kind" label={t("models.providers.kind")} error={message("kind")}>
          {(props) => (
            <select {...props} ref={isNew ? undefined : first} data-testid="provider-kind" value={form.kind} onChange={(e) => set("kind", e.target.value as ProviderKind)}>
              {PROVIDER_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`models.providers.kinds.${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id={id} name="model" label={t("models.providers.model")} hint={t(`models.providers.modelHints.${form.kind}`)} error={message("model")}>
        {(props) => (
          <input
            {...props}
            className="mono wide-input"
            data-testid="provider-model"
            value={form.model}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            placeholder={MODEL_EXAMPLES[form.kind]}
            required
            onChange={(e) => set("model", e.target.value)}
          />
        )}
      </Field>
      <Field
        id={id}
        name="api_base"
        label={needsBase ? t("models.providers.apiBase") : t("models.providers.apiBaseOptional")}
        hint={needsBase ? t("models.providers.apiBaseHintRequired", { kind: t(`models.providers.kinds.${form.kind}`) }) : t("models.providers.apiBaseHint")}
        error={message("api_base")}
      >
        {(props) => (
          <input
            {...props}
            type="url"
            className="mono wide-input"
            data-testid="provider-api-base"
            value={form.api_base}
            maxLength={497}
            autoComplete="off"
            spellCheck={false}
            placeholder={API_BASE_EXAMPLES[form.kind]}
            required={needsBase}
            onChange={(e) => set("api_base", e.target.value)}
          />
        )}
      </Field>
      {form.kind === "azure" && (
        <Field id={id} name="api_version" label={t("models.providers.apiVersion")} hint={t("models.providers.apiVersionHint")} error={message("api_version")}>
          {(props) => (
            <input
              {...props}
              className="mono"
              data-testid="provider-api-version"
              value={form.api_version}
              maxLength={32}
              autoComplete="off"
              spellCheck={false}
              placeholder="2024-06-01"
              onChange={(e) => set("api_version", e.target.value)}
            />
          )}
        </Field>
      )}
      <Field
        id={id}
        name="secret"
        label={keyless ? t("models.providers.secretOptional") : t("models.providers.secret")}
        hint={keyless ? t("models.providers.secretHintKeyless") : t("models.providers.secretHint")}
        error={message("secret")}
      >
        {(props) => (
          <SecretSelect
            field={props}
            value={form.secret}
            onChange={(value) => set("secret", value)}
            secrets={secrets}
            optional={keyless}
            noneLabel={t("models.providers.noKey")}
            testId="provider-secret"
          />
        )}
      </Field>
      <FallbacksField id={id} value={form.fallbacks} onChange={(value) => set("fallbacks", value)} others={others} error={message("fallbacks")} />
      <fieldset className="form-section">
        <legend>{t("models.providers.limitsAndPrices")}</legend>
        <div className="form-row">
          <Field id={id} name="timeout_seconds" label={t("models.providers.timeout")} hint={t("models.providers.timeoutHint")} error={message("timeout_seconds")}>
            {(props) => (
              <input {...props} className="number-input" inputMode="decimal" data-testid="provider-timeout" value={form.timeout_seconds} onChange={(e) => set("timeout_seconds", e.target.value)} />
            )}
          </Field>
          <Field id={id} name="max_concurrency" label={t("models.providers.maxConcurrency")} hint={t("models.providers.maxConcurrencyHint")} error={message("max_concurrency")}>
            {(props) => (
              <input
                {...props}
                className="number-input"
                inputMode="numeric"
                data-testid="provider-max-concurrency"
                value={form.max_concurrency}
                placeholder={t("models.noLimit")}
                onChange={(e) => set("max_concurrency", e.target.value)}
              />
            )}
          </Field>
          <Field id={id} name="calls_per_minute" label={t("models.providers.callsPerMinute")} hint={t("models.providers.callsPerMinuteHint")} error={message("calls_per_minute")}>
            {(props) => (
              <input
                {...props}
                className="number-input"
                inputMode="numeric"
                data-testid="provider-calls-per-minute"
                value={form.calls_per_minute}
                placeholder={t("models.noLimit")}
                onChange={(e) => set("calls_per_minute", e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form-row">
          <Field id={id} name="input_cost" label={t("models.providers.inputCost")} error={message("input_cost")}>
            {(props) => (
              <input
                {...props}
                className="number-input"
                inputMode="decimal"
                data-testid="provider-input-cost"
                value={form.input_cost}
                placeholder={t("models.providers.priceKnown")}
                onChange={(e) => set("input_cost", e.target.value)}
              />
            )}
          </Field>
          <Field id={id} name="output_cost" label={t("models.providers.outputCost")} error={message("output_cost")}>
            {(props) => (
              <input
                {...props}
                className="number-input"
                inputMode="decimal"
                data-testid="provider-output-cost"
                value={form.output_cost}
                placeholder={t("models.providers.priceKnown")}
                onChange={(e) => set("output_cost", e.target.value)}
              />
            )}
          </Field>
        </div>
        <p className="hint">{t("models.providers.pricesHint")}</p>
      </fieldset>
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="provider-save" disabled={busy}>
          {busy ? t("models.saving") : isNew ? t("models.providers.create") : t("models.save")}
        </button>
        <button type="button" className="button-quiet" data-testid="provider-cancel" onClick={onCancel}>
          {t("models.cancel")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="provider-form-error">
          {error}
        </p>
      )}
    </form>
  );
}

type TestState = { state: "running" } | { state: "done"; test: ConnectionTest } | { state: "failed"; error: string };

/** What the connection test answered, or why it could not be asked. */
function TestResult({ result }: { result: TestState }) {
  const { t } = useTranslation();
  const ms = (value: number) => Math.round(value);
  if (result.state === "running") {
    return (
      <p className="muted small" role="status" data-testid="provider-test-result" data-state="running">
        {t("models.providers.testing")}
      </p>
    );
  }
  if (result.state === "failed") {
    return (
      <p className="error small" role="alert" data-testid="provider-test-result" data-state="error">
        {t("models.providers.testNotRun", { detail: result.error })}
      </p>
    );
  }
  const { test } = result;
  return test.ok ? (
    <p className="test-result-line ok" role="status" data-testid="provider-test-result" data-state="ok">
      <span className="badge badge-pass">{t("models.providers.testOk")}</span> {t("models.providers.testOkDetail", { ms: ms(test.milliseconds), model: test.model })}
      {test.answer !== null && test.answer !== undefined && <> {t("models.providers.testAnswer", { answer: test.answer })}</>}
    </p>
  ) : (
    <p className="test-result-line error" role="alert" data-testid="provider-test-result" data-state="failed">
      <span className="badge badge-fail">{t("models.providers.testFailed")}</span> {t("models.providers.testFailedDetail", { ms: ms(test.milliseconds), error: test.error ?? "" })}
    </p>
  );
}

function ProviderRow({
  provider,
  providers,
  secrets,
  canEdit,
  onSaved,
  onDeleted,
}: {
  provider: ProviderRead;
  providers: ProviderRead[];
  secrets: Load<string[]>;
  canEdit: boolean;
  onSaved: (provider: ProviderRead) => void;
  onDeleted: (name: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const format = useFormats();
  const [open, setOpen] = useState<"edit" | "delete" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<TestState | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const usedBy = fallingBackTo(providers, provider.name);

  useEffect(() => {
    if (open === "delete") cancel.current?.focus();
    setError(null);
  }, [open]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete("/api/v1/llm/providers/{name}", { path: { name: provider.name } });
      onDeleted(provider.name);
    } catch (e) {
      // A 422 when other providers fall back to this one: the server names them.
      setError(t("models.deleteFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  const runTest = async () => {
    setTest({ state: "running" });
    try {
      setTest({ state: "done", test: await api.post("/api/v1/llm/providers/{name}/test", { path: { name: provider.name } }) });
    } catch (e) {
      setTest({ state: "failed", error: errorMessage(e) });
    }
  };

  const limits = [
    provider.max_concurrency !== null ? t("models.providers.atOnce", { n: provider.max_concurrency }) : null,
    provider.calls_per_minute !== null ? t("models.providers.perMinute", { n: provider.calls_per_minute }) : null,
  ].filter(Boolean);
  const price = (value: number | null) => (value === null ? "—" : format.money(value));

  return (
    <li className="model-item" data-testid="provider-item" data-provider={provider.name}>
      <div className="model-item__head">
        <code className="model-item__name" data-testid="provider-item-name">
          {provider.name}
        </code>
        <span className="badge model-kind" data-testid="provider-item-kind">
          {t(`models.providers.kinds.${provider.kind}`, { defaultValue: provider.kind })}
        </span>
        <span className="row-meta">
          {t("models.updated")} <time dateTime={provider.updated_at}>{format.when(provider.updated_at)}</time>
        </span>
        {canEdit && (
          <div className="buttons model-item__actions">
            <button
              type="button"
              className="small"
              data-testid="provider-test"
              disabled={test?.state === "running"}
              aria-label={t("models.providers.testOf", { name: provider.name })}
              onClick={() => void runTest()}
            >
              {t("models.providers.test")}
            </button>
            <button
              type="button"
              className="small"
              data-testid="provider-edit"
              aria-expanded={open === "edit"}
              aria-label={t("models.editOf", { name: provider.name })}
              onClick={() => setOpen((was) => (was === "edit" ? null : "edit"))}
            >
              {t("models.edit")}
            </button>
            <button
              type="button"
              className="button-danger small"
              data-testid="provider-delete"
              aria-expanded={open === "delete"}
              aria-label={t("models.deleteOf", { name: provider.name })}
              onClick={() => setOpen((was) => (was === "delete" ? null : "delete"))}
            >
              {t("models.delete")}
            </button>
          </div>
        )}
      </div>
      <dl className="facts model-facts">
        <div>
          <dt>{t("models.providers.model")}</dt>
          <dd>
            <code data-testid="provider-item-model">{provider.model}</code>
          </dd>
        </div>
        <div>
          <dt>{t("models.providers.address")}</dt>
          <dd data-testid="provider-item-address">
            {provider.api_base ? <code>{provider.api_base}</code> : <span className="muted">{t("models.providers.defaultAddress")}</span>}
            {provider.api_version && <span className="muted small"> · {t("models.providers.versionShort", { version: provider.api_version })}</span>}
          </dd>
        </div>
        <div>
          <dt>{t("models.providers.key")}</dt>
          <dd>{provider.secret ? <code>{provider.secret}</code> : <span className="muted">{t("models.providers.noKey")}</span>}</dd>
        </div>
        <div>
          <dt>{t("models.providers.fallbacks")}</dt>
          <dd data-testid="provider-item-fallbacks">
            {provider.fallbacks.length ? provider.fallbacks.join(" → ") : <span className="muted">{t("models.none")}</span>}
          </dd>
        </div>
        {usedBy.length > 0 && (
          <div>
            <dt>{t("models.providers.fallbackFor")}</dt>
            <dd data-testid="provider-item-used-by">{usedBy.join(", ")}</dd>
          </div>
        )}
        <div>
          <dt>{t("models.providers.limits")}</dt>
          <dd data-testid="provider-item-limits">
            {t("models.providers.timeoutShort", { seconds: format.decimal(provider.timeout_seconds) })}
            {limits.length > 0 && ` · ${limits.join(" · ")}`}
          </dd>
        </div>
        <div>
          <dt>{t("models.providers.prices")}</dt>
          <dd data-testid="provider-item-prices">
            {provider.input_cost === null && provider.output_cost === null
              ? <span className="muted">{t("models.providers.priceKnown")}</span>
              : t("models.providers.priceInOut", { input: price(provider.input_cost), output: price(provider.output_cost) })}
          </dd>
        </div>
      </dl>
      {test && <TestResult result={test} />}
      {open === "edit" && (
        <ProviderEditor
          provider={provider}
          providers={providers}
          secrets={secrets}
          onSaved={(saved) => {
            setOpen(null);
            setTest(null);
            onSaved(saved);
          }}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === "delete" && (
        <ConfirmDelete
          testId="provider-delete"
          question={t("models.providers.deleteQuestion", { name: provider.name })}
          confirmLabel={t("models.deleteConfirm", { name: provider.name })}
          busy={busy}
          error={error}
          cancelRef={cancel}
          onConfirm={() => void remove()}
          onCancel={() => setOpen(null)}
        />
      )}
    </li>
  );
}

export function ProvidersPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/llm/providers"), [api]);
  // The secrets' names for the key's choice: only for those who may change a provider.
  const secrets = useLoad(async () => (canEdit ? (await api.get("/api/v1/secrets")).map((s) => s.name).sort() : []), [api, canEdit]).value;
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const providers = value.state === "ready" ? value.data : [];

  const saved = (provider: ProviderRead) =>
    update((list) => [...list.filter((p) => p.name !== provider.name), provider].sort((a, b) => a.name.localeCompare(b.name)));

  return (
    <section aria-labelledby="providers-title" data-testid="providers-panel">
      <h2 id="providers-title" className="visually-hidden">
        {t("models.tabs.providers")}
      </h2>
      <p className="hint">{t("models.providers.intro")}</p>
      {notice && (
        <p className="notice" role="status" data-testid="providers-notice">
          {notice}
        </p>
      )}
      <div aria-live="polite" aria-busy={value.state === "loading"} data-testid="providers-list">
        {value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="providers-error">
            <p>{t("models.providers.loadError", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && providers.length === 0 && (
          <p className="empty" data-testid="providers-empty">
            {t("models.providers.empty")}
          </p>
        )}
        {providers.length > 0 && (
          <ul className="rows">
            {providers.map((provider) => (
              <ProviderRow
                key={provider.name}
                provider={provider}
                providers={providers}
                secrets={secrets}
                canEdit={canEdit}
                onSaved={(next) => {
                  saved(next);
                  setNotice(t("models.providers.saved", { name: next.name }));
                }}
                onDeleted={(name) => {
                  update((list) => list.filter((p) => p.name !== name));
                  setNotice(t("models.providers.deleted", { name }));
                }}
              />
            ))}
          </ul>
        )}
      </div>
      {canEdit && value.state === "ready" && (
        adding ? (
          <ProviderEditor
            providers={providers}
            secrets={secrets}
            onSaved={(provider, created) => {
              saved(provider);
              setAdding(false);
              setNotice(created ? t("models.providers.created", { name: provider.name }) : t("models.providers.saved", { name: provider.name }));
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <div className="buttons">
            <button type="button" className="button-primary" data-testid="provider-add" onClick={() => setAdding(true)}>
              + {t("models.providers.add")}
            </button>
          </div>
        )
      )}
    </section>
  );
}
