// JSON pointers (RFC 6901) of validation issues, to the block they are about.
import type { ScenarioDocument } from "../api/types";

/** The segments of a JSON pointer ("" is the whole document); null when it is not one. */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return null;
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function index(segment: string | undefined): number | null {
  return segment !== undefined && /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : null;
}

/** `/blocks/<i>/...` → i; null for any other pointer. */
export function blockIndexOfPointer(pointer: string): number | null {
  const parts = parsePointer(pointer);
  if (!parts || parts[0] !== "blocks") return null;
  return index(parts[1]);
}

/** `/edges/<i>/...` → i; null for any other pointer. */
export function edgeIndexOfPointer(pointer: string): number | null {
  const parts = parsePointer(pointer);
  if (!parts || parts[0] !== "edges") return null;
  return index(parts[1]);
}

/** The id of the block an issue is about: its `block_id` when the server named one, else the
 * block (or the source block of the edge) its pointer leads to in the document. */
export function issueBlockId(
  issue: { path: string; block_id?: string | null },
  doc: ScenarioDocument,
): string | null {
  if (issue.block_id && doc.blocks.some((b) => b.id === issue.block_id)) return issue.block_id;
  const block = blockIndexOfPointer(issue.path);
  if (block !== null) return doc.blocks[block]?.id ?? null;
  const edge = edgeIndexOfPointer(issue.path);
  if (edge !== null) {
    const source = doc.edges[edge]?.source;
    return source && doc.blocks.some((b) => b.id === source) ? source : null;
  }
  const parts = parsePointer(issue.path);
  if (parts && parts[0] === "entry") {
    // /entry/start, /entry/commands/x, /entry/events/fallback name a block by id
    let value: unknown = doc;
    for (const part of parts) value = (value as Record<string, unknown> | undefined)?.[part];
    if (typeof value === "string" && doc.blocks.some((b) => b.id === value)) return value;
  }
  return null;
}
