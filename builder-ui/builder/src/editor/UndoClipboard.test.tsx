import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { renderEditor, type Call } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { editorShortcut } from "./Editor";
import { CLIPBOARD_KEY } from "./clipboard";

const saves = (calls: Call[]) => calls.filter((c) => c.method === "PUT" && c.url.endsWith("/draft"));
const lastSaved = (calls: Call[]) => saves(calls).at(-1)!.body as ScenarioDocument;
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe("undo and redo in the editor", () => {
  it("undoes an added block (saved like any edit) and redoes it", async () => {
    const { calls } = renderEditor(sampleDocument(), () => undefined);
    expect(button("undo").disabled).toBe(true);
    expect(button("redo").disabled).toBe(true);
    fireEvent.click(screen.getByTestId("palette-message"));
    expect(screen.getByTestId("node-message_1")).toBeTruthy();
    expect(button("undo").disabled).toBe(false);
    await waitFor(() => expect(saves(calls)).toHaveLength(1), { timeout: 3000 });
    expect(lastSaved(calls).blocks.map((b) => b.id)).toContain("message_1");

    fireEvent.click(screen.getByTestId("undo"));
    expect(screen.queryByTestId("node-message_1")).toBeNull();
    expect(button("undo").disabled).toBe(true);
    expect(button("redo").disabled).toBe(false);
    await waitFor(() => expect(saves(calls)).toHaveLength(2), { timeout: 3000 });
    expect(lastSaved(calls).blocks.map((b) => b.id)).not.toContain("message_1");

    // the keyboard: Ctrl+Shift+Z redoes, Ctrl+Z undoes, Ctrl+Y redoes
    fireEvent.keyDown(document.body, { key: "Z", ctrlKey: true, shiftKey: true });
    expect(screen.getByTestId("node-message_1")).toBeTruthy();
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(screen.queryByTestId("node-message_1")).toBeNull();
    fireEvent.keyDown(document.body, { key: "y", ctrlKey: true });
    expect(screen.getByTestId("node-message_1")).toBeTruthy();
    await waitFor(() => expect(saves(calls)).toHaveLength(3), { timeout: 3000 });
    expect(lastSaved(calls).blocks.map((b) => b.id)).toContain("message_1");
  });

  it("deletes blocks with their edges as one step, and undoes it in one", async () => {
    const { calls } = renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-hello"));
    fireEvent.keyDown(document.body, { key: "Shift", code: "ShiftLeft", shiftKey: true });
    fireEvent.click(screen.getByTestId("node-ask"), { shiftKey: true });
    fireEvent.keyUp(document.body, { key: "Shift", code: "ShiftLeft" });
    await waitFor(() => expect(document.querySelectorAll(".react-flow__node.selected")).toHaveLength(2));
    fireEvent.keyDown(document.body, { key: "Delete", code: "Delete" });
    fireEvent.keyUp(document.body, { key: "Delete", code: "Delete" });
    await waitFor(() => expect(screen.queryByTestId("node-hello")).toBeNull());
    expect(screen.queryByTestId("node-ask")).toBeNull();
    fireEvent.click(screen.getByTestId("undo"));
    expect(screen.getByTestId("node-hello")).toBeTruthy();
    expect(screen.getByTestId("node-ask")).toBeTruthy();
    expect(button("undo").disabled).toBe(true);
    await waitFor(() => expect(saves(calls).length).toBeGreaterThan(0), { timeout: 3000 });
    await waitFor(() => expect(lastSaved(calls)).toEqual(sampleDocument()), { timeout: 3000 });
  });

  it("makes typing in one field one step, and leaves Ctrl+Z in a text field to the field", async () => {
    renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-hello"));
    const field = screen.getByTestId("inspector-text-en") as HTMLTextAreaElement;
    field.focus();
    for (const value of ["Coffee or tea?!", "Coffee or tea?!!", "Coffee or tea?!!!"]) fireEvent.change(field, { target: { value } });
    expect(field.value).toBe("Coffee or tea?!!!");
    fireEvent.keyDown(field, { key: "z", ctrlKey: true }); // the field's own undo, not the editor's
    expect(field.value).toBe("Coffee or tea?!!!");
    act(() => field.blur());
    fireEvent.click(screen.getByTestId("undo"));
    expect((screen.getByTestId("inspector-text-en") as HTMLTextAreaElement).value).toBe("Coffee or tea?");
    expect(button("undo").disabled).toBe(true);
  });
});

