import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { toBlockTypes, type Block, type JsonSchema } from "../api/types";
import { INTENT_SCHEMA } from "./nluFixture";
import { fieldModel, settingsModel } from "./schemaForm";
import { SettingsForm } from "./SettingsForm";

const [INTENT] = toBlockTypes([{ name: "intent", description: "", category: "nlu", settings_schema: INTENT_SCHEMA, ports: null, dynamic_ports: true }]);

function Harness({ onSettings }: { onSettings: (s: Record<string, unknown>) => void }) {
  const [block, setBlock] = useState<Block>({ id: "route", type: "intent", settings: { intents: ["hours"] } });
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
  it("reads an intent written in place as example phrases in a list per language", () => {
    const intent = fieldModel((INTENT_SCHEMA.$defs as Record<string, JsonSchema>).Intent, INTENT_SCHEMA);
    const examples = intent.kind === "object" ? intent.properties.find((p) => p.name === "examples")!.model : null;
    expect(examples?.kind).toBe("map");
    expect(examples && examples.kind === "map" ? examples.values.kind : null).toBe("array");
  });

  it("without a custom field, edits the intents (a name or an intent written in place) as JSON", () => {
    const model = settingsModel(INTENT_SCHEMA)!;
    expect(model.properties.find((p) => p.name === "intents")!.model.kind).toBe("json");

    let settings: Record<string, unknown> = {};
    render(<Harness onSettings={(s) => (settings = s)} />);
    const area = screen.getByTestId("field-intents") as HTMLTextAreaElement;
    expect(JSON.parse(area.value)).toEqual(["hours"]);
    fireEvent.change(area, { target: { value: '["hours", {"name": "bye", "examples": {"uk": ["бувай"]}}]' } });
    expect(settings.intents).toEqual(["hours", { name: "bye", examples: { uk: ["бувай"] } }]);
  });
});
