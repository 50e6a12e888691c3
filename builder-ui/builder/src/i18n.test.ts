import { describe, expect, it } from "vitest";
import { initialLanguage, resources } from "./i18n";
import { parseRoute, routeHref } from "./routes";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("texts", () => {
  it("Ukrainian has every English text, non-empty, with the same placeholders", () => {
    const en = keys(resources.en).sort();
    expect(keys(resources.uk).sort()).toEqual(en);
    const get = (tree: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
    for (const key of en) {
      const uk = get(resources.uk, key);
      expect(uk.length, key).toBeGreaterThan(0);
      const placeholders = (text: string) => (text.match(/\{\{\w+\}\}/g) ?? []).sort();
      expect(placeholders(uk), key).toEqual(placeholders(get(resources.en, key)));
    }
  });

  it("start in the stored language, else the browser's, else Ukrainian", () => {
    expect(initialLanguage("en", ["uk-UA"])).toBe("en");
    expect(initialLanguage(null, ["de-DE", "uk-UA"])).toBe("uk");
    expect(initialLanguage(null, ["en-US"])).toBe("en");
    expect(initialLanguage(null, ["de"])).toBe("uk");
    expect(initialLanguage("fr", [])).toBe("uk");
  });
});

describe("routes", () => {
  it("read and write hash routes", () => {
    expect(parseRoute("")).toEqual({ name: "bots" });
    expect(parseRoute("#/")).toEqual({ name: "bots" });
    expect(parseRoute("#/bots/b1")).toEqual({ name: "bot", botId: "b1" });
    expect(parseRoute("#/bots/b1/settings")).toEqual({ name: "bot", botId: "b1", tab: "settings" });
    expect(routeHref({ name: "bot", botId: "b1", tab: "settings" })).toBe("#/bots/b1/settings");
    expect(routeHref({ name: "bot", botId: "b1", tab: "scenarios" })).toBe("#/bots/b1");
    expect(parseRoute("#/scenarios/s1")).toEqual({ name: "scenario", scenarioId: "s1" });
    expect(parseRoute("#/nonsense")).toEqual({ name: "bots" });
    expect(routeHref({ name: "scenario", scenarioId: "s 1" })).toBe("#/scenarios/s%201");
  });
});
