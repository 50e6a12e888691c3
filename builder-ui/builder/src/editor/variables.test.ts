import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { sampleDocument } from "../test/fixtures";
import {
  blocksUsing,
  checkVariableName,
  convertDefault,
  fitsType,
  formatDefault,
  parseDefault,
  renameVariable,
  scriptOutputs,
  variableUses,
} from "./variables";

/** Blocks that use `drink` every way a block can. */
function usingDoc(): ScenarioDocument {
  const doc = sampleDocument();
  doc.variables = [{ name: "drink", type: "string", description: "what they chose" }, { name: "size" }, { name: "drinks" }];
  doc.blocks.push(
    {
      id: "rule",
      type: "condition",
      settings: { when: [{ not: { left: { var: "drink.name" }, op: "equals", right: { var: "drinks[drink]" } } }] },
    },
    { id: "say", type: "message", settings: { text: { uk: "Ваш {{ drink }}, {{drinks}}, {{drink.size}}", en: "{{ x + drink }} stays" } } },
    { id: "calc", type: "set_variable", settings: { variable: "size", expression: "len(drink) + drinks + 'drink' + o.drink" } },
    { id: "js", type: "condition", settings: { javascript: "vars.drink === 'tea' && vars['drink'] && vars.drinks" } },
    { id: "run", type: "script", settings: { code: "return {drink: vars.drink}", outputs: ["drink", "drinks"] } },
    { id: "call", type: "http", settings: { url: "https://x.test/{{drink}}", outputs: { drink: "body.name", size: "status" } } },
  );
  return doc;
}

describe("variable names and defaults", () => {
  it("check a name: pattern, system names, duplicates", () => {
    expect(checkVariableName("", [])).toBe("required");
    expect(checkVariableName("1st", [])).toBe("pattern");
    expect(checkVariableName("my-var", [])).toBe("pattern");
    expect(checkVariableName("a".repeat(65), [])).toBe("pattern");
    expect(checkVariableName("language", [])).toBe("reserved");
    expect(checkVariableName("drink", ["drink"])).toBe("duplicate");
    expect(checkVariableName("_drink2", ["drink"])).toBeNull();
  });

  it("read a default by the type and check it as the server does", () => {
    expect(parseDefault("number", "12,5")).toEqual({ ok: true, value: 12.5 });
    expect(parseDefault("number", "twelve")).toEqual({ ok: false, issue: "number" });
    expect(parseDefault("number", "")).toEqual({ ok: true, value: undefined });
    expect(parseDefault("string", " x ")).toEqual({ ok: true, value: " x " });
    expect(parseDefault("date", "2025-02-29")).toEqual({ ok: false, issue: "date" });
    expect(parseDefault("date", "2024-02-29")).toEqual({ ok: true, value: "2024-02-29" });
    expect(parseDefault("list", "{}")).toEqual({ ok: false, issue: "list" });
    expect(parseDefault("object", '{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseDefault("any", "hello")).toEqual({ ok: false, issue: "json" });
    expect(parseDefault("any", '"hello"')).toEqual({ ok: true, value: "hello" });
    expect(formatDefault("any", "hello")).toBe('"hello"');
    expect(formatDefault("list", [1])).toBe("[1]");
    expect(fitsType(true, "number")).toBe(false);
    expect(fitsType(null, "number")).toBe(true);
    expect(convertDefault("5", "number")).toBe(5);
    expect(convertDefault(5, "string")).toBe("5");
    expect(convertDefault("abc", "number")).toBeUndefined();
    expect(convertDefault([1], "any")).toEqual([1]);
  });
});

describe("uses of a variable", () => {
  it("are found in variable fields, operands, templates, expressions, JavaScript and outputs", () => {
    const uses = variableUses(usingDoc(), "drink");
    const where = uses.map((u) => `${u.blockId}:${u.path.join("/")}:${u.kind}`);
    expect(where).toEqual([
      "hello:store_choice_in:variable",
      "ask:variable:variable",
      "rule:when/0/not/left/var:variable",
      "rule:when/0/not/right/var:variable",
      "say:text/uk:template",
      "calc:expression:expression",
      "js:javascript:javascript",
      "run:code:javascript",
      "run:outputs/0:output",
      "call:url:template",
      "call:outputs/drink:output",
    ]);
    expect(blocksUsing(usingDoc(), "size")).toEqual(["calc", "call"]);
    expect(blocksUsing(usingDoc(), "nothing")).toEqual([]);
  });

  it("are renamed with the declaration, other names and fields untouched", () => {
    const doc = usingDoc();
    const renamed = renameVariable(doc, 0, "drink", "beverage", true);
    expect(renamed.variables?.[0]).toEqual({ name: "beverage", type: "string", description: "what they chose" });
    const settings = (id: string) => renamed.blocks.find((b) => b.id === id)!.settings;
    expect(settings("hello").store_choice_in).toBe("beverage");
    expect(settings("ask").variable).toBe("beverage");
    expect(settings("rule")).toEqual({
      when: [{ not: { left: { var: "beverage.name" }, op: "equals", right: { var: "drinks[beverage]" } } }],
    });
    expect(settings("say").text).toEqual({ uk: "Ваш {{ beverage }}, {{drinks}}, {{beverage.size}}", en: "{{ x + drink }} stays" });
    // A call, a string and a field of another variable keep their names.
    expect(settings("calc").expression).toBe("len(beverage) + drinks + 'drink' + o.drink");
    expect(settings("js").javascript).toBe("vars.beverage === 'tea' && vars['beverage'] && vars.drinks");
    expect(settings("run")).toEqual({ code: "return {drink: vars.beverage}", outputs: ["beverage", "drinks"] });
    expect(settings("call")).toEqual({ url: "https://x.test/{{beverage}}", outputs: { beverage: "body.name", size: "status" } });
    // Blocks without a use are the same objects.
    expect(renamed.blocks.find((b) => b.id === "tea_end")).toBe(doc.blocks.find((b) => b.id === "tea_end"));
    expect(scriptOutputs(doc, variableUses(doc, "drink"))).toEqual(["run"]);
  });

  it("are left alone when only the declaration is renamed", () => {
    const doc = usingDoc();
    const renamed = renameVariable(doc, 0, "drink", "beverage", false);
    expect(renamed.blocks).toBe(doc.blocks);
    expect((renamed.variables?.[0] as { name: string }).name).toBe("beverage");
  });
});
