import { forEachDiagnostic } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mayLeave } from "../routes";
import { json, problem, renderWithApi, type Call } from "../test/api";
import type { ModuleDetail, ModuleIssue, ModuleTestRun, ModuleUpdate, ModuleVersionDetail } from "./draft";
import { stubRangeLayout } from "./jsdomLayout";
import ModuleEditorScreen from "./ModuleEditor";

const BROKEN = "const a = 1;\nreturn {total: a +* 2};";
const FIXED = "const a = 1;\nreturn {total: a * 2};";

const moduleOf = (overrides: Partial<ModuleDetail> = {}): ModuleDetail => ({
  id: "m1",
  name: "price_with_vat",
  description: "Adds VAT",
  revision: 1,
  latest_version: 0,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
  code: "return input;",
  input_schema: {},
  output_schema: {},
  test_cases: [],
  cache_seconds: 0,
  ...overrides,
});

/** The server's check: code with `+*` does not parse (at that place). */
function check(code: string): ModuleIssue[] {
  const lines = code.split("\n");
  const index = lines.findIndex((line) => line.includes("+*"));
  if (index < 0) return [];
  const column = lines[index].indexOf("+*") + 2;
  return [{ path: "/code", line: index + 1, column, message: `the code does not parse: SyntaxError: unexpected token in expression: '*' (line ${index + 1}, column ${column})` }];
}

/** One module kept in memory: the draft with its revision, its versions. */
function renderEditor(initial: Partial<ModuleDetail> = {}, extra?: (call: Call, stored: ModuleDetail) => Response | undefined) {
  let stored = moduleOf(initial);
  const versions: ModuleVersionDetail[] = [];
  const view = renderWithApi(<ModuleEditorScreen name="price_with_vat" autosaveMs={20} />, (call) => {
    const answer = extra?.(call, stored);
    if (answer) return answer;
    const base = "/api/v1/modules/price_with_vat";
    if (call.url === base && call.method === "GET") return json(stored);
    if (call.url === `${base}/draft` && call.method === "PUT") {
      if (call.headers["If-Match"] !== `"${stored.revision}"`) {
        return problem(409, `the draft changed since revision ${call.headers["If-Match"]}`, { code: "stale_revision", current_revision: stored.revision });
      }
      stored = { ...stored, ...(call.body as ModuleUpdate), revision: stored.revision + 1 } as ModuleDetail;
      return json(stored);
    }
    if (call.url === `${base}/validate`) {
      const errors = check(stored.code);
      return json({ valid: errors.length === 0, errors });
    }
    if (call.url === "/api/v1/organization/members") {
      return json([{ user_id: "u1", email: "admin@example.com", name: null, role: "owner", joined_at: "2025-01-01T00:00:00Z" }]);
    }
    if (call.url === `${base}/versions?limit=200`) return json({ items: [...versions].reverse(), total: versions.length });
    const version = /\/versions\/(\d+)$/.exec(call.url);
    if (version) return json(versions[Number(version[1]) - 1]);
    if (call.url === `${base}/publish`) {
      const number = versions.length + 1;
      versions.push({ number, changelog: (call.body as { changelog: string }).changelog, published_by: "user:u1", created_at: "2025-01-03T00:00:00Z", code: stored.code, input_schema: stored.input_schema, output_schema: stored.output_schema, cache_seconds: 0 });
      stored = { ...stored, latest_version: number };
      return json(versions[number - 1], 201);
    }
    return undefined;
  });
  return { ...view, stored: () => stored };
}

function codeView(): EditorView {
  const dom = screen.getByTestId("module-code-editor").querySelector(".cm-editor") as HTMLElement;
  const found = EditorView.findFromDOM(dom);
  if (!found) throw new Error("no CodeMirror view");
  return found;
}

/** Types into the code editor as a person would (a change of the document). */
function typeCode(text: string) {
  const view = codeView();
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.type" }));
}

