// Where the organization's notices go (GET /api/v1/notifications/targets, PUT/DELETE
// …/targets/{name}): e-mail through its SMTP server (the password in a secret) or a signed
// webhook (the signing key in a secret), for some events (a report, a hand-off to an
// operator, a conversation that failed), for all its bots or one.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";
import { useLoad, type Load } from "../useLoad";
import {
  checkTarget,
  SMTP_PORTS,
  TARGET_EVENTS,
  targetBody,
  targetForm,
  type SmtpSecurity,
  type TargetEvent,
  type TargetForm,
  type TargetKind,
  type TargetRead,
} from "./forms";
import { ConfirmDelete, Field, SecretSelect, serverFieldErrors, useFieldMessages, useFormats } from "./ui";

interface BotChoice {
  id: string;
  name: string;
}

function TargetEditor({
  target,
  targets,
  bots,
  secrets,
  onSaved,
  onCancel,
}: {
  target?: TargetRead;
  targets: TargetRead[];
  bots: Load<BotChoice[]>;
  secrets: Load<string[]>;
  onSaved: (target: TargetRead, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const isNew = !target;
  const [form, setForm] = useState<TargetForm>(() => targetForm(target));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement & HTMLSelectElement>(null);

  useEffect(() => first.current?.focus(), []);

  const existing = targets.map((x) => x.name);
  const local = submitted ? checkTarget(form, { isNew, existing }) : {};
  const message = useFieldMessages(local, server);
  const set = <K extends keyof TargetForm>(field: K, value: TargetForm[K]) => {
    setForm((was) => ({ ...was, [field]: value }));
    setServer((was) => {
      if (!(field in was)) return was;
      const { [field]: _dropped, ...rest } = was;
      return rest;
    });
  };
  const toggleEvent = (event: TargetEvent, on: boolean) =>
    set("events", on ? [...form.events.filter((e) => e !== event), event] : form.events.filter((e) => e !== event));
  const setSecurity = (security: SmtpSecurity) =>
    setForm((was) => ({
      ...was,
      security,
      // The usual port of the new way, unless another port was typed.
      port: was.port === "" || was.port === String(SMTP_PORTS[was.security]) ? String(SMTP_PORTS[security]) : was.port,
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    setServer({});
    const problems = checkTarget(form, { isNew, existing });
    if (Object.keys(problems).length > 0) {
      setError(t("models.fixFields", { n: Object.keys(problems).length }));
      return;
    }
    setBusy(true);
    try {
      const saved = await api.put("/api/v1/notifications/targets/{name}", { path: { name: form.name }, body: targetBody(form) });
      onSaved(saved, isNew);
    } catch (e) {
      setServer(serverFieldErrors(e));
      setError(t("models.saveFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  const botList = bots.state === "ready" ? bots.data : [];
  const unknownBot = form.bot_id && !botList.some((bot) => bot.id === form.bot_id);
  const title = isNew ? t("models.targets.add") : t("models.targets.editOf", { name: target.name });
  const eventsError = message("events");
  return (
    <form className={isNew ? "card model-form" : "model-form model-form--inline"} onSubmit={submit} noValidate data-testid="target-form" aria-label={title}>
      {isNew ? <h2>{title}</h2> : <h3 className="visually-hidden">{title}</h3>}
      <div className="form-row">
        {isNew && (
          <Field id={id} name="name" label={t("models.name")} hint={t("models.nameHint")} error={message("name")}>
            {(props) => (
              <input
                {...props}
                ref={first}
                className="mono name-input"
                data-testid="target-name-input"
                value={form.name}
                maxLength={64}
                autoComplete="off"
                spellCheck={false}
                placeholder="ops-mail"
                required
                onChange={(e) => set("name", e.target.value)}
              />
            )}
          </Field>
        )}
        <Field id={id} name="kind" label={t("models.targets.kind")} error={message("kind")}>
          {(props) => (
            <select {...props} ref={isNew ? undefined : first} data-testid="target-kind" value={form.kind} onChange={(e) => set("kind", e.target.value as TargetKind)}>
              <option value="webhook">{t("models.targets.kinds.webhook")}</option>
              <option value="email">{t("models.targets.kinds.email")}</option>
            </select>
          )}
        </Field>
        <Field id={id} name="bot_id" label={t("models.targets.bot")} error={message("bot_id")}>
          {(props) => (
            <select {...props} data-testid="target-bot" value={form.bot_id} onChange={(e) => set("bot_id", e.target.value)}>
              <option value="">{t("models.targets.allBots")}</option>
              {unknownBot && <option value={form.bot_id}>{form.bot_id}</option>}
              {botList.map((bot) => (
                <option key={bot.id} value={bot.id}>
                  {bot.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="field" aria-describedby={eventsError ? `${id}-events-error` : undefined} data-testid="target-events">
        <legend>{t("models.targets.events")}</legend>
        {TARGET_EVENTS.map((event) => (
          <label key={event} className="checkbox">
            <input type="checkbox" data-testid={`target-event-${event}`} checked={form.events.includes(event)} onChange={(e) => toggleEvent(event, e.target.checked)} />
            {t(`models.targets.eventNames.${event}`)}
          </label>
        ))}
        {eventsError && (
          <p className="field-error" id={`${id}-events-error`} data-testid="error-events">
            {eventsError}
          </p>
        )}
      </fieldset>
      {form.kind === "webhook" ? (
        <>
          <Field id={id} name="url" label={t("models.targets.url")} hint={t("models.targets.urlHint")} error={message("url")}>
            {(props) => (
              <input
                {...props}
                type="url"
                className="mono wide-input"
                data-testid="target-url"
                value={form.url}
                maxLength={2048}
                autoComplete="off"
                spellCheck={false}
                placeholder="https://crm.example.com/hooks/rozmova"
                required
                onChange={(e) => set("url", e.target.value)}
              />
            )}
          </Field>
          <Field id={id} name="secret" label={t("models.targets.signingSecret")} hint={t("models.targets.signingSecretHint")} error={message("secret")}>
            {(props) => (
              <SecretSelect field={props} value={form.secret} onChange={(value) => set("secret", value)} secrets={secrets} optional={false} noneLabel="" testId="target-secret" />
            )}
          </Field>
        </>
      ) : (
        <>
          <div className="form-row">
            <Field id={id} name="host" label={t("models.targets.host")} error={message("host")}>
              {(props) => (
                <input
                  {...props}
                  className="mono"
                  data-testid="target-host"
                  value={form.host}
                  maxLength={255}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="smtp.example.com"
                  required
                  onChange={(e) => set("host", e.target.value)}
                />
              )}
            </Field>
            <Field id={id} name="security" label={t("models.targets.security")}>
              {(props) => (
                <select {...props} data-testid="target-security" value={form.security} onChange={(e) => setSecurity(e.target.value as SmtpSecurity)}>
                  <option value="starttls">{t("models.targets.securities.starttls")}</option>
                  <option value="tls">{t("models.targets.securities.tls")}</option>
                  <option value="none">{t("models.targets.securities.none")}</option>
                </select>
              )}
            </Field>
            <Field id={id} name="port" label={t("models.targets.port")} error={message("port")}>
              {(props) => (
                <input {...props} className="number-input" inputMode="numeric" data-testid="target-port" value={form.port} required onChange={(e) => set("port", e.target.value)} />
              )}
            </Field>
          </div>
          <div className="form-row">
            <Field id={id} name="username" label={t("models.targets.username")} error={message("username")}>
              {(props) => (
                <input
                  {...props}
                  data-testid="target-username"
                  value={form.username}
                  maxLength={255}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set("username", e.target.value)}
                />
              )}
            </Field>
            <Field id={id} name="secret" label={t("models.targets.passwordSecret")} hint={t("models.targets.passwordSecretHint")} error={message("secret")}>
              {(props) => (
                <SecretSelect
                  field={props}
                  value={form.secret}
                  onChange={(value) => set("secret", value)}
                  secrets={secrets}
                  optional
                  noneLabel={t("models.targets.noPassword")}
                  testId="target-secret"
                />
              )}
            </Field>
          </div>
          <Field id={id} name="sender" label={t("models.targets.sender")} error={message("sender")}>
            {(props) => (
              <input
                {...props}
                type="email"
                data-testid="target-sender"
                value={form.sender}
                maxLength={320}
                autoComplete="off"
                spellCheck={false}
                placeholder="bots@example.com"
                required
                onChange={(e) => set("sender", e.target.value)}
              />
            )}
          </Field>
          <Field id={id} name="recipients" label={t("models.targets.recipients")} hint={t("models.targets.recipientsHint")} error={message("recipients")}>
            {(props) => (
              <textarea
                {...props}
                rows={3}
                data-testid="target-recipients"
                value={form.recipients}
                spellCheck={false}
                placeholder={"ops@example.com\nsales@example.com"}
                required
                onChange={(e) => set("recipients", e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <div className="buttons">
        <button type="submit" className="button-primary" data-testid="target-save" disabled={busy}>
          {busy ? t("models.saving") : isNew ? t("models.targets.create") : t("models.save")}
        </button>
        <button type="button" className="button-quiet" data-testid="target-cancel" onClick={onCancel}>
          {t("models.cancel")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="target-form-error">
          {error}
        </p>
      )}
    </form>
  );
}

function TargetRow({
  target,
  targets,
  bots,
  secrets,
  canEdit,
  onSaved,
  onDeleted,
}: {
  target: TargetRead;
  targets: TargetRead[];
  bots: Load<BotChoice[]>;
  secrets: Load<string[]>;
  canEdit: boolean;
  onSaved: (target: TargetRead) => void;
  onDeleted: (name: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const format = useFormats();
  const [open, setOpen] = useState<"edit" | "delete" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open === "delete") cancel.current?.focus();
    setError(null);
  }, [open]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete("/api/v1/notifications/targets/{name}", { path: { name: target.name } });
      onDeleted(target.name);
    } catch (e) {
      setError(t("models.deleteFailed", { detail: errorMessage(e) }));
      setBusy(false);
    }
  };

  const botName = target.bot_id ? (bots.state === "ready" ? bots.data.find((bot) => bot.id === target.bot_id)?.name : undefined) ?? target.bot_id : null;
  const security = target.use_tls ? "tls" : target.starttls ? "starttls" : "none";
  return (
    <li className="model-item" data-testid="target-item" data-target={target.name}>
      <div className="model-item__head">
        <code className="model-item__name" data-testid="target-item-name">
          {target.name}
        </code>
        <span className="badge model-kind" data-testid="target-item-kind">
          {t(`models.targets.kinds.${target.kind}`)}
        </span>
        <span className="row-meta">
          {t("models.updated")} <time dateTime={target.updated_at}>{format.when(target.updated_at)}</time>
        </span>
        {canEdit && (
          <div className="buttons model-item__actions">
            <button
              type="button"
              className="small"
              data-testid="target-edit"
              aria-expanded={open === "edit"}
              aria-label={t("models.editOf", { name: target.name })}
              onClick={() => setOpen((was) => (was === "edit" ? null : "edit"))}
            >
              {t("models.edit")}
            </button>
            <button
              type="button"
              className="button-danger small"
              data-testid="target-delete"
              aria-expanded={open === "delete"}
              aria-label={t("models.deleteOf", { name: target.name })}
              onClick={() => setOpen((was) => (was === "delete" ? null : "delete"))}
            >
              {t("models.delete")}
            </button>
          </div>
        )}
      </div>
      <dl className="facts model-facts">
        <div>
          <dt>{t("models.targets.events")}</dt>
          <dd data-testid="target-item-events">{target.events.map((event) => t(`models.targets.eventNames.${event}`)).join(", ")}</dd>
        </div>
        <div>
          <dt>{t("models.targets.bot")}</dt>
          <dd data-testid="target-item-bot">{botName ?? <span className="muted">{t("models.targets.allBots")}</span>}</dd>
        </div>
        {target.kind === "webhook" ? (
          <div>
            <dt>{t("models.targets.url")}</dt>
            <dd data-testid="target-item-destination">
              <code>{target.url}</code>
            </dd>
          </div>
        ) : (
          <>
            <div>
              <dt>{t("models.targets.recipients")}</dt>
              <dd data-testid="target-item-destination">{(target.recipients ?? []).join(", ")}</dd>
            </div>
            <div>
              <dt>{t("models.targets.server")}</dt>
              <dd>
                <code>
                  {target.host}:{target.port}
                </code>{" "}
                <span className="muted small">{t(`models.targets.securities.${security}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t("models.targets.sender")}</dt>
              <dd>{target.sender}</dd>
            </div>
          </>
        )}
        <div>
          <dt>{target.kind === "webhook" ? t("models.targets.signingSecret") : t("models.targets.passwordSecret")}</dt>
          <dd>{target.secret ? <code>{target.secret}</code> : <span className="muted">{t("models.none")}</span>}</dd>
        </div>
      </dl>
      {open === "edit" && (
        <TargetEditor
          target={target}
          targets={targets}
          bots={bots}
          secrets={secrets}
          onSaved={(saved) => {
            setOpen(null);
            onSaved(saved);
          }}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === "delete" && (
        <ConfirmDelete
          testId="target-delete"
          question={t("models.targets.deleteQuestion", { name: target.name })}
          confirmLabel={t("models.deleteConfirm", { name: target.name })}
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

export function TargetsPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/notifications/targets"), [api]);
  const bots = useLoad(async () => (await api.get("/api/v1/bots", { query: { limit: 200 } })).items.map((bot) => ({ id: bot.id, name: bot.name })), [api]).value;
  const secrets = useLoad(async () => (canEdit ? (await api.get("/api/v1/secrets")).map((s) => s.name).sort() : []), [api, canEdit]).value;
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const targets = value.state === "ready" ? value.data : [];

  const saved = (target: TargetRead) =>
    update((list) => [...list.filter((x) => x.name !== target.name), target].sort((a, b) => a.name.localeCompare(b.name)));

  return (
    <section aria-labelledby="targets-title" data-testid="targets-panel">
      <h2 id="targets-title" className="visually-hidden">
        {t("models.tabs.notifications")}
      </h2>
      <p className="hint">{t("models.targets.intro")}</p>
      {notice && (
        <p className="notice" role="status" data-testid="targets-notice">
          {notice}
        </p>
      )}
      <div aria-live="polite" aria-busy={value.state === "loading"} data-testid="targets-list">
        {value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="targets-error">
            <p>{t("models.targets.loadError", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && targets.length === 0 && (
          <p className="empty" data-testid="targets-empty">
            {t("models.targets.empty")}
          </p>
        )}
        {targets.length > 0 && (
          <ul className="rows">
            {targets.map((target) => (
              <TargetRow
                key={target.name}
                target={target}
                targets={targets}
                bots={bots}
                secrets={secrets}
                canEdit={canEdit}
                onSaved={(next) => {
                  saved(next);
                  setNotice(t("models.targets.saved", { name: next.name }));
                }}
                onDeleted={(name) => {
                  update((list) => list.filter((x) => x.name !== name));
                  setNotice(t("models.targets.deleted", { name }));
                }}
              />
            ))}
          </ul>
        )}
      </div>
      {canEdit && value.state === "ready" && (
        adding ? (
          <TargetEditor
            targets={targets}
            bots={bots}
            secrets={secrets}
            onSaved={(target, created) => {
              saved(target);
              setAdding(false);
              setNotice(created ? t("models.targets.created", { name: target.name }) : t("models.targets.saved", { name: target.name }));
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <div className="buttons">
            <button type="button" className="button-primary" data-testid="target-add" onClick={() => setAdding(true)}>
              + {t("models.targets.add")}
            </button>
          </div>
        )
      )}
    </section>
  );
}
