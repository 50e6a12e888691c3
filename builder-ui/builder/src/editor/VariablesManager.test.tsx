import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { renderEditor } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { ScenarioInspector } from "./Inspector";

function Harness({ initial, onDoc }: { initial: ScenarioDocument; onDoc: (doc: ScenarioDocument) => void }) {
  const [doc, setDoc] = useState(initial);
  return (
    <ScenarioInspector
      doc={doc}
      onChange={(change) =>
        setDoc((d) => {
          const next = change(d);
          onDoc(next);
          return next;
        })
      }
    />
  );
}

function renderManager(initial: ScenarioDocument = sampleDocument()) {
  let doc = initial;
  render(<Harness initial={initial} onDoc={(d) => (doc = d)} />);
  return () => doc;
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("the variables manager", () => {
  it("lists the declared variables with their type, scope, default and uses; the JSON stays as an advanced fallback", () => {
    const doc = sampleDocument();
    doc.variables = [{ name: "drink", type: "string" }, { name: "visits", type: "number", scope: "user", default: 0 }, { name: "notes" }];
    renderManager(doc);
    const manager = screen.getByTestId("variables-manager");
    expect(within(manager).getAllByRole("listitem")).toHaveLength(3);
    expect(input("variable-name-1").value).toBe("visits");
    expect((screen.getByTestId("variable-type-1") as HTMLSelectElement).value).toBe("number");
    expect((screen.getByTestId("variable-scope-1") as HTMLSelectElement).value).toBe("user");
    expect(input("variable-default-1").value).toBe("0");
    expect((screen.getByTestId("variable-type-2") as HTMLSelectElement).value).toBe("any");
    expect(screen.getByTestId("variable-uses-0").textContent).toBe("Used in: hello, ask");
    expect(screen.getByTestId("variable-uses-2").textContent).toBe("No block uses it.");
    expect(screen.getByTestId("variables-advanced").hasAttribute("open")).toBe(false);
    expect(JSON.parse((screen.getByTestId("scenario-variables") as HTMLTextAreaElement).value)).toHaveLength(3);
  });

  it("adds a variable once its name is valid: pattern, duplicates and system names are refused at the field", () => {
    const doc = renderManager();
    fireEvent.click(screen.getByTestId("variable-add"));
    expect(screen.getByTestId("variable-add-error").textContent).toBe("Give the variable a name.");
    fireEvent.change(input("variable-add-name"), { target: { value: "2cups" } });
    expect(screen.getByTestId("variable-add-error").textContent).toContain("Letters, digits and _");
    fireEvent.change(input("variable-add-name"), { target: { value: "drink" } });
    expect(screen.getByTestId("variable-add-error").textContent).toBe("A variable named drink is already declared.");
    fireEvent.change(input("variable-add-name"), { target: { value: "language" } });
    expect(screen.getByTestId("variable-add-error").textContent).toContain("system variable");
    fireEvent.click(screen.getByTestId("variable-add"));
    expect(doc().variables).toEqual([{ name: "drink", type: "string" }]);

    fireEvent.change(input("variable-add-name"), { target: { value: "cups" } });
    expect(screen.queryByTestId("variable-add-error")).toBeNull();
    fireEvent.change(screen.getByTestId("variable-add-type"), { target: { value: "number" } });
    fireEvent.change(screen.getByTestId("variable-add-scope"), { target: { value: "user" } });
    fireEvent.keyDown(input("variable-add-name"), { key: "Enter" });
    expect(doc().variables).toEqual([{ name: "drink", type: "string" }, { name: "cups", type: "number", scope: "user" }]);
    expect(input("variable-add-name").value).toBe("");
    expect(input("variable-name-1").value).toBe("cups");
  });

  it("applies a default only when it fits the type, and drops one that no longer fits a new type", () => {
    const start = sampleDocument();
    start.variables = [{ name: "drink", type: "string" }, { name: "cups", type: "number" }];
    const doc = renderManager(start);
    const cups = input("variable-default-1");
    fireEvent.change(cups, { target: { value: "two" } });
    expect(cups.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("variable-error-default-1").textContent).toBe("Enter a number.");
    expect(doc().variables?.[1]).toEqual({ name: "cups", type: "number" });
    fireEvent.change(cups, { target: { value: "2" } });
    expect(screen.queryByTestId("variable-error-default-1")).toBeNull();
    expect(doc().variables?.[1]).toEqual({ name: "cups", type: "number", default: 2 });
    fireEvent.change(cups, { target: { value: "" } });
    expect(doc().variables?.[1]).toEqual({ name: "cups", type: "number" });

    // A text default: converted to a number where it reads as one, else removed (and said so).
    fireEvent.change(input("variable-default-0"), { target: { value: "tea" } });
    expect(doc().variables?.[0]).toEqual({ name: "drink", type: "string", default: "tea" });
    fireEvent.change(screen.getByTestId("variable-type-0"), { target: { value: "number" } });
    expect(doc().variables?.[0]).toEqual({ name: "drink", type: "number" });
    expect(screen.getByTestId("variable-default-dropped-0").textContent).toContain("tea");
    fireEvent.change(input("variable-default-0"), { target: { value: "3" } });
    fireEvent.change(screen.getByTestId("variable-type-0"), { target: { value: "string" } });
    expect(doc().variables?.[0]).toEqual({ name: "drink", type: "string", default: "3" });

    fireEvent.change(screen.getByTestId("variable-type-1"), { target: { value: "boolean" } });
    fireEvent.change(screen.getByTestId("variable-default-1"), { target: { value: "true" } });
    expect(doc().variables?.[1]).toEqual({ name: "cups", type: "boolean", default: true });
    fireEvent.change(screen.getByTestId("variable-type-1"), { target: { value: "date" } });
    fireEvent.change(input("variable-default-1"), { target: { value: "31.01.2025" } });
    expect(screen.getByTestId("variable-error-default-1").textContent).toBe("Enter a date as YYYY-MM-DD.");
    fireEvent.change(input("variable-default-1"), { target: { value: "2025-01-31" } });
    fireEvent.change(screen.getByTestId("variable-scope-1"), { target: { value: "bot" } });
    fireEvent.change(input("variable-description-1"), { target: { value: "When" } });
    expect(doc().variables?.[1]).toEqual({ name: "cups", type: "date", default: "2025-01-31", scope: "bot", description: "When" });
  });

  it("renames a variable and, if asked, its uses in the blocks; an invalid name is not applied", () => {
    const doc = renderManager();
    const name = input("variable-name-0");
    fireEvent.change(name, { target: { value: "drink!" } });
    expect(screen.getByTestId("variable-error-name-0").textContent).toContain("Letters, digits and _");
    expect(screen.queryByTestId("variable-rename-0")).toBeNull();
    fireEvent.keyDown(name, { key: "Enter" });
    expect(doc().variables).toEqual([{ name: "drink", type: "string" }]);

    fireEvent.change(name, { target: { value: "beverage" } });
    const uses = screen.getByTestId("variable-rename-uses-0") as HTMLInputElement;
    expect(uses.checked).toBe(true);
    expect(uses.parentElement!.textContent).toBe("Also rename its 2 uses in blocks (hello, ask)");
    fireEvent.click(screen.getByTestId("variable-rename-0"));
    expect(doc().variables).toEqual([{ name: "beverage", type: "string" }]);
    expect(doc().blocks.find((b) => b.id === "hello")!.settings.store_choice_in).toBe("beverage");
    expect(doc().blocks.find((b) => b.id === "ask")!.settings.variable).toBe("beverage");
    expect(input("variable-name-0").value).toBe("beverage");
    expect(screen.getByTestId("variable-uses-0").textContent).toBe("Used in: hello, ask");

    // Only the declaration: the blocks keep the old name.
    fireEvent.change(input("variable-name-0"), { target: { value: "drink2" } });
    fireEvent.click(screen.getByTestId("variable-rename-uses-0"));
    fireEvent.keyDown(input("variable-name-0"), { key: "Enter" });
    expect(doc().variables).toEqual([{ name: "drink2", type: "string" }]);
    expect(doc().blocks.find((b) => b.id === "ask")!.settings.variable).toBe("beverage");
    expect(screen.getByTestId("variable-uses-0").textContent).toBe("No block uses it.");

    // Escape (or Cancel) gives the name back.
    fireEvent.change(input("variable-name-0"), { target: { value: "x" } });
    fireEvent.click(screen.getByTestId("variable-rename-cancel-0"));
    expect(input("variable-name-0").value).toBe("drink2");
  });

  it("refuses a rename to a name already declared", () => {
    const start = sampleDocument();
    start.variables = [{ name: "drink" }, { name: "size" }];
    const doc = renderManager(start);
    fireEvent.change(input("variable-name-1"), { target: { value: "drink" } });
    expect(screen.getByTestId("variable-error-name-1").textContent).toBe("A variable named drink is already declared.");
    fireEvent.keyDown(input("variable-name-1"), { key: "Enter" });
    expect(doc().variables).toEqual([{ name: "drink" }, { name: "size" }]);
  });

  it("removes an unused variable at once, and a used one only after a warning", () => {
    const start = sampleDocument();
    start.variables = [{ name: "drink", type: "string" }, { name: "spare" }];
    const doc = renderManager(start);
    fireEvent.click(screen.getByTestId("variable-remove-1"));
    expect(doc().variables).toEqual([{ name: "drink", type: "string" }]);

    fireEvent.click(screen.getByTestId("variable-remove-0"));
    expect(screen.getByTestId("variable-remove-box-0").textContent).toContain("Blocks still use drink (2: hello, ask)");
    expect(doc().variables).toHaveLength(1);
    fireEvent.click(screen.getByTestId("variable-remove-cancel-0"));
    expect(screen.queryByTestId("variable-remove-box-0")).toBeNull();
    fireEvent.click(screen.getByTestId("variable-remove-0"));
    fireEvent.click(screen.getByTestId("variable-remove-confirm-0"));
    expect(doc().variables).toEqual([]);
    expect(screen.getByTestId("variables-empty")).toBeTruthy();
  });

  it("follows changes made in the JSON area", () => {
    const doc = renderManager();
    fireEvent.change(screen.getByTestId("scenario-variables"), { target: { value: '[{"name": "tea", "type": "boolean", "default": false}]' } });
    fireEvent.click(screen.getByTestId("scenario-variables-apply"));
    expect(doc().variables).toEqual([{ name: "tea", type: "boolean", default: false }]);
    expect(input("variable-name-0").value).toBe("tea");
    expect((screen.getByTestId("variable-default-0") as HTMLSelectElement).value).toBe("false");
  });
});

describe("the variables manager in the editor", () => {
  it("opens from the toolbar with the block deselected, and its edits are saved", async () => {
    const { calls } = renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-ask"));
    await screen.findByTestId("inspector");
    expect(screen.getByTestId("variables-open").textContent).toBe("Variables (1)");
    fireEvent.click(screen.getByTestId("variables-open"));
    expect(screen.queryByTestId("inspector")).toBeNull();
    expect(screen.getByTestId("variables-manager")).toBeTruthy();
    fireEvent.change(input("variable-add-name"), { target: { value: "cups" } });
    fireEvent.click(screen.getByTestId("variable-add"));
    expect(screen.getByTestId("variables-open").textContent).toBe("Variables (2)");
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true), { timeout: 3000 });
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as ScenarioDocument;
    expect(saved.variables).toEqual([{ name: "drink", type: "string" }, { name: "cups", type: "string" }]);
  });
});
