import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import type { ScenarioDocument } from "../api/types";
import { sampleDocument } from "../test/fixtures";
import { Autosaver, classifySaveFailure, decideConflict, resolveConflict, retryDelay, type SaveState, type ServerDraft } from "./autosave";

const problem = (status: number) => new ApiError({ status, title: "x", detail: `status ${status}` });

describe("the 409 decision", () => {
  it("classifies failures: 409 conflict, transient retry, other 4xx stop", () => {
    expect(classifySaveFailure(problem(409))).toBe("conflict");
    for (const status of [0, 408, 429, 500, 502, 503]) expect(classifySaveFailure(problem(status))).toBe("retry");
    for (const status of [400, 401, 403, 404, 413, 422, 428]) expect(classifySaveFailure(problem(status))).toBe("stop");
    expect(classifySaveFailure(new TypeError("Failed to fetch"))).toBe("retry");
  });

  it("adopts the server's revision when it holds what we sent", () => {
    const sent = sampleDocument();
    expect(decideConflict(sent, { document: structuredClone(sent), revision: 7 })).toBe("adopt");
  });

  it("asks the author when the server holds something else", () => {
    const sent = sampleDocument();
    const theirs = structuredClone(sent);
    theirs.blocks[0].name = "Renamed elsewhere";
    expect(decideConflict(sent, { document: theirs, revision: 7 })).toBe("ask");
  });

  it("reload theirs: their document and revision, nothing to save", () => {
    const mine = sampleDocument();
    const theirs: ServerDraft = { document: { ...sampleDocument(), blocks: [] }, revision: 9 };
    expect(resolveConflict("theirs", mine, theirs)).toEqual({ document: theirs.document, revision: 9, save: false });
  });

  it("keep mine: my document, saved again over the server's current revision", () => {
    const mine = sampleDocument();
    const theirs: ServerDraft = { document: { ...sampleDocument(), blocks: [] }, revision: 9 };
    const r = resolveConflict("mine", mine, theirs);
    expect(r.document).toBe(mine);
    expect(r.revision).toBe(9);
    expect(r.save).toBe(true);
  });

  it("retries later and later, up to 30 s", () => {
    expect([0, 1, 2, 3, 4, 10].map(retryDelay)).toEqual([2000, 5000, 10000, 20000, 30000, 30000]);
  });
});

