import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { sampleDocument } from "../test/fixtures";
import { copyBlocks, cutBlocks, parseClip, pasteBlocks, serializeClip, usesVariable } from "./clipboard";

const empty = (): ScenarioDocument => ({ schema_version: 2, name: "Other", entry: { start: "" }, variables: [], blocks: [], edges: [] });

describe("copying blocks", () => {
  it("takes the selected blocks, the edges among them and the declarations they use", () => {
    const clip = copyBlocks(sampleDocument(), ["hello", "ask", "help"])!;
    expect(clip.blocks.map((b) => b.id)).toEqual(["hello", "ask", "help"]);
    expect(clip.edges).toEqual([
      { source: "hello", port: "next", target: "ask" },
      { source: "ask", port: "next", target: "hello" },
    ]);
    expect(clip.variables).toEqual([{ name: "drink", type: "string" }]);
    expect(copyBlocks(sampleDocument(), ["tea_end"])!.variables).toEqual([]);
    expect(copyBlocks(sampleDocument(), [])).toBeNull();
  });

  it("finds variables in settings and templates", () => {
    const block = (settings: Record<string, unknown>) => [{ id: "b", type: "message", settings }];
    expect(usesVariable(block({ text: { uk: "Привіт, {{ name }}!" } }), "name")).toBe(true);
    expect(usesVariable(block({ text: { uk: "{{name.first}}" } }), "name")).toBe(true);
    expect(usesVariable(block({ variable: "name" }), "name")).toBe(true);
    expect(usesVariable(block({ text: { uk: "{{names}}" } }), "name")).toBe(false);
    expect(usesVariable(block({ text: { uk: "name" } }), "nam")).toBe(false);
  });

  it("round-trips as text, and anything else is not a clip", () => {
    const clip = copyBlocks(sampleDocument(), ["hello"])!;
    expect(parseClip(serializeClip(clip))).toEqual(clip);
    expect(parseClip("hello")).toBeNull();
    expect(parseClip("{}")).toBeNull();
    expect(parseClip(JSON.stringify({ kind: "rozmova.builder.blocks", blocks: [] }))).toBeNull();
    expect(parseClip(JSON.stringify({ kind: "rozmova.builder.blocks", blocks: [{ id: 1 }] }))).toBeNull();
    expect(parseClip(null)).toBeNull();
  });
});

describe("pasting blocks", () => {
  it("gives taken ids fresh ones, remaps the edges among them and moves them off the originals", () => {
    const doc = sampleDocument();
    const clip = copyBlocks(doc, ["hello", "ask"])!;
    const { doc: next, ids, declared } = pasteBlocks(doc, clip);
    expect(ids).toEqual(["message_1", "input_1"]);
    expect(declared).toEqual([]); // "drink" is declared already
    expect(next.blocks).toHaveLength(doc.blocks.length + 2);
    expect(next.edges.slice(doc.edges.length)).toEqual([
      { source: "message_1", port: "next", target: "input_1" },
      { source: "input_1", port: "next", target: "message_1" },
    ]);
    expect(next.blocks.find((b) => b.id === "message_1")!.settings).toEqual(doc.blocks[0].settings);
    // the originals are where they were, and nothing pasted covers any block
    expect(next.blocks.slice(0, doc.blocks.length)).toEqual(doc.blocks);
    const boxes = next.blocks.map((b) => ({ id: b.id, x: b.layout!.x, y: b.layout!.y }));
    const pasted = boxes.filter((b) => ids.includes(b.id));
    for (const p of pasted) {
      for (const b of boxes.filter((o) => !ids.includes(o.id))) {
        const overlaps = p.x < b.x + 220 && b.x < p.x + 220 && p.y < b.y + 100 && b.y < p.y + 100;
        expect(overlaps, `${p.id} over ${b.id}`).toBe(false);
      }
    }
    // the pasted blocks keep their arrangement
    const [m, i] = ids.map((id) => next.blocks.find((b) => b.id === id)!.layout!);
    expect({ x: i.x - m.x, y: i.y - m.y }).toEqual({ x: 300, y: 300 });
    // pasting twice does not put the second copy on the first
    const twice = pasteBlocks(next, clip);
    expect(twice.ids).toEqual(["message_2", "input_2"]);
    const first = next.blocks.find((b) => b.id === "message_1")!.layout!;
    const second = twice.doc.blocks.find((b) => b.id === "message_2")!.layout!;
    expect(first).not.toEqual(second);
  });

  it("keeps ids that are free, declares the variables used that the scenario lacks, and sets a start", () => {
    const clip = copyBlocks(sampleDocument(), ["ask", "coffee_end"])!;
    const { doc, ids, declared } = pasteBlocks(empty(), clip);
    expect(ids).toEqual(["coffee_end", "ask"]);
    expect(declared).toEqual(["drink"]);
    expect(doc.variables).toEqual([{ name: "drink", type: "string" }]);
    expect(doc.entry.start).toBe("coffee_end");
    expect(doc.edges).toEqual([]);
    // ids fresh among the pasted ones too
    const again = pasteBlocks(doc, clip);
    expect(again.ids).toEqual(["end_1", "input_1"]);
    expect(again.declared).toEqual([]);
  });

  it("cut removes the blocks and their edges, and what was cut pastes back", () => {
    const doc = sampleDocument();
    const { doc: rest, clip } = cutBlocks(doc, ["hello"]);
    expect(rest.blocks.map((b) => b.id)).toEqual(["coffee_end", "tea_end", "ask", "help"]);
    expect(rest.edges).toEqual([]);
    expect(clip!.blocks.map((b) => b.id)).toEqual(["hello"]);
    expect(pasteBlocks(rest, clip!).ids).toEqual(["hello"]);
    expect(cutBlocks(doc, ["nope"])).toEqual({ doc, clip: null });
  });
});
