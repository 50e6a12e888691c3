import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { sampleDocument } from "../test/fixtures";
import { autoLayout, COLUMN_WIDTH, freePosition, NODE_WIDTH, withLayout } from "./layout";

function chain(n: number): ScenarioDocument {
  const blocks = Array.from({ length: n }, (_, i) => ({ id: `b${i}`, type: "message", settings: {} }));
  const edges = blocks.slice(1).map((b, i) => ({ source: `b${i}`, port: "next", target: b.id }));
  return { schema_version: 2, entry: { start: "b0" }, blocks, edges };
}

describe("autoLayout", () => {
  it("puts the start block first and every block at its own spot", () => {
    const doc = sampleDocument(false);
    const positions = autoLayout(doc);
    expect(Object.keys(positions).sort()).toEqual(doc.blocks.map((b) => b.id).sort());
    expect(positions.hello).toEqual({ x: 0, y: 0 });
    const spots = new Set(Object.values(positions).map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(doc.blocks.length);
  });

  it("lays blocks out in columns by their distance from the start, along the edges", () => {
    const doc = sampleDocument(false);
    const positions = autoLayout(doc);
    expect(positions.coffee_end.x).toBe(COLUMN_WIDTH);
    expect(positions.tea_end.x).toBe(COLUMN_WIDTH);
    expect(positions.ask.x).toBe(COLUMN_WIDTH);
    // in port order: coffee, tea, next
    expect(positions.coffee_end.y).toBeLessThan(positions.tea_end.y);
    expect(positions.tea_end.y).toBeLessThan(positions.ask.y);
  });

  it("starts the start even when it is not the first block, and places unreachable blocks too", () => {
    const doc = chain(4);
    doc.blocks.reverse();
    doc.blocks.push({ id: "lonely", type: "end", settings: {} });
    const positions = autoLayout(doc);
    expect(positions.b0).toEqual({ x: 0, y: 0 });
    expect(positions.b3.x).toBe(3 * COLUMN_WIDTH);
    expect(positions.lonely.x).toBe(0);
    expect(positions.lonely.y).toBeGreaterThan(0);
  });

  it("stacks tall blocks without overlap", () => {
    const doc: ScenarioDocument = {
      schema_version: 2,
      entry: { start: "a" },
      blocks: ["a", "b", "c"].map((id) => ({ id, type: "message", settings: {} })),
      edges: [{ source: "a", port: "x", target: "b" }, { source: "a", port: "y", target: "c" }],
    };
    const positions = autoLayout(doc, (id) => (id === "b" ? 10 : 1));
    expect(positions.c.y - positions.b.y).toBeGreaterThanOrEqual(72 + 24 * 10);
  });

  it("survives cycles", () => {
    const doc = chain(3);
    doc.edges.push({ source: "b2", port: "next", target: "b0" });
    const positions = autoLayout(doc);
    expect(positions.b2.x).toBe(2 * COLUMN_WIDTH);
  });
});

describe("withLayout", () => {
  it("lays out a document without positions", () => {
    const doc = withLayout(sampleDocument(false));
    expect(doc.blocks.every((b) => b.layout)).toBe(true);
    expect(doc.blocks[0].layout).toEqual({ x: 0, y: 0 });
  });

  it("keeps a document that has positions as it is", () => {
    const doc = sampleDocument();
    expect(withLayout(doc)).toBe(doc);
  });

  it("places blocks without a position below those that have one", () => {
    const doc = sampleDocument();
    delete doc.blocks[4].layout;
    doc.blocks.push({ id: "new", type: "end", settings: {} });
    const laid = withLayout(doc);
    const placed = Math.max(...doc.blocks.filter((b) => b.layout).map((b) => b.layout!.y));
    expect(laid.blocks[4].layout!.y).toBeGreaterThan(placed);
    expect(laid.blocks[5].layout!.y).toBeGreaterThan(placed);
    expect(laid.blocks[4].layout).not.toEqual(laid.blocks[5].layout);
    expect(laid.blocks[0]).toBe(doc.blocks[0]);
  });
});

describe("freePosition", () => {
  it("keeps the wanted spot when it is free", () => {
    expect(freePosition(sampleDocument(), { x: 1000, y: 1000 })).toEqual({ x: 1000, y: 1000 });
  });

  it("moves a new block off the blocks it would cover", () => {
    const doc = sampleDocument();
    const p = freePosition(doc, { x: 10, y: 10 });
    for (const b of doc.blocks) {
      const apart = p.x + NODE_WIDTH <= b.layout!.x || b.layout!.x + NODE_WIDTH <= p.x || p.y + 96 <= b.layout!.y || b.layout!.y + 96 <= p.y;
      expect(apart).toBe(true);
    }
  });
});
