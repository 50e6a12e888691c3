import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Bot } from "../api/types";
import { json, problem, renderWithApi, type Call } from "../test/api";
import { embedSnippet, normalizeOrigin, WidgetSettings } from "./WidgetSettings";

const SETTINGS = {
  conversation_timeout_seconds: 900,
  on_expiry: "resume",
  expiry_seconds: 86400,
  commands_in_handoff: true,
  allowed_origins: ["https://shop.example.com"],
  theme: { title: "Coffee help", color: "#aa3300", avatar_url: null },
  flood_limit: { burst: 60, per_second: 5 },
} as const;

const BOT = {
  id: "b1",
  name: "Coffee",
  description: null,
  default_language: "uk",
  languages: ["uk"],
  settings: SETTINGS,
  main_scenario_id: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
} as unknown as Bot;

function renderWidget(extra?: (call: Call) => Response | undefined) {
  let key = "rzc_first";
  const saved: Bot[] = [];
  const view = renderWithApi(<WidgetSettings bot={BOT} onSaved={(b) => saved.push(b)} />, (call) => {
    const answer = extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/bots/b1/chat-key") return json({ bot_id: "b1", key });
    if (call.url === "/api/v1/bots/b1/chat-key/rotate" && call.method === "POST") {
      key = "rzc_second";
      return json({ bot_id: "b1", key });
    }
    if (call.url === "/api/v1/bots/b1" && call.method === "PATCH") return json({ ...BOT, ...(call.body as object) });
    return undefined;
  });
  return { ...view, saved };
}

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, "clipboard");
  vi.restoreAllMocks();
});

