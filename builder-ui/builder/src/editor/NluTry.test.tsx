import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { json, problem, renderWithApi, type Call, type Handler } from "../test/api";
import { renderEditor, scenarioDetail } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { renderManagerWithApi } from "../test/nluManager";
import { nluDocument } from "./nluFixture";
import { NluTry } from "./NluTry";

const TRY_URL = "/api/v1/bots/b1/nlu/try";

function answer(extra: Record<string, unknown> = {}) {
  return {
    model: "abc123",
    status: "ready",
    intent: "hours",
    confidence: 0.82,
    threshold: 0.5,
    ranking: [
      { intent: "hours", confidence: 0.82, first: 0.61, second: 0.82 },
      { intent: "order", confidence: 0.12, first: 0.12, second: null },
    ],
    second_look: "taken",
    logs: ["first look: hours 0.61, order 0.12", "second look: hours 0.82"],
    warnings: [{ code: "few_examples", message: "hours has 1 example in en" }],
    entities: [{ entity: "city", value: "Kyiv", text: "Києві", start: 10, end: 15 }],
    language: { code: "uk", confidence: 0.93 },
    sentiment: { score: 0.4, label: "positive" },
    ...extra,
  };
}

const training = () => answer({ status: "training", intent: null, confidence: 0, ranking: [], second_look: "not_ready", logs: [], warnings: [], entities: [], language: null, sentiment: null });

/** The manager with a bot, its edits kept (as the editor does). */
const renderManager = (handler: Handler, initial: ScenarioDocument = nluDocument()) => renderManagerWithApi(handler, initial, { botId: "b1" });

/** The panel alone, with quick polls. */
function renderPanel(handler: Handler, options: { pollMs?: number; waitMs?: number } = {}) {
  return renderWithApi(<NluTry botId="b1" doc={nluDocument()} languages={["uk", "en"]} pollMs={options.pollMs ?? 10} waitMs={options.waitMs} />, handler);
}

const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const submit = () => screen.getByTestId("nlu-try-submit") as HTMLButtonElement;
const tries = (calls: Call[]) => calls.filter((c) => c.method === "POST" && c.url.endsWith(TRY_URL));

function type(phrase: string) {
  fireEvent.change(field("nlu-try-text"), { target: { value: phrase } });
}

