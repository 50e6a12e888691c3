import { describe, expect, it } from "vitest";
import { TYPES } from "../test/fixtures";
import { blockPorts, dynamicPorts, strayPorts } from "./ports";

const ports = (type: string, settings: Record<string, unknown> = {}) => blockPorts({ type, settings }, TYPES.get(type));

describe("block ports", () => {
  it("are the catalogue's for static types", () => {
    expect(ports("condition")).toEqual(["true", "false"]);
    expect(ports("script")).toEqual(["ok", "error", "timeout"]);
    expect(ports("end")).toEqual([]);
  });

  it("of a message: one per choice button and quick reply, then next (links have none)", () => {
    expect(ports("message", { text: { uk: "Привіт" } })).toEqual(["next"]);
    expect(
      ports("message", {
        buttons: [{ id: "09:00" }, { id: "site", url: "https://example.com" }, { id: "size.xl" }],
        quick_replies: [{ id: "later" }],
      }),
    ).toEqual(["09:00", "size.xl", "later", "next"]);
  });

  it("of a message with its own answer time include no_input", () => {
    expect(ports("message", { buttons: [{ id: "a" }], timeout_seconds: 30 })).toEqual(["a", "next", "no_input"]);
  });

  it("of an input: next and invalid, and no_input with timeout_seconds", () => {
    expect(ports("input", { kind: "text" })).toEqual(["next", "invalid"]);
    expect(ports("input", { kind: "text", timeout_seconds: 60 })).toEqual(["next", "invalid", "no_input"]);
  });

  it("of a jump: next only for a call into a scenario that returns", () => {
    expect(ports("jump", { block: "start" })).toEqual([]);
    expect(ports("jump", { scenario: "order" })).toEqual(["next"]);
    expect(ports("jump", { scenario: "order", return_after: false })).toEqual([]);
  });

  it("of an intent block: one per intent (named or written in place), then fallback, error, timeout", () => {
    expect(ports("intent", { intents: ["order_status", { name: "cancel", examples: { en: ["cancel"] } }] })).toEqual([
      "order_status",
      "cancel",
      "fallback",
      "error",
      "timeout",
    ]);
    expect(ports("intent", { intents: [null, 3, { examples: {} }, ""] })).toEqual(["fallback", "error", "timeout"]);
    expect(ports("intent", {})).toEqual(["fallback", "error", "timeout"]);
  });

  it("of an llm block: its classes and fallback when it classifies, else next", () => {
    expect(ports("llm", { mode: "classify", classes: [{ name: "refund" }, { name: "other" }] })).toEqual([
      "refund",
      "other",
      "fallback",
      "error",
      "timeout",
    ]);
    expect(ports("llm", { mode: "generate", classes: [{ name: "refund" }] })).toEqual(["next", "error", "timeout"]);
    expect(ports("llm", {})).toEqual(["next", "error", "timeout"]);
  });

  it("fall back to next for dynamic or unknown types the editor cannot derive", () => {
    expect(ports("crm_lookup", { customer: "x" })).toEqual(["next"]);
    expect(blockPorts({ type: "mystery", settings: {} }, undefined)).toEqual(["next"]);
    expect(dynamicPorts("crm_lookup", {})).toBeNull();
  });

  it("survive malformed settings", () => {
    expect(ports("message", { buttons: "nope", quick_replies: [null, 3, { id: "" }] })).toEqual(["next"]);
    expect(blockPorts({ type: "message", settings: null as unknown as Record<string, unknown> }, TYPES.get("message"))).toEqual(["next"]);
  });

  it("strayPorts lists ports edges use that the block lacks", () => {
    const edges = [
      { source: "a", port: "next", target: "b" },
      { source: "a", port: "gone", target: "c" },
      { source: "a", target: "d" },
      { source: "x", port: "other", target: "a" },
    ];
    expect(strayPorts("a", ["next"], edges)).toEqual(["gone"]);
    expect(strayPorts("a", [], edges)).toEqual(["next", "gone"]);
  });
});
