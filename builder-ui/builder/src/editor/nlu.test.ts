import { describe, expect, it } from "vitest";
import { sampleDocument } from "../test/fixtures";
import {
  addIntent,
  applyValueLines,
  checkExamples,
  checkNluName,
  checkPattern,
  entityStores,
  entityUses,
  formatValueLines,
  intentUses,
  intentWarnings,
  mergeNlu,
  nluLanguages,
  parseExamples,
  parseValueLines,
  readEntities,
  readIntents,
  removeIntent,
  renameEntity,
  renameIntent,
  setGlobalIntent,
  setGlobalThreshold,
  setIntentExamples,
  type EntityValue,
} from "./nlu";
import { nluDocument } from "./nluFixture";

describe("reading the section", () => {
  it("reads intents and entities defensively, and the languages to show", () => {
    const doc = nluDocument();
    expect(readIntents(doc).map((i) => i.name)).toEqual(["hours", "order"]);
    expect(readIntents(doc)[1].description).toBe("Orders");
    expect(readEntities(doc)).toEqual([
      { name: "city", kind: "list", values: [{ value: "Kyiv", synonyms: { uk: ["Київ"], en: ["Kiev"] } }, { value: "Lviv", synonyms: { uk: ["Львів"] } }] },
      { name: "order_id", kind: "regex", pattern: "[A-Z]{2}-?(\\d{6})" },
    ]);
    expect(readIntents(sampleDocument())).toEqual([]);
    expect(readIntents({ ...sampleDocument(), nlu: { intents: [null, { name: "x", examples: { uk: ["a", 3] } }] } })).toEqual([
      { name: "", examples: {}, description: "" },
      { name: "x", examples: { uk: ["a"] }, description: "" },
    ]);
    expect(nluLanguages(doc, ["en"])).toEqual(["en", "uk"]);
  });

  it("finds where an intent and an entity are used", () => {
    const doc = nluDocument();
    expect(intentUses(doc, "hours")).toEqual({ blocks: ["route"], global: "help" });
    expect(intentUses(doc, "inline")).toEqual({ blocks: [], global: null });
    expect(entityUses(doc, "city")).toEqual(["find", "ask_city"]);
    expect(entityUses(doc, "order_id")).toEqual([]);
  });
});

describe("names and checks", () => {
  it("checks names: the pattern, duplicates and (for entities) the built-in ones", () => {
    expect(checkNluName("", [])).toBe("required");
    expect(checkNluName("Hours", [])).toBe("pattern");
    expect(checkNluName("1x", [])).toBe("pattern");
    expect(checkNluName("a".repeat(65), [])).toBe("pattern");
    expect(checkNluName("hours", ["hours"])).toBe("duplicate");
    expect(checkNluName("phone", [])).toBeNull();
    expect(checkNluName("phone", [], true)).toBe("builtin");
    expect(checkNluName("order_2", ["hours"], true)).toBeNull();
  });

  it("checks example phrases: limits, and an intent keeps one phrase", () => {
    expect(parseExamples("  a \n\n b\n")).toEqual(["a", "b"]);
    expect(checkExamples([], 0)).toBe("none_left");
    expect(checkExamples([], 2)).toBeNull();
    expect(checkExamples(["x".repeat(301)], 0)).toBe("too_long");
    expect(checkExamples(Array.from({ length: 501 }, (_, i) => `p${i}`), 0)).toBe("too_many");
  });

  it("checks a pattern for what RE2 does not have", () => {
    expect(checkPattern("")).toBe("empty");
    expect(checkPattern("x".repeat(501))).toBe("too_long");
    expect(checkPattern("[A-Z]{2}-?(\\d{6})")).toBeNull();
    expect(checkPattern("(?i)kyiv|(?P<n>\\d+)")).toBeNull();
    expect(checkPattern("a(?=b)")).toBe("lookaround");
    expect(checkPattern("(?<!a)b")).toBe("lookaround");
    expect(checkPattern("(a)\\1")).toBe("backreference");
    expect(checkPattern("[(?=]\\(?=")).toBeNull();
  });

  it("warns about languages without phrases, single phrases and phrases of two intents", () => {
    const warnings = intentWarnings(readIntents(nluDocument()), ["uk", "en", "pl"]);
    expect(warnings[0]).toEqual([
      { code: "few_examples", language: "en", count: 1 },
      { code: "empty_language", language: "pl" },
      { code: "shared_phrase", phrase: "графік роботи", intent: "order" },
    ]);
    expect(warnings[1]).toEqual([
      { code: "empty_language", language: "pl" },
      { code: "shared_phrase", phrase: "Графік роботи", intent: "hours" },
    ]);
  });
});

