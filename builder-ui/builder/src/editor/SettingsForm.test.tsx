import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Block, ScenarioDocument } from "../api/types";
import { REAL_TYPES } from "../test/catalogue";
import { renderEditor } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { ensureVariable, updateBlock } from "./document";
import { BlockInspector } from "./Inspector";

/** The inspector of one block of a document kept in state, as the editor keeps it. */
function Harness({ initial, blockId, onDoc }: { initial: ScenarioDocument; blockId: string; onDoc: (doc: ScenarioDocument) => void }) {
  const [doc, setDoc] = useState(initial);
  const block = doc.blocks.find((b) => b.id === blockId)!;
  const change = (next: ScenarioDocument) => {
    setDoc(next);
    onDoc(next);
  };
  return (
    <BlockInspector
      block={block}
      type={REAL_TYPES.get(block.type)}
      doc={doc}
      bot={{ defaultLanguage: "uk", languages: ["uk", "en"] }}
      onChange={(c: (b: Block) => Block) => setDoc((d) => { const next = updateBlock(d, blockId, c); onDoc(next); return next; })}
      onDelete={() => undefined}
      onMakeStart={() => undefined}
      onFocusBlock={() => undefined}
      onDeclareVariable={(name) => change(ensureVariable(doc, name))}
    />
  );
}

function renderInspector(blockId: string, initial: ScenarioDocument = sampleDocument()) {
  let doc = initial;
  render(<Harness initial={initial} blockId={blockId} onDoc={(d) => (doc = d)} />);
  return { settings: () => doc.blocks.find((b) => b.id === blockId)!.settings, doc: () => doc };
}