describe("Autosaver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(server: { document: ScenarioDocument; revision: number }) {
    const states: SaveState[] = [];
    const saves: Array<{ revision: number; document: ScenarioDocument }> = [];
    const replaced: ScenarioDocument[] = [];
    let failNext: ApiError | null = null;
    const saver = new Autosaver({
      revision: server.revision,
      document: server.document,
      delayMs: 800,
      save: async (document, revision) => {
        saves.push({ document, revision });
        if (failNext) {
          const e = failNext;
          failNext = null;
          throw e;
        }
        if (revision !== server.revision) throw problem(409);
        server.document = structuredClone(document);
        server.revision++;
        return { document: server.document, revision: server.revision };
      },
      load: async () => ({ document: structuredClone(server.document), revision: server.revision }),
      onState: (s) => states.push(s),
      onReplace: (d) => replaced.push(d),
    });
    return { saver, states, saves, replaced, fail: (e: ApiError) => (failNext = e) };
  }

  it("saves once, ~800 ms after the last of several changes, with the revision as If-Match", async () => {
    const server = { document: sampleDocument(), revision: 3 };
    const { saver, saves, states } = setup(server);
    const a = { ...sampleDocument(), name: "a" };
    const b = { ...sampleDocument(), name: "b" };
    saver.change(a);
    await vi.advanceTimersByTimeAsync(500);
    saver.change(b);
    expect(saver.current.status).toBe("unsaved");
    await vi.advanceTimersByTimeAsync(799);
    expect(saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves).toEqual([{ document: b, revision: 3 }]);
    expect(saver.current).toMatchObject({ status: "saved", revision: 4 });
    expect(states.map((s) => s.status)).toEqual(["unsaved", "unsaved", "saving", "saved"]);
  });

  it("on a 409 with someone else's draft, waits for the author; keep mine saves over it", async () => {
    const server = { document: sampleDocument(), revision: 3 };
    const { saver, saves } = setup(server);
    server.document = { ...sampleDocument(), name: "theirs" };
    server.revision = 5; // someone saved twice meanwhile
    const mine = { ...sampleDocument(), name: "mine" };
    saver.change(mine);
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.current.status).toBe("conflict");
    expect(saver.current.theirs?.revision).toBe(5);
    // further edits wait for the choice: nothing is sent
    saver.change({ ...mine, description: "more" });
    await vi.advanceTimersByTimeAsync(5000);
    expect(saves).toHaveLength(1);
    await saver.resolve("mine");
    expect(saves[1].revision).toBe(5);
    expect(saves[1].document).toEqual({ ...mine, description: "more" });
    expect(saver.current).toMatchObject({ status: "saved", revision: 6 });
    expect(server.document.description).toBe("more");
  });

  it("reload theirs replaces the document and drops local changes", async () => {
    const server = { document: sampleDocument(), revision: 3 };
    const { saver, replaced } = setup(server);
    server.document = { ...sampleDocument(), name: "theirs" };
    server.revision = 4;
    saver.change({ ...sampleDocument(), name: "mine" });
    await vi.advanceTimersByTimeAsync(800);
    await saver.resolve("theirs");
    expect(replaced).toHaveLength(1);
    expect(replaced[0].name).toBe("theirs");
    expect(saver.current).toMatchObject({ status: "saved", revision: 4 });
    expect(saver.dirty).toBe(false);
  });

  it("on a 409 when the server already holds what we sent, just takes its revision", async () => {
    // Our save went through but its answer was lost: the retry meets our own revision 8.
    const mine = { ...sampleDocument(), name: "mine" };
    const behind = new Autosaver({
      revision: 7,
      document: mine,
      save: async () => {
        throw problem(409);
      },
      load: async () => ({ document: structuredClone(mine), revision: 8 }),
      onState: () => {},
    });
    behind.change(mine);
    await vi.advanceTimersByTimeAsync(800);
    expect(behind.current).toMatchObject({ status: "saved", revision: 8 });
  });

  it("retries a transient failure by itself and shows the error meanwhile", async () => {
    const server = { document: sampleDocument(), revision: 1 };
    const { saver, saves, fail } = setup(server);
    fail(problem(503));
    saver.change({ ...sampleDocument(), name: "x" });
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.current.status).toBe("error");
    expect(saver.current.error?.status).toBe(503);
    expect(saver.current.retryAt).toBeDefined();
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves).toHaveLength(2);
    expect(saver.current).toMatchObject({ status: "saved", revision: 2 });
  });

  it("does not retry a refused document until it changes again", async () => {
    const server = { document: sampleDocument(), revision: 1 };
    const { saver, saves, fail } = setup(server);
    fail(problem(422));
    saver.change({ ...sampleDocument(), name: "bad" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves).toHaveLength(1);
    expect(saver.current.status).toBe("error");
    expect(saver.dirty).toBe(true);
    saver.change({ ...sampleDocument(), name: "good" });
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.current.status).toBe("saved");
  });

  it("flush saves at once and resolves when the server has every change", async () => {
    const server = { document: sampleDocument(), revision: 1 };
    const { saver, saves } = setup(server);
    saver.change({ ...sampleDocument(), name: "now" });
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    await expect(done).resolves.toBe(true);
    expect(saves).toHaveLength(1);
    await expect(saver.flush()).resolves.toBe(true);
    expect(saves).toHaveLength(1);
  });

  it("saves again when the document changed while a save was on its way", async () => {
    const server = { document: sampleDocument(), revision: 1 };
    const { saver, saves } = setup(server);
    saver.change({ ...sampleDocument(), name: "one" });
    await vi.advanceTimersByTimeAsync(800);
    saver.change({ ...sampleDocument(), name: "two" });
    await vi.advanceTimersByTimeAsync(800);
    expect(saves.map((s) => [s.document.name, s.revision])).toEqual([["one", 1], ["two", 2]]);
    expect(saver.current).toMatchObject({ status: "saved", revision: 3 });
  });
});