describe("copy and paste in the editor", () => {
  it("pastes a copied block under a fresh id, selected, and tells what it declared", async () => {
    const { calls } = renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-ask"));
    await waitFor(() => expect(button("copy").disabled).toBe(false));
    fireEvent.click(screen.getByTestId("copy"));
    const stored = JSON.parse(localStorage.getItem(CLIPBOARD_KEY)!);
    expect(stored.blocks.map((b: { id: string }) => b.id)).toEqual(["ask"]);

    fireEvent.click(screen.getByTestId("paste"));
    const pasted = screen.getByTestId("node-input_1");
    expect(pasted).toBeTruthy();
    expect(screen.getByTestId("node-ask")).toBeTruthy();
    expect(screen.getByTestId("paste-notice").textContent).toContain("Blocks pasted: 1.");
    await waitFor(() => expect(saves(calls).length).toBeGreaterThan(0), { timeout: 3000 });
    const doc = lastSaved(calls);
    const ids = doc.blocks.map((b) => b.id);
    expect(ids.filter((id) => id === "ask")).toHaveLength(1);
    expect(ids).toContain("input_1");
    expect(doc.blocks.find((b) => b.id === "input_1")!.settings).toEqual(doc.blocks.find((b) => b.id === "ask")!.settings);
    // the pasted block is the selection: its inspector shows
    expect(screen.getByTestId("inspector").getAttribute("data-block-id")).toBe("input_1");

    // Ctrl+V again: another copy; one undo takes it away
    fireEvent.keyDown(document.body, { key: "v", ctrlKey: true });
    expect(screen.getByTestId("node-input_2")).toBeTruthy();
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(screen.queryByTestId("node-input_2")).toBeNull();
  });

  it("declares the variables a block pasted into another scenario uses, and ignores other clipboard text", () => {
    const other: ScenarioDocument = { schema_version: 2, name: "Other", entry: { start: "" }, variables: [], blocks: [], edges: [] };
    const source = renderEditor(sampleDocument(), () => undefined);
    fireEvent.click(screen.getByTestId("node-ask"));
    fireEvent.keyDown(document.body, { key: "c", ctrlKey: true });
    const clip = localStorage.getItem(CLIPBOARD_KEY);
    expect(clip).toBeTruthy();
    source.unmount();

    localStorage.setItem(CLIPBOARD_KEY, "not blocks");
    const { unmount } = renderEditor(other, () => undefined, { scenario: { id: "s2" } });
    fireEvent.click(screen.getByTestId("paste"));
    expect(screen.queryByTestId("paste-notice")).toBeNull();
    localStorage.setItem(CLIPBOARD_KEY, clip!);
    fireEvent.click(screen.getByTestId("paste"));
    expect(screen.getByTestId("node-ask")).toBeTruthy();
    expect(screen.getByTestId("paste-notice").textContent).toContain("Variables declared: drink.");
    unmount();
  });

  it("reads the shortcuts, outside text fields only", () => {
    const key = (k: string, more: Partial<KeyboardEvent> = {}) =>
      editorShortcut({ key: k, ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, target: document.body, ...more });
    expect(key("z")).toBe("undo");
    expect(key("Z", { shiftKey: true })).toBe("redo");
    expect(key("y")).toBe("redo");
    expect(key("z", { ctrlKey: false, metaKey: true })).toBe("undo");
    expect(key("c")).toBe("copy");
    expect(key("x")).toBe("cut");
    expect(key("v")).toBe("paste");
    expect(key("z", { ctrlKey: false })).toBeNull();
    expect(key("z", { target: document.createElement("input") })).toBeNull();
    expect(key("c", { target: document.createElement("textarea") })).toBeNull();
  });
});
