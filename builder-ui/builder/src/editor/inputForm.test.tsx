import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Block, ScenarioDocument } from "../api/types";
import { REAL_TYPES } from "../test/catalogue";
import { sampleDocument } from "../test/fixtures";
import { updateBlock } from "./document";
import { inputHiddenFields, inputMapKeys } from "./inputForm";
import { BlockInspector } from "./Inspector";

function Harness({ initial, onDoc }: { initial: ScenarioDocument; onDoc: (doc: ScenarioDocument) => void }) {
  const [doc, setDoc] = useState(initial);
  const block = doc.blocks.find((b) => b.id === "ask")!;
  return (
    <BlockInspector
      block={block}
      type={REAL_TYPES.get("input")}
      doc={doc}
      bot={{ defaultLanguage: "uk", languages: ["uk", "en"] }}
      onChange={(c: (b: Block) => Block) =>
        setDoc((d) => {
          const next = updateBlock(d, "ask", c);
          onDoc(next);
          return next;
        })
      }
      onDelete={() => undefined}
      onMakeStart={() => undefined}
      onFocusBlock={() => undefined}
      onDeclareVariable={() => undefined}
    />
  );
}

const shown = () => ["choices", "min", "max", "step", "integer", "weekdays", "min_length", "max_length", "pattern"].filter((name) => screen.queryByTestId(`field-${name}`));

describe("the input form", () => {
  it("shows the constraints of the input's kind", () => {
    expect([...inputHiddenFields({ kind: "email" })].sort()).toEqual(["choices", "entity", "integer", "max", "max_length", "min", "min_length", "pattern", "step", "timezone", "weekdays"]);
    expect(inputHiddenFields({ kind: "something else" }).size).toBe(0);
    let settings: Record<string, unknown> = {};
    render(<Harness initial={sampleDocument()} onDoc={(d) => (settings = d.blocks.find((b) => b.id === "ask")!.settings)} />);
    expect(shown()).toEqual(["min_length", "max_length", "pattern"]);
    const kind = screen.getByTestId("field-kind");
    fireEvent.change(kind, { target: { value: "number" } });
    expect(shown()).toEqual(["min", "max", "step", "integer"]);
    fireEvent.change(kind, { target: { value: "date" } });
    expect(shown()).toEqual(["min", "max", "weekdays"]);
    fireEvent.change(kind, { target: { value: "choice" } });
    expect(shown()).toEqual(["choices"]);
    fireEvent.click(screen.getByTestId("array-add-choices"));
    expect(settings.choices).toEqual([{ id: "choice_1", label: { uk: "", en: "" } }]);
  });

  it("keeps in view a constraint that holds a value its kind does not take, to be cleared", () => {
    const doc = sampleDocument();
    doc.blocks = doc.blocks.map((b) => (b.id === "ask" ? { ...b, settings: { ...b.settings, kind: "number", pattern: "^\\d+$" } } : b));
    let settings: Record<string, unknown> = {};
    render(<Harness initial={doc} onDoc={(d) => (settings = d.blocks.find((b) => b.id === "ask")!.settings)} />);
    expect(shown()).toEqual(["min", "max", "step", "integer", "pattern"]);
    fireEvent.change(screen.getByTestId("field-pattern"), { target: { value: "" } });
    expect("pattern" in settings).toBe(false);
    expect(shown()).toEqual(["min", "max", "step", "integer"]);
  });

  it("offers re-prompts only for the constraints of the input's kind", () => {
    expect(inputMapKeys({ kind: "text" })).toEqual({ reprompts: ["format", "length", "pattern", "entity"] });
    expect(inputMapKeys({ kind: "unknown" })).toBeUndefined();
    let settings: Record<string, unknown> = {};
    render(<Harness initial={sampleDocument()} onDoc={(d) => (settings = d.blocks.find((b) => b.id === "ask")!.settings)} />);
    fireEvent.change(screen.getByTestId("field-kind"), { target: { value: "email" } });
    const add = screen.getByTestId("array-add-reprompts");
    fireEvent.click(add);
    // An email input can be re-prompted for its format only: that key, then nothing more.
    expect(Object.keys(settings.reprompts as object)).toEqual(["format"]);
    expect((add as HTMLButtonElement).disabled).toBe(true);
  });
});
