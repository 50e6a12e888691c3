import { describe, expect, it } from "vitest";
import { sampleDocument, TYPES } from "../test/fixtures";
import { blockSummary, defaultSettings, groupByCategory, localizedFields } from "./blocks";
import { CATALOGUE } from "../test/fixtures";

const bot = { defaultLanguage: "uk", languages: ["uk", "en"] };

describe("default settings", () => {
  it("give a message its text in each bot language", () => {
    expect(defaultSettings(TYPES.get("message")!, bot, sampleDocument())).toEqual({ text: { uk: "", en: "" } });
  });
  it("give built-in types settings that fit their schema", () => {
    const doc = sampleDocument();
    expect(defaultSettings("input", bot, doc)).toEqual({ kind: "text", prompt: { uk: "", en: "" }, variable: "answer" });
    expect(defaultSettings("condition", bot, doc)).toMatchObject({ when: [{ left: { var: "language" }, op: "equals", right: { value: "uk" } }] });
    expect(defaultSettings("jump", bot, doc)).toEqual({ block: "hello" });
    expect(defaultSettings("wait", bot, doc)).toEqual({ seconds: 1 });
    expect(defaultSettings("end", bot, doc)).toEqual({});
  });
  it("fill other types' required fields from their schema", () => {
    expect(defaultSettings(TYPES.get("crm_lookup")!, bot, sampleDocument())).toEqual({ customer: "", retries: 1, mode: "fast" });
  });
});

describe("block summaries", () => {
  const doc = sampleDocument();
  it("say a message's text in the default language", () => {
    expect(blockSummary(doc.blocks[0], "uk")).toBe("Кава чи чай?");
    expect(blockSummary(doc.blocks[0], "en")).toBe("Coffee or tea?");
    expect(blockSummary(doc.blocks[0], "de")).toBe("Кава чи чай?");
  });
  it("describe other blocks in one line", () => {
    expect(blockSummary(doc.blocks[3], "uk")).toBe("Що ще? → drink");
    expect(blockSummary({ id: "c", type: "condition", settings: { mode: "any", when: [{ left: { var: "age" }, op: "greater", right: { value: 17 } }, { left: { var: "vip" }, op: "is_set" }] } }, "uk")).toBe("age greater 17 or vip is_set");
    expect(blockSummary({ id: "j", type: "jump", settings: { block: "hello" } }, "uk")).toBe("→ hello");
    expect(blockSummary({ id: "h", type: "http", settings: { method: "POST", url: "https://x.test/a" } }, "uk")).toBe("POST https://x.test/a");
    expect(blockSummary({ id: "s", type: "set_variable", settings: { variable: "n", expression: "n + 1" } }, "uk")).toBe("n = n + 1");
    expect(blockSummary({ id: "m", type: "message", settings: { text: { uk: "x".repeat(200) } } }, "uk")).toHaveLength(80);
    expect(blockSummary({ id: "e", type: "end", settings: {} }, "uk")).toBe("");
  });
});

describe("the catalogue", () => {
  it("finds the settings that are texts per language", () => {
    expect(localizedFields(TYPES.get("message"))).toEqual(["text"]);
    expect(localizedFields(TYPES.get("input"))).toEqual(["prompt"]);
    expect(localizedFields(TYPES.get("script"))).toEqual([]);
  });
  it("groups types by category in catalogue order", () => {
    expect(groupByCategory(CATALOGUE).map((g) => [g.category, g.types.map((t) => t.name)])).toEqual([
      ["messaging", ["message", "input"]],
      ["logic", ["condition", "script"]],
      ["flow", ["jump", "end"]],
      ["integrations", ["crm_lookup"]],
    ]);
  });
});
