import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { json, problem } from "../test/api";
import { renderEditor, scenarioDetail } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { renderManager, renderManagerWithApi } from "../test/nluManager";
import { nluDocument } from "./nluFixture";

type Section = {
  intents: Array<{ name: string; examples: Record<string, string[]>; description?: string }>;
  entities: Array<Record<string, unknown>>;
  global_threshold?: number;
};

const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const section = (doc: ScenarioDocument) => doc.nlu as Section;

describe("the NLU manager: intents", () => {
  it("lists the intents with their phrases per language, counts and warnings", () => {
    renderManager();
    const manager = screen.getByTestId("nlu-manager");
    expect(within(manager).getByRole("heading", { level: 3 }).textContent).toBe("Intents and entities");
    expect(field("nlu-intent-name-0").value).toBe("hours");
    expect(field("nlu-intent-examples-0-uk").value).toBe("коли ви працюєте\nграфік роботи");
    expect(field("nlu-intent-examples-0-en").value).toBe("when are you open");
    expect(screen.getByTestId("nlu-intent-count-0-uk").textContent).toBe("examples: 2");
    expect(screen.getByTestId("nlu-intent-count-0-en").textContent).toBe("examples: 1");
    const warnings = screen.getByTestId("nlu-intent-warnings-0");
    expect(within(warnings).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Only 1 example in en: give at least 2.",
      "“графік роботи” is also an example of order.",
    ]);
    expect(screen.getByTestId("nlu-intent-warnings-1").textContent).toBe("“Графік роботи” is also an example of hours.");
    expect(field("nlu-intent-description-1").value).toBe("Orders");
  });

  it("adds an intent once its name is valid and it has a first phrase", () => {
    const doc = renderManager(sampleDocument());
    expect(screen.getByTestId("nlu-intents-empty")).toBeTruthy();
    fireEvent.click(screen.getByTestId("nlu-intent-add"));
    expect(screen.getByTestId("nlu-intent-add-error").textContent).toBe("Give the intent a name.");
    fireEvent.change(field("nlu-intent-add-name"), { target: { value: "Hours" } });
    expect(screen.getByTestId("nlu-intent-add-error").textContent).toContain("Small Latin letters");
    fireEvent.change(field("nlu-intent-add-name"), { target: { value: "hours" } });
    fireEvent.click(screen.getByTestId("nlu-intent-add"));
    expect(screen.getByTestId("nlu-intent-add-error").textContent).toBe("Write a first example phrase: an intent needs at least one.");
    expect(doc().nlu).toBeUndefined();
    fireEvent.change(field("nlu-intent-add-example"), { target: { value: " коли ви працюєте " } });
    expect(screen.queryByTestId("nlu-intent-add-error")).toBeNull();
    fireEvent.keyDown(field("nlu-intent-add-example"), { key: "Enter" });
    expect(doc().nlu).toEqual({ intents: [{ name: "hours", examples: { uk: ["коли ви працюєте"] } }] });
    expect(field("nlu-intent-add-name").value).toBe("");
    expect(field("nlu-intent-name-0").value).toBe("hours");
    // The new intent warns it is thin: one phrase in Ukrainian, none in English.
    expect(screen.getByTestId("nlu-intent-warnings-0").textContent).toContain("No examples in en.");

    fireEvent.change(field("nlu-intent-add-name"), { target: { value: "hours" } });
    expect(screen.getByTestId("nlu-intent-add-error").textContent).toBe("An intent named hours already exists.");
  });

  it("edits the phrases of a language, one a line; an intent keeps at least one", () => {
    const doc = renderManager();
    fireEvent.change(field("nlu-intent-examples-0-en"), { target: { value: "when are you open\n what are your hours \n\n" } });
    expect(section(doc()).intents[0].examples).toEqual({ uk: ["коли ви працюєте", "графік роботи"], en: ["when are you open", "what are your hours"] });
    expect(screen.getByTestId("nlu-intent-count-0-en").textContent).toBe("examples: 2");
    // What was typed stays as typed (the blank line to write the next phrase on).
    expect(field("nlu-intent-examples-0-en").value).toBe("when are you open\n what are your hours \n\n");
    expect(screen.getByTestId("nlu-intent-warnings-0").textContent).not.toContain("Only 1 example");

    fireEvent.change(field("nlu-intent-examples-0-en"), { target: { value: "" } });
    expect(section(doc()).intents[0].examples).toEqual({ uk: ["коли ви працюєте", "графік роботи"] });
    expect(screen.getByTestId("nlu-intent-warnings-0").textContent).toContain("No examples in en.");
    fireEvent.change(field("nlu-intent-examples-0-uk"), { target: { value: "\n" } });
    expect(screen.getByTestId("nlu-intent-error-examples-0-uk").textContent).toBe("An intent needs at least one example: remove the intent instead.");
    expect(field("nlu-intent-examples-0-uk").getAttribute("aria-invalid")).toBe("true");
    expect(section(doc()).intents[0].examples).toEqual({ uk: ["коли ви працюєте", "графік роботи"] });
    fireEvent.change(field("nlu-intent-examples-0-uk"), { target: { value: "x".repeat(301) } });
    expect(screen.getByTestId("nlu-intent-error-examples-0-uk").textContent).toBe("An example has more than 300 characters.");

    fireEvent.change(field("nlu-intent-description-0"), { target: { value: "Opening hours" } });
    expect(section(doc()).intents[0].description).toBe("Opening hours");
  });

  it("renames an intent, and the intent block, its port's edge and the global entry follow", () => {
    const doc = renderManager();
    fireEvent.change(field("nlu-intent-name-0"), { target: { value: "order" } });
    expect(screen.getByTestId("nlu-intent-error-name-0").textContent).toBe("An intent named order already exists.");
    expect(screen.queryByTestId("nlu-intent-rename-0")).toBeNull();
    fireEvent.change(field("nlu-intent-name-0"), { target: { value: "opening_hours" } });
    expect(screen.getByTestId("nlu-intent-rename-box-0").textContent).toContain("Its uses follow: intent blocks route; global intent → help.");
    fireEvent.click(screen.getByTestId("nlu-intent-rename-0"));
    const after = doc();
    expect(section(after).intents.map((i) => i.name)).toEqual(["opening_hours", "order"]);
    expect(after.blocks.find((b) => b.id === "route")!.settings.intents).toEqual(["opening_hours", "order", { name: "inline", examples: { uk: ["щось"] } }]);
    expect(after.edges.find((e) => e.source === "route" && e.target === "help")!.port).toBe("opening_hours");
    expect(after.entry.intents).toEqual({ opening_hours: "help" });
    expect(field("nlu-intent-name-0").value).toBe("opening_hours");
    expect((screen.getByTestId("nlu-intent-global-0") as HTMLInputElement).checked).toBe(true);

    // Escape gives the name back.
    fireEvent.change(field("nlu-intent-name-1"), { target: { value: "x" } });
    fireEvent.keyDown(field("nlu-intent-name-1"), { key: "Escape" });
    expect(field("nlu-intent-name-1").value).toBe("order");
  });

  it("removes an unused intent at once, and a used one after a warning naming its uses", () => {
    const start = nluDocument();
    (start.nlu as Section).intents.push({ name: "spare", examples: { uk: ["a", "b"] } });
    const doc = renderManager(start);
    fireEvent.click(screen.getByTestId("nlu-intent-remove-2"));
    expect(section(doc()).intents.map((i) => i.name)).toEqual(["hours", "order"]);

    fireEvent.click(screen.getByTestId("nlu-intent-remove-0"));
    expect(screen.getByTestId("nlu-intent-remove-box-0").textContent).toContain("hours is still used: intent blocks route; global intent → help.");
    expect(section(doc()).intents).toHaveLength(2);
    fireEvent.click(screen.getByTestId("nlu-intent-remove-cancel-0"));
    expect(screen.queryByTestId("nlu-intent-remove-box-0")).toBeNull();
    fireEvent.click(screen.getByTestId("nlu-intent-remove-0"));
    fireEvent.click(screen.getByTestId("nlu-intent-remove-confirm-0"));
    expect(section(doc()).intents.map((i) => i.name)).toEqual(["order"]);
    expect(doc().entry.intents).toBeUndefined();
    expect(field("nlu-intent-name-0").value).toBe("order");
  });
});

