// Copy, cut and paste of blocks, also between scenarios and browser tabs: the copied blocks,
// the edges among them and the declarations of the variables they use, as JSON in
// localStorage (and on the system clipboard where the browser allows it).
import type { Block, Edge, Position, ScenarioDocument } from "../api/types";
import { freshBlockId, removeBlocks } from "./document";
import { estimateHeight, NODE_WIDTH } from "./layout";
import { declaredVariables } from "./schemaForm";

export const CLIPBOARD_KEY = "rozmova.builder.clipboard";
const KIND = "rozmova.builder.blocks";

export interface BlockClip {
  kind: typeof KIND;
  version: 1;
  blocks: Block[];
  edges: Edge[];
  /** The source scenario's declarations of the variables the blocks use. */
  variables: unknown[];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether the blocks use a variable: a setting naming it (`answer`, `answer.city`) or a
 * template using it (`{{answer}}`, `{{ answer.city }}`). */
export function usesVariable(blocks: Block[], name: string): boolean {
  const template = new RegExp(`\\{\\{\\s*${escape(name)}(?![A-Za-z0-9_])`);
  const visit = (value: unknown): boolean => {
    if (typeof value === "string") return value === name || value.startsWith(`${name}.`) || template.test(value);
    if (Array.isArray(value)) return value.some(visit);
    if (value && typeof value === "object") return Object.values(value).some(visit);
    return false;
  };
  return blocks.some((b) => visit(b.settings));
}

/** The selected blocks, the edges among them and the declarations they need; null when none. */
export function copyBlocks(doc: ScenarioDocument, ids: Iterable<string>): BlockClip | null {
  const chosen = new Set(ids);
  const blocks = doc.blocks.filter((b) => chosen.has(b.id));
  if (!blocks.length) return null;
  const edges = doc.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  const variables = (Array.isArray(doc.variables) ? doc.variables : []).filter((v) => {
    const name = v && typeof v === "object" ? (v as { name?: unknown }).name : undefined;
    return typeof name === "string" && name !== "" && usesVariable(blocks, name);
  });
  return clone({ kind: KIND, version: 1, blocks, edges, variables });
}

/** The document without the cut blocks (and their edges), and what was cut. */
export function cutBlocks(doc: ScenarioDocument, ids: Iterable<string>): { doc: ScenarioDocument; clip: BlockClip | null } {
  const list = [...ids];
  const clip = copyBlocks(doc, list);
  return { doc: clip ? removeBlocks(doc, list) : doc, clip };
}

export function serializeClip(clip: BlockClip): string {
  return JSON.stringify(clip);
}

/** A clip from text, or null when the text is not a copied selection. */
export function parseClip(text: string | null | undefined): BlockClip | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const clip = value as Partial<BlockClip>;
  if (clip.kind !== KIND || !Array.isArray(clip.blocks) || !clip.blocks.length) return null;
  const blocksOk = clip.blocks.every(
    (b) => b && typeof b === "object" && typeof b.id === "string" && typeof b.type === "string" && b.settings && typeof b.settings === "object",
  );
  if (!blocksOk) return null;
  const edges = Array.isArray(clip.edges)
    ? clip.edges.filter((e) => e && typeof e === "object" && typeof e.source === "string" && typeof e.target === "string")
    : [];
  return { kind: KIND, version: 1, blocks: clip.blocks, edges, variables: Array.isArray(clip.variables) ? clip.variables : [] };
}

export interface PasteResult {
  doc: ScenarioDocument;
  /** The pasted blocks' ids, in the order of the clip. */
  ids: string[];
  /** Variables declared because the pasted blocks use them. */
  declared: string[];
}

const at = (b: Block): Position =>
  b.layout && Number.isFinite(b.layout.x) && Number.isFinite(b.layout.y) ? { x: b.layout.x, y: b.layout.y } : { x: 0, y: 0 };

/** The offset for the pasted blocks: the nearest to (40, 40) where none of them covers a block
 * of the document. */