function diagnostics(view: EditorView) {
  const found: Array<{ line: number; column: number; message: string }> = [];
  forEachDiagnostic(view.state, (d, from) => {
    const line = view.state.doc.lineAt(from);
    found.push({ line: line.number, column: from - line.from + 1, message: d.message });
  });
  return found;
}

const saved = () => waitFor(() => expect(screen.getByTestId("module-save-status").getAttribute("data-state")).toBe("saved"));

beforeAll(stubRangeLayout);
afterEach(() => vi.restoreAllMocks());

describe("the module editor", () => {
  it("marks a syntax error of the draft at its line, in the code and in the list below", async () => {
    renderEditor({ code: BROKEN });
    const problemItem = await screen.findByTestId("module-problem");
    expect(problemItem.getAttribute("data-line")).toBe("2");
    expect(problemItem.textContent).toContain("Line 2, column 19");
    expect(problemItem.textContent).toContain("unexpected token");
    await waitFor(() => expect(diagnostics(codeView())).toEqual([{ line: 2, column: 19, message: expect.stringContaining("unexpected token") }]));
    expect(screen.getByLabelText("JavaScript code of the module")).toBe(codeView().contentDOM);
  });

  it("saves a change a moment later with If-Match, then checks it again", async () => {
    const { calls, stored } = renderEditor({ code: BROKEN });
    await screen.findByTestId("module-problem");
    typeCode(FIXED);
    expect(screen.getByTestId("module-save-status").getAttribute("data-state")).toBe("unsaved");
    await saved();
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.headers["If-Match"]).toBe('"1"');
    expect(put.body).toMatchObject({ code: FIXED, description: "Adds VAT", input_schema: {}, output_schema: {}, test_cases: [], cache_seconds: 0 });
    expect(stored().revision).toBe(2);
    expect(await screen.findByTestId("module-valid")).toBeTruthy();
    expect(screen.queryByTestId("module-problem")).toBeNull();
    await waitFor(() => expect(diagnostics(codeView())).toEqual([]));
    expect(screen.getByTestId("module-revision").textContent).toContain("2");
  });

  it("saves with Ctrl+S, and keeps a form whose JSON does not parse from being sent", async () => {
    const { calls } = renderEditor();
    await screen.findByTestId("module-valid");
    const schema = screen.getByLabelText("Input schema (JSON Schema)");
    fireEvent.change(schema, { target: { value: '{"type": "object",' } });
    expect(schema.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("module-input-schema-error").textContent).toContain("Not valid JSON");
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(await screen.findByTestId("module-form-problems")).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
    expect(screen.getByTestId("module-save-status").getAttribute("data-state")).toBe("unsaved");

    fireEvent.change(schema, { target: { value: '{"type": "object"}' } });
    fireEvent.keyDown(window, { key: "s", metaKey: true });
    await saved();
    expect(calls.filter((c) => c.method === "PUT")[0].body).toMatchObject({ input_schema: { type: "object" } });
  });

  it("edits test cases: added, named, with JSON input and expected output, and removed", async () => {
    const { calls } = renderEditor();
    await screen.findByTestId("cases-empty");
    fireEvent.click(screen.getByTestId("case-add"));
    fireEvent.click(screen.getByTestId("case-add"));
    const [first, second] = screen.getAllByTestId("test-case");
    fireEvent.change(within(first).getByTestId("case-name"), { target: { value: "two cups" } });
    fireEvent.change(within(first).getByLabelText("Input (JSON)"), { target: { value: '{"price": 10}' } });
    fireEvent.change(within(first).getByLabelText("Expected output (JSON)"), { target: { value: '{"total": 12}' } });
    fireEvent.click(within(second).getByTestId("case-remove"));
    expect(screen.getAllByTestId("test-case")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("module-save"));
    await saved();
    expect(calls.filter((c) => c.method === "PUT").at(-1)!.body).toMatchObject({
      test_cases: [{ name: "two cups", input: { price: 10 }, expected: { total: 12 } }],
    });
  });

  it("runs the test cases after saving, and shows each one passed or failed with its output, error and console", async () => {
    const run: ModuleTestRun = {
      revision: 2,
      passed: false,
      results: [
        { name: "two cups", passed: true, output: { total: 24 }, expected: { total: 24 }, error: null, logs: [], ms: 1.5 },
        { name: "wrong sum", passed: false, output: { total: 2.4 }, expected: { total: 5 }, error: 'expected {"total":5}, got {"total":2.4}', logs: ["price 1"], ms: 0.8 },
      ],
    };
    const { calls } = renderEditor({}, (call) => (call.url.endsWith("/test") ? json(run) : undefined));
    await screen.findByTestId("module-valid");
    typeCode("console.log('price', input.price);\nreturn {total: input.price * 1.2};");
    fireEvent.click(screen.getByTestId("module-run-tests"));
    const results = await screen.findAllByTestId("test-result");
    // saved first, then run
    const order = calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.url.split("/").pop()}`);
    expect(order.indexOf("PUT draft")).toBeLessThan(order.indexOf("POST test"));
    expect(screen.getByTestId("test-summary").textContent).toBe("1 of 2 passed.");
    expect(results[0].getAttribute("data-passed")).toBe("true");
    expect(results[1].getAttribute("data-passed")).toBe("false");
    expect(within(results[1]).getByTestId("test-result-error").textContent).toContain('expected {"total":5}');
    expect(within(results[1]).getByTestId("test-result-output").textContent).toContain("2.4");
    expect(within(results[1]).getByTestId("test-result-expected").textContent).toContain("5");
    expect(within(results[1]).getByTestId("test-result-logs").textContent).toBe("price 1");
    expect(results[0].textContent).toContain("1.5 ms");
  });

  it("shows a draft that does not parse when tests are run (422), at its line", async () => {
    renderEditor({ code: BROKEN }, (call, stored) =>
      call.url.endsWith("/test") ? problem(422, "the draft does not check: /code: the code does not parse", { errors: check(stored.code) }) : undefined,
    );
    await screen.findByTestId("module-problem");
    fireEvent.click(screen.getByTestId("module-run-tests"));
    expect((await screen.findByTestId("test-run-error")).textContent).toContain("the draft does not check");
    expect(screen.getByTestId("module-problem").getAttribute("data-line")).toBe("2");
  });

  it("on a 409 keeps the author's changes and offers theirs or mine; keeping mine saves over the new revision", async () => {
    let raced = false;
    const { calls, stored } = renderEditor({}, (call, current) => {
      // Someone else saved revision 2 just before our first save.
      if (call.method === "PUT" && !raced) {
        raced = true;
        Object.assign(current, { revision: 2, code: "return {theirs: true};" });
      }
      return undefined;
    });
    await screen.findByTestId("module-valid");
    typeCode("return {mine: true};");
    const banner = await screen.findByTestId("module-conflict");
    expect(banner.textContent).toContain("revision 2");
    expect(screen.getByTestId("module-save-status").getAttribute("data-state")).toBe("conflict");
    expect(codeView().state.doc.toString()).toBe("return {mine: true};"); // nothing lost
    fireEvent.click(screen.getByTestId("module-conflict-keep"));
    await saved();
    const puts = calls.filter((c) => c.method === "PUT");
    expect(puts.map((c) => c.headers["If-Match"])).toEqual(['"1"', '"2"']);
    expect(stored()).toMatchObject({ revision: 3, code: "return {mine: true};" });
    expect(screen.queryByTestId("module-conflict")).toBeNull();
  });

  it("on a 409, reloading theirs shows their draft and drops the local change", async () => {
    const { calls, stored } = renderEditor({}, (call, current) => {
      if (call.method === "PUT" && current.revision === 1) Object.assign(current, { revision: 2, code: "return {theirs: true};", description: "Theirs" });
      return undefined;
    });
    await screen.findByTestId("module-valid");
    typeCode("return {mine: true};");
    fireEvent.click(await screen.findByTestId("module-conflict-reload"));
    await saved();
    expect(codeView().state.doc.toString()).toBe("return {theirs: true};");
    expect((screen.getByTestId("module-edit-description") as HTMLTextAreaElement).value).toBe("Theirs");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(1);
    expect(stored().revision).toBe(2);
  });

  it("asks before leaving with changes that cannot be saved, and stays when told to", async () => {
    renderEditor();
    await screen.findByTestId("module-valid");
    fireEvent.change(screen.getByLabelText("Output schema (JSON Schema)"), { target: { value: "{" } });
    const unload = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);

    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    expect(mayLeave()).toBe(false);
    expect(confirm).toHaveBeenCalledWith("This module has changes that are not saved. Leave anyway?");
    confirm.mockReturnValue(true);
    expect(mayLeave()).toBe(true);
  });

  it("lets the app leave without asking when the changes can still be saved", async () => {
    renderEditor();
    await screen.findByTestId("module-valid");
    typeCode("return 1;");
    const confirm = vi.spyOn(window, "confirm");
    expect(mayLeave()).toBe(true);
    expect(confirm).not.toHaveBeenCalled();
  });

  it("publishes with a changelog and lists the version, whose code opens read-only", async () => {
    const { calls } = renderEditor({ code: "return {total: input.price * 1.2};" });
    await screen.findByTestId("module-versions-empty");
    fireEvent.change(screen.getByLabelText("What changed"), { target: { value: "First" } });
    fireEvent.click(screen.getByTestId("module-publish"));
    const result = await screen.findByTestId("module-publish-result");
    expect(result.getAttribute("data-version")).toBe("1");
    expect(calls.find((c) => c.url.endsWith("/publish"))!.body).toEqual({ changelog: "First", revision: 1 });
    const version = await screen.findByTestId("module-version");
    expect(version.textContent).toContain("First");
    expect(version.textContent).toContain("admin@example.com");
    expect(screen.getByTestId("module-latest").getAttribute("data-version")).toBe("1");
    fireEvent.click(within(version).getByTestId("module-version-view"));
    const code = await within(version).findByTestId("module-version-editor");
    // The editor is mounted into its box once CodeMirror's chunk has loaded: wait for it.
    const mounted = await waitFor(() => {
      const editor = code.querySelector(".cm-editor");
      expect(editor).not.toBeNull();
      return editor as HTMLElement;
    });
    const readOnly = EditorView.findFromDOM(mounted)!;
    expect(readOnly.state.doc.toString()).toBe("return {total: input.price * 1.2};");
    expect(readOnly.state.readOnly).toBe(true);
  });

  it("shows why publishing failed: each failing test case", async () => {
    renderEditor({}, (call) =>
      call.url.endsWith("/publish")
        ? problem(422, "1 of 2 test case(s) failed; nothing was published: test case 'wrong sum' failed: expected 5, got 2.4", {
            errors: [{ path: "/test_cases/1", case: "wrong sum", message: "test case 'wrong sum' failed: expected 5, got 2.4" }],
          })
        : undefined,
    );
    await screen.findByTestId("module-valid");
    fireEvent.click(screen.getByTestId("module-publish"));
    const result = await screen.findByTestId("module-publish-result");
    expect(result.getAttribute("data-ok")).toBe("false");
    expect(result.textContent).toContain("Not published: 1 of 2 test case(s) failed");
    expect(within(result).getAllByTestId("module-publish-failure").map((li) => li.textContent)).toEqual(["test case 'wrong sum' failed: expected 5, got 2.4"]);
  });

  it("says so when the module cannot be opened", async () => {
    renderWithApi(<ModuleEditorScreen name="gone" />, () => problem(404, "no module named 'gone'"));
    expect((await screen.findByTestId("module-load-error")).textContent).toContain("no module named 'gone'");
  });
});