describe("the NLU manager: global intents", () => {
  it("a toggle and a block selector write entry.intents; the threshold is checked", () => {
    const doc = renderManager();
    const hours = screen.getByTestId("nlu-intent-global-0") as HTMLInputElement;
    expect(hours.checked).toBe(true);
    expect((screen.getByTestId("nlu-intent-global-block-0") as HTMLSelectElement).value).toBe("help");
    expect(screen.queryByTestId("nlu-intent-global-block-1")).toBeNull();

    fireEvent.click(screen.getByTestId("nlu-intent-global-1"));
    expect(doc().entry.intents).toEqual({ hours: "help", order: "hello" });
    const select = screen.getByTestId("nlu-intent-global-block-1") as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toContain("Greeting (hello)");
    fireEvent.change(select, { target: { value: "ask" } });
    expect(doc().entry.intents).toEqual({ hours: "help", order: "ask" });
    fireEvent.click(hours);
    expect(doc().entry.intents).toEqual({ order: "ask" });

    const threshold = field("nlu-global-threshold");
    expect(threshold.value).toBe("");
    fireEvent.change(threshold, { target: { value: "1.5" } });
    expect(screen.getByTestId("nlu-global-threshold-error").textContent).toBe("A number from 0 to 1.");
    expect(section(doc()).global_threshold).toBeUndefined();
    fireEvent.change(threshold, { target: { value: "0.8" } });
    expect(screen.queryByTestId("nlu-global-threshold-error")).toBeNull();
    expect(section(doc()).global_threshold).toBe(0.8);
    fireEvent.change(threshold, { target: { value: "" } });
    expect("global_threshold" in section(doc())).toBe(false);
  });

  it("says when a global intent has a command's name", () => {
    const start = nluDocument();
    (start.nlu as Section).intents.push({ name: "help", examples: { uk: ["допоможіть", "довідка"], en: ["help me", "help"] } });
    start.entry.intents = { help: "help" };
    renderManager(start);
    expect(screen.getByTestId("nlu-intent-global-command-2").textContent).toContain("/help is also a command");
  });
});

