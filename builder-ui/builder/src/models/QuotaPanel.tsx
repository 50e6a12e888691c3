// The organization's limits on models (GET/PUT /api/v1/llm/quota: calls a minute, tokens a
// day, tokens a day per bot, dollars a month; empty for no limit) with what it has used of
// them, and what its bots spent (GET /api/v1/llm/usage?since&until) per day, bot and
// provider, with the totals.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";
import { useLoad } from "../useLoad";
import {
  checkPeriod,
  checkQuota,
  QUOTA_FIELDS,
  quotaBody,
  quotaForm,
  usageTotals,
  type QuotaForm,
  type QuotaRead,
  type UsagePage,
} from "./forms";
import { Field, serverFieldErrors, useFieldMessages, useFormats, useProblemText } from "./ui";

const QUOTA_TEST_IDS: Record<keyof QuotaForm, string> = {
  calls_per_minute: "quota-calls-per-minute",
  tokens_per_day: "quota-tokens-per-day",
  bot_tokens_per_day: "quota-bot-tokens-per-day",
  cost_per_month: "quota-cost-per-month",
};

function QuotaEditor({ quota, canEdit, onSaved }: { quota: QuotaRead; canEdit: boolean; onSaved: (quota: QuotaRead) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const format = useFormats();
  const [form, setForm] = useState<QuotaForm>(() => quotaForm(quota));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const local = submitted ? checkQuota(form) : {};
  const message = useFieldMessages(local, server);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    setServer({});
    setNotice(null);
    const problems = checkQuota(form);
    if (Object.keys(problems).length > 0) {
      setError(t("models.fixFields", { n: Object.keys(problems).length }));
      return;
    }
    setBusy(true);
    try {
      const saved = await api.put("/api/v1/llm/quota", { body: quotaBody(form) });
      setForm(quotaForm(saved));
      setSubmitted(false);
      setNotice(t("models.quota.saved"));
      onSaved(saved);
    } catch (e) {
      setServer(serverFieldErrors(e));
      setError(t("models.saveFailed", { detail: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  const of = (limit: string | null) => (limit === null ? t("models.quota.unlimited") : t("models.quota.ofLimit", { limit }));
  return (
    <form className="card model-form" onSubmit={submit} noValidate data-testid="quota-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("models.quota.title")}</h2>
      <p className="hint">{t("models.quota.intro")}</p>
      <dl className="facts" data-testid="quota-used">
        <div>
          <dt>{t("models.quota.tokensToday")}</dt>
          <dd data-testid="quota-tokens-today">
            {format.integer(quota.tokens_today)}{" "}
            <span className="muted small">{of(quota.tokens_per_day === null || quota.tokens_per_day === undefined ? null : format.integer(quota.tokens_per_day))}</span>
          </dd>
        </div>
        <div>
          <dt>{t("models.quota.costThisMonth")}</dt>
          <dd data-testid="quota-cost-this-month">
            {format.money(quota.cost_this_month)}{" "}
            <span className="muted small">{of(quota.cost_per_month === null || quota.cost_per_month === undefined ? null : format.money(quota.cost_per_month))}</span>
          </dd>
        </div>
      </dl>
      <fieldset className="form-section" disabled={!canEdit}>
        <legend>{t("models.quota.limits")}</legend>
        <div className="form-row">
          {QUOTA_FIELDS.map((field) => (
            <Field key={field} id={id} name={field} label={t(`models.quota.fields.${field}`)} hint={t(`models.quota.hints.${field}`)} error={message(field)}>
              {(props) => (
                <input
                  {...props}
                  className="number-input"
                  inputMode={field === "cost_per_month" ? "decimal" : "numeric"}
                  data-testid={QUOTA_TEST_IDS[field]}
                  value={form[field]}
                  placeholder={t("models.noLimit")}
                  readOnly={!canEdit}
                  onChange={(e) => {
                    setForm((was) => ({ ...was, [field]: e.target.value }));
                    setNotice(null);
                  }}
                />
              )}
            </Field>
          ))}
        </div>
        <p className="hint">{t("models.quota.emptyMeansNone")}</p>
      </fieldset>
      {canEdit ? (
        <div className="buttons">
          <button type="submit" className="button-primary" data-testid="quota-save" disabled={busy}>
            {busy ? t("models.saving") : t("models.quota.save")}
          </button>
        </div>
      ) : (
        <p className="hint" data-testid="quota-read-only">
          {t("models.quota.adminOnly")}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="quota-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="quota-error">
          {error}
        </p>
      )}
    </form>
  );
}

function UsageTable({ page, botNames }: { page: UsagePage; botNames: Record<string, string> }) {
  const { t } = useTranslation();
  const format = useFormats();
  const totals = usageTotals(page);
  if (page.items.length === 0) {
    return (
      <p className="empty" data-testid="usage-empty">
        {t("models.usage.empty", { since: page.since, until: page.until })}
      </p>
    );
  }
  return (
    <div className="table-scroll usage-scroll">
      <table className="table usage-table" data-testid="usage-table">
        <caption className="visually-hidden">{t("models.usage.caption", { since: page.since, until: page.until })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("models.usage.day")}</th>
            <th scope="col">{t("models.usage.bot")}</th>
            <th scope="col">{t("models.usage.provider")}</th>
            <th scope="col" className="num">
              {t("models.usage.calls")}
            </th>
            <th scope="col" className="num">
              {t("models.usage.cached")}
            </th>
            <th scope="col" className="num">
              {t("models.usage.promptTokens")}
            </th>
            <th scope="col" className="num">
              {t("models.usage.completionTokens")}
            </th>
            <th scope="col" className="num">
              {t("models.usage.cost")}
            </th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((row) => (
            <tr key={`${row.day}/${row.bot_id}/${row.provider}`} data-testid="usage-row">
              <td>{row.day}</td>
              <td title={row.bot_id}>{botNames[row.bot_id] ?? <code>{row.bot_id}</code>}</td>
              <td>
                <code>{row.provider}</code>
              </td>
              <td className="num">{format.integer(row.calls)}</td>
              <td className="num">{format.integer(row.cached)}</td>
              <td className="num">{format.integer(row.prompt_tokens)}</td>
              <td className="num">{format.integer(row.completion_tokens)}</td>
              <td className="num">{format.money(row.cost)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="usage-totals">
            <th scope="row" colSpan={3}>
              {t("models.usage.total")}
            </th>
            <td className="num" data-testid="usage-total-calls">
              {format.integer(totals.calls)}
            </td>
            <td className="num" data-testid="usage-total-cached">
              {format.integer(totals.cached)}
            </td>
            <td className="num" data-testid="usage-total-prompt">
              {format.integer(totals.prompt_tokens)}
            </td>
            <td className="num" data-testid="usage-total-completion">
              {format.integer(totals.completion_tokens)}
            </td>
            <td className="num" data-testid="usage-total-cost">
              {format.money(totals.cost)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function UsageSection() {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const problemText = useProblemText();
  // The period asked for: none at first (the server's default, the last 30 days).
  const [period, setPeriod] = useState<{ since?: string; until?: string }>({});
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const { value, reload } = useLoad(async () => {
    const page = await api.get("/api/v1/llm/usage", { query: period });
    setSince((was) => was || page.since);
    setUntil((was) => was || page.until);
    return page;
  }, [api, period]);
  // Bots by name for the table; their ids when the list cannot be read.
  const bots = useLoad(async () => (await api.get("/api/v1/bots", { query: { limit: 200 } })).items, [api]).value;
  const botNames = bots.state === "ready" ? Object.fromEntries(bots.data.map((bot) => [bot.id, bot.name])) : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wrong = checkPeriod(since, until);
    setProblem(problemText(wrong ?? undefined));
    if (wrong) return;
    const next = { since: since || undefined, until: until || undefined };
    if (next.since === period.since && next.until === period.until) reload();
    else setPeriod(next);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="usage-section">
      <h2 id={`${id}-title`}>{t("models.usage.title")}</h2>
      <p className="hint">{t("models.usage.intro")}</p>
      <form className="form-inline" onSubmit={submit} noValidate data-testid="usage-form">
        <Field id={id} name="since" label={t("models.usage.since")} error={problem}>
          {(props) => <input {...props} type="date" data-testid="usage-since" value={since} onChange={(e) => setSince(e.target.value)} />}
        </Field>
        <Field id={id} name="until" label={t("models.usage.until")}>
          {(props) => <input {...props} type="date" data-testid="usage-until" value={until} onChange={(e) => setUntil(e.target.value)} />}
        </Field>
        <button type="submit" data-testid="usage-show">
          {t("models.usage.show")}
        </button>
      </form>
      <div aria-live="polite" aria-busy={value.state === "loading"}>
        {value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
        {value.state === "error" && (
          <div className="error-box" role="alert" data-testid="usage-error">
            <p>{t("models.usage.loadError", { detail: value.error })}</p>
            <button type="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {value.state === "ready" && <UsageTable page={value.data} botNames={botNames} />}
      </div>
    </section>
  );
}

export function QuotaPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const { value, reload, update } = useLoad(() => api.get("/api/v1/llm/quota"), [api]);
  return (
    <div data-testid="quota-panel">
      {value.state === "loading" && <p className="muted">{t("app.loading")}</p>}
      {value.state === "error" && (
        <div className="error-box" role="alert" data-testid="quota-load-error">
          <p>{t("models.quota.loadError", { detail: value.error })}</p>
          <button type="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {value.state === "ready" && <QuotaEditor quota={value.data} canEdit={canEdit} onSaved={(saved) => update(() => saved)} />}
      <UsageSection />
    </div>
  );
}
