// A diff between a published version and the draft (GET /api/v1/scenarios/{id}/diff, see
// scenarios/format/diff.py) as marks on the draft's canvas: blocks added since the version,
// blocks changed (beyond a move), and what the canvas cannot show (removed blocks, edges,
// variables, entry points) for the panel.
import type { ScenarioDiff, VersionRead } from "../api/types";

export type DiffMark = "added" | "changed";

export interface ChangedBlock {
  id: string;
  fields: string[];
}

export interface DiffView {
  /** The version compared with the draft. */
  from: number;
  /** Blocks on the draft's canvas, by id. */
  marks: Map<string, DiffMark>;
  added: string[];
  changed: ChangedBlock[];
  /** Blocks only moved (their layout changed): not marked. */
  moved: string[];
  /** Blocks of the version the draft no longer has (not on the canvas). */
  removed: string[];
  edgesAdded: number;
  edgesRemoved: number;
  variablesAdded: string[];
  variablesRemoved: string[];
  variablesChanged: string[];
  entryChanged: boolean;
  detailsChanged: boolean;
  /** Nothing changed (moves aside). */
  empty: boolean;
}

/** Field paths without the `settings.` in front (`settings.text.uk` → `text.uk`). */
function fieldLabel(field: string): string {
  return field.startsWith("settings.") ? field.slice("settings.".length) : field;
}

export function diffView(diff: ScenarioDiff, from: number): DiffView {
  const added = [...(diff.blocks.added ?? [])];
  const changed: ChangedBlock[] = [];
  const moved: string[] = [];
  for (const change of diff.blocks.changed ?? []) {
    if (change.layout_only) moved.push(change.id);
    else changed.push({ id: change.id, fields: change.fields.filter((f) => f !== "layout").map(fieldLabel) });
  }
  const marks = new Map<string, DiffMark>();
  for (const id of added) marks.set(id, "added");
  for (const change of changed) if (!marks.has(change.id)) marks.set(change.id, "changed");
  const view: DiffView = {
    from,
    marks,
    added,
    changed,
    moved,
    removed: [...(diff.blocks.removed ?? [])],
    edgesAdded: diff.edges.added?.length ?? 0,
    edgesRemoved: diff.edges.removed?.length ?? 0,
    variablesAdded: [...(diff.variables.added ?? [])],
    variablesRemoved: [...(diff.variables.removed ?? [])],
    variablesChanged: [...(diff.variables.changed ?? [])],
    entryChanged: diff.entry_changed,
    detailsChanged: diff.details_changed,
    empty: false,
  };
  view.empty =
    !added.length &&
    !changed.length &&
    !view.removed.length &&
    !view.edgesAdded &&
    !view.edgesRemoved &&
    !view.variablesAdded.length &&
    !view.variablesRemoved.length &&
    !view.variablesChanged.length &&
    !view.entryChanged &&
    !view.detailsChanged;
  return view;
}

/** The mark of a block while a diff is shown (none without one). */
export function diffMark(view: DiffView | null, blockId: string): DiffMark | null {
  return view?.marks.get(blockId) ?? null;
}

/** Versions newest first, each with whether it is live: the scenario's `live_version` when
 * known, else the version's own `live` flag. */
export function orderVersions(items: readonly VersionRead[], liveVersion: number | null | undefined): Array<VersionRead & { isLive: boolean }> {
  return [...items]
    .sort((a, b) => b.number - a.number)
    .map((v) => ({ ...v, isLive: liveVersion === undefined ? v.live : v.number === liveVersion }));
}
