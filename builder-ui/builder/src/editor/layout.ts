// A simple layered layout for documents without positions: breadth-first from the start block
// along the edges (in port order), one column per step, blocks stacked in each column by their
// estimated height. Blocks nothing reaches start columns of their own below the start.
import type { Position, ScenarioDocument } from "../api/types";

export const COLUMN_WIDTH = 300;
export const ROW_GAP = 40;

/** Roughly how tall a node is drawn: a header and one row per output port. */
export function estimateHeight(portCount: number): number {
  return 72 + 24 * Math.max(portCount, 1);
}

export function autoLayout(
  doc: ScenarioDocument,
  portCount: (blockId: string) => number = () => 1,
): Record<string, Position> {
  const ids = doc.blocks.map((b) => b.id);
  const known = new Set(ids);
  const out = new Map<string, string[]>();
  for (const id of ids) out.set(id, []);
  for (const edge of doc.edges) {
    if (known.has(edge.source) && known.has(edge.target)) out.get(edge.source)!.push(edge.target);
  }

  const depth = new Map<string, number>();
  const order: string[] = [];
  const visit = (root: string) => {
    if (depth.has(root)) return;
    depth.set(root, 0);
    order.push(root);
    const queue = [root];
    while (queue.length) {
      const id = queue.shift()!;
      for (const next of out.get(id)!) {
        if (depth.has(next)) continue;
        depth.set(next, depth.get(id)! + 1);
        order.push(next);
        queue.push(next);
      }
    }
  };
  if (known.has(doc.entry.start)) visit(doc.entry.start);
  // Commands and event handlers are roots too, then whatever is left, in document order.
  const handlers = [...Object.values(doc.entry.commands ?? {}), ...Object.values(doc.entry.events ?? {})];
  for (const id of handlers) if (typeof id === "string" && known.has(id)) visit(id);
  for (const id of ids) visit(id);

  const columnY = new Map<number, number>();
  const positions: Record<string, Position> = {};
  for (const id of order) {
    const column = depth.get(id)!;
    const y = columnY.get(column) ?? 0;
    positions[id] = { x: column * COLUMN_WIDTH, y };
    columnY.set(column, y + estimateHeight(portCount(id)) + ROW_GAP);
  }
  return positions;
}

function hasLayout(block: { layout?: Position | null }): boolean {
  const l = block.layout;
  return !!l && Number.isFinite(l.x) && Number.isFinite(l.y);
}

/** The document with every block given a position: all laid out when none has one; when only
 * some lack one, those are laid out below the ones already placed. Unchanged when all have. */
export function withLayout(doc: ScenarioDocument, portCount?: (blockId: string) => number): ScenarioDocument {
  const missing = doc.blocks.filter((b) => !hasLayout(b));
  if (!missing.length) return doc;
  const computed = autoLayout(doc, portCount);
  const placed = doc.blocks.filter(hasLayout);
  let offsetY = 0;
  let offsetX = 0;
  if (placed.length) {
    offsetX = Math.min(...placed.map((b) => b.layout!.x));
    offsetY = Math.max(...placed.map((b) => b.layout!.y)) + 200;
    const minY = Math.min(...missing.map((b) => computed[b.id].y));
    offsetY -= minY;
  }
  return {
    ...doc,
    blocks: doc.blocks.map((b) => {
      if (hasLayout(b)) return b;
      const p = computed[b.id];
      return { ...b, layout: { x: p.x + offsetX, y: p.y + offsetY } };
    }),
  };
}

export const NODE_WIDTH = 220;

/** The free spot nearest to `wanted` where a new node (NODE_WIDTH × `height`) overlaps no
 * block (each taken as NODE_WIDTH × its `heightOf`), with `gap` around: a new block never
 * lands on another. Searched on a 20 px grid in growing rings. */
export function freePosition(
  doc: ScenarioDocument,
  wanted: Position,
  heightOf: (blockId: string) => number = () => estimateHeight(1),
  height = estimateHeight(1),
  gap = 24,
): Position {
  const boxes = doc.blocks
    .filter((b) => b.layout && Number.isFinite(b.layout.x) && Number.isFinite(b.layout.y))
    .map((b) => ({ x: b.layout!.x, y: b.layout!.y, w: NODE_WIDTH, h: heightOf(b.id) }));
  const fits = (x: number, y: number) =>
    boxes.every((b) => x + NODE_WIDTH + gap <= b.x || b.x + b.w + gap <= x || y + height + gap <= b.y || b.y + b.h + gap <= y);
  const x0 = Math.round(wanted.x);
  const y0 = Math.round(wanted.y);
  const step = 20;
  for (let ring = 0; ring <= 60; ring++) {
    let best: Position | null = null;
    let bestDistance = Infinity;
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue; // this ring only
        const x = x0 + i * step;
        const y = y0 + j * step;
        const distance = i * i + j * j;
        if (distance < bestDistance && fits(x, y)) {
          best = { x, y };
          bestDistance = distance;
        }
      }
    }
    if (best) return best;
  }
  const lowest = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: lowest + gap };
}
