import { describe, expect, it } from "vitest";
import { REAL_TYPES } from "../test/catalogue";
import {
  checkValue,
  declaredVariables,
  fieldModel,
  formatInput,
  freshId,
  getAt,
  jsonPointer,
  missingTranslations,
  moveItem,
  newValue,
  parseInput,
  pointerKey,
  resolveRef,
  setAt,
  settingsModel,
  singular,
  type FieldModel,
} from "./schemaForm";

function schemaOf(name: string) {
  const type = REAL_TYPES.get(name);
  if (!type) throw new Error(`no ${name} in the catalogue`);
  return type.settings_schema;
}

function property(model: FieldModel | null, name: string): FieldModel {
  if (!model || model.kind !== "object") throw new Error("not an object");
  const found = model.properties.find((p) => p.name === name);
  if (!found) throw new Error(`no property ${name}`);
  return found.model;
}

describe("settingsModel", () => {
  it("reads a message: texts per language, an optional $ref object, arrays of objects, a variable", () => {
    const model = settingsModel(schemaOf("message"));
    expect(model?.properties.map((p) => [p.name, p.model.kind, p.required])).toEqual([
      ["text", "localized", false],
      ["media", "object", false],
      ["buttons", "array", false],
      ["quick_replies", "array", false],
      ["store_choice_in", "string", false],
      ["timeout_seconds", "number", false],
    ]);
    expect(property(model, "text")).toMatchObject({ kind: "localized", nullable: true, title: "Text", minLength: 1 });
    // anyOf [$ref Media, null]: the Media object, optional; its own required fields kept
    const media = property(model, "media");
    expect(media).toMatchObject({ kind: "object", nullable: true, title: "Media" });
    if (media.kind !== "object") throw new Error();
    expect(media.properties.map((p) => [p.name, p.model.kind, p.required])).toEqual([
      ["kind", "string", true],
      ["url", "string", true],
      ["caption", "localized", false],
    ]);
    expect(media.properties[0].model).toMatchObject({ enum: ["image", "file", "video", "audio"] });

    const buttons = property(model, "buttons");
    expect(buttons).toMatchObject({ kind: "array", maxItems: 12 });
    if (buttons.kind !== "array" || buttons.items.kind !== "object") throw new Error();
    expect(buttons.items.title).toBe("Button");
    expect(buttons.items.properties.map((p) => [p.name, p.model.kind, p.required])).toEqual([
      ["id", "string", true],
      ["label", "localized", true],
      ["value", "scalar", false],
      ["url", "string", false],
    ]);
    expect(buttons.items.properties[0].model).toMatchObject({ pattern: "^[A-Za-z0-9._~:@+-]{1,64}$" });
    // type: ["string", "number", "boolean", "null"]
    expect(buttons.items.properties[2].model).toMatchObject({ kind: "scalar", types: ["string", "number", "boolean"], nullable: true, maxLength: 1000 });
    expect(buttons.items.properties[3].model).toMatchObject({ kind: "string", nullable: true, maxLength: 2048, multiline: false });

    expect(property(model, "store_choice_in")).toMatchObject({ kind: "string", variable: true, nullable: true });
    expect(property(model, "timeout_seconds")).toMatchObject({ kind: "number", integer: false, minimum: 1, maximum: 604800, nullable: true });
  });

  it("reads an input: enums, required fields, several scalar types, enum sets, maps of texts, defaults", () => {
    const model = settingsModel(schemaOf("input"));
    expect(model?.properties.filter((p) => p.required).map((p) => p.name)).toEqual(["kind", "prompt", "variable"]);
    expect(property(model, "kind")).toMatchObject({ kind: "string", enum: ["text", "number", "email", "phone", "date", "choice"] });
    expect(property(model, "prompt")).toMatchObject({ kind: "localized", nullable: false });
    expect(property(model, "variable")).toMatchObject({ kind: "string", variable: true, nullable: false });
    // anyOf [number, string (1..20), null]: one text input, a number when it reads as one
    expect(property(model, "min")).toMatchObject({ kind: "scalar", types: ["number", "string"], nullable: true, minLength: 1, maxLength: 20 });
    expect(property(model, "step")).toMatchObject({ kind: "number", exclusiveMinimum: 0 });
    expect(property(model, "integer")).toMatchObject({ kind: "boolean", default: false });
    expect(property(model, "weekdays")).toMatchObject({ kind: "enumSet", options: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], minItems: 1, maxItems: 7, nullable: true });
    expect(property(model, "min_length")).toMatchObject({ kind: "number", integer: true, minimum: 0 });
    const reprompts = property(model, "reprompts");
    expect(reprompts).toMatchObject({ kind: "map", keyEnum: ["integer", "min", "max", "step", "weekday", "format", "length", "pattern"] });
    if (reprompts.kind !== "map") throw new Error();
    expect(reprompts.values.kind).toBe("localized");
    expect(property(model, "max_attempts")).toMatchObject({ kind: "number", integer: true, minimum: 1, maximum: 10, default: 3 });
    const choices = property(model, "choices");
    expect(choices.kind === "array" && choices.items.kind === "object" && choices.items.title).toBe("Choice");
  });

  it("falls back to JSON for what a form cannot show (recursive oneOf rules, any JSON value)", () => {
    const condition = settingsModel(schemaOf("condition"));
    expect(property(condition, "when").kind).toBe("json");
    expect(property(condition, "mode")).toMatchObject({ kind: "string", enum: ["all", "any"], default: "all" });
    expect(property(condition, "javascript")).toMatchObject({ kind: "string", multiline: true, code: true, nullable: true });
    expect(property(settingsModel(schemaOf("set_variable")), "value").kind).toBe("json");
    const http = settingsModel(schemaOf("http"));
    expect(property(http, "body").kind).toBe("json");
    expect(property(http, "query")).toMatchObject({ kind: "map", values: { kind: "string", maxLength: 4096 }, maxProperties: 32 });
    expect(property(http, "outputs")).toMatchObject({ kind: "map", keyPattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$" });
    expect(property(http, "url")).toMatchObject({ kind: "string", multiline: false });
    const headers = property(http, "headers");
    expect(headers.kind === "array" && headers.items.kind === "object" && headers.items.properties.map((p) => p.name)).toEqual(["name", "value", "secret", "prefix"]);
    expect(property(settingsModel(schemaOf("script")), "outputs")).toMatchObject({ kind: "array", items: { kind: "string", pattern: expect.any(String) } });
  });

  it("has a model for every built-in type", () => {
    for (const [name, type] of REAL_TYPES) {
      const model = settingsModel(type.settings_schema);
      expect(model, name).not.toBeNull();
    }
    expect(settingsModel({})).toBeNull();
    expect(settingsModel(undefined)).toBeNull();
  });

  it("follows $ref with sibling keywords, stops at cycles, and reads type lists with null", () => {
    const root = {
      $defs: {
        Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" }, label: { type: "string" } } },
        Count: { type: "integer", minimum: 2 },
      },
      type: "object",
      properties: {
        tree: { $ref: "#/$defs/Node" },
        count: { $ref: "#/$defs/Count", title: "How many", default: 3 },
        note: { type: ["string", "null"], maxLength: 10 },
        missing: { $ref: "#/$defs/Nothing" },
        color: { enum: ["red", "green", null] },
      },
    };
    expect(resolveRef(root, "#/$defs/Count")).toEqual({ type: "integer", minimum: 2 });
    expect(resolveRef(root, "#/$defs/Nothing")).toBeNull();
    const model = fieldModel(root, root);
    const tree = property(model, "tree");
    expect(tree.kind).toBe("object");
    expect(property(tree, "child").kind).toBe("json"); // the cycle
    expect(property(model, "count")).toMatchObject({ kind: "number", integer: true, minimum: 2, title: "How many", default: 3 });
    expect(property(model, "note")).toMatchObject({ kind: "string", nullable: true, maxLength: 10 });
    expect(property(model, "missing").kind).toBe("json");
    expect(property(model, "color")).toMatchObject({ kind: "string", enum: ["red", "green"], nullable: true });
  });

  it("detects texts per language by patternProperties or propertyNames", () => {
    expect(fieldModel({ type: "object", propertyNames: { pattern: "^[a-z]{2,3}(-[A-Z]{2})?$" } }, {}).kind).toBe("localized");
    expect(fieldModel({ type: "object", patternProperties: { "^x$": { type: "string" } } }, {}).kind).toBe("map");
    expect(fieldModel({ type: "object" }, {}).kind).toBe("json");
  });
});

describe("validation", () => {
  const wait = settingsModel(schemaOf("wait"))!;
  const seconds = property(wait, "seconds");
  const input = settingsModel(schemaOf("input"))!;

  it("checks required fields, number ranges and integers", () => {
    expect(checkValue(wait, {}, true)).toEqual([{ path: ["seconds"], code: "required" }]);
    expect(checkValue(wait, { seconds: 0 })).toEqual([{ path: ["seconds"], code: "exclusiveMinimum", limit: 0 }]);
    expect(checkValue(wait, { seconds: 301 })).toEqual([{ path: ["seconds"], code: "maximum", limit: 300 }]);
    expect(checkValue(wait, { seconds: 1.5 })).toEqual([]);
    expect(checkValue(input, { kind: "text", prompt: { uk: "?" }, variable: "x", max_attempts: 2.5 })).toEqual([
      { path: ["max_attempts"], code: "integer" },
    ]);
    expect(checkValue(input, { kind: "text", prompt: { uk: "?" } })).toEqual([{ path: ["variable"], code: "required" }]);
  });

  it("checks patterns, enums, lengths and array items deep", () => {
    const message = settingsModel(schemaOf("message"))!;
    const issues = checkValue(message, {
      buttons: [{ id: "ok", label: { uk: "Так" } }, { id: "bad id", label: { uk: "Ні" } }, { label: {} }],
      timeout_seconds: null,
    });
    expect(issues).toEqual([
      { path: ["buttons", 1, "id"], code: "pattern", limit: "^[A-Za-z0-9._~:@+-]{1,64}$" },
      { path: ["buttons", 2, "id"], code: "required" },
    ]);
    const tooMany = Array.from({ length: 13 }, (_, i) => ({ id: `b${i}`, label: { uk: "x" } }));
    expect(checkValue(message, { buttons: tooMany })).toEqual([{ path: ["buttons"], code: "maxItems", limit: 12 }]);
    expect(checkValue(input, { kind: "nope", prompt: {}, variable: "v" })).toEqual([{ path: ["kind"], code: "enum" }]);
    expect(checkValue(property(input, "weekdays"), ["mon", "xyz"])).toEqual([{ path: [1], code: "enum" }]);
  });

  it("parses what is typed: numbers, optional fields cleared, scalars, JSON", () => {
    expect(parseInput(seconds, "2,5", true)).toEqual({ ok: true, value: 2.5 });
    expect(parseInput(seconds, "", true)).toEqual({ ok: false, issue: { path: [], code: "required" } });
    expect(parseInput(seconds, "500", true)).toEqual({ ok: false, issue: { path: [], code: "maximum", limit: 300 } });
    expect(parseInput(seconds, "abc", true)).toEqual({ ok: false, issue: { path: [], code: "number" } });
    const timeout = property(settingsModel(schemaOf("message")), "timeout_seconds");
    expect(parseInput(timeout, "", false)).toEqual({ ok: true, value: undefined });
    const min = property(input, "min");
    expect(parseInput(min, "10", false)).toEqual({ ok: true, value: 10 });
    expect(parseInput(min, "today", false)).toEqual({ ok: true, value: "today" });
    expect(parseInput(min, "a".repeat(21), false)).toMatchObject({ ok: false, issue: { code: "maxLength" } });
    const variable = property(input, "variable");
    expect(parseInput(variable, "user.name", true)).toEqual({ ok: true, value: "user.name" });
    expect(parseInput(variable, "1abc", true)).toMatchObject({ ok: false, issue: { code: "pattern" } });
    const body = property(settingsModel(schemaOf("http")), "body");
    expect(parseInput(body, '{"a": 1}', false)).toEqual({ ok: true, value: { a: 1 } });
    expect(parseInput(body, "{", false)).toEqual({ ok: false, issue: { path: [], code: "json" } });
    expect(formatInput(body, { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatInput(seconds, 2)).toBe("2");
    expect(formatInput(seconds, undefined)).toBe("");
  });
});

describe("values and pointers", () => {
  it("sets, removes and reads values at paths without changing the original", () => {
    const settings = { text: { uk: "a" }, buttons: [{ id: "x" }, { id: "y" }] };
    const next = setAt(settings, ["buttons", 1, "label", "uk"], "Так") as typeof settings;
    expect(next.buttons[1]).toEqual({ id: "y", label: { uk: "Так" } });
    expect(settings.buttons[1]).toEqual({ id: "y" });
    expect(setAt(settings, ["text"], undefined)).toEqual({ buttons: settings.buttons });
    expect(setAt(settings, ["buttons", 0], undefined)).toEqual({ text: { uk: "a" }, buttons: [{ id: "y" }] });
    expect(setAt({}, ["media", "kind"], "image")).toEqual({ media: { kind: "image" } });
    expect(getAt(next, ["buttons", 1, "label", "uk"])).toBe("Так");
    expect(getAt(next, ["nope", 3])).toBeUndefined();
    expect(moveItem(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a", "b"], 1, 2)).toEqual(["a", "b"]);
    expect(pointerKey(["buttons", 0, "label", "uk"])).toBe("buttons.0.label.uk");
    expect(jsonPointer(["a/b", 0])).toBe("/a~1b/0");
  });

  it("starts new items with their required fields, a fresh id and a text in each language", () => {
    const buttons = property(settingsModel(schemaOf("message")), "buttons");
    if (buttons.kind !== "array") throw new Error();
    const siblings = [{ id: "button_1" }, { id: "coffee" }];
    expect(newValue(buttons.items, { languages: ["uk", "en"], idBase: singular("buttons"), siblings })).toEqual({
      id: "button_2",
      label: { uk: "", en: "" },
    });
    expect(newValue(property(settingsModel(schemaOf("input")), "max_attempts"), { languages: [] })).toBe(3);
    expect(singular("quick_replies")).toBe("quick_reply");
    expect(singular("choices")).toBe("choice");
    expect(singular("headers")).toBe("header");
    expect(freshId("key", ["key_1", "key_2"])).toBe("key_3");
  });

  it("names the missing translations and the declared variables", () => {
    expect(missingTranslations({ uk: "Так", en: " " }, ["uk", "en", "de"])).toEqual(["en", "de"]);
    expect(missingTranslations(undefined, ["uk"])).toEqual(["uk"]);
    expect(declaredVariables([{ name: "drink" }, { name: "drink" }, "x", { type: "any" }, { name: "age" }])).toEqual(["drink", "age"]);
    expect(declaredVariables(undefined)).toEqual([]);
  });
});
