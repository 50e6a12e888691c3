// Providers, quotas and notification targets as the server answers them, for the models
// section's tests.
import type { ProviderRead, QuotaRead, TargetRead } from "./forms";

export function provider(name: string, extra: Partial<ProviderRead> = {}): ProviderRead {
  return {
    id: `id-${name}`,
    name,
    kind: "openai",
    model: "gpt-4o-mini",
    api_base: null,
    api_version: null,
    secret: "OPENAI_KEY",
    fallbacks: [],
    timeout_seconds: 30,
    input_cost: null,
    output_cost: null,
    max_concurrency: null,
    calls_per_minute: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...extra,
  };
}

export function quota(extra: Partial<QuotaRead> = {}): QuotaRead {
  return {
    calls_per_minute: null,
    tokens_per_day: null,
    cost_per_month: null,
    bot_tokens_per_day: null,
    tokens_today: 0,
    cost_this_month: 0,
    ...extra,
  };
}

export function target(name: string, extra: Partial<TargetRead> = {}): TargetRead {
  return {
    id: `id-${name}`,
    name,
    kind: "webhook",
    events: ["report"],
    bot_id: null,
    host: null,
    port: null,
    sender: null,
    recipients: [],
    username: null,
    starttls: false,
    use_tls: false,
    url: "https://crm.example.com/hooks/rozmova",
    secret: "CRM_HOOK_KEY",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...extra,
  };
}

export const secretList = (...names: string[]) => names.map((name) => ({ name, created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z" }));
