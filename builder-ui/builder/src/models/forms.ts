// The models section's forms and what they send: a provider, the organization's quota and a
// notification target as their fields show them (numbers as typed), checked here before
// anything is sent, and turned into the bodies of their PUTs. Each PUT replaces the whole
// stored object, so a field left out is stored as null (no value, no limit): an empty
// optional field is left out of a provider's and a target's body; the quota's limits are all
// sent, null for "no limit".
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type ProviderRead = Schemas["ProviderRead"];
export type ProviderPut = Schemas["ProviderPut"];
export type ProviderKind = ProviderPut["kind"];
export type ConnectionTest = Schemas["ConnectionTest"];
export type QuotaRead = Schemas["QuotaRead"];
export type QuotaPut = Schemas["QuotaPut"];
export type UsagePage = Schemas["UsagePage"];
export type UsageRow = Schemas["UsageRow"];
export type TargetRead = Schemas["TargetRead"];
export type TargetPut = Schemas["TargetPut"];
export type TargetKind = TargetPut["kind"];
export type TargetEvent = TargetPut["events"][number];
export type Role = Schemas["Role"];

/** The server's patterns and bounds (llm/schemas.py, llm/router.py, notify/router.py). */
export const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const TARGET_NAME = PROVIDER_NAME;
export const API_BASE = /^https?:\/\/\S{1,490}$/;
export const WEBHOOK_URL = /^https?:\/\/\S{1,2040}$/;
export const EMAIL = /^[^@\s<>,;]{1,64}@[^@\s<>,;]{1,255}$/;
export const PROVIDER_KINDS: readonly ProviderKind[] = ["openai", "azure", "gemini", "anthropic", "openai_compatible"];
export const TARGET_EVENTS: readonly TargetEvent[] = ["report", "handoff", "conversation_failed", "recording_report"];
export const MAX_FALLBACKS = 5;
export const MAX_RECIPIENTS = 20;
export const DEFAULT_TIMEOUT = 30;
/** Kinds whose server is named by an address (and which have no default one). */
export const NEEDS_API_BASE: readonly ProviderKind[] = ["azure", "openai_compatible"];
/** The only kind that may go without a key (a local server): the others need a secret. */
export const KEYLESS_KINDS: readonly ProviderKind[] = ["openai_compatible"];

/** A message for the interface: an i18n key under `models.` and its values. */
export interface Problem {
  key: string;
  values?: Record<string, string | number>;
}
export type Problems = Record<string, Problem>;

// --- roles ------------------------------------------------------------------------------------

const ROLE_ORDER: readonly Role[] = ["viewer", "operator", "editor", "admin", "owner"];

/** Whether `role` includes `needed` (each role includes the ones before it). An unknown role
 * (no session stored) may try: the server decides and answers 403. */
export function allows(role: Role | null | undefined, needed: Role): boolean {
  if (!role) return true;
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(needed);
}

// --- numbers ----------------------------------------------------------------------------------

export interface NumberRule {
  integer?: boolean;
  min: number;
  max: number;
}

/** A typed number: null when empty, else the number, or the problem with it. A decimal comma
 * (0,15) is read as a point. */
export function readNumber(text: string, rule: NumberRule): { value: number | null; problem?: Problem } {
  const trimmed = text.trim().replace(/\s+/g, "").replace(",", ".");
  if (!trimmed) return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) {
    return { value: null, problem: { key: "models.errors.notNumber" } };
  }
  if (rule.integer && !Number.isInteger(value)) {
    return { value: null, problem: { key: "models.errors.wholeRange", values: { min: rule.min, max: rule.max } } };
  }
  if (value < rule.min || value > rule.max) {
    return {
      value: null,
      problem: { key: rule.integer ? "models.errors.wholeRange" : "models.errors.range", values: { min: rule.min, max: rule.max } },
    };
  }
  return { value };
}

/** A number as a field shows it ("" for null). */
export const numberText = (value: number | null | undefined): string => (value === null || value === undefined ? "" : String(value));

// --- providers --------------------------------------------------------------------------------