describe("the NLU manager: entities", () => {
  it("edits a list's values as `value: synonym, synonym` lines per language", () => {
    const doc = renderManager();
    expect(field("nlu-entity-values-0-uk").value).toBe("Kyiv: Київ\nLviv: Львів");
    expect(field("nlu-entity-values-0-en").value).toBe("Kyiv: Kiev\nLviv");
    expect(screen.getByTestId("nlu-entity-uses-0").textContent).toBe("Used in: find, ask_city");

    fireEvent.change(field("nlu-entity-values-0-en"), { target: { value: "Kyiv: Kiev, Kyiv\nLviv: Lemberg\nOdesa: Odessa" } });
    expect(section(doc()).entities[0]).toEqual({
      name: "city",
      kind: "list",
      values: [
        { value: "Kyiv", synonyms: { uk: ["Київ"], en: ["Kiev", "Kyiv"] } },
        { value: "Lviv", synonyms: { uk: ["Львів"], en: ["Lemberg"] } },
        { value: "Odesa", synonyms: { en: ["Odessa"] } },
      ],
    });
    // The other language shows the new value (without synonyms there yet).
    expect(field("nlu-entity-values-0-uk").value).toBe("Kyiv: Київ\nLviv: Львів\nOdesa");

    fireEvent.change(field("nlu-entity-values-0-uk"), { target: { value: "Kyiv: Київ\nKyiv: Києва" } });
    expect(screen.getByTestId("nlu-entity-error-values-0-uk").textContent).toBe("Line 2: Kyiv is already listed.");
    expect((section(doc()).entities[0].values as unknown[]).length).toBe(3);
    // A line removed removes the value in every language.
    fireEvent.change(field("nlu-entity-values-0-uk"), { target: { value: "Kyiv: Київ, Києва\nOdesa: Одеса" } });
    expect(screen.queryByTestId("nlu-entity-error-values-0-uk")).toBeNull();
    expect(section(doc()).entities[0].values).toEqual([
      { value: "Kyiv", synonyms: { uk: ["Київ", "Києва"], en: ["Kiev", "Kyiv"] } },
      { value: "Odesa", synonyms: { en: ["Odessa"], uk: ["Одеса"] } },
    ]);
    expect(field("nlu-entity-values-0-en").value).toBe("Kyiv: Kiev, Kyiv\nOdesa: Odessa");
    fireEvent.change(field("nlu-entity-values-0-en"), { target: { value: "  " } });
    expect(screen.getByTestId("nlu-entity-error-values-0-en").textContent).toContain("at least one value");
  });

  it("edits a regex entity's pattern, refusing what RE2 has not", () => {
    const doc = renderManager();
    const pattern = field("nlu-entity-pattern-1");
    expect(pattern.value).toBe("[A-Z]{2}-?(\\d{6})");
    fireEvent.change(pattern, { target: { value: "(?<=#)\\d+" } });
    expect(screen.getByTestId("nlu-entity-error-pattern-1").textContent).toContain("RE2 has no lookaround");
    expect(section(doc()).entities[1].pattern).toBe("[A-Z]{2}-?(\\d{6})");
    fireEvent.change(pattern, { target: { value: "#(\\d+)" } });
    expect(screen.queryByTestId("nlu-entity-error-pattern-1")).toBeNull();
    expect(section(doc()).entities[1]).toEqual({ name: "order_id", kind: "regex", pattern: "#(\\d+)" });
  });

  it("adds list and regex entities; built-in names and duplicates are refused", () => {
    const doc = renderManager(sampleDocument());
    expect(screen.getByTestId("nlu-entities-empty")).toBeTruthy();
    fireEvent.change(field("nlu-entity-add-name"), { target: { value: "phone" } });
    expect(screen.getByTestId("nlu-entity-add-error").textContent).toBe("phone is a built-in entity: the bot has it already. Name yours otherwise.");
    fireEvent.click(screen.getByTestId("nlu-entity-add"));
    expect(doc().nlu).toBeUndefined();

    fireEvent.change(field("nlu-entity-add-name"), { target: { value: "size" } });
    fireEvent.click(screen.getByTestId("nlu-entity-add"));
    expect(screen.getByTestId("nlu-entity-add-error").textContent).toBe("Write a first value: a list needs at least one.");
    fireEvent.change(field("nlu-entity-add-first"), { target: { value: "small: маленька, S" } });
    fireEvent.click(screen.getByTestId("nlu-entity-add"));
    expect(section(doc()).entities).toEqual([{ name: "size", kind: "list", values: [{ value: "small", synonyms: { uk: ["маленька", "S"] } }] }]);
    expect(field("nlu-entity-values-0-uk").value).toBe("small: маленька, S");

    fireEvent.change(field("nlu-entity-add-name"), { target: { value: "size" } });
    expect(screen.getByTestId("nlu-entity-add-error").textContent).toBe("An entity named size already exists.");
    fireEvent.change(field("nlu-entity-add-name"), { target: { value: "code" } });
    fireEvent.change(screen.getByTestId("nlu-entity-add-kind"), { target: { value: "regex" } });
    fireEvent.change(field("nlu-entity-add-first"), { target: { value: "(a)\\1" } });
    expect(screen.getByTestId("nlu-entity-add-error").textContent).toContain("backreferences");
    fireEvent.change(field("nlu-entity-add-first"), { target: { value: "[A-Z]{3}\\d{4}" } });
    fireEvent.keyDown(field("nlu-entity-add-first"), { key: "Enter" });
    expect(section(doc()).entities[1]).toEqual({ name: "code", kind: "regex", pattern: "[A-Z]{3}\\d{4}" });
    expect(field("nlu-entity-pattern-1").value).toBe("[A-Z]{3}\\d{4}");
  });

  it("renames an entity, and the entities blocks and inputs naming it follow", () => {
    const start = nluDocument();
    start.blocks.push({ id: "ask_order", type: "input", settings: { kind: "text", prompt: { uk: "Номер?" }, variable: "drink", entity: "order_id" } });
    const doc = renderManager(start);
    expect(field("nlu-entity-name-0").value).toBe("city");
    expect(screen.queryByTestId("nlu-entity-rename-box-0")).toBeNull();

    // Names a rename may not take: no box, no button, the document as it was.
    for (const [name, error] of [
      ["order_id", "An entity named order_id already exists."],
      ["phone", "phone is a built-in entity: the bot has it already. Name yours otherwise."],
      ["Town", "Small Latin letters, digits and _, starting with a letter (at most 64)."],
      ["", "Give the entity a name."],
    ]) {
      fireEvent.change(field("nlu-entity-name-0"), { target: { value: name } });
      expect(screen.getByTestId("nlu-entity-error-name-0").textContent).toBe(error);
      expect(field("nlu-entity-name-0").getAttribute("aria-invalid")).toBe("true");
      expect(screen.queryByTestId("nlu-entity-rename-box-0")).toBeNull();
      expect(screen.queryByTestId("nlu-entity-rename-0")).toBeNull();
      fireEvent.keyDown(field("nlu-entity-name-0"), { key: "Enter" });
      expect(doc()).toBe(start);
    }

    fireEvent.change(field("nlu-entity-name-0"), { target: { value: "town" } });
    expect(screen.queryByTestId("nlu-entity-error-name-0")).toBeNull();
    const box = screen.getByTestId("nlu-entity-rename-box-0");
    expect(box.textContent).toContain("The blocks naming it follow: find, ask_city.");
    expect(box.textContent).not.toContain("store what they find");
    expect(screen.getByTestId("nlu-entity-rename-0").textContent).toBe("Rename city to town");
    fireEvent.click(screen.getByTestId("nlu-entity-rename-0"));
    const after = doc();
    expect(section(after).entities.map((e) => e.name)).toEqual(["town", "order_id"]);
    expect(section(after).entities[0].values).toEqual(section(start).entities[0].values);
    expect(after.blocks.find((b) => b.id === "find")!.settings.entities).toEqual(["town", "phone"]);
    expect(after.blocks.find((b) => b.id === "ask_city")!.settings.entity).toBe("town");
    expect(after.blocks.find((b) => b.id === "ask_order")!.settings.entity).toBe("order_id");
    expect(field("nlu-entity-name-0").value).toBe("town");
    expect(screen.queryByTestId("nlu-entity-rename-box-0")).toBeNull();
    expect(screen.getByTestId("nlu-entity-uses-0").textContent).toBe("Used in: find, ask_city");

    // Cancel and Escape give the name back and change nothing.
    fireEvent.change(field("nlu-entity-name-1"), { target: { value: "order_code" } });
    expect(screen.getByTestId("nlu-entity-rename-box-1").textContent).toContain("The blocks naming it follow: ask_order.");
    fireEvent.click(screen.getByTestId("nlu-entity-rename-cancel-1"));
    expect(field("nlu-entity-name-1").value).toBe("order_id");
    expect(screen.queryByTestId("nlu-entity-rename-box-1")).toBeNull();
    fireEvent.change(field("nlu-entity-name-1"), { target: { value: "order_code" } });
    fireEvent.keyDown(field("nlu-entity-name-1"), { key: "Escape" });
    expect(field("nlu-entity-name-1").value).toBe("order_id");
    expect(doc()).toBe(after);

    // Enter confirms.
    fireEvent.change(field("nlu-entity-name-1"), { target: { value: "order_code" } });
    fireEvent.keyDown(field("nlu-entity-name-1"), { key: "Enter" });
    expect(section(doc()).entities).toEqual([section(after).entities[0], { name: "order_code", kind: "regex", pattern: "[A-Z]{2}-?(\\d{6})" }]);
    expect(doc().blocks.find((b) => b.id === "ask_order")!.settings.entity).toBe("order_code");
    expect(doc().blocks.find((b) => b.id === "ask_city")!.settings.entity).toBe("town");
    expect(field("nlu-entity-name-1").value).toBe("order_code");
  });

  it("renaming an unused entity says so; one an entities block stores under says what does not follow", () => {
    const start = nluDocument();
    start.blocks.find((b) => b.id === "find")!.settings.store_in = "found";
    const doc = renderManager(start);
    fireEvent.change(field("nlu-entity-name-1"), { target: { value: "code" } });
    expect(screen.getByTestId("nlu-entity-rename-box-1").textContent).toContain("No block uses it yet.");
    fireEvent.change(field("nlu-entity-name-0"), { target: { value: "town" } });
    expect(screen.getByTestId("nlu-entity-rename-box-0").textContent).toContain(
      "find store what they find under the entity's name: a template or condition that reads city from those variables keeps the old name, check it.",
    );
    fireEvent.click(screen.getByTestId("nlu-entity-rename-0"));
    expect(doc().blocks.find((b) => b.id === "find")!.settings).toEqual({ entities: ["town", "phone"], store_in: "found" });
  });

  it("removes an entity blocks use only after a warning naming them", () => {
    const doc = renderManager();
    fireEvent.click(screen.getByTestId("nlu-entity-remove-1"));
    expect(section(doc()).entities.map((e) => e.name)).toEqual(["city"]);
    fireEvent.click(screen.getByTestId("nlu-entity-remove-0"));
    expect(screen.getByTestId("nlu-entity-remove-box-0").textContent).toContain("Blocks still use city (find, ask_city)");
    expect(section(doc()).entities).toHaveLength(1);
    fireEvent.click(screen.getByTestId("nlu-entity-remove-confirm-0"));
    expect(section(doc()).entities).toEqual([]);
    expect(screen.getByTestId("nlu-entities-empty")).toBeTruthy();
  });
});