export function pasteOffset(
  doc: ScenarioDocument,
  blocks: Block[],
  heightOf: (block: Block) => number = () => estimateHeight(1),
  gap = 16,
): Position {
  const boxes = doc.blocks.map((b) => ({ ...at(b), h: heightOf(b) }));
  const pasted = blocks.map((b) => ({ ...at(b), h: heightOf(b) }));
  const fits = (dx: number, dy: number) =>
    pasted.every((p) =>
      boxes.every((b) => {
        const x = p.x + dx;
        const y = p.y + dy;
        return x + NODE_WIDTH + gap <= b.x || b.x + NODE_WIDTH + gap <= x || y + p.h + gap <= b.y || b.y + b.h + gap <= y;
      }),
    );
  const step = 20;
  const x0 = 40;
  const y0 = 40;
  for (let ring = 0; ring <= 80; ring++) {
    let best: Position | null = null;
    let bestDistance = Infinity;
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const dx = x0 + i * step;
        const dy = y0 + j * step;
        const distance = dx * dx + dy * dy;
        if (distance < bestDistance && fits(dx, dy)) {
          best = { x: dx, y: dy };
          bestDistance = distance;
        }
      }
    }
    if (best) return best;
  }
  // Nothing near is free: below everything.
  const bottom = Math.max(0, ...boxes.map((b) => b.y + b.h));
  const top = Math.min(...pasted.map((p) => p.y));
  return { x: x0, y: bottom + gap * 2 - top };
}

/** Pastes a clip: blocks whose ids are taken get fresh ones (their edges follow), all are moved
 * off the blocks already there, and the variables they use that the document lacks are
 * declared as the source declared them. */
export function pasteBlocks(
  doc: ScenarioDocument,
  clip: BlockClip,
  heightOf?: (block: Block) => number,
): PasteResult {
  const ids = new Map<string, string>();
  let working: ScenarioDocument = { ...doc, blocks: [...doc.blocks] };
  for (const block of clip.blocks) {
    const taken = working.blocks.some((b) => b.id === block.id) || ids.has(block.id);
    const id = taken ? freshBlockId(working, block.type) : block.id;
    ids.set(block.id, id);
    working = { ...working, blocks: [...working.blocks, { ...block, id }] };
  }
  const offset = pasteOffset(doc, clip.blocks, heightOf);
  const blocks = clip.blocks.map((b): Block => {
    const p = at(b);
    return { ...clone(b), id: ids.get(b.id)!, layout: { x: Math.round(p.x + offset.x), y: Math.round(p.y + offset.y) } };
  });
  const edges = clip.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e): Edge => ({ ...clone(e), source: ids.get(e.source)!, target: ids.get(e.target)! }));
  const existing = Array.isArray(doc.variables) ? doc.variables : [];
  const have = new Set(declaredVariables(existing));
  const added: unknown[] = [];
  const declared: string[] = [];
  for (const v of clip.variables) {
    const name = v && typeof v === "object" ? (v as { name?: unknown }).name : undefined;
    if (typeof name !== "string" || !name || have.has(name) || !usesVariable(blocks, name)) continue;
    have.add(name);
    added.push(clone(v));
    declared.push(name);
  }
  const next: ScenarioDocument = {
    ...doc,
    blocks: [...doc.blocks, ...blocks],
    edges: [...doc.edges, ...edges],
    ...(added.length ? { variables: [...existing, ...added] } : {}),
  };
  if (!doc.entry.start) next.entry = { ...doc.entry, start: blocks[0].id };
  return { doc: next, ids: blocks.map((b) => b.id), declared };
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** Keeps a clip for pasting here, in other scenarios and other tabs; also on the system
 * clipboard when the browser allows it. */
export function storeClip(clip: BlockClip): void {
  const text = serializeClip(clip);
  try {
    storage()?.setItem(CLIPBOARD_KEY, text);
  } catch {
    // full or unavailable
  }
  try {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  } catch {
    // not allowed here
  }
}

export function readClip(): BlockClip | null {
  try {
    return parseClip(storage()?.getItem(CLIPBOARD_KEY));
  } catch {
    return null;
  }
}
