import { describe, expect, it } from "vitest";
import { emptyHistory, record, redo, seal, undo } from "./history";

describe("the undo history", () => {
  it("undoes and redoes edits in order", () => {
    let h = emptyHistory<string>();
    h = record(h, "a");
    h = record(h, "b"); // now "c"
    const first = undo(h, "c")!;
    expect(first.state).toBe("b");
    const second = undo(first.history, first.state)!;
    expect(second.state).toBe("a");
    expect(undo(second.history, second.state)).toBeNull();
    const back = redo(second.history, "a")!;
    expect(back.state).toBe("b");
    const again = redo(back.history, "b")!;
    expect(again.state).toBe("c");
    expect(redo(again.history, "c")).toBeNull();
  });

  it("drops what was undone on a new edit", () => {
    let h = record(record(emptyHistory<string>(), "a"), "b");
    const step = undo(h, "c")!;
    h = record(step.history, "b"); // an edit of "b" into "d"
    expect(h.future).toEqual([]);
    expect(h.past).toEqual(["a", "b"]);
  });

  it("coalesces edits with the same key in a row into one step", () => {
    let h = emptyHistory<string>();
    h = record(h, "", "field-1"); // "" → "H"
    h = record(h, "H", "field-1"); // → "He"
    h = record(h, "He", "field-1"); // → "Hel"
    expect(h.past).toEqual([""]);
    h = record(h, "Hel", "field-2"); // another field: another step
    h = record(h, "Hel+", null); // an edit without a key is always its own step
    h = record(h, "Hel++", null);
    expect(h.past).toEqual(["", "Hel", "Hel+", "Hel++"]);
    // after an undo, or once sealed, the same key starts a new step
    const step = undo(h, "Hel+++")!;
    const after = record(record(step.history, "x", "field-2"), "y", "field-2");
    expect(after.past).toEqual(["", "Hel", "Hel+", "x"]);
    const sealed = record(seal(after), "z", "field-2");
    expect(sealed.past).toEqual(["", "Hel", "Hel+", "x", "z"]);
  });

  it("keeps at most the limit, dropping the oldest", () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 150; i++) h = record(h, i);
    expect(h.past).toHaveLength(100);
    expect(h.past[0]).toBe(50);
    expect(record(record(record(emptyHistory<number>(), 1, null, 2), 2, null, 2), 3, null, 2).past).toEqual([2, 3]);
  });
});
