import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../api/types";
import { json, problem, renderWithApi, type Call, type Handler } from "../test/api";
import { renderEditor, scenarioDetail } from "../test/editor";
import { sampleDocument } from "../test/fixtures";
import { renderManagerWithApi } from "../test/nluManager";
import { NluCheck } from "./NluCheck";
import { nluDocument } from "./nluFixture";

const CHECK_URL = "/api/v1/bots/b1/nlu/check";

function report(extra: Record<string, unknown> = {}) {
  return {
    examples: 9,
    checked: 8,
    folds: 5,
    accuracy: 0.625,
    threshold: 0.5,
    intents: [
      { intent: "order", examples: 4, recognised: 0.5, taken_for: [{ intent: "hours", count: 1 }, { intent: "fallback", count: 1 }] },
      { intent: "hours", examples: 4, recognised: 0.75, taken_for: [{ intent: "order", count: 1 }] },
      { intent: "thanks", examples: 1, recognised: null, taken_for: [] },
    ],
    misses: [
      { text: "Графік роботи", lang: "uk", intent: "order", predicted: "hours", confidence: 0.71 },
      { text: "order a coffee", lang: "en", intent: "order", predicted: null, confidence: 0.31 },
      { text: "when are you open", lang: "en", intent: "hours", predicted: "order", confidence: 0.55 },
    ],
    ...extra,
  };
}

/** The manager with a bot, its edits kept (as the editor does). */
const renderManager = (handler: Handler, initial: ScenarioDocument = nluDocument()) => renderManagerWithApi(handler, initial, { botId: "b1" });

function renderPanel(handler: Handler, doc: ScenarioDocument = nluDocument()) {
  return renderWithApi(<NluCheck botId="b1" doc={doc} />, handler);
}

/** The fixture with its first intent only. */
function oneIntent(): ScenarioDocument {
  const doc = nluDocument();
  const nlu = doc.nlu as { intents: unknown[] };
  doc.nlu = { ...nlu, intents: nlu.intents.slice(0, 1) };
  return doc;
}

const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const submit = () => screen.getByTestId("nlu-check-submit") as HTMLButtonElement;
const checks = (calls: Call[]) => calls.filter((c) => c.method === "POST" && c.url.endsWith(CHECK_URL));
const cells = (row: HTMLElement) => Array.from(row.children).map((c) => c.textContent);