describe("the NLU manager: import from Rasa", () => {
  const yaml = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - привіт\n';
  const imported = {
    data: {
      intents: [
        { name: "hours", examples: { uk: ["графік роботи", "до котрої відкрито"] } },
        { name: "greet", examples: { uk: ["привіт", "добрий день"] } },
      ],
      entities: [{ name: "city", kind: "list", values: [{ value: "Odesa", synonyms: { uk: ["Одеса"] } }] }],
    },
    warnings: ["intent ask_weather has no examples"],
    renamed: { "Greet-User": "greet" },
    renamed_entities: {},
    summary: { intents: 2, examples: 4, entities: 1, warnings: 1 },
  };

  it("posts the files as text with the language, merges the answer and shows the summary", async () => {
    const { doc, calls } = renderManagerWithApi((call) => (call.method === "POST" && call.url.endsWith("/api/v1/nlu/import/rasa") ? json(imported) : undefined));
    const button = screen.getByTestId("nlu-import") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect((screen.getByTestId("nlu-import-language") as HTMLSelectElement).value).toBe("uk");
    const files = [new File([yaml], "nlu.yml", { type: "application/x-yaml" }), new File(["nlu: []\n"], "more.yaml")];
    fireEvent.change(screen.getByTestId("nlu-import-files"), { target: { files } });
    fireEvent.change(screen.getByTestId("nlu-import-language"), { target: { value: "en" } });
    fireEvent.click(button);
    await screen.findByTestId("nlu-import-result");
    expect(calls.at(-1)!.body).toEqual({ files: [{ name: "nlu.yml", content: yaml }, { name: "more.yaml", content: "nlu: []\n" }], language: "en" });

    const after = section(doc());
    expect(after.intents.map((i) => i.name)).toEqual(["hours", "order", "greet"]);
    expect(after.intents[0].examples.uk).toEqual(["коли ви працюєте", "графік роботи", "до котрої відкрито"]);
    expect(after.entities).toEqual([imported.data.entities[0], { name: "order_id", kind: "regex", pattern: "[A-Z]{2}-?(\\d{6})" }]);
    expect(screen.getByTestId("nlu-import-summary").textContent).toBe("Read 2 intents, 4 examples, 1 entities (1 warnings).");
    expect(screen.getByTestId("nlu-import-merged").textContent).toBe(
      "Intents added: 1, extended: 1 (3 new examples); entities added: 0, replaced: 1. Replaced: city.",
    );
    expect(screen.getByTestId("nlu-import-renamed").textContent).toContain("Greet-User → greet");
    expect(screen.getByTestId("nlu-import-warnings").textContent).toContain("intent ask_weather has no examples");
    expect(field("nlu-intent-name-2").value).toBe("greet");
    expect(screen.getByTestId("nlu-intent-count-0-uk").textContent).toBe("examples: 3");
    // The field follows the merged phrases (once its draft has caught up).
    await waitFor(() => expect(field("nlu-intent-examples-0-uk").value).toBe("коли ви працюєте\nграфік роботи\nдо котрої відкрито"));
  });

  it("shows the server's detail when it refuses the YAML, and changes nothing", async () => {
    const { doc } = renderManagerWithApi((call) =>
      call.url.endsWith("/api/v1/nlu/import/rasa") ? problem(422, "nlu.yml: not YAML (line 3: mapping values are not allowed here)") : undefined,
    );
    const before = doc();
    fireEvent.change(screen.getByTestId("nlu-import-files"), { target: { files: [new File(["a: b: c"], "nlu.yml")] } });
    fireEvent.click(screen.getByTestId("nlu-import"));
    const error = await screen.findByTestId("nlu-import-error");
    expect(error.textContent).toBe("Could not import: nlu.yml: not YAML (line 3: mapping values are not allowed here)");
    expect(doc()).toBe(before);
    expect(screen.queryByTestId("nlu-import-result")).toBeNull();
  });
});

