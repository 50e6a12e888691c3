import { describe, expect, it } from "vitest";
import { provider, target } from "./fixtures";
import {
  allows,
  checkPeriod,
  checkProvider,
  checkTarget,
  fallingBackTo,
  providerBody,
  providerForm,
  quotaBody,
  readNumber,
  splitRecipients,
  targetBody,
  targetForm,
  usageTotals,
} from "./forms";

describe("numbers as typed", () => {
  it("read empty as null, a decimal comma as a point, and refuse what is out of bounds", () => {
    expect(readNumber("", { min: 0, max: 10 })).toEqual({ value: null });
    expect(readNumber(" 0,15 ", { min: 0, max: 10 })).toEqual({ value: 0.15 });
    expect(readNumber("1 000", { integer: true, min: 1, max: 5000 })).toEqual({ value: 1000 });
    expect(readNumber("0x10", { min: 0, max: 100 }).problem?.key).toBe("models.errors.notNumber");
    expect(readNumber("1.5", { integer: true, min: 1, max: 5 }).problem).toEqual({ key: "models.errors.wholeRange", values: { min: 1, max: 5 } });
    expect(readNumber("0", { min: 1, max: 300 }).problem).toEqual({ key: "models.errors.range", values: { min: 1, max: 300 } });
  });
});

describe("a provider's form", () => {
  const filled = (extra: Partial<ReturnType<typeof providerForm>> = {}) => ({ ...providerForm(), name: "main", model: "gpt-4o", secret: "KEY", ...extra });

  it("needs an address for Azure and OpenAI-compatible servers, and a key for all but the latter", () => {
    expect(checkProvider(filled({ kind: "azure" }), { isNew: true, existing: [] })).toHaveProperty("api_base");
    expect(checkProvider(filled({ kind: "openai_compatible", secret: "" }), { isNew: true, existing: [] })).toEqual({
      api_base: { key: "models.providers.apiBaseRequired" },
    });
    expect(checkProvider(filled({ kind: "anthropic", secret: "" }), { isNew: true, existing: [] })).toEqual({
      secret: { key: "models.providers.secretRequired" },
    });
    expect(checkProvider(filled({ api_base: "ftp://x" }), { isNew: true, existing: [] })).toEqual({ api_base: { key: "models.errors.urlInvalid" } });
    expect(checkProvider(filled({ name: "Main" }), { isNew: true, existing: [] })).toEqual({ name: { key: "models.errors.nameInvalid" } });
    expect(checkProvider(filled(), { isNew: false, existing: ["main"] })).toEqual({});
  });

  it("sends what was typed and leaves empty optional fields out", () => {
    expect(providerBody(filled({ timeout_seconds: "", output_cost: "0.6", api_version: "2024-06-01" }))).toEqual({
      kind: "openai",
      model: "gpt-4o",
      secret: "KEY",
      fallbacks: [],
      timeout_seconds: 30,
      output_cost: 0.6,
    });
  });

  it("round-trips a stored provider", () => {
    const stored = provider("main", { kind: "azure", api_base: "https://x.openai.azure.com", api_version: "v1", fallbacks: ["b"], max_concurrency: 2, input_cost: 0 });
    expect(providerBody(providerForm(stored))).toEqual({
      kind: "azure",
      model: "gpt-4o-mini",
      api_base: "https://x.openai.azure.com",
      api_version: "v1",
      secret: "OPENAI_KEY",
      fallbacks: ["b"],
      timeout_seconds: 30,
      max_concurrency: 2,
      input_cost: 0,
    });
  });

  it("knows who falls back to a provider", () => {
    expect(fallingBackTo([provider("a", { fallbacks: ["c"] }), provider("b", { fallbacks: ["a", "c"] }), provider("c")], "c")).toEqual(["a", "b"]);
  });
});

describe("the quota", () => {
  it("sends all four limits, null for no limit", () => {
    expect(quotaBody({ calls_per_minute: "", tokens_per_day: "1000", bot_tokens_per_day: "", cost_per_month: "9.5" })).toEqual({
      calls_per_minute: null,
      tokens_per_day: 1000,
      bot_tokens_per_day: null,
      cost_per_month: 9.5,
    });
  });

  it("totals the cached calls the page does not", () => {
    const row = { day: "2025-01-01", bot_id: "b", provider: "p", calls: 2, cached: 1, prompt_tokens: 1, completion_tokens: 1, cost: 0 };
    expect(usageTotals({ since: "", until: "", calls: 4, prompt_tokens: 2, completion_tokens: 2, cost: 0.5, items: [row, { ...row, cached: 2 }] }).cached).toBe(3);
  });

  it("checks a period as the server would", () => {
    expect(checkPeriod("", "")).toBeNull();
    expect(checkPeriod("2025-01-02", "2025-01-01")?.key).toBe("models.usage.periodReversed");
    expect(checkPeriod("2024-01-01", "2025-03-01")?.key).toBe("models.usage.periodTooLong");
    expect(checkPeriod("2025-01-01", "2025-01-01")).toBeNull();
  });
});

describe("a notification target's form", () => {
  it("sends only its kind's fields", () => {
    const mail = { ...targetForm(), name: "m", kind: "email" as const, host: "smtp.x", sender: "a@x.io", recipients: "b@x.io; c@x.io", url: "https://left.over" };
    expect(checkTarget(mail, { isNew: true, existing: [] })).toEqual({});
    expect(targetBody(mail)).toEqual({ kind: "email", events: ["report"], host: "smtp.x", port: 587, starttls: true, use_tls: false, sender: "a@x.io", recipients: ["b@x.io", "c@x.io"] });
    const hook = { ...mail, kind: "webhook" as const, url: "https://h.io/x", secret: "K" };
    expect(targetBody(hook)).toEqual({ kind: "webhook", events: ["report"], url: "https://h.io/x", secret: "K", starttls: false, use_tls: false });
  });

  it("reads a stored e-mail target's encryption back", () => {
    expect(targetForm(target("m", { kind: "email", use_tls: true })).security).toBe("tls");
    expect(targetForm(target("m", { kind: "email", starttls: true })).security).toBe("starttls");
    expect(splitRecipients(" a@x.io,\n\nb@x.io ")).toEqual(["a@x.io", "b@x.io"]);
  });

  it("needs a sender and recipients for e-mail", () => {
    const problems = checkTarget({ ...targetForm(), name: "m", kind: "email", host: "smtp.x" }, { isNew: true, existing: [] });
    expect(Object.keys(problems).sort()).toEqual(["recipients", "sender"]);
  });
});

describe("roles", () => {
  it("include the ones before them; an unknown role may try", () => {
    expect(allows("viewer", "editor")).toBe(false);
    expect(allows("operator", "editor")).toBe(false);
    expect(allows("editor", "editor")).toBe(true);
    expect(allows("editor", "admin")).toBe(false);
    expect(allows("owner", "admin")).toBe(true);
    expect(allows(null, "admin")).toBe(true);
  });
});
