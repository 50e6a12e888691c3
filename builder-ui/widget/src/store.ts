// localStorage persistence, one key per bot so that two widgets on one site stay apart. Storage
// can be missing or full (private browsing, quotas, sandboxed frames): the widget then keeps
// the conversation in memory for the life of the page.

import type { Persisted, Store } from "./client";

export function storageKey(botKey: string): string {
  return `rozmova:v1:${botKey}`;
}

export function localStore(botKey: string, storage: Storage | null): Store {
  const key = storageKey(botKey);
  let memory: Persisted | null = null;
  return {
    load() {
      try {
        const raw = storage?.getItem(key);
        if (raw) return JSON.parse(raw) as Persisted;
      } catch { /* unreadable: start over */ }
      return memory;
    },
    save(state) {
      memory = state;
      try {
        storage?.setItem(key, JSON.stringify(state));
      } catch { /* quota or disabled: memory only */ }
    },
  };
}

export function safeStorage(get: () => Storage): Storage | null {
  try {
    const s = get();
    s.getItem("rozmova:probe");
    return s;
  } catch {
    return null;
  }
}