describe("a list entity's lines", () => {
  const values: EntityValue[] = [
    { value: "Kyiv", synonyms: { uk: ["Київ", "Києві"], en: ["Kiev"] } },
    { value: "Lviv", synonyms: { uk: ["Львів"] } },
    { value: "a:b", synonyms: { uk: ["c,d", "e\\f"] } },
  ];

  it("formats and parses `value: synonym, synonym` per language, round trip", () => {
    const uk = formatValueLines(values, "uk");
    expect(uk).toBe("Kyiv: Київ, Києві\nLviv: Львів\na\\:b: c\\,d, e\\\\f");
    expect(formatValueLines(values, "en")).toBe("Kyiv: Kiev\nLviv\na\\:b");
    const parsed = parseValueLines(uk);
    expect(parsed).toEqual({
      ok: true,
      values: [
        { value: "Kyiv", synonyms: ["Київ", "Києві"] },
        { value: "Lviv", synonyms: ["Львів"] },
        { value: "a:b", synonyms: ["c,d", "e\\f"] },
      ],
    });
    for (const language of ["uk", "en"]) {
      const again = parseValueLines(formatValueLines(values, language));
      expect(again.ok && applyValueLines(values, language, again.values)).toEqual(values);
    }
  });

  it("parses loosely written lines and refuses what the server would", () => {
    expect(parseValueLines("  Kyiv :Київ,, Київ ,Kiev \n\n Odesa:  \n")).toEqual({
      ok: true,
      values: [
        { value: "Kyiv", synonyms: ["Київ", "Kiev"] },
        { value: "Odesa", synonyms: [] },
      ],
    });
    expect(parseValueLines("\n  \n")).toEqual({ ok: false, issue: { code: "empty" } });
    expect(parseValueLines("Kyiv\nLviv\nKyiv: x")).toEqual({ ok: false, issue: { code: "duplicate", line: 3, value: "Kyiv" } });
    expect(parseValueLines(": Київ")).toEqual({ ok: false, issue: { code: "no_value", line: 1 } });
    expect(parseValueLines(`Kyiv: ${"x".repeat(101)}`)).toEqual({ ok: false, issue: { code: "too_long", line: 1, limit: 100 } });
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`).join(", ");
    expect(parseValueLines(`Kyiv: ${many}`)).toEqual({ ok: false, issue: { code: "too_many_synonyms", line: 1, limit: 50 } });
  });

  it("applies one language's lines: its synonyms replaced, the others kept, removed lines removed", () => {
    const parsed = parseValueLines("Lviv: Lemberg\nKyiv\nOdesa: Odessa");
    expect(parsed.ok && applyValueLines(values, "en", parsed.values)).toEqual([
      { value: "Lviv", synonyms: { uk: ["Львів"], en: ["Lemberg"] } },
      { value: "Kyiv", synonyms: { uk: ["Київ", "Києві"] } },
      { value: "Odesa", synonyms: { en: ["Odessa"] } },
    ]);
  });
});

describe("editing the section", () => {
  it("adds an intent to a document without a section, and sets a language's phrases", () => {
    let doc = addIntent(sampleDocument(), "hours", { uk: [" коли ", ""], en: [] });
    expect(doc.nlu).toEqual({ intents: [{ name: "hours", examples: { uk: ["коли"] } }] });
    doc = setIntentExamples(doc, 0, "en", ["when"]);
    doc = setIntentExamples(doc, 0, "uk", []);
    expect(doc.nlu).toEqual({ intents: [{ name: "hours", examples: { en: ["when"] } }] });
  });

  it("renames an intent with the blocks naming it, their ports' edges and its global entry", () => {
    const before = nluDocument();
    const doc = renameIntent(before, 0, "hours", "opening_hours");
    expect(readIntents(doc).map((i) => i.name)).toEqual(["opening_hours", "order"]);
    expect(doc.blocks.find((b) => b.id === "route")!.settings.intents).toEqual(["opening_hours", "order", { name: "inline", examples: { uk: ["щось"] } }]);
    expect(doc.edges.filter((e) => e.source === "route").map((e) => e.port)).toEqual(["opening_hours", "order"]);
    // A button that happens to be called the same is not the intent's port.
    expect(doc.edges.find((e) => e.source === "hello" && e.target === "help")!.port).toBe("hours");
    expect(doc.entry.intents).toEqual({ opening_hours: "help" });
    expect(before.entry.intents).toEqual({ hours: "help" });
    expect(readIntents(before)[0].name).toBe("hours");
  });

  /** The fixture with more entity references: an entities block listing both entities (and
   * a definition written in place under the name city, which is not a reference), an input
   * naming order_id and an input with its own definition. */
  function entityDocument() {
    const doc = nluDocument();
    doc.blocks.push(
      { id: "scan", type: "entities", settings: { entities: ["order_id", "city", "date", { name: "city", kind: "regex", pattern: "x" }], store_in: "found" } },
      { id: "ask_order", type: "input", settings: { kind: "text", prompt: { uk: "Номер?" }, variable: "drink", entity: "order_id" } },
      { id: "ask_own", type: "input", settings: { kind: "text", prompt: { uk: "Розмір?" }, variable: "drink", entity: { name: "city", kind: "regex", pattern: "\\d+" } } },
    );
    return doc;
  }

  it("renames an entity with the entities blocks and inputs naming it; other entities' references stay", () => {
    const before = entityDocument();
    const copy = structuredClone(before);
    const doc = renameEntity(before, 0, "city", "town");
    expect(readEntities(doc).map((e) => e.name)).toEqual(["town", "order_id"]);
    // The entity keeps its kind and values, and its keys' order.
    expect(Object.keys((doc.nlu as { entities: object[] }).entities[0])).toEqual(["name", "kind", "values"]);
    const settings = (id: string) => doc.blocks.find((b) => b.id === id)!.settings;
    expect(settings("find")).toEqual({ entities: ["town", "phone"] });
    expect(settings("ask_city").entity).toBe("town");
    // In place: order kept, order_id and the built-in left, the definition written there too.
    expect(settings("scan")).toEqual({ entities: ["order_id", "town", "date", { name: "city", kind: "regex", pattern: "x" }], store_in: "found" });
    expect(settings("ask_order").entity).toBe("order_id");
    expect(settings("ask_own").entity).toEqual({ name: "city", kind: "regex", pattern: "\\d+" });
    // Blocks that do not name it are the same objects; nothing else of the document changes.
    for (const id of ["hello", "route", "ask_order", "ask_own"]) expect(doc.blocks.find((b) => b.id === id)).toBe(before.blocks.find((b) => b.id === id));
    expect(doc.edges).toBe(before.edges);
    expect(doc.entry).toBe(before.entry);
    expect(before).toEqual(copy);

    // The other entity, the same way.
    const again = renameEntity(doc, 1, "order_id", "order_code");
    expect(again.blocks.find((b) => b.id === "scan")!.settings.entities).toEqual(["order_code", "town", "date", { name: "city", kind: "regex", pattern: "x" }]);
    expect(again.blocks.find((b) => b.id === "ask_order")!.settings.entity).toBe("order_code");
    expect(again.blocks.find((b) => b.id === "ask_city")!.settings.entity).toBe("town");
  });

  it("changes exactly the blocks entityUses lists", () => {
    const before = entityDocument();
    for (const [index, name] of [[0, "city"], [1, "order_id"]] as const) {
      const after = renameEntity(before, index, name, "renamed");
      const changed = after.blocks.filter((b, i) => b !== before.blocks[i]).map((b) => b.id);
      expect(changed).toEqual(entityUses(before, name));
      expect(entityUses(after, "renamed")).toEqual(changed);
      expect(entityUses(after, name)).toEqual([]);
    }
    expect(entityUses(before, "city")).toEqual(["find", "ask_city", "scan"]);
    expect(entityUses(before, "order_id")).toEqual(["scan", "ask_order"]);
    // Of those, the entities blocks that store what they find under the name.
    expect(entityStores(before, "city")).toEqual(["scan"]);
    expect(entityStores(before, "order_id")).toEqual(["scan"]);
    expect(entityStores(nluDocument(), "city")).toEqual([]);
  });

  it("renaming to the same name, or an entity without one, changes only the entity", () => {
    const before = entityDocument();
    const same = renameEntity(before, 0, "city", "city");
    expect(same.blocks).toBe(before.blocks);
    expect(same).toEqual(before);

    (before.nlu as { entities: Array<Record<string, unknown>> }).entities.push({ name: "", kind: "regex", pattern: "y" });
    before.blocks.push({ id: "blank", type: "input", settings: { kind: "text", prompt: { uk: "?" }, variable: "drink", entity: "" } });
    const named = renameEntity(before, 2, "", "size");
    expect(readEntities(named).map((e) => e.name)).toEqual(["city", "order_id", "size"]);
    expect(named.blocks).toBe(before.blocks);
    expect(entityUses(before, "")).toEqual([]);
  });

  it("removes an intent with its global entry; blocks keep naming it", () => {
    const doc = removeIntent(nluDocument(), 0);
    expect(readIntents(doc).map((i) => i.name)).toEqual(["order"]);
    expect("intents" in doc.entry).toBe(false);
    expect(doc.blocks.find((b) => b.id === "route")!.settings.intents).toContain("hours");
  });

  it("sets and clears global intents and the threshold", () => {
    let doc = setGlobalIntent(nluDocument(), "order", "ask");
    expect(doc.entry.intents).toEqual({ hours: "help", order: "ask" });
    doc = setGlobalIntent(doc, "hours", null);
    doc = setGlobalIntent(doc, "order", null);
    expect(doc.entry).toEqual({ start: "hello", commands: { help: "help" } });
    doc = setGlobalThreshold(doc, 0.8);
    expect((doc.nlu as { global_threshold: number }).global_threshold).toBe(0.8);
    doc = setGlobalThreshold(doc, null);
    expect("global_threshold" in (doc.nlu as object)).toBe(false);
  });
});

describe("merging a Rasa import", () => {
  it("unites the phrases of intents of the same name, adds new ones, replaces entities by name", () => {
    const section = nluDocument().nlu;
    const imported = {
      intents: [
        { name: "hours", examples: { uk: ["графік роботи", "до котрої відкрито"], pl: ["kiedy otwarte"] } },
        { name: "greet", examples: { uk: ["привіт", "добрий день"] } },
      ],
      entities: [
        { name: "city", kind: "list", values: [{ value: "Odesa" }] },
        { name: "size", kind: "regex", pattern: "\\d+ ?ml" },
      ],
    };
    const { section: merged, report } = mergeNlu(section, imported);
    expect(merged.intents).toEqual([
      { name: "hours", examples: { uk: ["коли ви працюєте", "графік роботи", "до котрої відкрито"], en: ["when are you open"], pl: ["kiedy otwarte"] } },
      (section as { intents: unknown[] }).intents[1],
      { name: "greet", examples: { uk: ["привіт", "добрий день"] } },
    ]);
    expect(merged.entities).toEqual([
      { name: "city", kind: "list", values: [{ value: "Odesa" }] },
      { name: "order_id", kind: "regex", pattern: "[A-Z]{2}-?(\\d{6})" },
      { name: "size", kind: "regex", pattern: "\\d+ ?ml" },
    ]);
    expect(report).toEqual({
      addedIntents: ["greet"],
      extendedIntents: ["hours"],
      addedExamples: 4,
      addedEntities: ["size"],
      replacedEntities: ["city"],
      limits: [],
    });
  });

  it("into no section, and says which limits a merge would break", () => {
    const { section, report } = mergeNlu(undefined, { intents: [{ name: "a", examples: { uk: ["x"] } }], entities: [] });
    expect(section).toEqual({ intents: [{ name: "a", examples: { uk: ["x"] } }], entities: [] });
    expect(report.addedExamples).toBe(1);
    const many = { intents: Array.from({ length: 101 }, (_, i) => ({ name: `i${i}`, examples: { uk: ["x"] } })) };
    expect(mergeNlu({}, many).report.limits).toEqual(["intents: 101 > 100"]);
  });
});
