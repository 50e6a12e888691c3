// The organization's module library: each module with its description, latest version and
// when it last changed; a new module (its name checked at the field against the server's
// pattern before anything is sent); a module deleted after a confirmation.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, fieldErrors } from "../api/errors";
import { useApi } from "../context";
import { navigate, routeHref } from "../routes";
import { useLoad } from "../useLoad";
import { MAX_DESCRIPTION, MODULE_NAME, type ModuleDetail, type ModuleRead } from "./draft";
import { ModulesNav, useWhen } from "./ModulesNav";

function CreateModuleForm({ onCreated }: { onCreated: (module: ModuleDetail) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});

  // Checked as it is typed; an empty name only once the author tried to send it.
  const local = name ? (MODULE_NAME.test(name) ? null : t("modules.list.nameInvalid")) : touched ? t("modules.list.nameRequired") : null;
  const nameError = local ?? server.name ?? null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setError(null);
    setServer({});
    if (!MODULE_NAME.test(name)) return;
    setBusy(true);
    try {
      const created = await api.post("/api/v1/modules", {
        // The server's own defaults, which the generated types list as required.
        body: { name, description: description.trim(), code: "return input;", cache_seconds: 0 },
      });
      setName("");
      setDescription("");
      setTouched(false);
      onCreated(created);
    } catch (e) {
      const fields = fieldErrors(e);
      if (e instanceof ApiError && e.status === 409) fields.name = errorMessage(e);
      setServer(fields);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="module-create-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("modules.list.create")}</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("modules.list.name")}</label>
          <input
            id={`${id}-name`}
            data-testid="module-name"
            className="mono"
            value={name}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            placeholder="price_with_vat"
            required
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${id}-name-error ${id}-name-hint` : `${id}-name-hint`}
            onChange={(e) => {
              setName(e.target.value);
              setServer({});
            }}
          />
          <p className="hint" id={`${id}-name-hint`}>
            {t("modules.list.nameHint")}
          </p>
          {nameError && (
            <p className="field-error" id={`${id}-name-error`} data-testid="module-name-error">
              {nameError}
            </p>
          )}
        </div>
        <div className="field module-create__description">
          <label htmlFor={`${id}-description`}>{t("modules.list.description")}</label>
          <input
            id={`${id}-description`}
            data-testid="module-description"
            value={description}
            maxLength={MAX_DESCRIPTION}
            placeholder={t("modules.list.descriptionPlaceholder")}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <button type="submit" className="button-primary" data-testid="module-create-submit" disabled={busy}>
        {busy ? t("modules.list.creating") : t("modules.list.submit")}
      </button>
      {error && !server.name && (
        <p className="error" role="alert" data-testid="module-create-error">
          {error}
        </p>
      )}
    </form>
  );
}

function ModuleItem({ module, onDeleted }: { module: ModuleRead; onDeleted: (module: ModuleRead) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const when = useWhen();
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete("/api/v1/modules/{name}", { path: { name: module.name } });
      onDeleted(module);
    } catch (e) {
      setError(t("modules.list.deleteFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  return (
    <li className="module-item" data-testid="module-item" data-module={module.name}>
      <a className="row" href={routeHref({ name: "module", moduleName: module.name })} data-testid="module-row">
        <span className="row-title mono">{module.name}</span>
        <span className="row-description" data-testid="module-row-description">
          {module.description || <span className="muted">{t("modules.list.noDescription")}</span>}
        </span>
        <span className="row-meta">
          <span data-testid="module-row-version">
            {module.latest_version ? t("modules.list.version", { number: module.latest_version }) : t("modules.list.notPublished")}
          </span>{" "}
          · {t("modules.list.updated")} <time dateTime={module.updated_at}>{when(module.updated_at)}</time>
        </span>
      </a>
      <div className="buttons module-item__actions">
        <button
          type="button"
          className="button-danger small"
          data-testid="module-delete"
          aria-expanded={confirming}
          aria-label={t("modules.list.deleteOf", { name: module.name })}
          onClick={() => setConfirming((on) => !on)}
        >
          {t("modules.list.delete")}
        </button>
      </div>
      {confirming && (
        <div className="confirm-box module-item__panel" role="alertdialog" aria-labelledby={`${id}-question`} data-testid="module-delete-dialog">
          <p id={`${id}-question`} data-testid="module-delete-question">
            {t("modules.list.deleteQuestion", { name: module.name })}
          </p>
          <div className="buttons">
            <button type="button" className="button-danger-solid" data-testid="module-delete-confirm" disabled={busy} onClick={() => void remove()}>
              {busy ? t("modules.list.deleting") : t("modules.list.deleteConfirm", { name: module.name })}
            </button>
            <button type="button" ref={cancel} className="button-quiet" data-testid="module-delete-cancel" onClick={() => setConfirming(false)}>
              {t("modules.list.cancel")}
            </button>
          </div>
          {error && (
            <p className="error" role="alert" data-testid="module-delete-error">
              {error}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

export function ModulesScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(async () => (await api.get("/api/v1/modules", { query: { limit: 200 } })).items, [api]);
  const [deleted, setDeleted] = useState<string | null>(null);

  return (
    <div className="page">
      <h1>{t("modules.list.title")}</h1>
      <ModulesNav current="modules" />
      <p className="hint">{t("modules.list.intro")}</p>
      {deleted && (
        <p className="notice" role="status" data-testid="module-deleted">
          {t("modules.list.deleted", { name: deleted })}
        </p>
      )}
      <section aria-live="polite" data-testid="modules-list" aria-busy={value.state === "loading"}>
        {value.state === "loading" && (
          <p className="muted" data-testid="modules-loading">
            {t("app.loading")}
          </p>
        )}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="modules-error">
            <p>{t("modules.list.error", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && value.data.length === 0 && (
          <p className="empty" data-testid="modules-empty">
            {t("modules.list.empty")}
          </p>
        )}
        {value.state === "ready" && value.data.length > 0 && (
          <ul className="rows">
            {value.data.map((module) => (
              <ModuleItem
                key={module.id}
                module={module}
                onDeleted={(gone) => {
                  setDeleted(gone.name);
                  update((list) => list.filter((m) => m.id !== gone.id));
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <CreateModuleForm onCreated={(created) => navigate({ name: "module", moduleName: created.name })} />
    </div>
  );
}