describe("trying a phrase", () => {
  it("sends the section as edited, the language and the threshold (the global one until typed over)", async () => {
    const { doc, calls } = renderManager((call) => (call.method === "POST" && call.url.endsWith(TRY_URL) ? json(answer()) : undefined));
    expect((screen.getByTestId("nlu-try-language") as HTMLSelectElement).value).toBe("uk");
    expect(Array.from((screen.getByTestId("nlu-try-language") as HTMLSelectElement).options).map((o) => o.value)).toEqual(["uk", "en"]);
    expect(field("nlu-try-threshold").value).toBe("0.5");
    // The section's global threshold fills it in...
    fireEvent.change(field("nlu-global-threshold"), { target: { value: "0.8" } });
    expect(field("nlu-try-threshold").value).toBe("0.8");
    // ...until it is typed over.
    fireEvent.change(field("nlu-try-threshold"), { target: { value: "0.6" } });
    fireEvent.change(field("nlu-global-threshold"), { target: { value: "0.9" } });
    expect(field("nlu-try-threshold").value).toBe("0.6");

    // An edit not saved yet goes with the phrase.
    fireEvent.change(field("nlu-intent-examples-0-en"), { target: { value: "when are you open\nopening hours" } });
    fireEvent.change(screen.getByTestId("nlu-try-language"), { target: { value: "en" } });
    type("  are you open today?  ");
    fireEvent.keyDown(field("nlu-try-text"), { key: "Enter" });
    await screen.findByTestId("nlu-try-result");

    const sent = tries(calls);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual({ text: "are you open today?", nlu: doc().nlu, threshold: 0.6, language: "en" });
    const { nlu } = sent[0].body as { nlu: { intents: Array<{ examples: Record<string, string[]> }>; global_threshold: number } };
    expect(nlu.intents[0].examples.en).toEqual(["when are you open", "opening hours"]);
    expect(nlu.global_threshold).toBe(0.9);
  });

  it("shows the intent, the ranking by both looks, the second look, entities, language, sentiment, warnings and logs", async () => {
    renderManager((call) => (call.url.endsWith(TRY_URL) ? json(answer()) : undefined));
    type("коли ви працюєте в Києві?");
    fireEvent.click(submit());
    const result = await screen.findByTestId("nlu-try-result");

    const intent = screen.getByTestId("nlu-try-intent");
    expect(intent.getAttribute("data-intent")).toBe("hours");
    expect(intent.textContent).toBe("→ hours confidence 0.82, threshold 0.50");
    const ranking = screen.getByTestId("nlu-try-ranking");
    expect(within(ranking).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Intent", "Confidence", "First look", "Second look"]);
    const rows = within(ranking).getAllByTestId("nlu-try-row");
    expect(rows.map((r) => r.getAttribute("data-intent"))).toEqual(["hours", "order"]);
    expect(rows.map((r) => Array.from(r.children).map((c) => c.textContent))).toEqual([
      ["hours", "0.82", "0.61", "0.82"],
      ["order", "0.12", "0.12", "—"],
    ]);
    expect(rows[0].className).toContain("nlu-try__row--chosen");
    const secondLook = screen.getByTestId("nlu-try-second-look");
    expect(secondLook.getAttribute("data-state")).toBe("taken");
    expect(secondLook.textContent).toBe("Understood by meaning (second look).");
    expect(screen.getByTestId("nlu-try-entities").textContent).toBe("Entities found:city = Kyiv (matched “Києві”)");
    expect(screen.getByTestId("nlu-try-language-found").textContent).toBe("Language: uk (0.93)");
    expect(screen.getByTestId("nlu-try-sentiment").textContent).toBe("Sentiment: positive (0.40)");
    expect(screen.getByTestId("nlu-try-warnings").textContent).toContain("hours has 1 example in en");
    expect(within(screen.getByTestId("nlu-try-logs")).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "first look: hours 0.61, order 0.12",
      "second look: hours 0.82",
    ]);
    expect(screen.queryByTestId("nlu-try-stale")).toBeNull();
    expect(screen.queryByTestId("nlu-try-error")).toBeNull();

    // The answer is to the phrase as it was: a change marks it.
    type("щось інше");
    expect(screen.getByTestId("nlu-try-stale").textContent).toContain("changed since this answer");
    expect(result.className).toContain("nlu-try__result--stale");
  });

  it("marks a fallback, without entities, language or sentiment", async () => {
    renderPanel(() =>
      json(answer({ intent: null, confidence: 0.31, ranking: [{ intent: "order", confidence: 0.31, first: 0.31, second: null }], second_look: "not_needed", entities: [], language: null, sentiment: null, warnings: [] })),
    );
    type("погода завтра");
    fireEvent.click(submit());
    const intent = await screen.findByTestId("nlu-try-intent");
    expect(intent.getAttribute("data-intent")).toBe("");
    expect(intent.className).toContain("nlu-try__intent--fallback");
    expect(intent.textContent).toBe("fallback no intent reaches the threshold (best 0.31, threshold 0.50)");
    expect(within(intent).getByText("fallback").className).toContain("badge");
    expect(screen.getAllByTestId("nlu-try-row").map((r) => r.textContent)).toEqual(["order0.310.31—"]);
    expect(screen.getByTestId("nlu-try-second-look").textContent).toBe("The first look was sure; no second look needed.");
    expect(screen.queryByTestId("nlu-try-entities")).toBeNull();
    expect(screen.getByTestId("nlu-try-language-found").textContent).toBe("Language: not sure.");
    expect(screen.queryByTestId("nlu-try-sentiment")).toBeNull();
    expect(screen.queryByTestId("nlu-try-warnings")).toBeNull();
  });

  it.each([
    ["shed", "The server was busy: the first look answered alone."],
    ["failed", "The second look failed: the first look answered alone."],
    ["off", "The second look is off on this server."],
    ["not_ready", "The second look is still being trained; try again in a few seconds."],
    ["closed", "The server is stopping: the first look answered alone."],
    ["later", "Second look: later."],
  ])("says what became of the second look: %s", async (state, sentence) => {
    renderPanel(() => json(answer({ second_look: state })));
    type("графік");
    fireEvent.click(submit());
    const secondLook = await screen.findByTestId("nlu-try-second-look");
    expect(secondLook.getAttribute("data-state")).toBe(state);
    expect(secondLook.textContent).toBe(sentence);
  });

  it("asks again while the model trains, then shows the answer", async () => {
    let asked = 0;
    const { calls } = renderPanel(() => (++asked < 3 ? json(training()) : json(answer())));
    type("графік роботи");
    fireEvent.click(submit());
    const notice = await screen.findByTestId("nlu-try-training");
    expect(notice.textContent).toBe("Training a model for these intents… The answer follows in a moment.");
    expect(submit().disabled).toBe(true);
    expect(submit().textContent).toBe("Trying…");
    expect((await screen.findByTestId("nlu-try-intent")).getAttribute("data-intent")).toBe("hours");
    expect(screen.queryByTestId("nlu-try-training")).toBeNull();
    expect(tries(calls)).toHaveLength(3);
    // The same question each time.
    expect(new Set(tries(calls).map((c) => JSON.stringify(c.body))).size).toBe(1);
    expect(submit().disabled).toBe(false);
  });

  it("says it is still training once the wait is over, and stops asking", async () => {
    const { calls } = renderPanel(() => json(training()), { pollMs: 10, waitMs: 40 });
    type("графік роботи");
    fireEvent.click(submit());
    await waitFor(() => expect(screen.getByTestId("nlu-try-training").getAttribute("data-state")).toBe("still_training"));
    expect(screen.getByTestId("nlu-try-training").textContent).toContain("Still training after");
    const asked = tries(calls).length;
    expect(asked).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(tries(calls)).toHaveLength(asked);
    expect(submit().disabled).toBe(false);
  });

  it("stops asking when the phrase or the section changes", async () => {
    const { calls } = renderManager((call) => (call.url.endsWith(TRY_URL) ? json(training()) : undefined));
    type("графік роботи");
    fireEvent.click(submit());
    await screen.findByTestId("nlu-try-training");
    type("графік");
    expect(screen.queryByTestId("nlu-try-training")).toBeNull();
    const afterText = tries(calls).length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(tries(calls)).toHaveLength(afterText);

    fireEvent.click(submit());
    await screen.findByTestId("nlu-try-training");
    fireEvent.change(field("nlu-intent-description-0"), { target: { value: "Opening hours" } });
    expect(screen.queryByTestId("nlu-try-training")).toBeNull();
    const afterSection = tries(calls).length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(tries(calls)).toHaveLength(afterSection);
  });

  it("stops asking when the panel is gone", async () => {
    const view = renderPanel(() => json(training()), { pollMs: 20 });
    type("графік");
    fireEvent.click(submit());
    await screen.findByTestId("nlu-try-training");
    view.unmount();
    const afterUnmount = tries(view.calls).length;
    await new Promise((r) => setTimeout(r, 80));
    expect(tries(view.calls)).toHaveLength(afterUnmount);
  });

  it.each([
    [422, "nlu.intents[1]: an intent needs at least one example"],
    [429, "Too many new sets of intents trained this minute: try again in 40 s."],
  ])("shows the server's detail of a %i", async (status, detail) => {
    renderPanel(() => problem(status, detail));
    type("графік");
    fireEvent.click(submit());
    const error = await screen.findByRole("alert");
    expect(error.getAttribute("data-testid")).toBe("nlu-try-error");
    expect(error.textContent).toBe(`Could not try the phrase: ${detail}`);
    expect(screen.queryByTestId("nlu-try-result")).toBeNull();
    expect(submit().disabled).toBe(false);
  });

  it("is disabled, saying why, with no phrase, no intents or a wrong threshold", () => {
    renderManager(() => undefined);
    expect(submit().disabled).toBe(true);
    expect(screen.getByTestId("nlu-try-hint").textContent).toBe("Write a phrase to try.");
    type("   ");
    expect(submit().disabled).toBe(true);
    type("графік");
    expect(submit().disabled).toBe(false);
    expect(screen.queryByTestId("nlu-try-hint")).toBeNull();
    fireEvent.change(field("nlu-try-threshold"), { target: { value: "1.5" } });
    expect(submit().disabled).toBe(true);
    expect(screen.getByTestId("nlu-try-threshold-error").textContent).toBe("A number from 0 to 1.");
    expect(screen.getByTestId("nlu-try-hint").textContent).toBe("The threshold is a number from 0 to 1.");
  });

  it("is disabled while the section has no intents", () => {
    const { calls } = renderManager(() => undefined, sampleDocument());
    type("графік");
    expect(submit().disabled).toBe(true);
    expect(screen.getByTestId("nlu-try-hint").textContent).toBe("Add an intent first: a phrase is matched against the intents.");
    fireEvent.keyDown(field("nlu-try-text"), { key: "Enter" });
    expect(tries(calls)).toHaveLength(0);
  });

  it("is in the editor's scenario inspector, asking for the scenario's bot", async () => {
    const { calls } = renderEditor(nluDocument(), (call) => {
      if (call.method === "GET" && call.url.endsWith("/api/v1/scenarios/s1")) return json(scenarioDetail(nluDocument(), { live_version: null }));
      if (call.method === "POST" && call.url.endsWith(TRY_URL)) return json(answer());
      return undefined;
    });
    await screen.findByTestId("nlu-try");
    type("графік");
    fireEvent.click(submit());
    expect((await screen.findByTestId("nlu-try-intent")).getAttribute("data-intent")).toBe("hours");
    expect((tries(calls)[0].body as { language: string }).language).toBe("uk");
  });
});