export interface ProviderForm {
  name: string;
  kind: ProviderKind;
  model: string;
  api_base: string;
  api_version: string;
  secret: string;
  fallbacks: string[];
  timeout_seconds: string;
  input_cost: string;
  output_cost: string;
  max_concurrency: string;
  calls_per_minute: string;
}

export const PROVIDER_NUMBERS: Record<"timeout_seconds" | "input_cost" | "output_cost" | "max_concurrency" | "calls_per_minute", NumberRule> = {
  timeout_seconds: { min: 1, max: 300 },
  input_cost: { min: 0, max: 1e9 },
  output_cost: { min: 0, max: 1e9 },
  max_concurrency: { integer: true, min: 1, max: 10_000 },
  calls_per_minute: { integer: true, min: 1, max: 1_000_000 },
};

function isKind(value: string): value is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(value);
}

/** The form of a stored provider, or of a new one. */
export function providerForm(provider?: ProviderRead): ProviderForm {
  if (!provider) {
    return {
      name: "",
      kind: "openai",
      model: "",
      api_base: "",
      api_version: "",
      secret: "",
      fallbacks: [],
      timeout_seconds: String(DEFAULT_TIMEOUT),
      input_cost: "",
      output_cost: "",
      max_concurrency: "",
      calls_per_minute: "",
    };
  }
  return {
    name: provider.name,
    kind: isKind(provider.kind) ? provider.kind : "openai_compatible",
    model: provider.model,
    api_base: provider.api_base ?? "",
    api_version: provider.api_version ?? "",
    secret: provider.secret ?? "",
    fallbacks: [...provider.fallbacks],
    timeout_seconds: numberText(provider.timeout_seconds),
    input_cost: numberText(provider.input_cost),
    output_cost: numberText(provider.output_cost),
    max_concurrency: numberText(provider.max_concurrency),
    calls_per_minute: numberText(provider.calls_per_minute),
  };
}

/** What is wrong with the form, by field, before anything is sent. `existing`: the
 * organization's providers (a new one may not take a name in use). */
export function checkProvider(form: ProviderForm, options: { isNew: boolean; existing: string[] }): Problems {
  const problems: Problems = {};
  if (options.isNew) {
    if (!form.name) problems.name = { key: "models.errors.nameRequired" };
    else if (!PROVIDER_NAME.test(form.name)) problems.name = { key: "models.errors.nameInvalid" };
    else if (options.existing.includes(form.name)) problems.name = { key: "models.providers.nameTaken", values: { name: form.name } };
  }
  const model = form.model.trim();
  if (!model) problems.model = { key: "models.providers.modelRequired" };
  else if (model.length > 200) problems.model = { key: "models.errors.tooLong", values: { max: 200 } };
  const base = form.api_base.trim();
  if (!base) {
    if (NEEDS_API_BASE.includes(form.kind)) problems.api_base = { key: "models.providers.apiBaseRequired" };
  } else if (!API_BASE.test(base)) problems.api_base = { key: "models.errors.urlInvalid" };
  if (form.kind === "azure" && form.api_version.trim().length > 32) problems.api_version = { key: "models.errors.tooLong", values: { max: 32 } };
  if (!form.secret && !KEYLESS_KINDS.includes(form.kind)) problems.secret = { key: "models.providers.secretRequired" };
  if (form.fallbacks.length > MAX_FALLBACKS) problems.fallbacks = { key: "models.providers.tooManyFallbacks", values: { max: MAX_FALLBACKS } };
  if (form.fallbacks.includes(form.name)) problems.fallbacks = { key: "models.providers.selfFallback" };
  for (const [field, rule] of Object.entries(PROVIDER_NUMBERS)) {
    const problem = readNumber(form[field as keyof typeof PROVIDER_NUMBERS], rule).problem;
    if (problem) problems[field] = problem;
  }
  return problems;
}

/** The PUT body of a checked form: empty optional fields left out (stored as null), the
 * Azure API version only for Azure, an empty timeout as the server's default. */
