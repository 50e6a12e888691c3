import { describe, it } from "node:test";
import { expect } from "./expect";
import { normalize, pickLanguage, strings } from "../src/i18n";

describe("i18n", () => {
  it("prefers data-language, then the browser, then the bot's own", () => {
    expect(pickLanguage("en", "uk-UA")).toBe("en");
    expect(pickLanguage(null, "uk-UA")).toBe("uk");
    expect(pickLanguage(null, "de-DE")).toBe("en");
    expect(pickLanguage("fr", "uk")).toBe("uk");
    expect(pickLanguage(null, "en-US", ["uk"])).toBe("uk");
  });

  it("normalizes tags", () => {
    expect(normalize("UK-ua")).toBe("uk");
    expect(normalize("pl")).toBeNull();
  });

  it("has every string in both languages", () => {
    const en = strings("en");
    const uk = strings("uk");
    expect(Object.keys(uk).sort()).toEqual(Object.keys(en).sort());
    for (const v of Object.values(uk)) expect(v).not.toBe("");
  });
});
