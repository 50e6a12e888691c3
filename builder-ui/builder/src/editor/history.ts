// Undo and redo of document edits: a bounded stack of the documents before each edit. Edits
// with the same coalescing key in a row (typing in one field, the parts of one deletion) make
// one entry: the document before the first of them.

export const HISTORY_LIMIT = 100;

export interface History<T> {
  /** Older states, the most recent last. */
  past: T[];
  /** States undone, the next to redo last. */
  future: T[];
  /** The coalescing key of the last recorded edit (null: the next edit is its own entry). */
  lastKey: string | null;
}

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [], lastKey: null };
}

/** Records an edit that replaced `before`. With the same `key` as the previous edit, the two
 * are one entry. Any edit drops what was undone. */
export function record<T>(history: History<T>, before: T, key?: string | null, limit = HISTORY_LIMIT): History<T> {
  const k = key ?? null;
  if (k !== null && k === history.lastKey && history.past.length) {
    return history.future.length ? { ...history, future: [] } : history;
  }
  const past = [...history.past, before];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, future: [], lastKey: k };
}

/** Steps back: the state to show, and the history after it (null when there is nothing). */
export function undo<T>(history: History<T>, current: T): { state: T; history: History<T> } | null {
  if (!history.past.length) return null;
  const past = history.past.slice(0, -1);
  const state = history.past[history.past.length - 1];
  return { state, history: { past, future: [...history.future, current], lastKey: null } };
}

export function redo<T>(history: History<T>, current: T): { state: T; history: History<T> } | null {
  if (!history.future.length) return null;
  const future = history.future.slice(0, -1);
  const state = history.future[history.future.length - 1];
  return { state, history: { past: [...history.past, current], future, lastKey: null } };
}

/** Ends coalescing: the next edit is its own entry even with the same key. */
export function seal<T>(history: History<T>): History<T> {
  return history.lastKey === null ? history : { ...history, lastKey: null };
}
