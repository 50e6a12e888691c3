// A component rendered with an ApiClient over a mocked fetch: for component tests of what it
// asks the API and shows.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { ApiClient } from "../api/client";
import { ApiContext } from "../context";

export interface Call {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

export type Handler = (call: Call) => Response | undefined | Promise<Response | undefined>;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export const problem = (status: number, detail: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: "about:blank", title: "Error", status, detail, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

export const noContent = () => new Response(null, { status: 204 });

export function mockFetch(handler: Handler) {
  const calls: Call[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = {
      method: init.method ?? "GET",
      url: String(input),
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      headers: (init.headers ?? {}) as Record<string, string>,
    };
    calls.push(call);
    return (await handler(call)) ?? problem(404, `no ${call.method} ${call.url}`);
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

/** `ui` inside the API context; the client has no session (requests go without a token). */
export function renderWithApi(ui: ReactElement, handler: Handler) {
  const server = mockFetch(handler);
  const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
  const view = render(<ApiContext.Provider value={api}>{ui}</ApiContext.Provider>);
  return { ...view, calls: server.calls, api };
}