export function providerBody(form: ProviderForm): ProviderPut {
  const number = (field: keyof typeof PROVIDER_NUMBERS) => readNumber(form[field], PROVIDER_NUMBERS[field]).value;
  const body: ProviderPut = {
    kind: form.kind,
    model: form.model.trim(),
    fallbacks: [...form.fallbacks],
    timeout_seconds: number("timeout_seconds") ?? DEFAULT_TIMEOUT,
  };
  const base = form.api_base.trim();
  if (base) body.api_base = base;
  const version = form.api_version.trim();
  if (form.kind === "azure" && version) body.api_version = version;
  if (form.secret) body.secret = form.secret;
  for (const field of ["input_cost", "output_cost", "max_concurrency", "calls_per_minute"] as const) {
    const value = number(field);
    if (value !== null) body[field] = value;
  }
  return body;
}

/** The providers that fall back to `name`: it cannot be deleted before they change. */
export function fallingBackTo(providers: ProviderRead[], name: string): string[] {
  return providers.filter((p) => p.fallbacks.includes(name)).map((p) => p.name);
}

// --- quota ------------------------------------------------------------------------------------

export interface QuotaForm {
  calls_per_minute: string;
  tokens_per_day: string;
  bot_tokens_per_day: string;
  cost_per_month: string;
}

export const QUOTA_FIELDS = ["calls_per_minute", "tokens_per_day", "bot_tokens_per_day", "cost_per_month"] as const;

export const QUOTA_NUMBERS: Record<keyof QuotaForm, NumberRule> = {
  calls_per_minute: { integer: true, min: 1, max: 1_000_000 },
  tokens_per_day: { integer: true, min: 1, max: 1e12 },
  bot_tokens_per_day: { integer: true, min: 1, max: 1e12 },
  cost_per_month: { min: 0, max: 1e9 },
};

export function quotaForm(quota: QuotaRead): QuotaForm {
  return {
    calls_per_minute: numberText(quota.calls_per_minute),
    tokens_per_day: numberText(quota.tokens_per_day),
    bot_tokens_per_day: numberText(quota.bot_tokens_per_day),
    cost_per_month: numberText(quota.cost_per_month),
  };
}

export function checkQuota(form: QuotaForm): Problems {
  const problems: Problems = {};
  for (const field of QUOTA_FIELDS) {
    const problem = readNumber(form[field], QUOTA_NUMBERS[field]).problem;
    if (problem) problems[field] = problem;
  }
  return problems;
}

/** Every limit, null for an empty field (no limit): the PUT replaces all four. */
export function quotaBody(form: QuotaForm): QuotaPut {
  const value = (field: keyof QuotaForm) => readNumber(form[field], QUOTA_NUMBERS[field]).value;
  return {
    calls_per_minute: value("calls_per_minute"),
    tokens_per_day: value("tokens_per_day"),
    bot_tokens_per_day: value("bot_tokens_per_day"),
    cost_per_month: value("cost_per_month"),
  };
}

// --- usage ------------------------------------------------------------------------------------

export interface UsageTotals {
  calls: number;
  cached: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
}

