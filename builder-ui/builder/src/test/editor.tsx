// The scenario editor rendered in jsdom against a mocked fetch: for component tests of what it
// asks the API and shows.
import { render } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { ApiClient } from "../api/client";
import type { Bot, BlockType, ScenarioDetail, ScenarioDocument } from "../api/types";
import { ApiContext } from "../context";
import { ScenarioEditor } from "../editor/Editor";
import { json, mockFetch, type Handler } from "./api";
import { REAL_CATALOGUE } from "./catalogue";

export { json, mockFetch, problem, type Call, type Handler } from "./api";

/** React Flow measures nodes with ResizeObserver, which jsdom lacks. */
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/** React Flow reads the zoom from the viewport's transform with DOMMatrixReadOnly (jsdom
 * lacks it): `scale(z)` is enough here. */
class ScaleMatrix {
  m22: number;
  constructor(transform?: string) {
    const scale = /scale\(([^)]+)\)/.exec(transform ?? "");
    this.m22 = scale ? Number(scale[1]) || 1 : 1;
  }
}

/** What React Flow needs from a browser that jsdom does not have. */
export function stubBrowser(): void {
  const g = globalThis as { ResizeObserver?: unknown; DOMMatrixReadOnly?: unknown };
  if (!g.ResizeObserver) g.ResizeObserver = NoResizeObserver;
  if (!g.DOMMatrixReadOnly) g.DOMMatrixReadOnly = ScaleMatrix;
}

export const BOT: Bot = {
  id: "b1",
  name: "Coffee",
  description: null,
  default_language: "uk",
  languages: ["uk", "en"],
  settings: {},
  main_scenario_id: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
} as Bot;

export function scenarioDetail(document: ScenarioDocument, overrides: Partial<ScenarioDetail> = {}): ScenarioDetail {
  return {
    id: "s1",
    bot_id: "b1",
    name: "main",
    description: null,
    document: document as unknown as ScenarioDetail["document"],
    revision: 1,
    latest_version: 0,
    live_version: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...overrides,
  } as ScenarioDetail;
}

/** Answers what every editor asks (validation, saves) unless `handler` answers first. */
export function renderEditor(document: ScenarioDocument, handler: Handler, options: { types?: BlockType[]; scenario?: Partial<ScenarioDetail> } = {}) {
  stubBrowser();
  let revision = options.scenario?.revision ?? 1;
  const server = mockFetch(async (call) => {
    const answer = await handler(call);
    if (answer) return answer;
    if (call.method === "POST" && call.url.endsWith("/validate")) return json({ valid: true, errors: [], warnings: [] });
    if (call.method === "PUT" && call.url.endsWith("/draft")) {
      revision += 1;
      return json(scenarioDetail(call.body as ScenarioDocument, { revision }));
    }
    return undefined;
  });
  const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
  const view = render(
    <ApiContext.Provider value={api}>
      <ReactFlowProvider>
        <ScenarioEditor scenario={scenarioDetail(document, options.scenario)} bot={BOT} types={options.types ?? REAL_CATALOGUE} />
      </ReactFlowProvider>
    </ApiContext.Provider>,
  );
  return { ...view, calls: server.calls };
}
