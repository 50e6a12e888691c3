import { describe, expect, it } from "vitest";
import { sampleDocument } from "../test/fixtures";
import { addBlock, connect, edgeIdentity, ensureVariable, freshBlockId, jsonEqual, removeBlocks, removeEdges, setPositions, updateBlock } from "./document";

describe("document edits", () => {
  it("give fresh ids per type", () => {
    const doc = sampleDocument();
    expect(freshBlockId(doc, "message")).toBe("message_1");
    const more = addBlock(doc, { id: "message_1", type: "message", settings: {} });
    expect(freshBlockId(more, "message")).toBe("message_2");
    expect(freshBlockId(doc, "a.b c")).toBe("a_b_c_1");
  });

  it("add a block without touching the old document; the first block becomes the start", () => {
    const doc = sampleDocument();
    const next = addBlock(doc, { id: "x", type: "end", settings: {} });
    expect(doc.blocks).toHaveLength(5);
    expect(next.blocks).toHaveLength(6);
    expect(next.entry.start).toBe("hello");
    const empty = { ...doc, blocks: [], edges: [], entry: { start: "" } };
    expect(addBlock(empty, { id: "x", type: "end", settings: {} }).entry.start).toBe("x");
  });

  it("connect replaces the edge that left the same port", () => {
    const doc = connect(sampleDocument(), "hello", "tea", "help");
    expect(doc.edges.filter((e) => e.source === "hello" && e.port === "tea")).toEqual([{ source: "hello", port: "tea", target: "help" }]);
    expect(doc.edges).toHaveLength(4);
    const added = connect(doc, "ask", "invalid", "help");
    expect(added.edges).toHaveLength(5);
  });

  it("remove blocks with their edges", () => {
    const doc = removeBlocks(sampleDocument(), ["ask"]);
    expect(doc.blocks.map((b) => b.id)).not.toContain("ask");
    expect(doc.edges.some((e) => e.source === "ask" || e.target === "ask")).toBe(false);
    expect(doc.edges).toHaveLength(2);
  });

  it("remove edges by what they join", () => {
    const doc = sampleDocument();
    const next = removeEdges(doc, [edgeIdentity({ source: "hello", port: "next", target: "ask" })]);
    expect(next.edges).toHaveLength(3);
    expect(removeEdges(doc, [edgeIdentity({ source: "hello", target: "nowhere" })])).toBe(doc);
  });

  it("update and position blocks, unchanged documents staying the same object", () => {
    const doc = sampleDocument();
    expect(updateBlock(doc, "ask", (b) => b)).toBe(doc);
    expect(updateBlock(doc, "ask", (b) => ({ ...b, name: "Q" })).blocks[3].name).toBe("Q");
    expect(setPositions(doc, { ask: { x: 300, y: 300 } })).toBe(doc);
    expect(setPositions(doc, { ask: { x: 301.2, y: 300 } }).blocks[3].layout).toEqual({ x: 301, y: 300 });
  });

  it("declare a variable once", () => {
    const doc = sampleDocument();
    expect(ensureVariable(doc, "drink")).toBe(doc);
    expect(ensureVariable(doc, "answer").variables).toEqual([{ name: "drink", type: "string" }, { name: "answer" }]);
  });

  it("compare JSON regardless of key order", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: null }, { a: 0 })).toBe(false);
  });
});
