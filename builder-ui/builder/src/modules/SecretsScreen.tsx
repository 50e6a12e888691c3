// The organization's secrets: their names and when each was set (the server never returns a
// value), a value set or replaced in a password field that is emptied once sent, and a secret
// deleted after a confirmation.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, fieldErrors } from "../api/errors";
import { useApi } from "../context";
import { useLoad } from "../useLoad";
import { MAX_SECRET_VALUE, SECRET_NAME, type SecretRead } from "./draft";
import { ModulesNav, useWhen } from "./ModulesNav";

/** A value for a secret: a new one (the name typed) or a replacement (the name given). */
function SecretForm({
  fixedName,
  existing,
  onSaved,
  onCancel,
}: {
  fixedName?: string;
  existing: string[];
  onSaved: (secret: SecretRead, created: boolean) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [name, setName] = useState(fixedName ?? "");
  const [value, setValue] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});
  const valueInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (fixedName) valueInput.current?.focus();
  }, [fixedName]);

  const nameProblem = name ? (SECRET_NAME.test(name) ? null : t("secrets.nameInvalid")) : touched ? t("secrets.nameRequired") : null;
  const valueProblem = touched && !value ? t("secrets.valueRequired") : null;
  const nameError = nameProblem ?? server.name ?? null;
  const valueError = valueProblem ?? server.value ?? null;
  const replacing = !fixedName && existing.includes(name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setError(null);
    setServer({});
    if (!name || !SECRET_NAME.test(name) || !value) return;
    setBusy(true);
    try {
      const saved = await api.put("/api/v1/secrets/{name}", { path: { name }, body: { value } });
      setValue(""); // never kept once sent
      if (!fixedName) setName("");
      setTouched(false);
      onSaved(saved, !existing.includes(name));
    } catch (e) {
      setServer(fieldErrors(e));
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const describe = (field: string, problem: string | null, hint?: string) =>
    [problem ? `${id}-${field}-error` : null, hint].filter(Boolean).join(" ") || undefined;

  return (
    <form
      className={fixedName ? "secret-form secret-form--replace" : "card secret-form"}
      onSubmit={submit}
      noValidate
      data-testid={fixedName ? "secret-replace-form" : "secret-form"}
      aria-labelledby={`${id}-title`}
    >
      {fixedName ? (
        <h3 id={`${id}-title`} className="visually-hidden">
          {t("secrets.replaceOf", { name: fixedName })}
        </h3>
      ) : (
        <h2 id={`${id}-title`}>{t("secrets.add")}</h2>
      )}
      <div className="form-row">
        {!fixedName && (
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("secrets.name")}</label>
            <input
              id={`${id}-name`}
              className="mono"
              data-testid="secret-name"
              value={name}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              placeholder="CRM_API_TOKEN"
              required
              aria-invalid={nameError ? true : undefined}
              aria-describedby={describe("name", nameError, `${id}-name-hint`)}
              onChange={(e) => {
                setName(e.target.value);
                setServer({});
              }}
            />
            <p className="hint" id={`${id}-name-hint`}>
              {t("secrets.nameHint")}
            </p>
            {nameError && (
              <p className="field-error" id={`${id}-name-error`} data-testid="secret-name-error">
                {nameError}
              </p>
            )}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-value`}>{fixedName ? t("secrets.newValue") : t("secrets.value")}</label>
          <input
            id={`${id}-value`}
            ref={valueInput}
            type="password"
            data-testid="secret-value"
            value={value}
            maxLength={MAX_SECRET_VALUE}
            autoComplete="new-password"
            spellCheck={false}
            required
            aria-invalid={valueError ? true : undefined}
            aria-describedby={describe("value", valueError, `${id}-value-hint`)}
            onChange={(e) => setValue(e.target.value)}
          />
          <p className="hint" id={`${id}-value-hint`}>
            {t("secrets.valueHint")}
          </p>
          {valueError && (
            <p className="field-error" id={`${id}-value-error`} data-testid="secret-value-error">
              {valueError}
            </p>
          )}
        </div>
      </div>
      {replacing && (
        <p className="warning-text small" data-testid="secret-exists">
          {t("secrets.exists", { name })}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="secret-save" disabled={busy}>
          {busy ? t("secrets.saving") : fixedName || replacing ? t("secrets.replace") : t("secrets.save")}
        </button>
        {onCancel && (
          <button type="button" className="button-quiet" data-testid="secret-replace-cancel" onClick={onCancel}>
            {t("secrets.cancel")}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="secret-error">
          {t("secrets.saveFailed", { detail: error })}
        </p>
      )}
    </form>
  );
}

function SecretRow({
  secret,
  existing,
  onSaved,
  onDeleted,
}: {
  secret: SecretRead;
  existing: string[];
  onSaved: (secret: SecretRead) => void;
  onDeleted: (name: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const when = useWhen();
  const id = useId();
  const [open, setOpen] = useState<"replace" | "delete" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open === "delete") cancel.current?.focus();
  }, [open]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete("/api/v1/secrets/{name}", { path: { name: secret.name } });
      onDeleted(secret.name);
    } catch (e) {
      setError(t("secrets.deleteFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  return (
    <li className="secret-item" data-testid="secret-item" data-secret={secret.name}>
      <div className="secret-item__head">
        <code className="secret-item__name" data-testid="secret-item-name">
          {secret.name}
        </code>
        <span className="row-meta">
          {t("secrets.updated")} <time dateTime={secret.updated_at}>{when(secret.updated_at)}</time>
          {when(secret.updated_at) !== when(secret.created_at) && (
            <>
              {" "}
              · {t("secrets.created")} <time dateTime={secret.created_at}>{when(secret.created_at)}</time>
            </>
          )}
        </span>
        <div className="buttons secret-item__actions">
          <button
            type="button"
            className="small"
            data-testid="secret-replace"
            aria-expanded={open === "replace"}
            aria-label={t("secrets.replaceOf", { name: secret.name })}
            onClick={() => setOpen((was) => (was === "replace" ? null : "replace"))}
          >
            {t("secrets.replace")}
          </button>
          <button
            type="button"
            className="button-danger small"
            data-testid="secret-delete"
            aria-expanded={open === "delete"}
            aria-label={t("secrets.deleteOf", { name: secret.name })}
            onClick={() => setOpen((was) => (was === "delete" ? null : "delete"))}
          >
            {t("secrets.delete")}
          </button>
        </div>
      </div>
      {open === "replace" && (
        <SecretForm
          fixedName={secret.name}
          existing={existing}
          onSaved={(saved) => {
            setOpen(null);
            onSaved(saved);
          }}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === "delete" && (
        <div className="confirm-box" role="alertdialog" aria-labelledby={`${id}-question`} data-testid="secret-delete-dialog">
          <p id={`${id}-question`}>{t("secrets.deleteQuestion", { name: secret.name })}</p>
          <div className="buttons">
            <button type="button" className="button-danger-solid" data-testid="secret-delete-confirm" disabled={busy} onClick={() => void remove()}>
              {busy ? t("secrets.deleting") : t("secrets.deleteConfirm", { name: secret.name })}
            </button>
            <button type="button" ref={cancel} className="button-quiet" data-testid="secret-delete-cancel" onClick={() => setOpen(null)}>
              {t("secrets.cancel")}
            </button>
          </div>
          {error && (
            <p className="error" role="alert" data-testid="secret-delete-error">
              {error}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

export function SecretsScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/secrets"), [api]);
  const [notice, setNotice] = useState<string | null>(null);
  const names = value.state === "ready" ? value.data.map((s) => s.name) : [];

  const saved = (secret: SecretRead) => {
    update((list) => {
      const others = list.filter((s) => s.name !== secret.name);
      return [...others, secret].sort((a, b) => a.name.localeCompare(b.name));
    });
  };

  return (
    <div className="page">
      <h1>{t("secrets.title")}</h1>
      <ModulesNav current="secrets" />
      <p className="hint" data-testid="secrets-intro">
        {t("secrets.intro")}
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="secret-notice">
          {notice}
        </p>
      )}
      <section aria-live="polite" data-testid="secrets-list" aria-busy={value.state === "loading"}>
        {value.state === "loading" && (
          <p className="muted" data-testid="secrets-loading">
            {t("app.loading")}
          </p>
        )}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="secrets-error">
            <p>{t("secrets.error", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && value.data.length === 0 && (
          <p className="empty" data-testid="secrets-empty">
            {t("secrets.empty")}
          </p>
        )}
        {value.state === "ready" && value.data.length > 0 && (
          <ul className="rows">
            {value.data.map((secret) => (
              <SecretRow
                key={secret.name}
                secret={secret}
                existing={names}
                onSaved={(next) => {
                  saved(next);
                  setNotice(t("secrets.replaced", { name: next.name }));
                }}
                onDeleted={(name) => {
                  update((list) => list.filter((s) => s.name !== name));
                  setNotice(t("secrets.deleted", { name }));
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <SecretForm
        existing={names}
        onSaved={(secret, created) => {
          if (value.state === "ready") saved(secret);
          else reload();
          setNotice(created ? t("secrets.stored", { name: secret.name }) : t("secrets.replaced", { name: secret.name }));
        }}
      />
    </div>
  );
}
