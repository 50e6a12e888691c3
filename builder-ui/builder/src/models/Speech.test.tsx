import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, problem, renderWithApi, type Call } from "../test/api";
import { ModelsScreen } from "./ModelsScreen";
import { moved, type SpeechSettings } from "./SpeechPanel";

function renderSpeech(initial: SpeechSettings, options: { role?: "viewer" | "editor"; extra?: (call: Call) => Response | undefined } = {}) {
  let stored = initial;
  return renderWithApi(<ModelsScreen tab="speech" role={options.role ?? "editor"} />, (call) => {
    const answer = options.extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/speech/settings" && call.method === "GET") return json(stored);
    if (call.url === "/api/v1/speech/settings" && call.method === "PUT") {
      stored = { ...stored, engines: (call.body as { engines: string[] }).engines, default: false };
      return json(stored);
    }
    return undefined;
  });
}

const order = () => within(screen.getByTestId("speech-order")).getAllByRole("listitem").map((li) => li.getAttribute("data-testid"));

describe("the speech engines", () => {
  it("moves within the list", () => {
    expect(moved(["a", "b", "c"], "c", -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b"], "a", -1)).toEqual(["a", "b"]);
    expect(moved(["a", "b"], "z", 1)).toEqual(["a", "b"]);
  });

  it("shows the server's order, then saves the organization's", async () => {
    const { calls } = renderSpeech({ engines: ["whisper", "google"], available: ["whisper", "google"], default: true });
    await screen.findByTestId("speech-form");
    expect(screen.getByTestId("speech-default")).toBeTruthy();
    expect(order()).toEqual(["speech-engine-whisper", "speech-engine-google"]);
    expect(screen.getByTestId("models-tab-speech").getAttribute("aria-current")).toBe("page");
    fireEvent.click(screen.getByTestId("speech-up-google"));
    expect(order()).toEqual(["speech-engine-google", "speech-engine-whisper"]);
    fireEvent.click(screen.getByTestId("speech-save"));
    expect((await screen.findByTestId("speech-notice")).textContent).toContain("Saved");
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.body).toEqual({ engines: ["google", "whisper"] });
    expect(screen.queryByTestId("speech-default")).toBeNull();
  });

  it("removes and adds engines, keeps at least one, and shows the server's refusal", async () => {
    const { calls } = renderSpeech({ engines: ["whisper"], available: ["whisper", "google"], default: false }, {
      extra: (call) => (call.method === "PUT" ? problem(422, "engines: 'google' does not run on this server") : undefined),
    });
    await screen.findByTestId("speech-form");
    fireEvent.click(screen.getByTestId("speech-remove-whisper"));
    fireEvent.click(screen.getByTestId("speech-save"));
    expect((await screen.findByTestId("speech-error")).textContent).toBe("Keep at least one engine.");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("speech-add-google"));
    fireEvent.click(screen.getByTestId("speech-save"));
    expect((await screen.findByTestId("speech-error")).textContent).toContain("does not run on this server");
  });

  it("is read-only below the editor role", async () => {
    renderSpeech({ engines: ["google", "whisper"], available: ["whisper", "google"], default: false }, { role: "viewer" });
    await screen.findByTestId("speech-form");
    expect(order()).toEqual(["speech-engine-google", "speech-engine-whisper"]);
    expect(screen.queryByTestId("speech-save")).toBeNull();
    expect(screen.queryByTestId("speech-up-whisper")).toBeNull();
  });
});
