import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toBlockTypes } from "../api/types";
import { changeLanguage } from "../i18n";
import { Palette } from "./Palette";

const TYPES = toBlockTypes([
  {
    name: "message",
    description: "Send a text.",
    titles: { en: "Message", uk: "Повідомлення" },
    descriptions: { en: "Send a text.", uk: "Надіслати текст." },
    category: "messaging",
    settings_schema: {},
    ports: null,
    dynamic_ports: true,
    waits_for_input: null,
  },
  // A type a newer service registered, with no titles: its name stands in.
  { name: "sentiment_check", description: "Tell the mood.", category: "nlu", settings_schema: {}, ports: ["next"] },
]);

describe("Palette", () => {
  afterEach(() => act(() => changeLanguage("en")));

  it("names each block type in the interface's language, by the server's titles", () => {
    const onAdd = vi.fn();
    render(<Palette types={TYPES} onAdd={onAdd} />);
    expect(screen.getByTestId("palette-message").textContent).toBe("Message");
    expect(screen.getByTestId("palette-sentiment_check").textContent).toBe("sentiment_check");
    act(() => changeLanguage("uk"));
    expect(screen.getByTestId("palette-message").textContent).toBe("Повідомлення");
    expect(screen.getByTestId("palette-message").getAttribute("title")).toBe("message: Надіслати текст.");
    // No Ukrainian title: English, then the name.
    expect(screen.getByTestId("palette-sentiment_check").textContent).toBe("sentiment_check");
    screen.getByTestId("palette-message").click();
    expect(onAdd).toHaveBeenCalledWith("message");
  });
});
