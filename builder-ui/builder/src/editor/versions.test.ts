import { describe, expect, it } from "vitest";
import type { VersionRead } from "../api/types";
import { sampleDocument, scenarioDiff, TYPES } from "../test/fixtures";
import { documentToGraph } from "./graph";
import { diffMark, diffView, orderVersions } from "./versions";

describe("diffView", () => {
  it("marks added and changed blocks; moves, removals and the rest go to the panel", () => {
    const view = diffView(scenarioDiff(), 3);
    expect(view.from).toBe(3);
    expect([...view.marks]).toEqual([
      ["ask", "added"],
      ["hello", "changed"],
    ]);
    expect(view.changed).toEqual([{ id: "hello", fields: ["text.uk"] }]);
    expect(view.moved).toEqual(["tea_end"]);
    expect(view.removed).toEqual(["old_end"]);
    expect([view.edgesAdded, view.edgesRemoved]).toEqual([1, 0]);
    expect(view.variablesAdded).toEqual(["drink"]);
    expect(view.detailsChanged).toBe(true);
    expect(view.empty).toBe(false);
    expect(diffMark(view, "hello")).toBe("changed");
    expect(diffMark(view, "tea_end")).toBeNull();
    expect(diffMark(null, "hello")).toBeNull();
  });

  it("is empty when only moves differ", () => {
    const view = diffView(
      scenarioDiff({
        blocks: { added: [], removed: [], changed: [{ id: "a", fields: ["layout"], layout_only: true }] },
        edges: { added: [], removed: [] },
        variables: { added: [], removed: [], changed: [] },
        details_changed: false,
      }),
      1,
    );
    expect(view.empty).toBe(true);
    expect(view.marks.size).toBe(0);
    expect(view.moved).toEqual(["a"]);
  });

  it("puts the marks on the nodes drawn from the document", () => {
    const view = diffView(scenarioDiff(), 2);
    const { nodes } = documentToGraph(sampleDocument(), { types: TYPES, defaultLanguage: "uk", diff: view.marks, visited: new Set(["hello"]) });
    expect(nodes.map((n) => [n.id, n.data.diff, n.data.visited])).toEqual([
      ["hello", "changed", true],
      ["coffee_end", null, false],
      ["tea_end", null, false],
      ["ask", "added", false],
      ["help", null, false],
    ]);
  });
});

describe("orderVersions", () => {
  const version = (number: number, live = false): VersionRead => ({
    number,
    live,
    author: "user:1",
    changelog: `v${number}`,
    created_at: "2025-01-01T00:00:00Z",
    document_hash: "h",
    rolled_back_from: null,
  });

  it("lists newest first and marks the scenario's live version", () => {
    const ordered = orderVersions([version(1), version(3), version(2, true)], 1);
    expect(ordered.map((v) => [v.number, v.isLive])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
    expect(orderVersions([version(1), version(2, true)], undefined).map((v) => [v.number, v.isLive])).toEqual([[2, true], [1, false]]);
    expect(orderVersions([version(1)], null).map((v) => v.isLive)).toEqual([false]);
  });
});