describe("checking the intents", () => {
  it("sends the section as edited and the threshold (the global one until typed over)", async () => {
    const { doc, calls } = renderManager((call) => (call.method === "POST" && call.url.endsWith(CHECK_URL) ? json(report()) : undefined));
    expect(screen.getByTestId("nlu-check").textContent).toContain("takes a few seconds");
    expect(field("nlu-check-threshold").value).toBe("0.5");
    fireEvent.change(field("nlu-global-threshold"), { target: { value: "0.8" } });
    expect(field("nlu-check-threshold").value).toBe("0.8");
    fireEvent.change(field("nlu-check-threshold"), { target: { value: "0.4" } });
    fireEvent.change(field("nlu-global-threshold"), { target: { value: "0.9" } });
    expect(field("nlu-check-threshold").value).toBe("0.4");

    // An edit not saved yet goes with the check.
    fireEvent.change(field("nlu-intent-examples-0-en"), { target: { value: "when are you open\nopening hours" } });
    expect(submit().textContent).toBe("Check the intents");
    fireEvent.click(submit());
    await screen.findByTestId("nlu-check-result");

    const sent = checks(calls);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual({ nlu: doc().nlu, threshold: 0.4 });
    const { nlu } = sent[0].body as { nlu: { intents: Array<{ examples: Record<string, string[]> }>; global_threshold: number } };
    expect(nlu.intents[0].examples.en).toEqual(["when are you open", "opening hours"]);
    expect(nlu.global_threshold).toBe(0.9);
  });

  it("shows the accuracy, the intents as given with what they were taken for, and the misses", async () => {
    renderPanel(() => json(report()));
    fireEvent.click(submit());
    const result = await screen.findByTestId("nlu-check-result");

    const accuracy = screen.getByTestId("nlu-check-accuracy");
    expect(accuracy.textContent).toBe("62%: 5 of 8 phrases recognised by a model that had not seen them.");
    expect(accuracy.className).toContain("nlu-check__accuracy--attention");
    expect(result.textContent).toContain("9 phrases, 8 checked in 5 rounds; threshold 0.50.");

    const table = within(result).getByRole("table");
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Intent", "Phrases", "Recognised", "Taken for"]);
    const rows = screen.getAllByTestId("nlu-check-row");
    expect(rows.map((r) => r.getAttribute("data-intent"))).toEqual(["order", "hours", "thanks"]);
    expect(rows.map(cells)).toEqual([
      ["order", "4", "50%", "hours ×1, fallback ×1"],
      ["hours", "4", "75%", "order ×1"],
      ["thanks", "1", "—", "—"],
    ]);
    // Under 80 % needs attention; one phrase has no share to judge.
    expect(rows.map((r) => r.getAttribute("data-attention"))).toEqual(["true", "true", null]);
    expect(rows[0].className).toContain("nlu-check__row--attention");
    expect(rows[2].className).toBe("");
    expect(rows[2].children[2].querySelector("span")?.getAttribute("title")).toBe("One phrase only: nothing to hold out.");
    expect(result.textContent).toContain("“—”: an intent with one phrase only, nothing to check it by.");

    expect(result.textContent).toContain("Phrases taken for something else:");
    const misses = screen.getAllByTestId("nlu-check-miss");
    expect(misses.map((m) => [m.getAttribute("data-intent"), m.getAttribute("data-predicted")])).toEqual([
      ["order", "hours"],
      ["order", ""],
      ["hours", "order"],
    ]);
    expect(misses.map((m) => m.textContent)).toEqual([
      "“Графік роботи” (uk) — order, taken for hours (confidence 0.71)",
      "“order a coffee” (en) — order, taken for fallback (confidence 0.31)",
      "“when are you open” (en) — hours, taken for order (confidence 0.55)",
    ]);
    expect(within(misses[1]).getByText("fallback").className).toContain("badge");
    expect(result.textContent).toContain(
      "Reword phrases that read like another intent's, add phrases to intents recognised poorly, and merge intents that cannot be told apart.",
    );
    expect(screen.queryByTestId("nlu-check-stale")).toBeNull();
    expect(screen.queryByTestId("nlu-check-error")).toBeNull();
  });

  it("says how many misses are shown when the answer holds only the first ones", async () => {
    renderPanel(() => json(report({ checked: 200, accuracy: 0.7, misses: report().misses })));
    fireEvent.click(submit());
    const result = await screen.findByTestId("nlu-check-result");
    expect(screen.getByTestId("nlu-check-accuracy").textContent).toBe("70%: 140 of 200 phrases recognised by a model that had not seen them.");
    expect(result.textContent).toContain("Phrases taken for something else (the first 3 of 60):");
  });

  it("says so when every phrase was recognised, without advice", async () => {
    renderPanel(() =>
      json(
        report({
          accuracy: 1,
          checked: 8,
          intents: [
            { intent: "hours", examples: 4, recognised: 1, taken_for: [] },
            { intent: "order", examples: 4, recognised: 0.8, taken_for: [] },
          ],
          misses: [],
        }),
      ),
    );
    fireEvent.click(submit());
    const result = await screen.findByTestId("nlu-check-result");
    expect(screen.getByTestId("nlu-check-accuracy").textContent).toBe("100%: 8 of 8 phrases recognised by a model that had not seen them.");
    expect(screen.getByTestId("nlu-check-accuracy").className).not.toContain("attention");
    expect(screen.getAllByTestId("nlu-check-row").map((r) => r.getAttribute("data-attention"))).toEqual([null, null]);
    expect(screen.getAllByTestId("nlu-check-row").map(cells)).toEqual([
      ["hours", "4", "100%", "—"],
      ["order", "4", "80%", "—"],
    ]);
    expect(screen.queryByTestId("nlu-check-miss")).toBeNull();
    expect(result.textContent).toContain("Every phrase was recognised.");
    expect(result.textContent).not.toContain("Reword");
  });

  it("says when no phrase could be held out", async () => {
    renderPanel(() =>
      json(
        report({
          examples: 2,
          checked: 0,
          accuracy: null,
          intents: [
            { intent: "hours", examples: 1, recognised: null, taken_for: [] },
            { intent: "order", examples: 1, recognised: null, taken_for: [] },
          ],
          misses: [],
        }),
      ),
    );
    fireEvent.click(submit());
    await screen.findByTestId("nlu-check-result");
    expect(screen.getByTestId("nlu-check-accuracy").textContent).toBe("No phrase could be held out: each intent has one phrase only.");
    expect(screen.getAllByTestId("nlu-check-row").map(cells)).toEqual([
      ["hours", "1", "—", "—"],
      ["order", "1", "—", "—"],
    ]);
    expect(screen.getByTestId("nlu-check-result").textContent).not.toContain("Every phrase was recognised.");
  });

  it("is busy while the check runs", async () => {
    let answer: (response: Response) => void = () => {};
    const { calls } = renderPanel(() => new Promise<Response>((resolve) => (answer = resolve)));
    fireEvent.click(submit());
    const busy = await screen.findByTestId("nlu-check-busy");
    expect(busy.getAttribute("role")).toBe("status");
    expect(busy.textContent).toContain("This takes a few seconds.");
    expect(submit().disabled).toBe(true);
    expect(submit().textContent).toBe("Checking…");
    fireEvent.click(submit());
    fireEvent.keyDown(field("nlu-check-threshold"), { key: "Enter" });
    expect(checks(calls)).toHaveLength(1);

    answer(json(report()));
    await screen.findByTestId("nlu-check-result");
    expect(screen.queryByTestId("nlu-check-busy")).toBeNull();
    expect(submit().disabled).toBe(false);
    expect(submit().textContent).toBe("Check the intents");
  });

  it.each([
    [422, "An intents' check-up needs at least two intents."],
    [429, "Too many check-ups this minute: try again in 40 s."],
  ])("shows the server's detail of a %i", async (status, detail) => {
    renderPanel(() => problem(status, detail));
    fireEvent.click(submit());
    const error = await screen.findByRole("alert");
    expect(error.getAttribute("data-testid")).toBe("nlu-check-error");
    expect(error.textContent).toBe(`Could not check the intents: ${detail}`);
    expect(screen.queryByTestId("nlu-check-result")).toBeNull();
    expect(submit().disabled).toBe(false);
  });

  it("marks the result as stale when the section or the threshold changes after it", async () => {
    renderManager((call) => (call.url.endsWith(CHECK_URL) ? json(report()) : undefined));
    fireEvent.click(submit());
    const result = await screen.findByTestId("nlu-check-result");
    expect(screen.queryByTestId("nlu-check-stale")).toBeNull();
    expect(result.className).not.toContain("stale");

    fireEvent.change(field("nlu-intent-description-0"), { target: { value: "Opening hours" } });
    expect(screen.getByTestId("nlu-check-stale").textContent).toBe("The intents or the threshold changed since this check: check again.");
    expect(result.className).toContain("nlu-check__result--stale");
    // The report stays readable meanwhile.
    expect(screen.getAllByTestId("nlu-check-row")).toHaveLength(3);

    fireEvent.click(submit());
    await screen.findByTestId("nlu-check-result");
    expect(screen.queryByTestId("nlu-check-stale")).toBeNull();
    fireEvent.change(field("nlu-check-threshold"), { target: { value: "0.6" } });
    expect(screen.getByTestId("nlu-check-stale")).toBeTruthy();
  });

  it("is disabled, saying why, with fewer than two intents or a wrong threshold", () => {
    const { calls } = renderManager(() => undefined, oneIntent());
    expect(submit().disabled).toBe(true);
    expect(screen.getByTestId("nlu-check-hint").textContent).toBe("Add at least two intents: the check tells whether the bot can tell them apart.");
    expect(submit().getAttribute("aria-describedby")).toBe(screen.getByTestId("nlu-check-hint").id);
    fireEvent.keyDown(field("nlu-check-threshold"), { key: "Enter" });
    expect(checks(calls)).toHaveLength(0);

    // A second intent enables it.
    fireEvent.change(field("nlu-intent-add-name"), { target: { value: "order" } });
    fireEvent.change(field("nlu-intent-add-example"), { target: { value: "хочу каву" } });
    fireEvent.click(screen.getByTestId("nlu-intent-add"));
    expect(submit().disabled).toBe(false);
    expect(screen.queryByTestId("nlu-check-hint")).toBeNull();

    fireEvent.change(field("nlu-check-threshold"), { target: { value: "1.5" } });
    expect(submit().disabled).toBe(true);
    expect(field("nlu-check-threshold").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("nlu-check-hint").textContent).toBe("The threshold is a number from 0 to 1.");
  });

  it("is disabled while the section has no intents", () => {
    renderPanel(() => undefined, sampleDocument());
    expect(submit().disabled).toBe(true);
    expect(screen.getByTestId("nlu-check-hint").textContent).toContain("Add at least two intents");
  });

  it("comes right after the phrase tried, in the editor's scenario inspector", async () => {
    const { calls } = renderEditor(nluDocument(), (call) => {
      if (call.method === "GET" && call.url.endsWith("/api/v1/scenarios/s1")) return json(scenarioDetail(nluDocument(), { live_version: null }));
      if (call.method === "POST" && call.url.endsWith(CHECK_URL)) return json(report());
      return undefined;
    });
    const panel = await screen.findByTestId("nlu-check");
    expect(screen.getByTestId("nlu-try").nextElementSibling).toBe(panel);
    fireEvent.click(submit());
    expect(await screen.findAllByTestId("nlu-check-row")).toHaveLength(3);
    expect((checks(calls)[0].body as { nlu: unknown }).nlu).toEqual(nluDocument().nlu);
  });
});
