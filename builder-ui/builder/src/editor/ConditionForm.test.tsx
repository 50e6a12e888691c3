import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Block, ScenarioDocument } from "../api/types";
import { REAL_TYPES } from "../test/catalogue";
import { renderEditor } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { ensureVariable, updateBlock } from "./document";
import { BlockInspector } from "./Inspector";

function Harness({ initial, blockId, onDoc }: { initial: ScenarioDocument; blockId: string; onDoc: (doc: ScenarioDocument) => void }) {
  const [doc, setDoc] = useState(initial);
  const block = doc.blocks.find((b) => b.id === blockId)!;
  const change = (update: (d: ScenarioDocument) => ScenarioDocument) =>
    setDoc((d) => {
      const next = update(d);
      onDoc(next);
      return next;
    });
  return (
    <BlockInspector
      block={block}
      type={REAL_TYPES.get(block.type)}
      doc={doc}
      bot={{ defaultLanguage: "uk", languages: ["uk", "en"] }}
      onChange={(c: (b: Block) => Block) => change((d) => updateBlock(d, blockId, c))}
      onDelete={() => undefined}
      onMakeStart={() => undefined}
      onFocusBlock={() => undefined}
      onDeclareVariable={(name) => change((d) => ensureVariable(d, name))}
    />
  );
}

/** A condition written by hand: every kind of node, keys in an unusual order. */
const HAND_WRITTEN = {
  when: [
    { op: "greater_or_equal", left: { var: "age" }, right: { value: 18 } },
    {
      any: [
        { left: { var: "drink" }, op: "equals", right: { value: "tea" } },
        { not: { left: { var: "drink" }, op: "is_empty" } },
        { all: [{ left: { var: "order.total" }, op: "less", right: { var: "limit" } }] },
      ],
    },
    { not: { any: [{ left: { value: true }, op: "equals", right: { value: null } }] } },
  ],
  mode: "any",
};

function renderCondition(settings: Record<string, unknown> = HAND_WRITTEN, variables: unknown[] = [{ name: "drink", type: "string" }, { name: "age", type: "number" }, { name: "limit", type: "number" }]) {
  const initial = sampleDocument();
  initial.variables = variables;
  initial.blocks.push({ id: "rule", type: "condition", settings: JSON.parse(JSON.stringify(settings)) });
  let doc = initial;
  let changes = 0;
  render(
    <Harness
      initial={initial}
      blockId="rule"
      onDoc={(d) => {
        doc = d;
        changes += 1;
      }}
    />,
  );
  return { settings: () => doc.blocks.find((b) => b.id === "rule")!.settings, changes: () => changes, doc: () => doc };
}

