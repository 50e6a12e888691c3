// The scenario document as React Flow nodes and edges, and back: one node per block (at its
// `layout`), one source handle per output port and one target handle ("in"); one edge per
// document edge, leaving the handle named by the edge's `port`.
import type { Edge as FlowEdge, Node } from "@xyflow/react";
import type { Block, BlockType, Edge, Position, ScenarioDocument } from "../api/types";
import { blockSummary } from "./blocks";
import { blockPorts, strayPorts } from "./ports";
import type { DiffMark } from "./versions";

export const TARGET_HANDLE = "in";

export interface BlockNodeData extends Record<string, unknown> {
  blockType: string;
  /** The type's title per interface language (from the catalogue). */
  titles: Record<string, string>;
  blockId: string;
  name: string | null;
  summary: string;
  ports: string[];
  /** Ports edges leave from that the block does not have (drawn as broken). */
  strayPorts: string[];
  isStart: boolean;
  known: boolean;
  waiting: boolean;
  /** The last turn of the test chat passed through the block. */
  visited: boolean;
  issue: "error" | "warning" | null;
  /** While a diff with a version is shown: added since it, or changed. */
  diff: DiffMark | null;
}

export type BlockNode = Node<BlockNodeData, "block">;

export interface EdgeData extends Record<string, unknown> {
  index: number;
  port: string;
}

export type PortEdge = FlowEdge<EdgeData>;

export interface GraphContext {
  types: Map<string, BlockType>;
  defaultLanguage: string;
  waitingBlockId?: string | null;
  issues?: Map<string, "error" | "warning">;
  visited?: ReadonlySet<string>;
  diff?: ReadonlyMap<string, DiffMark> | null;
}

export function edgeKey(source: string, port: string): string {
  return `${source}:${port}`;
}

function position(block: Block): Position {
  const l = block.layout;
  return l && Number.isFinite(l.x) && Number.isFinite(l.y) ? { x: l.x, y: l.y } : { x: 0, y: 0 };
}

export function documentToGraph(doc: ScenarioDocument, ctx: GraphContext): { nodes: BlockNode[]; edges: PortEdge[] } {
  const ids = new Set(doc.blocks.map((b) => b.id));
  const nodes = doc.blocks.map((block): BlockNode => {
    const type = ctx.types.get(block.type);
    const ports = blockPorts(block, type);
    return {
      id: block.id,
      type: "block",
      position: position(block),
      data: {
        blockType: block.type,
        titles: type?.titles ?? {},
        blockId: block.id,
        name: typeof block.name === "string" && block.name ? block.name : null,
        summary: blockSummary(block, ctx.defaultLanguage),
        ports,
        strayPorts: strayPorts(block.id, ports, doc.edges),
        isStart: doc.entry.start === block.id,
        known: type !== undefined,
        waiting: !!ctx.waitingBlockId && ctx.waitingBlockId === block.id,
        visited: ctx.visited?.has(block.id) ?? false,
        issue: ctx.issues?.get(block.id) ?? null,
        diff: ctx.diff?.get(block.id) ?? null,
      },
    };
  });
  const seen = new Map<string, number>();
  const edges: PortEdge[] = [];
  doc.edges.forEach((edge, index) => {
    if (!ids.has(edge.source) || !ids.has(edge.target)) return; // dangling: validation says so
    const port = edge.port ?? "next";
    const key = edgeKey(edge.source, port);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    edges.push({
      id: count === 1 ? key : `${key}~${count}`,
      source: edge.source,
      sourceHandle: port,
      target: edge.target,
      targetHandle: TARGET_HANDLE,
      data: { index, port },
    });
  });
  return { nodes, edges };
}

/** The document with the nodes' positions as `layout` and the edges as drawn. Everything
 * the canvas does not show (names, settings, entry, variables, edges to missing blocks, an
 * edge's own fields) is kept from `doc`. */
export function graphToDocument(
  doc: ScenarioDocument,
  nodes: Array<Pick<Node, "id" | "position">>,
  edges: Array<Pick<FlowEdge, "source" | "target" | "sourceHandle"> & { data?: Partial<EdgeData> }>,
): ScenarioDocument {
  const positions = new Map(nodes.map((n) => [n.id, n.position]));
  const blocks = doc.blocks
    .filter((b) => positions.has(b.id))
    .map((b) => {
      const p = positions.get(b.id)!;
      if (b.layout && b.layout.x === p.x && b.layout.y === p.y) return b;
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      return b.layout && b.layout.x === x && b.layout.y === y ? b : { ...b, layout: { x, y } };
    });
  const ids = new Set(blocks.map((b) => b.id));
  const before = new Set(doc.blocks.map((b) => b.id));
  const removed = (id: string) => before.has(id) && !ids.has(id);
  // Which document edge each drawn edge is (by its index, when it still joins the same ports).
  const drawnOriginals = new Set<number>();
  const added: Edge[] = [];
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    const port = e.sourceHandle ?? e.data?.port ?? "next";
    const index = e.data?.index;
    const original = index !== undefined ? doc.edges[index] : undefined;
    if (original && original.source === e.source && original.target === e.target && (original.port ?? "next") === port) {
      drawnOriginals.add(index!);
    } else {
      added.push({ source: e.source, port, target: e.target });
    }
  }
  // In document order: the edges still drawn, and those the canvas could not draw (to a block
  // that does not exist) unless they touch a block removed now; then the new ones.
  const kept = doc.edges.filter((e, i) => {
    if (before.has(e.source) && before.has(e.target)) return drawnOriginals.has(i);
    return !removed(e.source) && !removed(e.target);
  });
  return { ...doc, blocks, edges: [...kept, ...added] };
}
