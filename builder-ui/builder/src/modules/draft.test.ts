import { describe, expect, it } from "vitest";
import { canonical, codeMarks, draftBody, fieldOf, formOf, issuesByField, MODULE_NAME, offsetAt, sameDraft, sameForm, SECRET_NAME, type ModuleDetail } from "./draft";

const t = (key: string, options?: Record<string, unknown>) => (options ? `${key} ${JSON.stringify(options)}` : key);

const detail: ModuleDetail = {
  id: "m1",
  name: "vat",
  description: "",
  revision: 1,
  latest_version: 0,
  created_at: "",
  updated_at: "",
  code: "return input;",
  input_schema: { type: "object" },
  output_schema: {},
  test_cases: [{ name: "one", input: { a: 1 }, expected: 2 }],
  cache_seconds: 60,
};

describe("a module's draft", () => {
  it("names follow the server's patterns", () => {
    expect(["a", "price_with_vat", `a${"b".repeat(63)}`].every((n) => MODULE_NAME.test(n))).toBe(true);
    expect(["", "A", "1a", "a-b", "_a", `a${"b".repeat(64)}`].some((n) => MODULE_NAME.test(n))).toBe(false);
    expect(["API_TOKEN", "_x", "a1"].every((n) => SECRET_NAME.test(n))).toBe(true);
    expect(["1A", "A-B", ""].some((n) => SECRET_NAME.test(n))).toBe(false);
  });

  it("is shown as text and read back as the body of PUT /draft", () => {
    const form = formOf(detail);
    expect(form.inputSchema).toBe('{\n  "type": "object"\n}');
    const { body, problems } = draftBody(form, t);
    expect(problems).toEqual({});
    expect(body).toEqual({ description: "", code: "return input;", input_schema: { type: "object" }, output_schema: {}, cache_seconds: 60, test_cases: [{ name: "one", input: { a: 1 }, expected: 2 }] });
    expect(sameDraft(detail, body)).toBe(true);
    expect(sameDraft({ ...detail, code: "return 1;" }, body)).toBe(false);
    expect(sameForm(form, formOf(detail))).toBe(true); // the cases' keys aside
  });

  it("names what keeps it from being sent, by field", () => {
    const form = { ...formOf(detail), inputSchema: "[]", outputSchema: "{", cacheSeconds: "1.5" };
    form.testCases = [{ ...form.testCases[0], name: " ", expected: "" }];
    expect(Object.keys(draftBody(form, t).problems).sort()).toEqual([
      "cache_seconds",
      "input_schema",
      "output_schema",
      "test_cases/0/expected",
      "test_cases/0/name",
    ]);
  });

  it("places the server's pointers at fields", () => {
    expect(fieldOf("/body/test_cases/2/input/x")).toBe("test_cases/2/input");
    expect(fieldOf("/test_cases/1")).toBe("test_cases/1/name");
    expect(fieldOf("/input_schema/properties")).toBe("input_schema");
    expect(issuesByField([{ path: "/code", message: "a" }, { path: "/code", message: "b" }])).toEqual({ code: "a" });
  });

  it("turns a line and a code-point column into an offset, and marks the word there", () => {
    const text = "const a = '😀';\nreturn {total: a +* 2};";
    expect(offsetAt(text, 1, 13)).toBe(13); // after the emoji (one code point, two UTF-16 units)
    expect(offsetAt(text, 2, 1)).toBe(16);
    expect(offsetAt(text, 9, 99)).toBe(text.length);
    const [mark] = codeMarks(text, [{ path: "/code", line: 2, column: 16, message: "m" }]);
    expect(text.slice(mark.from, mark.to)).toBe("a");
    const [line] = codeMarks(text, [{ path: "/code", line: 2, column: null, message: "m" }]);
    expect(text.slice(line.from, line.to)).toBe("return {total: a +* 2};");
    expect(codeMarks(text, [{ path: "/input_schema", message: "m" }])).toEqual([]);
  });

  it("compares JSON whatever the order of keys", () => {
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
