import { fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { toBlockTypes, type Block, type ScenarioDocument } from "../api/types";
import { updateBlock } from "./document";
import { BlockInspector } from "./Inspector";
import { NLU_FIELDS } from "./NluFields";
import { ENTITIES_SCHEMA, INPUT_SCHEMA, INTENT_SCHEMA, nluDocument } from "./nluFixture";
import { readReferences, withoutReference, withReference } from "./nluReferences";
import { SettingsForm } from "./SettingsForm";

const TYPES = new Map(
  toBlockTypes([
    { name: "intent", category: "nlu", settings_schema: INTENT_SCHEMA, ports: null, dynamic_ports: true },
    { name: "entities", category: "nlu", settings_schema: ENTITIES_SCHEMA, ports: ["found", "not_found", "error", "timeout"] },
    { name: "input", category: "input", settings_schema: INPUT_SCHEMA, ports: ["next"] },
  ]).map((t) => [t.name, t]),
);

const INLINE = { name: "inline", examples: { uk: ["щось"] } };

/** nluDocument with a third intent (the section's order: hours, order, bye). */
function threeIntents(): ScenarioDocument {
  const doc = nluDocument();
  const nlu = doc.nlu as { intents: unknown[] };
  doc.nlu = { ...nlu, intents: [...nlu.intents, { name: "bye", examples: { uk: ["бувай"] }, description: "Leaving" }] };
  return doc;
}

function withSettings(doc: ScenarioDocument, id: string, settings: Record<string, unknown>): ScenarioDocument {
  return { ...doc, blocks: doc.blocks.map((b) => (b.id === id ? { ...b, settings } : b)) };
}

function Harness({ initial, id, onSettings }: { initial: ScenarioDocument; id: string; onSettings: (s: Record<string, unknown>) => void }) {
  const [doc, setDoc] = useState(initial);
  const block = doc.blocks.find((b) => b.id === id)!;
  return (
    <SettingsForm
      block={block}
      type={TYPES.get(block.type)}
      languages={["uk", "en"]}
      variables={[]}
      doc={doc}
      customFields={NLU_FIELDS}
      onChange={(change) =>
        setDoc((d) => {
          const next = updateBlock(d, id, change);
          onSettings(next.blocks.find((b) => b.id === id)!.settings);
          return next;
        })
      }
      onDeclareVariable={() => undefined}
    />
  );
}

/** Renders the form of block `id` of `doc`; returns a getter of the block's settings. */
function renderForm(doc: ScenarioDocument, id: string) {
  let settings = doc.blocks.find((b) => b.id === id)!.settings;
  render(<Harness initial={doc} id={id} onSettings={(s) => (settings = s)} />);
  return () => settings;
}

const box = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const pickNames = (prefix: string) =>
  screen
    .queryAllByRole("checkbox")
    .map((c) => c.getAttribute("data-testid") ?? "")
    .filter((id) => id.startsWith(`${prefix}-`))
    .map((id) => id.slice(prefix.length + 1));

describe("references to the nlu section (nluReferences.ts)", () => {
  const order = ["hours", "order", "bye"];

  it("insert a name among the known ones in the section's order, before the block's own definitions", () => {
    expect(withReference([], "order", order)).toEqual(["order"]);
    expect(withReference(["order"], "hours", order)).toEqual(["hours", "order"]);
    expect(withReference(["hours", INLINE], "bye", order)).toEqual(["hours", "bye", INLINE]);
    expect(withReference([INLINE], "hours", order)).toEqual(["hours", INLINE]);
    // The author's own arrangement is not reshuffled: only the new name is placed.
    expect(withReference([INLINE, "bye"], "order", order)).toEqual([INLINE, "order", "bye"]);
    expect(withReference(["hours"], "hours", order)).toEqual(["hours"]);
  });

  it("remove a name and keep everything else; tell known names, missing ones and definitions apart", () => {
    expect(withoutReference(["hours", INLINE, "order"], "hours")).toEqual([INLINE, "order"]);
    const refs = readReferences(["ghost", "hours", INLINE, 7, "ghost"], order);
    expect([...refs.named]).toEqual(["hours"]);
    expect(refs.missing).toEqual(["ghost"]);
    expect(refs.inPlace.map((i) => [i.index, i.name])).toEqual([[2, "inline"], [3, "7"]]);
  });
});

describe("the intent block's picker", () => {
  it("ticks the section's intents, in its order, and keeps the intents written in the block", () => {
    const get = renderForm(withSettings(threeIntents(), "route", { intents: ["order", INLINE] }), "route");
    expect(screen.queryByTestId("field-intents")).toBeNull(); // no JSON area by default
    expect(pickNames("intent-pick")).toEqual(["hours", "order", "bye"]);
    expect([box("intent-pick-hours").checked, box("intent-pick-order").checked, box("intent-pick-bye").checked]).toEqual([false, true, false]);
    expect(screen.getByTestId("intent-pick-in-place-inline").textContent).toBe("inline");

    fireEvent.click(box("intent-pick-bye"));
    expect(get().intents).toEqual(["order", "bye", INLINE]);
    fireEvent.click(box("intent-pick-hours"));
    expect(get().intents).toEqual(["hours", "order", "bye", INLINE]);
    fireEvent.click(box("intent-pick-order"));
    expect(get().intents).toEqual(["hours", "bye", INLINE]);
    expect(box("intent-pick-order").checked).toBe(false);
    expect(box("intent-pick-bye").checked).toBe(true);
    // Unticking every name leaves the intent written in the block.
    fireEvent.click(box("intent-pick-hours"));
    fireEvent.click(box("intent-pick-bye"));
    expect(get().intents).toEqual([INLINE]);
    // The required list is kept (empty) rather than dropped: validation says what it lacks.
    fireEvent.click(box("intent-pick-hours"));
    expect(get().intents).toEqual(["hours", INLINE]);
  });

  it("flags a name the section does not have, and removes it", () => {
    const get = renderForm(withSettings(threeIntents(), "route", { intents: ["hours", "ghost", INLINE], threshold: 0.6 }), "route");
    const remove = screen.getByTestId("intent-pick-missing-ghost");
    expect(remove.closest("li")!.textContent).toContain("“ghost” is not one of the bot's intents");
    expect(pickNames("intent-pick")).toEqual(["hours", "order", "bye"]); // not offered as a checkbox
    fireEvent.click(remove);
    expect(get()).toEqual({ intents: ["hours", INLINE], threshold: 0.6 });
    expect(screen.queryByTestId("intent-pick-missing-ghost")).toBeNull();
  });

  it("with no intents in the section, points to the Intents and entities panel", () => {
    const doc = withSettings(nluDocument(), "route", { intents: ["hours", INLINE] });
    delete doc.nlu;
    renderForm(doc, "route");
    expect(screen.getByTestId("intent-pick-no-intents").textContent).toContain("“Intents and entities”");
    expect(pickNames("intent-pick")).toEqual([]);
    expect(screen.getByTestId("intent-pick-missing-hours")).toBeTruthy();
    expect(screen.getByTestId("intent-pick-in-place-inline")).toBeTruthy();
  });

  it("does not offer a name the block already writes in place (it would be a duplicate)", () => {
    renderForm(withSettings(threeIntents(), "route", { intents: [{ name: "hours", examples: { uk: ["коли"] } }] }), "route");
    expect(box("intent-pick-hours").disabled).toBe(true);
    expect(box("intent-pick-order").disabled).toBe(false);
  });

  it("edits the whole list as JSON on demand, the picker following", () => {
    const get = renderForm(withSettings(threeIntents(), "route", { intents: ["order", INLINE] }), "route");
    fireEvent.click(screen.getByTestId("intent-pick-edit-json"));
    const area = screen.getByTestId("field-intents") as HTMLTextAreaElement;
    expect(JSON.parse(area.value)).toEqual(["order", INLINE]);
    const edited = [{ ...INLINE, examples: { uk: ["щось", "інше"] } }, "bye"];
    fireEvent.change(area, { target: { value: JSON.stringify(edited) } });
    expect(get().intents).toEqual(edited);
    expect(box("intent-pick-bye").checked).toBe(true);
    expect(box("intent-pick-order").checked).toBe(false);
    fireEvent.click(box("intent-pick-hours"));
    expect(get().intents).toEqual([edited[0], "hours", "bye"]);
    expect(JSON.parse((screen.getByTestId("field-intents") as HTMLTextAreaElement).value)).toEqual(get().intents);
  });

  it("shows a value that is not a list as JSON, untouched", () => {
    const get = renderForm(withSettings(threeIntents(), "route", { intents: "hours" }), "route");
    expect(pickNames("intent-pick")).toEqual([]);
    expect(JSON.parse((screen.getByTestId("field-intents") as HTMLTextAreaElement).value)).toBe("hours");
    expect(get().intents).toBe("hours");
  });
});

describe("the entities block's picker", () => {
  const REGEX = { name: "size", kind: "regex", pattern: "\\d+" };

  it("ticks built-in entities and the section's, and keeps the ones defined in the block", () => {
    const get = renderForm(withSettings(nluDocument(), "find", { entities: ["city", "phone", REGEX] }), "find");
    expect(pickNames("entity-pick")).toEqual(["number", "date", "time", "email", "phone", "money", "url", "city", "order_id"]);
    const checked = pickNames("entity-pick").filter((n) => box(`entity-pick-${n}`).checked);
    expect(checked).toEqual(["phone", "city"]);
    expect(screen.getByTestId("entity-pick-in-place-size")).toBeTruthy();

    fireEvent.click(box("entity-pick-number"));
    expect(get().entities).toEqual(["number", "city", "phone", REGEX]);
    fireEvent.click(box("entity-pick-order_id"));
    expect(get().entities).toEqual(["number", "city", "phone", "order_id", REGEX]);
    fireEvent.click(box("entity-pick-phone"));
    fireEvent.click(box("entity-pick-city"));
    expect(get().entities).toEqual(["number", "order_id", REGEX]);
  });

  it("flags a name that is neither built in nor the section's, and removes it", () => {
    const get = renderForm(withSettings(nluDocument(), "find", { entities: ["ghost", "date"] }), "find");
    const remove = screen.getByTestId("entity-pick-missing-ghost");
    expect(remove.closest("li")!.textContent).toContain("“ghost” is neither built in nor one of the bot's entities");
    fireEvent.click(remove);
    expect(get().entities).toEqual(["date"]);
  });

  it("without entities of the bot's own, offers the built-in ones and points to the panel", () => {
    const doc = withSettings(nluDocument(), "find", { entities: [] });
    doc.nlu = { intents: [] };
    const get = renderForm(doc, "find");
    expect(screen.getByTestId("entity-pick-no-entities").textContent).toContain("“Intents and entities”");
    fireEvent.click(box("entity-pick-email"));
    fireEvent.click(box("entity-pick-date"));
    expect(get().entities).toEqual(["date", "email"]);
  });
});

describe("the input's entity", () => {
  const select = () => screen.getByTestId("entity-select") as HTMLSelectElement;
  const options = () => [...select().options].map((o) => o.value);

  it("is chosen among none, the built-in entities and the section's", () => {
    const get = renderForm(nluDocument(), "ask_city");
    expect(select().value).toBe("city");
    expect(options()).toEqual(["", "number", "date", "time", "email", "phone", "money", "url", "city", "order_id"]);
    fireEvent.change(select(), { target: { value: "date" } });
    expect(get().entity).toBe("date");
    fireEvent.change(select(), { target: { value: "order_id" } });
    expect(get().entity).toBe("order_id");
    fireEvent.change(select(), { target: { value: "" } });
    expect("entity" in get()).toBe(false);
    expect(get().prompt).toEqual({ uk: "Місто?" });
  });

  it("keeps an entity defined in the block, editable as JSON, until another is chosen", () => {
    const REGEX = { name: "size", kind: "regex", pattern: "\\d+" };
    const doc = nluDocument();
    const start = withSettings(doc, "ask_city", { ...doc.blocks.find((b) => b.id === "ask_city")!.settings, entity: REGEX });
    const get = renderForm(start, "ask_city");
    expect(screen.getByTestId("entity-select-in-place").textContent).toBe("defined in the block: size");
    expect((screen.getByTestId("entity-select-in-place") as HTMLOptionElement).selected).toBe(true);
    fireEvent.click(screen.getByTestId("entity-select-edit-json"));
    const area = screen.getByTestId("field-entity") as HTMLTextAreaElement;
    expect(JSON.parse(area.value)).toEqual(REGEX);
    fireEvent.change(area, { target: { value: JSON.stringify({ ...REGEX, pattern: "\\d{2}" }) } });
    expect(get().entity).toEqual({ ...REGEX, pattern: "\\d{2}" });
    fireEvent.change(select(), { target: { value: "phone" } });
    expect(get().entity).toBe("phone");
    expect(screen.queryByTestId("entity-select-in-place")).toBeNull();
  });

  it("flags a name the section does not have", () => {
    const doc = nluDocument();
    renderForm(withSettings(doc, "ask_city", { ...doc.blocks.find((b) => b.id === "ask_city")!.settings, entity: "ghost" }), "ask_city");
    expect(select().value).toBe("ghost");
    expect(screen.getByTestId("entity-select-missing").textContent).toContain("“ghost”");
  });
});

describe("the inspector", () => {
  it("draws the NLU pickers with the scenario's section", () => {
    function Inspector() {
      const [doc, setDoc] = useState(nluDocument());
      return (
        <BlockInspector
          block={doc.blocks.find((b) => b.id === "route")!}
          type={TYPES.get("intent")}
          doc={doc}
          bot={{ defaultLanguage: "uk", languages: ["uk", "en"] }}
          onChange={(c: (b: Block) => Block) => setDoc((d) => updateBlock(d, "route", c))}
          onDelete={() => undefined}
          onMakeStart={() => undefined}
          onFocusBlock={() => undefined}
          onDeclareVariable={() => undefined}
        />
      );
    }
    render(<Inspector />);
    const picker = screen.getByTestId("intent-pick");
    expect(within(picker).queryAllByRole("checkbox").map((c) => (c as HTMLInputElement).checked)).toEqual([true, true]);
    fireEvent.click(box("intent-pick-hours"));
    // The ports follow the settings (ports.ts): the unticked intent's port is gone.
    const ports = [...screen.getByTestId("inspector").querySelectorAll(".port-list code")].map((c) => c.textContent);
    expect(ports).toEqual(["order", "inline", "fallback", "error", "timeout"]);
  });
});
