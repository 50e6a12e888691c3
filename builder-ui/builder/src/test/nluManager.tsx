// The NLU manager with its edits kept, as the editor keeps them: for the tests of the manager
// and of its panels (Try a phrase, Check the intents).
import { render } from "@testing-library/react";
import { useState } from "react";
import type { ScenarioDocument } from "../api/types";
import { NluManager } from "../editor/NluManager";
import { nluDocument } from "../editor/nluFixture";
import { renderWithApi, type Handler } from "./api";

export interface ManagerOptions {
  botId?: string;
  scenarioId?: string;
  pollMs?: number;
}

function Harness({ initial, onDoc, ...options }: ManagerOptions & { initial: ScenarioDocument; onDoc: (doc: ScenarioDocument) => void }) {
  const [doc, setDoc] = useState(initial);
  return (
    <NluManager
      doc={doc}
      languages={["uk", "en"]}
      {...options}
      onChange={(change) =>
        setDoc((d) => {
          const next = change(d);
          onDoc(next);
          return next;
        })
      }
    />
  );
}

/** The manager without the API (as the scenario inspector is in other tests); the document
 * as edited. */
export function renderManager(initial: ScenarioDocument = nluDocument()): () => ScenarioDocument {
  let doc = initial;
  render(<Harness initial={initial} onDoc={(d) => (doc = d)} />);
  return () => doc;
}

/** The manager against a mocked API: the document as edited and the calls made. */
export function renderManagerWithApi(handler: Handler, initial: ScenarioDocument = nluDocument(), options: ManagerOptions = {}) {
  let doc = initial;
  const view = renderWithApi(<Harness initial={initial} onDoc={(d) => (doc = d)} {...options} />, handler);
  return { doc: () => doc, calls: view.calls };
}
