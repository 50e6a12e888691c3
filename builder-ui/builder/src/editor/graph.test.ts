import { describe, expect, it } from "vitest";
import { sampleDocument, TYPES } from "../test/fixtures";
import { documentToGraph, graphToDocument, TARGET_HANDLE } from "./graph";

const ctx = { types: TYPES, defaultLanguage: "uk" };

describe("documentToGraph", () => {
  it("draws one node per block at its layout, with its ports, type, id and summary", () => {
    const { nodes } = documentToGraph(sampleDocument(), ctx);
    expect(nodes.map((n) => n.id)).toEqual(["hello", "coffee_end", "tea_end", "ask", "help"]);
    const hello = nodes[0];
    expect(hello.type).toBe("block");
    expect(hello.position).toEqual({ x: 0, y: 0 });
    expect(hello.data).toMatchObject({
      blockType: "message",
      blockId: "hello",
      name: "Greeting",
      summary: "Кава чи чай?",
      ports: ["coffee", "tea", "next"],
      strayPorts: [],
      isStart: true,
      known: true,
    });
    expect(nodes[1].data.ports).toEqual([]);
    expect(nodes[3].data.ports).toEqual(["next", "invalid"]);
    expect(nodes[1].data.isStart).toBe(false);
  });

  it("draws one edge per document edge, from the handle named by its port", () => {
    const { edges } = documentToGraph(sampleDocument(), ctx);
    expect(edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ["hello", "coffee", "coffee_end", TARGET_HANDLE],
      ["hello", "tea", "tea_end", TARGET_HANDLE],
      ["hello", "next", "ask", TARGET_HANDLE],
      ["ask", "next", "hello", TARGET_HANDLE],
    ]);
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it("keeps an edge from a port the block lacks visible, as a stray port", () => {
    const doc = sampleDocument();
    doc.edges.push({ source: "coffee_end", port: "next", target: "help" });
    const { nodes, edges } = documentToGraph(doc, ctx);
    expect(nodes[1].data.strayPorts).toEqual(["next"]);
    expect(edges.some((e) => e.source === "coffee_end")).toBe(true);
  });

  it("leaves out edges to blocks that do not exist (validation reports them)", () => {
    const doc = sampleDocument();
    doc.edges.push({ source: "ask", port: "invalid", target: "nowhere" });
    expect(documentToGraph(doc, ctx).edges).toHaveLength(4);
  });

  it("marks the block the test conversation waits at, and blocks with issues", () => {
    const { nodes } = documentToGraph(sampleDocument(), {
      ...ctx,
      waitingBlockId: "ask",
      issues: new Map([["tea_end", "warning" as const]]),
    });
    expect(nodes.filter((n) => n.data.waiting).map((n) => n.id)).toEqual(["ask"]);
    expect(nodes.find((n) => n.id === "tea_end")!.data.issue).toBe("warning");
  });
});

describe("graphToDocument", () => {
  it("gives back the same document when nothing moved (layout and all else preserved)", () => {
    const doc = sampleDocument();
    const { nodes, edges } = documentToGraph(doc, ctx);
    const back = graphToDocument(doc, nodes, edges);
    expect(back).toEqual(doc);
    // unchanged blocks and edges are the very same objects
    expect(back.blocks[0]).toBe(doc.blocks[0]);
    expect(back.edges[1]).toBe(doc.edges[1]);
  });

  it("writes moved nodes' positions into layout, rounded", () => {
    const doc = sampleDocument();
    const { nodes, edges } = documentToGraph(doc, ctx);
    const moved = nodes.map((n) => (n.id === "ask" ? { ...n, position: { x: 410.4, y: 280.6 } } : n));
    const back = graphToDocument(doc, moved, edges);
    expect(back.blocks[3].layout).toEqual({ x: 410, y: 281 });
    expect(back.blocks[0]).toBe(doc.blocks[0]);
    expect(back.blocks[3].settings).toBe(doc.blocks[3].settings);
  });

  it("takes edges as drawn: removed ones go, new ones come with their port", () => {
    const doc = sampleDocument();
    const { nodes, edges } = documentToGraph(doc, ctx);
    const drawn = [...edges.filter((e) => e.sourceHandle !== "tea"), { source: "ask", sourceHandle: "invalid", target: "help" }];
    const back = graphToDocument(doc, nodes, drawn);
    expect(back.edges).toEqual([
      { source: "hello", port: "coffee", target: "coffee_end" },
      { source: "hello", port: "next", target: "ask" },
      { source: "ask", port: "next", target: "hello" },
      { source: "ask", port: "invalid", target: "help" },
    ]);
  });

  it("keeps dangling edges it could not draw, and drops those of removed blocks", () => {
    const doc = sampleDocument();
    doc.edges.push({ source: "help", port: "next", target: "ghost" });
    const { nodes, edges } = documentToGraph(doc, ctx);
    expect(graphToDocument(doc, nodes, edges).edges).toContainEqual({ source: "help", port: "next", target: "ghost" });
    const withoutHelp = nodes.filter((n) => n.id !== "help");
    const back = graphToDocument(doc, withoutHelp, edges);
    expect(back.blocks.map((b) => b.id)).not.toContain("help");
    expect(back.edges.some((e) => e.source === "help")).toBe(false);
  });
});
