// A scenario with an nlu section, intent, entities and input blocks using it: for the tests of
// nlu.ts and NluManager.tsx.
import type { ScenarioDocument } from "../api/types";
import { sampleDocument } from "../test/fixtures";

/** Intents hours (global, to block help) and order, entities city (list) and order_id
 * (regex); block route names both intents, find and ask_city the city. */
export function nluDocument(): ScenarioDocument {
  const doc = sampleDocument();
  doc.entry = { ...doc.entry, intents: { hours: "help" } };
  doc.nlu = {
    intents: [
      { name: "hours", examples: { uk: ["коли ви працюєте", "графік роботи"], en: ["when are you open"] } },
      { name: "order", examples: { uk: ["хочу замовити каву", "Графік роботи"], en: ["I want a coffee", "order a coffee"] }, description: "Orders" },
    ],
    entities: [
      { name: "city", kind: "list", values: [{ value: "Kyiv", synonyms: { uk: ["Київ"], en: ["Kiev"] } }, { value: "Lviv", synonyms: { uk: ["Львів"] } }] },
      { name: "order_id", kind: "regex", pattern: "[A-Z]{2}-?(\\d{6})" },
    ],
  };
  doc.blocks.push(
    { id: "route", type: "intent", name: "Route", settings: { intents: ["hours", "order", { name: "inline", examples: { uk: ["щось"] } }] } },
    { id: "find", type: "entities", settings: { entities: ["city", "phone"] } },
    { id: "ask_city", type: "input", settings: { kind: "text", prompt: { uk: "Місто?" }, variable: "drink", entity: "city" } },
  );
  doc.edges.push({ source: "route", port: "hours", target: "help" }, { source: "route", port: "order", target: "ask" }, { source: "hello", port: "hours", target: "help" });
  return doc;
}
