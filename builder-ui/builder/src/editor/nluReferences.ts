// What a block names of the scenario's `nlu` section: an intent block's `intents`, an entities
// block's `entities` (nlu/blocks.py) and an input's `entity` (scenarios/format/blocks.py). Each
// is a name (of one of the section's intents or entities, or of a built-in entity) or a
// definition written in the block itself. Pure: NluFields.tsx draws the pickers.
//
// Checking a name inserts it and unchecking removes it; nothing else in the list moves, so a
// definition written in the block (or a name the section lacks) stays as the author left it.
import { isObject } from "./schemaForm";

/** A list setting read for a picker: which known names it has, which names the section does
 * not have (validation refuses them), and the definitions written in the block. */
export interface References {
  /** Known names the list has, each once. */
  named: ReadonlySet<string>;
  /** Names that are not known, in the list's order, each once. */
  missing: string[];
  /** Items other than names (definitions written in the block), in the list's order. */
  inPlace: Array<{ index: number; name: string; value: unknown }>;
}

/** What a definition written in the block is called: its `name`, else its JSON. */
export function inPlaceName(item: unknown): string {
  return isObject(item) && typeof item.name === "string" && item.name !== "" ? item.name : JSON.stringify(item);
}

export function readReferences(items: unknown, known: readonly string[]): References {
  const list = Array.isArray(items) ? items : [];
  const named = new Set<string>();
  const missing: string[] = [];
  const inPlace: References["inPlace"] = [];
  list.forEach((item, index) => {
    if (typeof item !== "string") inPlace.push({ index, name: inPlaceName(item), value: item });
    else if (known.includes(item)) named.add(item);
    else if (!missing.includes(item)) missing.push(item);
  });
  return { named, missing, inPlace };
}

/** The list with `name` added (unchanged when it has it). Placed among the names it knows by
 * `order` (the section's order): right after the last one that comes before it, else right
 * before the first that comes after it; with none of them yet, before the first definition
 * written in the block (named references first, the block's own definitions after them). */
export function withReference(items: unknown, name: string, order: readonly string[]): unknown[] {
  const list = Array.isArray(items) ? [...items] : [];
  if (list.includes(name)) return list;
  const rank = (item: unknown) => (typeof item === "string" ? order.indexOf(item) : -1);
  const own = order.indexOf(name);
  let at = -1;
  list.forEach((item, i) => {
    const r = rank(item);
    if (r >= 0 && r < own) at = i + 1;
  });
  if (at < 0) {
    const after = list.findIndex((item) => rank(item) > own);
    if (after >= 0) at = after;
  }
  if (at < 0) {
    const firstDefinition = list.findIndex((item) => typeof item !== "string");
    at = firstDefinition >= 0 ? firstDefinition : list.length;
  }
  list.splice(at, 0, name);
  return list;
}

/** The list without the name `name` (every time it is there); definitions are kept. */
export function withoutReference(items: unknown, name: string): unknown[] {
  return (Array.isArray(items) ? items : []).filter((item) => item !== name);
}
