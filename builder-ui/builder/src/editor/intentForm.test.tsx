import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { toBlockTypes, type Block } from "../api/types";
import { settingsModel } from "./schemaForm";
import { SettingsForm } from "./SettingsForm";

// The intent block's settings schema as the server's registry serves it (nlu/blocks.py).
const INTENT_SCHEMA = {"$defs": {"Intent": {"additionalProperties": false, "description": "One meaning the block tells apart, taught by example phrases in each language.", "properties": {"name": {"description": "Also the name of the block's port for it.", "pattern": "^[a-z][a-z0-9_]{0,63}$", "title": "Name", "type": "string"}, "examples": {"description": "Example phrases per language: {\"uk\": [...], \"en\": [...]}.", "patternProperties": {"^[a-z]{2,3}(-[A-Z]{2})?$": {"items": {"maxLength": 300, "minLength": 1, "type": "string"}, "type": "array"}}, "title": "Examples", "type": "object"}}, "required": ["name", "examples"], "title": "Intent", "type": "object"}}, "additionalProperties": false, "description": "Classify `text` (by default what the person last wrote) into one of `intents`: the block\nleaves through that intent's port, or `fallback` when no intent is confident enough\n(below `threshold`), or `error` / `timeout` when the service could not answer. With\n`store_in`, the variable gets {intent, confidence, ranking: [{intent, confidence}]}.", "properties": {"text": {"default": "{{last_input}}", "description": "What to classify (a template).", "maxLength": 4096, "title": "Text", "type": "string"}, "intents": {"items": {"$ref": "#/$defs/Intent"}, "maxItems": 100, "minItems": 1, "title": "Intents", "type": "array"}, "threshold": {"default": 0.5, "description": "The confidence an intent needs; below it the block takes `fallback`.", "maximum": 1.0, "minimum": 0.0, "title": "Threshold", "type": "number"}, "store_in": {"anyOf": [{"pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$", "type": "string"}, {"type": "null"}], "default": null, "title": "Store In"}, "timeout_ms": {"default": 3000, "description": "The first message of a new version also trains its model (a few hundred milliseconds for a typical bot).", "maximum": 30000, "minimum": 100, "title": "Timeout Ms", "type": "integer"}}, "required": ["intents"], "title": "IntentSettings", "type": "object"}
;
const [INTENT] = toBlockTypes([{ name: "intent", description: "", category: "nlu", settings_schema: INTENT_SCHEMA, ports: null, dynamic_ports: true }]);

function Harness({ onSettings }: { onSettings: (s: Record<string, unknown>) => void }) {
  const [block, setBlock] = useState<Block>({ id: "route", type: "intent", settings: { intents: [] } });
  return (
    <SettingsForm
      block={block}
      type={INTENT}
      languages={["uk", "en"]}
      variables={[]}
      onChange={(change) =>
        setBlock((b) => {
          const next = change(b);
          onSettings(next.settings);
          return next;
        })
      }
      onDeclareVariable={() => undefined}
    />
  );
}

describe("the intent block's generated form", () => {
  it("edits example phrases as a list per language, not as one text per language", () => {
    const model = settingsModel(INTENT_SCHEMA)!;
    const intents = model.properties.find((p) => p.name === "intents")!.model;
    expect(intents.kind).toBe("array");
    const item = intents.kind === "array" ? intents.items : null;
    const examples = item && item.kind === "object" ? item.properties.find((p) => p.name === "examples")!.model : null;
    expect(examples?.kind).toBe("map");
    expect(examples && examples.kind === "map" ? examples.values.kind : null).toBe("array");

    let settings: Record<string, unknown> = {};
    render(<Harness onSettings={(s) => (settings = s)} />);
    fireEvent.click(screen.getByTestId("array-add-intents"));
    // A new phrase list is for one of the bot's languages: the first not used yet.
    fireEvent.click(screen.getByTestId("array-add-intents.0.examples"));
    fireEvent.click(screen.getByTestId("array-add-intents.0.examples"));
    const intent = (settings.intents as Array<Record<string, unknown>>)[0];
    expect(Object.keys(intent.examples as object)).toEqual(["uk", "en"]);
    expect(Object.values(intent.examples as object).every(Array.isArray)).toBe(true);
  });
});
