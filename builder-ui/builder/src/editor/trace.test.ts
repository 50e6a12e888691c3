import { describe, expect, it } from "vitest";
import { traceTurn } from "../test/fixtures";
import { callLogs, describeEvent, formatMilliseconds, formatTrace, formatValue, MAX_LOG_LINE, MAX_LOG_LINES, variableChanges, visitedBlocks } from "./trace";

describe("formatTrace", () => {
  it("lists each step's block, port and time, variable changes and errors", () => {
    const view = formatTrace(traceTurn());
    expect(view.seq).toBe(2);
    expect(view.event).toBe("choice coffee");
    expect(view.duration).toBe("16.2 ms");
    expect(view.steps.map((s) => [s.blockId, s.type, s.port, s.time, s.error])).toEqual([
      ["hello", "message", "coffee", "0.04 ms", null],
      ["lookup", "http", "error", "15.2 ms", null],
      ["sub_ask", "input", null, "0.01 ms", null],
      ["ask", "input", null, "0.03 ms", "boom"],
    ]);
    expect(view.steps[1].call).toEqual({ service: "http", operation: "GET", status: "error", time: "15.1 ms", error: "HTTP 500", logs: [], logsLeftOut: 0 });
    expect(view.variables).toEqual([
      { name: "drink", before: "∅", after: '"coffee"' },
      { name: "count", before: "1", after: "2" },
      { name: "gone", before: '"x"', after: "∅" },
    ]);
    expect(view.errors).toEqual([{ code: "block.failed", message: "The block failed", blockId: "ask" }]);
  });

  it("reads odd shapes without failing", () => {
    const view = formatTrace(traceTurn({ trace: [null, { type: "x" }, { block_id: "b" }], errors: ["plain", 3], variable_changes: { v: { before: 1, after: 2 }, w: 5 }, event: {} }));
    expect(view.steps.map((s) => [s.blockId, s.port, s.time])).toEqual([["b", null, "0 ms"]]);
    expect(view.errors).toEqual([{ code: "", message: "plain", blockId: null }]);
    expect(view.event).toBe("?");
    expect(variableChanges({ v: { before: 1, after: 2 }, w: 5 })).toEqual([
      { name: "v", before: "1", after: "2" },
      { name: "w", before: "∅", after: "5" },
    ]);
    expect(variableChanges(null)).toEqual([]);
  });

  it("keeps a call's logs in order, strings only", () => {
    const logs = ["first look: order_status 0.42, cancel 0.31", "second look: order_status 0.88"];
    const call = { service: "nlu", operation: "classify", status: "ok", milliseconds: 3.2, error: null };
    const view = formatTrace(
      traceTurn({
        trace: [
          { block_id: "intent", type: "intent", port: "order_status", microseconds: 3300, call: { ...call, logs } },
          { block_id: "odd", type: "module", microseconds: 1, call: { ...call, logs: [1, "printed", null, { line: "x" }, ["y"], ""] } },
          { block_id: "none", type: "module", microseconds: 1, call: { ...call, logs: "not a list" } },
          { block_id: "old", type: "module", microseconds: 1, call },
        ],
      }),
    );
    expect(view.steps.map((s) => [s.call?.logs, s.call?.logsLeftOut])).toEqual([
      [logs, 0],
      [["printed", ""], 0],
      [[], 0],
      [[], 0],
    ]);
  });

  it("caps a call's logs: 20 lines of at most 300 characters, and counts the rest", () => {
    const lines = Array.from({ length: 23 }, (_, i) => `line ${i + 1}`);
    lines[0] = "x".repeat(1000);
    lines[1] = "y".repeat(300);
    const { logs, logsLeftOut } = callLogs([...lines, 42]);
    expect(logs).toHaveLength(MAX_LOG_LINES);
    expect(MAX_LOG_LINES).toBe(20);
    expect(logs[0]).toBe(`${"x".repeat(MAX_LOG_LINE - 1)}…`);
    expect(logs[0]).toHaveLength(300);
    expect(logs[1]).toBe("y".repeat(300)); // exactly at the cap: kept whole
    expect(logs.slice(2)).toEqual(lines.slice(2, 20));
    expect(logsLeftOut).toBe(3); // the non-string is dropped, not counted
    expect(callLogs(undefined)).toEqual({ logs: [], logsLeftOut: 0 });
    expect(callLogs(lines.slice(0, 20)).logsLeftOut).toBe(0);
  });

  it("formats times, values and events short", () => {
    expect(formatMilliseconds(0.004)).toBe("<0.01 ms");
    expect(formatMilliseconds(0)).toBe("0 ms");
    expect(formatMilliseconds(3.256)).toBe("3.26 ms");
    expect(formatMilliseconds(250.4)).toBe("250 ms");
    expect(formatMilliseconds(1530)).toBe("1.53 s");
    expect(formatMilliseconds(-1)).toBe("—");
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue("x".repeat(100))).toHaveLength(60);
    expect(formatValue(undefined)).toBe("∅");
    expect(describeEvent({ kind: "text", text: "Олена" })).toBe('text "Олена"');
    expect(describeEvent({ kind: "command", command: "help" })).toBe("/help");
    expect(describeEvent({ kind: "start" })).toBe("start");
  });
});

describe("visitedBlocks", () => {
  it("names this scenario's blocks the turn passed through, once each, in order", () => {
    const turn = traceTurn();
    expect(visitedBlocks(turn, "main")).toEqual(["hello", "lookup", "ask"]);
    expect(visitedBlocks(formatTrace(turn), null)).toEqual(["hello", "lookup", "sub_ask", "ask"]);
    expect(visitedBlocks(turn, "main", new Set(["hello", "ask"]))).toEqual(["hello", "ask"]);
    expect(visitedBlocks(traceTurn({ trace: [] }), "main")).toEqual([]);
  });
});
