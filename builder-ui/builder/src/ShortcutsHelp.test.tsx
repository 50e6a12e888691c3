import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiClient } from "./api/client";
import { App } from "./App";
import { isHelpShortcut } from "./ShortcutsHelp";
import { mockFetch } from "./test/api";

function renderApp() {
  const server = mockFetch(() => undefined);
  render(<App api={new ApiClient({ fetch: server.fetch, storage: localStorage })} />);
}

describe("the keyboard shortcuts overlay", () => {
  it("opens on ? and lists the app's shortcuts, and Escape closes it", () => {
    renderApp();
    expect(screen.queryByTestId("shortcuts-help")).toBeNull();
    fireEvent.keyDown(document.body, { key: "?", shiftKey: true });
    const help = screen.getByTestId("shortcuts-help");
    expect(help.getAttribute("role")).toBe("dialog");
    expect(help.getAttribute("aria-modal")).toBe("true");
    expect(screen.getByRole("dialog", { name: "Keyboard shortcuts" })).toBe(help);
    const rows = within(help).getAllByTestId("shortcut").map((row) => row.textContent ?? "");
    expect(rows.some((r) => r.includes("Delete") && r.includes("Backspace") && r.includes("Delete the selected blocks"))).toBe(true);
    expect(rows.some((r) => r.includes("Alt+R") && r.includes("restart the test chat"))).toBe(true);
    expect(rows.some((r) => r.includes("Enter") && r.includes("Apply the settings JSON"))).toBe(true);
    expect(rows.some((r) => r.includes("?") && r.includes("Show this list"))).toBe(true);
    expect(rows.some((r) => r.includes("+Z") && r.includes("Undo the last change"))).toBe(true);
    expect(rows.some((r) => r.includes("Shift+Z") && r.includes("Ctrl+Y") && r.includes("Redo"))).toBe(true);
    expect(rows.some((r) => r.includes("+C") && r.includes("Copy the selected blocks"))).toBe(true);
    expect(rows.some((r) => r.includes("+X") && r.includes("Cut"))).toBe(true);
    expect(rows.some((r) => r.includes("+V") && r.includes("Paste"))).toBe(true);
    expect(document.activeElement).toBe(within(help).getByTestId("shortcuts-close"));

    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByTestId("shortcuts-help")).toBeNull();
  });

  it("does not open while typing, and opens from the header's button too", () => {
    renderApp();
    const email = screen.getByTestId("login-email");
    fireEvent.keyDown(email, { key: "?", shiftKey: true });
    expect(screen.queryByTestId("shortcuts-help")).toBeNull();
    fireEvent.click(screen.getByTestId("shortcuts-open"));
    expect(screen.getByTestId("shortcuts-help")).toBeTruthy();
    fireEvent.click(screen.getByTestId("shortcuts-close"));
    expect(screen.queryByTestId("shortcuts-help")).toBeNull();
  });

  it("tells the help key from other keys", () => {
    const input = document.createElement("input");
    const box = Object.assign(document.createElement("input"), { type: "checkbox" });
    expect(isHelpShortcut({ key: "?", ctrlKey: false, metaKey: false, altKey: false, target: document.body })).toBe(true);
    expect(isHelpShortcut({ key: "?", ctrlKey: false, metaKey: false, altKey: false, target: box })).toBe(true);
    expect(isHelpShortcut({ key: "?", ctrlKey: false, metaKey: false, altKey: false, target: input })).toBe(false);
    expect(isHelpShortcut({ key: "?", ctrlKey: true, metaKey: false, altKey: false, target: document.body })).toBe(false);
    expect(isHelpShortcut({ key: "/", ctrlKey: false, metaKey: false, altKey: false, target: document.body })).toBe(false);
  });
});
