// Edits of a scenario document, each returning a new document (the old one is never changed):
// the editor keeps the document as its one source of truth and the canvas is drawn from it.
import type { Block, Edge, Position, ScenarioDocument } from "../api/types";

const BLOCK_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidBlockId(id: string): boolean {
  return BLOCK_ID.test(id);
}

/** A block id not yet used in the document: `<type>_<n>` with the smallest free n. */
export function freshBlockId(doc: ScenarioDocument, type: string): string {
  const base = (type.replace(/[^A-Za-z0-9_-]/g, "_") || "block").slice(0, 56);
  const used = new Set(doc.blocks.map((b) => b.id));
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!used.has(id)) return id;
  }
}

export function addBlock(doc: ScenarioDocument, block: Block): ScenarioDocument {
  const next: ScenarioDocument = { ...doc, blocks: [...doc.blocks, block] };
  // A document with no blocks has nowhere to start: the first block becomes the start.
  if (!doc.blocks.length || !doc.entry.start) next.entry = { ...doc.entry, start: block.id };
  return next;
}

export function updateBlock(doc: ScenarioDocument, id: string, change: (block: Block) => Block): ScenarioDocument {
  let changed = false;
  const blocks = doc.blocks.map((b) => {
    if (b.id !== id) return b;
    const updated = change(b);
    if (updated !== b) changed = true;
    return updated;
  });
  return changed ? { ...doc, blocks } : doc;
}

/** Removes blocks and every edge that touches them. The entry points that named them are
 * left as they are: validation then says the start is missing, rather than the editor
 * silently choosing another one. */
export function removeBlocks(doc: ScenarioDocument, ids: Iterable<string>): ScenarioDocument {
  const gone = new Set(ids);
  if (!gone.size) return doc;
  return {
    ...doc,
    blocks: doc.blocks.filter((b) => !gone.has(b.id)),
    edges: doc.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}

/** Connects a block's port to a target: the edge that left that port is replaced (one edge
 * per port; two would be `edge.ambiguous`). */
export function connect(doc: ScenarioDocument, source: string, port: string, target: string): ScenarioDocument {
  const kept = doc.edges.filter((e) => !(e.source === source && (e.port ?? "next") === port));
  return { ...doc, edges: [...kept, { source, port, target }] };
}

/** Identifies an edge by what it joins, so that removals stay right whatever else changed. */
export function edgeIdentity(edge: Pick<Edge, "source" | "port" | "target">): string {
  return `${edge.source}\u0000${edge.port ?? "next"}\u0000${edge.target}`;
}

export function removeEdges(doc: ScenarioDocument, identities: Iterable<string>): ScenarioDocument {
  const gone = new Set(identities);
  if (!gone.size) return doc;
  const edges = doc.edges.filter((e) => !gone.has(edgeIdentity(e)));
  return edges.length === doc.edges.length ? doc : { ...doc, edges };
}

export function setPositions(doc: ScenarioDocument, positions: Record<string, Position>): ScenarioDocument {
  let changed = false;
  const blocks = doc.blocks.map((b) => {
    const p = positions[b.id];
    if (!p) return b;
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (b.layout && b.layout.x === x && b.layout.y === y) return b;
    changed = true;
    return { ...b, layout: { x, y } };
  });
  return changed ? { ...doc, blocks } : doc;
}

export function setStart(doc: ScenarioDocument, id: string): ScenarioDocument {
  return { ...doc, entry: { ...doc.entry, start: id } };
}

export function blockIndex(doc: ScenarioDocument, id: string): number {
  return doc.blocks.findIndex((b) => b.id === id);
}

export function edgePort(edge: Edge): string {
  return edge.port ?? "next";
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((item, i) => jsonEqual(item, list[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  const other = Object.keys(y).filter((k) => y[k] !== undefined);
  return keys.length === other.length && keys.every((k) => jsonEqual(x[k], y[k]));
}

/** Declares a variable (type any) unless the document already has it. */
export function ensureVariable(doc: ScenarioDocument, name: string): ScenarioDocument {
  const variables = Array.isArray(doc.variables) ? doc.variables : [];
  const has = variables.some((v) => typeof v === "object" && v !== null && (v as { name?: unknown }).name === name);
  return has ? doc : { ...doc, variables: [...variables, { name }] };
}