/** The page's totals (the server's), with the cached calls summed here (the page has none). */
export function usageTotals(page: UsagePage): UsageTotals {
  return {
    calls: page.calls,
    cached: page.items.reduce((sum, row) => sum + row.cached, 0),
    prompt_tokens: page.prompt_tokens,
    completion_tokens: page.completion_tokens,
    cost: page.cost,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period's problem before it is asked for (the server allows at most 400 days). */
export function checkPeriod(since: string, until: string): Problem | null {
  if ((since && !DAY.test(since)) || (until && !DAY.test(until))) return { key: "models.usage.dateInvalid" };
  if (since && until) {
    const days = (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000;
    if (days < 0) return { key: "models.usage.periodReversed" };
    if (days > 400) return { key: "models.usage.periodTooLong" };
  }
  return null;
}

// --- notification targets ---------------------------------------------------------------------

export type SmtpSecurity = "none" | "starttls" | "tls";

export interface TargetForm {
  name: string;
  kind: TargetKind;
  events: TargetEvent[];
  /** "" for all the organization's bots. */
  bot_id: string;
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  secret: string;
  sender: string;
  /** One address a line (commas and semicolons also separate). */
  recipients: string;
  url: string;
}

export const SMTP_PORTS: Record<SmtpSecurity, number> = { none: 25, starttls: 587, tls: 465 };

export function targetForm(target?: TargetRead): TargetForm {
  if (!target) {
    return {
      name: "",
      kind: "webhook",
      events: ["report"],
      bot_id: "",
      host: "",
      port: String(SMTP_PORTS.starttls),
      security: "starttls",
      username: "",
      secret: "",
      sender: "",
      recipients: "",
      url: "",
    };
  }
  return {
    name: target.name,
    kind: target.kind,
    events: [...target.events],
    bot_id: target.bot_id ?? "",
    host: target.host ?? "",
    port: numberText(target.port),
    security: target.use_tls ? "tls" : target.starttls ? "starttls" : "none",
    username: target.username ?? "",
    secret: target.secret ?? "",
    sender: target.sender ?? "",
    recipients: (target.recipients ?? []).join("\n"),
    url: target.url ?? "",
  };
}

export function splitRecipients(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

export function checkTarget(form: TargetForm, options: { isNew: boolean; existing: string[] }): Problems {
  const problems: Problems = {};
  if (options.isNew) {
    if (!form.name) problems.name = { key: "models.errors.nameRequired" };
    else if (!TARGET_NAME.test(form.name)) problems.name = { key: "models.errors.nameInvalid" };
    else if (options.existing.includes(form.name)) problems.name = { key: "models.targets.nameTaken", values: { name: form.name } };
  }
  if (form.events.length === 0) problems.events = { key: "models.targets.eventsRequired" };
  if (form.kind === "webhook") {
    const url = form.url.trim();
    if (!url) problems.url = { key: "models.targets.urlRequired" };
    else if (!WEBHOOK_URL.test(url)) problems.url = { key: "models.errors.urlInvalid" };
    if (!form.secret) problems.secret = { key: "models.targets.signingSecretRequired" };
    return problems;
  }
  const host = form.host.trim();
  if (!host) problems.host = { key: "models.targets.hostRequired" };
  else if (host.length > 255) problems.host = { key: "models.errors.tooLong", values: { max: 255 } };
  const port = readNumber(form.port, { integer: true, min: 1, max: 65535 });
  if (port.problem) problems.port = port.problem;
  else if (port.value === null) problems.port = { key: "models.targets.portRequired" };
  if (form.username.length > 255) problems.username = { key: "models.errors.tooLong", values: { max: 255 } };
  const sender = form.sender.trim();
  if (!sender) problems.sender = { key: "models.targets.senderRequired" };
  else if (!EMAIL.test(sender)) problems.sender = { key: "models.targets.addressInvalid", values: { address: sender } };
  const recipients = splitRecipients(form.recipients);
  const wrong = recipients.find((address) => !EMAIL.test(address));
  if (recipients.length === 0) problems.recipients = { key: "models.targets.recipientsRequired" };
  else if (wrong) problems.recipients = { key: "models.targets.addressInvalid", values: { address: wrong } };
  else if (recipients.length > MAX_RECIPIENTS) problems.recipients = { key: "models.targets.tooManyRecipients", values: { max: MAX_RECIPIENTS } };
  return problems;
}

/** The PUT body of a checked form: only the fields of its kind (the server refuses an e-mail
 * target's fields on a webhook and a webhook's address on an e-mail target); no bot for all. */
export function targetBody(form: TargetForm): TargetPut {
  const events = TARGET_EVENTS.filter((event) => form.events.includes(event));
  if (form.kind === "webhook") {
    const body: TargetPut = { kind: "webhook", events, url: form.url.trim(), secret: form.secret, starttls: false, use_tls: false };
    if (form.bot_id) body.bot_id = form.bot_id;
    return body;
  }
  const body: TargetPut = {
    kind: "email",
    events,
    host: form.host.trim(),
    port: readNumber(form.port, { integer: true, min: 1, max: 65535 }).value,
    starttls: form.security === "starttls",
    use_tls: form.security === "tls",
    sender: form.sender.trim(),
    recipients: splitRecipients(form.recipients),
  };
  const username = form.username.trim();
  if (username) body.username = username;
  if (form.secret) body.secret = form.secret;
  if (form.bot_id) body.bot_id = form.bot_id;
  return body;
}
