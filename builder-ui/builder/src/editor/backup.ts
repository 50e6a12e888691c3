// Unsaved changes kept in localStorage until the server has them, so that a closed tab, a
// crash or a lost session loses nothing: the editor offers them back on the next visit.
import type { ScenarioDocument } from "../api/types";

export interface DraftBackup {
  document: ScenarioDocument;
  /** The revision the changes were made on. */
  baseRevision: number;
  savedAt: number;
}

const key = (scenarioId: string) => `rozmova.builder.draft.${scenarioId}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function readBackup(scenarioId: string): DraftBackup | null {
  const raw = storage()?.getItem(key(scenarioId));
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as DraftBackup;
    return value && typeof value === "object" && value.document && typeof value.baseRevision === "number" ? value : null;
  } catch {
    return null;
  }
}

export function writeBackup(scenarioId: string, backup: DraftBackup): void {
  try {
    storage()?.setItem(key(scenarioId), JSON.stringify(backup));
  } catch {
    // full or unavailable: the server copy and the warning on leaving remain
  }
}

export function clearBackup(scenarioId: string): void {
  storage()?.removeItem(key(scenarioId));
}