describe("the NLU manager: models of the live version", () => {
  const model = (status: string, extra: Record<string, unknown> = {}) => ({
    block_id: "route",
    model: "abc",
    status,
    progress: 0,
    phase: "",
    examples: 7,
    seconds: null,
    warnings: [],
    error: null,
    size: 0,
    ...extra,
  });

  it("follows a training until it is ready", async () => {
    let asked = 0;
    renderManagerWithApi(
      (call) => {
        if (call.url.endsWith("/api/v1/scenarios/s1")) return json(scenarioDetail(nluDocument(), { live_version: 3 }));
        if (call.url.endsWith("/api/v1/scenarios/s1/versions/3/nlu")) {
          asked++;
          const models = asked === 1 ? [model("training", { progress: 0.4, phase: "fitting" })] : [model("ready", { seconds: 0.52, size: 8192, warnings: [{ code: "single_example", message: "hours has one example" }] })];
          return json({ scenario_id: "s1", number: 3, models });
        }
        return undefined;
      },
      nluDocument(),
      { scenarioId: "s1", pollMs: 10 },
    );
    const progress = (await screen.findByTestId("nlu-model-progress-route")) as HTMLProgressElement;
    expect(progress.value).toBe(0.4);
    expect(screen.getByTestId("nlu-model-route").textContent).toContain("40 % · fitting");
    await waitFor(() => expect(screen.getByTestId("nlu-model-route").getAttribute("data-status")).toBe("ready"));
    expect(screen.getByTestId("nlu-model-route").textContent).toContain("7 examples, 0.5 s, 8 kB");
    expect(screen.getByTestId("nlu-model-route").textContent).toContain("hours has one example");
    expect(screen.getByTestId("nlu-models").textContent).toContain("version 3");
  });

  it("shows a failed training's error and trains again on request", async () => {
    const { calls } = renderManagerWithApi(
      (call) => {
        if (call.url.endsWith("/api/v1/scenarios/s1")) return json(scenarioDetail(nluDocument(), { live_version: 2 }));
        if (call.method === "POST" && call.url.endsWith("/versions/2/nlu/train")) return json({ scenario_id: "s1", number: 2, models: [model("ready")] }, 202);
        if (call.url.endsWith("/versions/2/nlu")) return json({ scenario_id: "s1", number: 2, models: [model("failed", { error: "out of memory" })] });
        return undefined;
      },
      nluDocument(),
      { scenarioId: "s1", pollMs: 10 },
    );
    expect((await screen.findByTestId("nlu-model-error-route")).textContent).toBe("out of memory");
    fireEvent.click(screen.getByTestId("nlu-models-train"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.url.endsWith("/nlu/train"))).toBe(true));
  });

  it("says when no version is published", async () => {
    renderManagerWithApi((call) => (call.url.endsWith("/api/v1/scenarios/s1") ? json(scenarioDetail(nluDocument(), { live_version: null })) : undefined), nluDocument(), {
      scenarioId: "s1",
    });
    expect((await screen.findByTestId("nlu-models-none")).textContent).toContain("Not published yet");
  });
});

describe("the NLU manager in the editor", () => {
  it("is in the scenario's inspector with the bot's languages, and its edits are saved", async () => {
    const { calls } = renderEditor(nluDocument(), (call) =>
      call.method === "GET" && call.url.endsWith("/api/v1/scenarios/s1") ? json(scenarioDetail(nluDocument(), { live_version: null })) : undefined,
    );
    const manager = await screen.findByTestId("nlu-manager");
    expect(within(manager).getByTestId("nlu-intent-examples-0-uk")).toBeTruthy();
    expect(within(manager).getByTestId("nlu-intent-examples-0-en")).toBeTruthy();
    fireEvent.change(field("nlu-intent-examples-0-en"), { target: { value: "when are you open\nopening hours" } });
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true), { timeout: 3000 });
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as ScenarioDocument;
    expect((saved.nlu as Section).intents[0].examples.en).toEqual(["when are you open", "opening hours"]);
    // Undo gives the phrases back in the field.
    fireEvent.click(screen.getByTestId("undo"));
    expect(field("nlu-intent-examples-0-en").value).toBe("when are you open");
  });
});
