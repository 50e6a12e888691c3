import { describe, expect, it } from "vitest";
import { sampleDocument } from "../test/fixtures";
import { blockIndexOfPointer, edgeIndexOfPointer, issueBlockId, parsePointer } from "./pointer";

describe("JSON pointers", () => {
  it("parse into segments, unescaping ~1 and ~0", () => {
    expect(parsePointer("")).toEqual([]);
    expect(parsePointer("/blocks/0/settings/a~1b~0c")).toEqual(["blocks", "0", "settings", "a/b~c"]);
    expect(parsePointer("blocks/0")).toBeNull();
  });

  it("name a block index", () => {
    expect(blockIndexOfPointer("/blocks/3/settings/text/uk")).toBe(3);
    expect(blockIndexOfPointer("/blocks/12")).toBe(12);
    expect(blockIndexOfPointer("/blocks")).toBeNull();
    expect(blockIndexOfPointer("/blocks/01")).toBeNull();
    expect(blockIndexOfPointer("/blocks/x/id")).toBeNull();
    expect(blockIndexOfPointer("/edges/1/target")).toBeNull();
    expect(edgeIndexOfPointer("/edges/1/target")).toBe(1);
  });
});

describe("issueBlockId", () => {
  const doc = sampleDocument();
  it("prefers the issue's block_id", () => {
    expect(issueBlockId({ path: "/blocks/0", block_id: "ask" }, doc)).toBe("ask");
  });
  it("follows /blocks/<i> to the block", () => {
    expect(issueBlockId({ path: "/blocks/2/settings" }, doc)).toBe("tea_end");
    expect(issueBlockId({ path: "/blocks/99/settings" }, doc)).toBeNull();
  });
  it("follows /edges/<i> to the edge's source block", () => {
    expect(issueBlockId({ path: "/edges/3/port" }, doc)).toBe("ask");
  });
  it("follows entry points that name a block", () => {
    expect(issueBlockId({ path: "/entry/start" }, doc)).toBe("hello");
    expect(issueBlockId({ path: "/entry/commands/help" }, doc)).toBe("help");
    expect(issueBlockId({ path: "/variables/0" }, doc)).toBeNull();
    expect(issueBlockId({ path: "" }, doc)).toBeNull();
  });
});