describe("the website widget settings", () => {
  it("shows the chat key and the embed code for this page's origin, and links the demo", async () => {
    renderWidget();
    expect((await screen.findByTestId("chat-key")).textContent).toBe("rzc_first");
    const snippet = `<script src="${window.location.origin}/widget.js" data-bot="rzc_first" async></script>`;
    expect(screen.getByTestId("embed-snippet").textContent).toBe(snippet);
    expect(embedSnippet("https://bots.example.com", "rzc_x")).toBe('<script src="https://bots.example.com/widget.js" data-bot="rzc_x" async></script>');
    expect(screen.getByTestId("widget-demo").getAttribute("href")).toBe("/demo?key=rzc_first");
  });

  it("copies the embed code and says so", async () => {
    const writeText = vi.fn(async () => undefined);
    stubClipboard(writeText);
    renderWidget();
    fireEvent.click(await screen.findByTestId("embed-copy"));
    expect((await screen.findByTestId("embed-copied")).textContent).toBe("Copied.");
    expect(writeText).toHaveBeenCalledWith(screen.getByTestId("embed-snippet").textContent);
  });

  it("falls back to selecting the code when the clipboard is refused", async () => {
    stubClipboard(async () => {
      throw new DOMException("denied", "NotAllowedError");
    });
    const exec = vi.fn(() => true);
    Object.defineProperty(document, "execCommand", { value: exec, configurable: true });
    renderWidget();
    fireEvent.click(await screen.findByTestId("embed-copy"));
    await screen.findByTestId("embed-copied");
    expect(exec).toHaveBeenCalledWith("copy");
    expect(window.getSelection()?.toString()).toBe(screen.getByTestId("embed-snippet").textContent);

    exec.mockReturnValue(false); // not even that: the person copies the selected code
    fireEvent.click(screen.getByTestId("embed-copy"));
    expect((await screen.findByTestId("embed-copy-manual")).textContent).toContain("Ctrl+C");
    Reflect.deleteProperty(document, "execCommand");
  });

  it("rotates the chat key after a confirmation, and the embed code follows", async () => {
    const { calls } = renderWidget();
    await screen.findByTestId("chat-key");
    fireEvent.click(screen.getByTestId("chat-key-rotate"));
    expect(screen.getByRole("alertdialog").textContent).toContain("stops working");
    expect(calls.some((c) => c.url.endsWith("/rotate"))).toBe(false);
    fireEvent.click(screen.getByTestId("chat-key-rotate-confirm"));
    await waitFor(() => expect(screen.getByTestId("chat-key").textContent).toBe("rzc_second"));
    expect(screen.getByTestId("embed-snippet").textContent).toContain('data-bot="rzc_second"');
    expect(screen.getByTestId("widget-demo").getAttribute("href")).toBe("/demo?key=rzc_second");
  });

  it("edits the allowed origins as rows and the theme, and saves the whole settings object", async () => {
    const { calls, saved } = renderWidget();
    const rows = () => screen.getAllByTestId("origins-row");
    expect(rows()).toHaveLength(1);
    expect((within(rows()[0]).getByRole("textbox") as HTMLInputElement).value).toBe("https://shop.example.com");
    fireEvent.click(screen.getByTestId("origins-add"));
    fireEvent.click(screen.getByTestId("origins-add"));
    expect(rows()).toHaveLength(3);
    expect(document.activeElement).toBe(within(rows()[2]).getByRole("textbox"));
    fireEvent.change(within(rows()[1]).getByLabelText("Allowed origin 2"), { target: { value: " https://www.example.org:8443/ " } });
    fireEvent.change(within(rows()[2]).getByLabelText("Allowed origin 3"), { target: { value: "http://localhost:3000" } });
    fireEvent.click(within(rows()[0]).getByTestId("origins-remove"));
    expect(rows()).toHaveLength(2);
    fireEvent.change(screen.getByTestId("theme-title"), { target: { value: "Ask us" } });
    fireEvent.change(screen.getByTestId("theme-accent"), { target: { value: "#1A7F37" } });
    expect((screen.getByTestId("theme-accent-picker") as HTMLInputElement).value).toBe("#1a7f37");
    fireEvent.click(screen.getByTestId("origins-save"));

    await screen.findByTestId("widget-saved");
    expect(calls.find((c) => c.method === "PATCH")).toMatchObject({
      url: "/api/v1/bots/b1",
      body: {
        settings: {
          ...SETTINGS,
          allowed_origins: ["https://www.example.org:8443", "http://localhost:3000"],
          theme: { title: "Ask us", color: "#1A7F37", avatar_url: null },
        },
      },
    });
    expect(saved).toHaveLength(1);
    expect(normalizeOrigin(" https://a.example/ ")).toBe("https://a.example");
  });

  it("marks an origin that is not one at its row and sends nothing", async () => {
    const { calls } = renderWidget();
    fireEvent.click(screen.getByTestId("origins-add"));
    const row = screen.getAllByTestId("origins-row")[1];
    fireEvent.change(within(row).getByRole("textbox"), { target: { value: "https://shop.example.com/checkout" } });
    fireEvent.change(screen.getByTestId("theme-accent"), { target: { value: "red" } });
    fireEvent.click(screen.getByTestId("origins-save"));
    expect(within(row).getByRole("textbox").getAttribute("aria-invalid")).toBe("true");
    expect(within(row).getByTestId("field-error").textContent).toContain("no path");
    expect(screen.getByTestId("theme-accent").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("widget-error").textContent).toBe("Fix the marked fields first.");
    expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(0);
  });

  it("shows the server's refusal, each field error at its row or field", async () => {
    renderWidget((call) =>
      call.method === "PATCH"
        ? problem(422, "/body/settings/allowed_origins/1: String should match pattern (and 1 more)", {
            errors: [
              { path: "/body/settings/allowed_origins/1", message: "String should match pattern" },
              { path: "/body/settings/theme/title", message: "String should have at most 60 characters" },
            ],
          })
        : undefined,
    );
    fireEvent.click(screen.getByTestId("origins-add")); // left empty: not sent
    fireEvent.click(screen.getByTestId("origins-add"));
    const rows = screen.getAllByTestId("origins-row");
    fireEvent.change(within(rows[2]).getByRole("textbox"), { target: { value: "https://xn--80ak6aa92e.com" } });
    fireEvent.click(screen.getByTestId("origins-save"));
    expect((await screen.findByTestId("widget-error")).textContent).toContain("String should match pattern (and 1 more)");
    // the second origin sent is the third row (the empty second row was not sent)
    expect(within(rows[2]).getByRole("textbox").getAttribute("aria-invalid")).toBe("true");
    expect(within(rows[0]).getByRole("textbox").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByTestId("theme-title").getAttribute("aria-invalid")).toBe("true");
  });

  it("says when the chat key cannot be loaded", async () => {
    renderWidget((call) => (call.url.endsWith("/chat-key") ? problem(403, "your role does not allow this") : undefined));
    expect((await screen.findByTestId("chat-key-error")).textContent).toContain("your role does not allow this");
    expect(screen.queryByTestId("embed-snippet")).toBeNull();
  });
});