const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("the condition form", () => {
  it("draws a hand-written condition and leaves it exactly as it is until edited", () => {
    const { settings, changes } = renderCondition();
    expect(screen.getByTestId("condition-form")).toBeTruthy();
    expect(screen.queryByTestId("settings-form")).toBeNull();
    expect((screen.getByTestId("condition-mode") as HTMLSelectElement).value).toBe("any");
    expect(field("condition-left-when.0").value).toBe("age");
    expect((screen.getByTestId("condition-op-when.0") as HTMLSelectElement).value).toBe("greater_or_equal");
    expect((screen.getByTestId("condition-right-kind-when.0") as HTMLSelectElement).value).toBe("number");
    expect(field("condition-right-when.0").value).toBe("18");
    expect(screen.getByTestId("condition-node-when.1").getAttribute("data-kind")).toBe("any");
    // A negated rule: drawn as the rule with its NOT pressed, no right operand for is_empty.
    expect(screen.getByTestId("condition-node-when.1.any.1").getAttribute("data-kind")).toBe("not");
    expect(screen.getByTestId("condition-negate-when.1.any.1").getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByTestId("condition-op-when.1.any.1.not") as HTMLSelectElement).value).toBe("is_empty");
    expect(screen.queryByTestId("condition-right-when.1.any.1.not")).toBeNull();
    expect((screen.getByTestId("condition-right-kind-when.1.any.2.all.0") as HTMLSelectElement).value).toBe("var");
    expect(field("condition-right-when.1.any.2.all.0").value).toBe("limit");
    expect((screen.getByTestId("condition-left-kind-when.2.not.any.0") as HTMLSelectElement).value).toBe("boolean");
    expect((screen.getByTestId("condition-right-kind-when.2.not.any.0") as HTMLSelectElement).value).toBe("null");
    expect(screen.queryAllByTestId("condition-error")).toHaveLength(0);
    expect(changes()).toBe(0);
    expect(JSON.stringify(settings())).toBe(JSON.stringify(HAND_WRITTEN));
  });

  it("writes only the rule edited: operator, operands as variables or typed values", () => {
    const { settings, doc } = renderCondition();
    fireEvent.change(screen.getByTestId("condition-op-when.1.any.0"), { target: { value: "starts_with" } });
    fireEvent.change(field("condition-right-when.1.any.0"), { target: { value: "green" } });
    const expected = JSON.parse(JSON.stringify(HAND_WRITTEN));
    expected.when[1].any[0] = { left: { var: "drink" }, op: "starts_with", right: { value: "green" } };
    expect(settings()).toEqual(expected);
    expect(JSON.stringify(settings().when)).toBe(JSON.stringify(expected.when));

    // A number is parsed as one (a comma too); text that is not a number is not applied.
    fireEvent.change(field("condition-right-when.0"), { target: { value: "21,5" } });
    expect((settings().when as Array<{ right: unknown }>)[0].right).toEqual({ value: 21.5 });
    fireEvent.change(field("condition-right-when.0"), { target: { value: "adult" } });
    expect(screen.getByTestId("condition-error").getAttribute("data-issue")).toBe("number");
    expect((settings().when as Array<{ right: unknown }>)[0].right).toEqual({ value: 21.5 });
    // ...but as text it is.
    fireEvent.change(screen.getByTestId("condition-right-kind-when.0"), { target: { value: "text" } });
    expect((settings().when as Array<{ right: unknown }>)[0].right).toEqual({ value: "adult" });

    // The left side: a declared or system variable picked, or typed.
    fireEvent.change(screen.getByTestId("condition-left-when.0-pick"), { target: { value: "language" } });
    expect((settings().when as Array<{ left: unknown }>)[0].left).toEqual({ var: "language" });
    fireEvent.change(field("condition-left-when.0"), { target: { value: "order total" } });
    expect(screen.getByTestId("condition-error").getAttribute("data-issue")).toBe("variablePattern");
    fireEvent.change(field("condition-left-when.0"), { target: { value: "answers[0]" } });
    expect((settings().when as Array<{ left: unknown }>)[0].left).toEqual({ var: "answers[0]" });
    // An undeclared variable can be declared from here (a system one needs no declaring).
    fireEvent.click(screen.getByTestId("condition-declare-left-when.0"));
    expect(doc().variables).toEqual([{ name: "drink", type: "string" }, { name: "age", type: "number" }, { name: "limit", type: "number" }, { name: "answers" }]);
    expect(screen.queryByTestId("condition-declare-left-when.0")).toBeNull();
    fireEvent.change(field("condition-left-when.0"), { target: { value: "last_input" } });
    expect(screen.queryByTestId("condition-declare-left-when.0")).toBeNull();
  });

  it("hides the right operand of a unary operator (and brings it back), and marks what is missing", () => {
    const { settings } = renderCondition({ when: [{ left: { var: "drink" }, op: "equals", right: { value: "tea" } }] });
    fireEvent.change(screen.getByTestId("condition-op-when.0"), { target: { value: "is_set" } });
    expect(settings()).toEqual({ when: [{ left: { var: "drink" }, op: "is_set" }] });
    expect(screen.queryByTestId("condition-right-when.0")).toBeNull();
    fireEvent.change(screen.getByTestId("condition-op-when.0"), { target: { value: "not_equals" } });
    expect(settings()).toEqual({ when: [{ left: { var: "drink" }, op: "not_equals", right: { value: "tea" } }] });
  });

  it("leaves a new right operand missing (and says so) until it is written, as a number for a number variable", () => {
    const { settings } = renderCondition({ when: [{ left: { var: "age" }, op: "is_set" }] });
    fireEvent.change(screen.getByTestId("condition-op-when.0"), { target: { value: "equals" } });
    expect(settings()).toEqual({ when: [{ left: { var: "age" }, op: "equals" }] });
    expect(screen.getByTestId("condition-error").getAttribute("data-issue")).toBe("missingRight");
    expect((screen.getByTestId("condition-right-kind-when.0") as HTMLSelectElement).value).toBe("number");
    fireEvent.change(field("condition-right-when.0"), { target: { value: "18" } });
    expect(settings()).toEqual({ when: [{ left: { var: "age" }, op: "equals", right: { value: 18 } }] });
    expect(screen.queryByTestId("condition-error")).toBeNull();
  });

  it("shows inline errors: a missing right operand, an invalid pattern, an empty group", () => {
    const { settings } = renderCondition({
      when: [
        { left: { var: "drink" }, op: "contains" },
        { left: { var: "drink" }, op: "matches", right: { value: "^(tea" } },
        { all: [] },
      ],
    });
    const issues = () => screen.getAllByTestId("condition-error").map((e) => `${e.getAttribute("data-path")}:${e.getAttribute("data-issue")}`);
    expect(issues()).toEqual(["when.0:missingRight", "when.1:badPattern", "when.2:emptyGroup"]);
    expect(screen.getAllByTestId("condition-error")[1].textContent).toBe("Not a valid regular expression.");
    fireEvent.change(field("condition-right-when.0"), { target: { value: "milk" } });
    fireEvent.change(field("condition-right-when.1"), { target: { value: "^(tea|coffee)$" } });
    fireEvent.click(screen.getByTestId("condition-add-rule-when.2.all"));
    expect(screen.queryAllByTestId("condition-error")).toHaveLength(0);
    expect(settings()).toEqual({
      when: [
        { left: { var: "drink" }, op: "contains", right: { value: "milk" } },
        { left: { var: "drink" }, op: "matches", right: { value: "^(tea|coffee)$" } },
        { all: [{ left: { var: "drink" }, op: "equals", right: { value: "" } }] },
      ],
    });
    // RE2's (Python's) own syntax is not taken for a mistake.
    fireEvent.change(field("condition-right-when.1"), { target: { value: "(?i)^(?P<kind>tea)$" } });
    expect(screen.queryAllByTestId("condition-error")).toHaveLength(0);
  });

  it("adds, regroups, negates and removes nested groups", () => {
    const { settings } = renderCondition({ when: [{ left: { var: "age" }, op: "greater", right: { value: 17 } }] });
    fireEvent.change(screen.getByTestId("condition-mode"), { target: { value: "any" } });
    fireEvent.click(screen.getByTestId("condition-add-group-when"));
    fireEvent.change(screen.getByTestId("condition-group-kind-when.1"), { target: { value: "any" } });
    fireEvent.click(screen.getByTestId("condition-add-rule-when.1.any"));
    fireEvent.change(field("condition-right-when.1.any.1"), { target: { value: "coffee" } });
    fireEvent.click(screen.getByTestId("condition-negate-when.1.any.0"));
    expect(settings()).toEqual({
      when: [
        { left: { var: "age" }, op: "greater", right: { value: 17 } },
        {
          any: [
            { not: { left: { var: "drink" }, op: "equals", right: { value: "" } } },
            { left: { var: "drink" }, op: "equals", right: { value: "coffee" } },
          ],
        },
      ],
      mode: "any",
    });
    // Inside the NOT the rule is edited as usual; NOT again takes the negation away.
    fireEvent.change(screen.getByTestId("condition-op-when.1.any.0.not"), { target: { value: "is_empty" } });
    expect((settings().when as unknown[])[1]).toEqual({
      any: [{ not: { left: { var: "drink" }, op: "is_empty" } }, { left: { var: "drink" }, op: "equals", right: { value: "coffee" } }],
    });
    fireEvent.click(screen.getByTestId("condition-negate-when.1.any.0"));
    expect(((settings().when as unknown[])[1] as { any: unknown[] }).any[0]).toEqual({ left: { var: "drink" }, op: "is_empty" });
    // A whole group negated, then removed.
    fireEvent.click(screen.getByTestId("condition-negate-when.1"));
    expect(Object.keys((settings().when as Array<Record<string, unknown>>)[1])).toEqual(["not"]);
    expect(within(screen.getByTestId("condition-node-when.1")).getByTestId("condition-group-kind-when.1.not")).toBeTruthy();
    fireEvent.click(screen.getByTestId("condition-remove-when.1"));
    fireEvent.click(screen.getByTestId("condition-remove-when.0"));
    expect(settings()).toEqual({ when: [], mode: "any" });
    expect(screen.getByTestId("condition-error").getAttribute("data-issue")).toBe("noRules");
  });

  it("switches to a JavaScript expression and back without losing either", () => {
    const { settings } = renderCondition({ mode: "any", when: [{ left: { var: "drink" }, op: "is_set" }] });
    fireEvent.click(screen.getByTestId("condition-source-javascript"));
    expect(settings()).toEqual({ javascript: "" });
    expect(screen.getByTestId("condition-error").getAttribute("data-issue")).toBe("javascript");
    expect(screen.queryByTestId("condition-mode")).toBeNull();
    fireEvent.change(screen.getByTestId("condition-javascript"), { target: { value: "vars.age >= 18" } });
    expect(settings()).toEqual({ javascript: "vars.age >= 18" });
    expect(screen.queryByTestId("condition-error")).toBeNull();
    fireEvent.click(screen.getByTestId("condition-source-rules"));
    expect(settings()).toEqual({ mode: "any", when: [{ left: { var: "drink" }, op: "is_set" }] });
    fireEvent.click(screen.getByTestId("condition-source-javascript"));
    expect(settings()).toEqual({ javascript: "vars.age >= 18" });
  });

  it("loads a JavaScript condition as one and starts rules from a fresh one", () => {
    const { settings, changes } = renderCondition({ javascript: "vars.orders.length > 3" });
    expect((screen.getByTestId("condition-javascript") as HTMLTextAreaElement).value).toBe("vars.orders.length > 3");
    expect((screen.getByTestId("condition-source-javascript") as HTMLInputElement).checked).toBe(true);
    expect(changes()).toBe(0);
    fireEvent.click(screen.getByTestId("condition-source-rules"));
    expect(settings()).toEqual({ when: [{ left: { var: "drink" }, op: "equals", right: { value: "" } }] });
  });

  it("keeps a rule it cannot draw as JSON", () => {
    const { settings } = renderCondition({ when: ["odd", { left: { var: "drink" }, op: "is_set" }] });
    const json = screen.getByTestId("condition-json-when.0") as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toBe("odd");
    fireEvent.change(json, { target: { value: '{"left": {"var": "age"}, "op": "is_set"}' } });
    expect((settings().when as unknown[])[0]).toEqual({ left: { var: "age" }, op: "is_set" });
    expect(field("condition-left-when.0").value).toBe("age");
  });
});

describe("the condition form in the editor", () => {
  it("is the inspector of a condition block, and what it writes is saved", async () => {
    const start = sampleDocument();
    start.blocks.push({ id: "rule", type: "condition", settings: { when: [{ left: { var: "drink" }, op: "equals", right: { value: "tea" } }] } });
    const { calls } = renderEditor(start, () => undefined);
    fireEvent.click(screen.getByTestId("node-rule"));
    await screen.findByTestId("condition-form");
    fireEvent.change(field("condition-right-when.0"), { target: { value: "coffee" } });
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true), { timeout: 3000 });
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as ScenarioDocument;
    expect(saved.blocks.find((b) => b.id === "rule")?.settings).toEqual({ when: [{ left: { var: "drink" }, op: "equals", right: { value: "coffee" } }] });
  });
});