describe("the settings form", () => {
  it("draws a message's settings: texts per language (old test ids kept), buttons with their labels", () => {
    renderInspector("hello");
    const form = screen.getByTestId("settings-form");
    expect((screen.getByTestId("inspector-text-uk") as HTMLTextAreaElement).value).toBe("Кава чи чай?");
    expect((screen.getByTestId("inspector-text-en") as HTMLTextAreaElement).value).toBe("Coffee or tea?");
    expect(within(form).getByTestId("field-buttons")).toBeTruthy();
    expect((screen.getByTestId("field-buttons.0.id") as HTMLInputElement).value).toBe("coffee");
    expect((screen.getByTestId("field-buttons.1.label.en") as HTMLInputElement).value).toBe("Tea");
    expect((screen.getByTestId("field-buttons.2.url") as HTMLInputElement).value).toBe("https://example.com");
    expect((screen.getByTestId("field-store_choice_in") as HTMLInputElement).value).toBe("drink");
    // the JSON stays available
    expect(screen.getByTestId("inspector-settings")).toBeTruthy();
    expect(screen.getByTestId("settings-advanced").textContent).toContain("Advanced (JSON)");
  });

  it("adds, edits, reorders and removes buttons", () => {
    const { settings } = renderInspector("hello");
    fireEvent.click(screen.getByTestId("array-add-buttons"));
    expect((settings().buttons as unknown[])[3]).toEqual({ id: "button_1", label: { uk: "", en: "" } });
    // an empty translation is marked
    const row = screen.getByTestId("array-row-buttons.3");
    expect(within(row).getAllByTestId("missing-translation")).toHaveLength(2);
    fireEvent.change(screen.getByTestId("field-buttons.3.label.uk"), { target: { value: "Сік" } });
    fireEvent.change(screen.getByTestId("field-buttons.3.id"), { target: { value: "juice" } });
    expect((settings().buttons as unknown[])[3]).toEqual({ id: "juice", label: { uk: "Сік", en: "" } });
    expect(within(row).getAllByTestId("missing-translation")).toHaveLength(1);

    fireEvent.click(screen.getByTestId("array-up-buttons.3"));
    expect((settings().buttons as Array<{ id: string }>).map((b) => b.id)).toEqual(["coffee", "tea", "juice", "site"]);
    fireEvent.click(screen.getByTestId("array-remove-buttons.0"));
    expect((settings().buttons as Array<{ id: string }>).map((b) => b.id)).toEqual(["tea", "juice", "site"]);
    expect((screen.getByTestId("field-buttons.0.id") as HTMLInputElement).value).toBe("tea");
  });

  it("marks invalid values at the field and does not apply them", () => {
    const { settings } = renderInspector("hello");
    const id = screen.getByTestId("field-buttons.0.id") as HTMLInputElement;
    fireEvent.change(id, { target: { value: "not an id" } });
    expect(id.value).toBe("not an id");
    expect(id.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("field-error").textContent).toBe("Does not match the expected format.");
    expect((settings().buttons as Array<{ id: string }>)[0].id).toBe("coffee");
    fireEvent.change(id, { target: { value: "" } });
    expect(screen.getByTestId("field-error").textContent).toBe("Required.");
    fireEvent.change(id, { target: { value: "latte" } });
    expect(screen.queryByTestId("field-error")).toBeNull();
    expect((settings().buttons as Array<{ id: string }>)[0].id).toBe("latte");

    const timeout = screen.getByTestId("field-timeout_seconds");
    fireEvent.change(timeout, { target: { value: "0" } });
    expect(screen.getByTestId("field-error").textContent).toBe("At least 1.");
    expect(settings().timeout_seconds).toBeUndefined();
    fireEvent.change(timeout, { target: { value: "30" } });
    expect(settings().timeout_seconds).toBe(30);
    fireEvent.change(timeout, { target: { value: "" } });
    expect("timeout_seconds" in settings()).toBe(false);
  });

  it("offers the declared variables for a variable field, and free text", () => {
    const doc = sampleDocument();
    doc.variables = [{ name: "drink" }, { name: "size" }];
    const { settings, doc: current } = renderInspector("ask", doc);
    const pick = screen.getByTestId("variable-select-variable") as HTMLSelectElement;
    expect([...pick.options].map((o) => o.value)).toEqual(["", "drink", "size"]);
    fireEvent.change(pick, { target: { value: "size" } });
    expect(settings().variable).toBe("size");
    const input = screen.getByTestId("field-variable") as HTMLInputElement;
    expect(input.value).toBe("size");
    fireEvent.change(input, { target: { value: "city" } });
    expect(settings().variable).toBe("city");
    fireEvent.click(screen.getByTestId("variable-declare-variable"));
    expect(current().variables).toEqual([{ name: "drink" }, { name: "size" }, { name: "city" }]);
    // an input's kind is a choice of its enum, its attempts a number within bounds
    const kind = screen.getByTestId("field-kind") as HTMLSelectElement;
    fireEvent.change(kind, { target: { value: "number" } });
    expect(settings().kind).toBe("number");
    fireEvent.change(screen.getByTestId("field-max_attempts"), { target: { value: "11" } });
    expect(screen.getByTestId("field-error").textContent).toBe("At most 10.");
    expect(settings().max_attempts).toBeUndefined();
    // (weekdays are a date input's: a number input has no such field)
    expect(screen.queryByTestId("field-weekdays")).toBeNull();
    fireEvent.change(kind, { target: { value: "date" } });
    fireEvent.click(screen.getByTestId("field-weekdays-mon"));
    expect(settings().weekdays).toEqual(["mon"]);
  });

  it("shows a JSON field for what the form cannot draw, and the whole JSON when the type has no schema", () => {
    const doc = sampleDocument();
    // (a condition has a form of its own: ConditionForm.test.tsx; a set_variable's value is any JSON)
    doc.blocks.push({ id: "set", type: "set_variable", settings: { variable: "drink", value: [{ size: "L" }] } });
    const { settings } = renderInspector("set", doc);
    const value = screen.getByTestId("field-value") as HTMLTextAreaElement;
    expect(JSON.parse(value.value)).toEqual([{ size: "L" }]);
    fireEvent.change(value, { target: { value: "[{" } });
    expect(screen.getByTestId("field-error").textContent).toBe("Not valid JSON.");
    fireEvent.change(value, { target: { value: '[{"size": "XL"}]' } });
    expect(settings().value).toEqual([{ size: "XL" }]);
  });

  it("leaves a type without a schema to the JSON text area, open", () => {
    const doc = sampleDocument();
    doc.blocks.push({ id: "odd", type: "crm_lookup", settings: { customer: "x" } });
    renderInspector("odd", doc);
    expect(screen.queryByTestId("settings-form")).toBeNull();
    expect(screen.getByTestId("settings-advanced").hasAttribute("open")).toBe(true);
    expect(JSON.parse((screen.getByTestId("inspector-settings") as HTMLTextAreaElement).value)).toEqual({ customer: "x" });
  });
});

describe("the settings form in the editor", () => {
  it("saves what the form applies, and the draft keeps the old test ids working", async () => {
    const { calls } = renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-ask"));
    await screen.findByTestId("settings-form");
    fireEvent.change(screen.getByTestId("inspector-text-en"), { target: { value: "Anything else?" } });
    fireEvent.change(screen.getByTestId("field-max_attempts"), { target: { value: "0" } });
    expect(screen.getByTestId("field-error")).toBeTruthy();
    fireEvent.change(screen.getByTestId("field-max_attempts"), { target: { value: "5" } });
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true), { timeout: 3000 });
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as ScenarioDocument;
    expect(saved.blocks.find((b) => b.id === "ask")?.settings).toEqual({
      kind: "text",
      prompt: { uk: "Що ще?", en: "Anything else?" },
      variable: "drink",
      max_attempts: 5,
    });
  });
});
