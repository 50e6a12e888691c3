// The widget's DOM while an answer is generated (`partial` frames): the real Widget and
// ChatClient over a fake socket, in jsdom (the builder's test dependency).
import { describe, it } from "node:test";
import { expect } from "./expect";
import { ChatClient, type Persisted, type SocketLike } from "../src/client";
import { Widget } from "../src/ui";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) { this.sent.push(JSON.parse(data)); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.({}); }
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
}

/** jsdom, found from the working directory (builder-ui/): the bundled test runs from a
 *  temporary directory. */
async function jsdom(): Promise<any> {
  const proc = (globalThis as unknown as { process: { cwd(): string } }).process;
  const { createRequire } = await import("node:module" as string);
  return createRequire(`${proc.cwd()}/`)("jsdom");
}

async function setup(language = "en") {
  const { JSDOM } = await jsdom();
  const dom = new JSDOM("<!doctype html><body></body>", { url: "https://shop.example/" });
  const g = globalThis as any;
  g.window = dom.window;
  g.document = dom.window.document;
  g.location = dom.window.location;
  // Animation frames run when the test says so: repaints are coalesced into them.
  const frames: (() => void)[] = [];
  g.requestAnimationFrame = (fn: () => void) => frames.push(fn);
  const flush = () => { for (const fn of frames.splice(0)) fn(); };

  const host = document.createElement("div");
  document.body.append(host);
  const widget = new Widget(host, { lang: "en", langFixed: false, open: false, botKey: "k" });
  const sockets: FakeSocket[] = [];
  let saved: Persisted | null = null;
  let n = 0;
  const client = new ChatClient({
    url: "ws://h/ws/v1/chat?key=k", language,
    store: { load: () => saved, save: (s) => { saved = JSON.parse(JSON.stringify(s)); } },
    events: widget.events(),
    socket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    uuid: () => `id-${++n}`,
    random: () => 0.5,
    now: () => 0,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
  });
  widget.attach(client);
  client.start();
  const ws = sockets[0];
  ws.open();
  ws.frame({ type: "welcome", v: 1, conversation_id: "c", resume_token: "t", language, resumed: false,
    bot: { name: "Demo" }, seq: 0 });
  const root = host.shadowRoot!;
  const log = root.querySelector(".log")!;
  const part = (stream_id: string, offset: number, text: string, more: object = {}) =>
    ({ type: "partial", seq: 1, stream_id, block_id: "llm", offset, text, ...more });
  return {
    ws, client, root, log, flush, frames, part,
    /** Each rendered message of the log: its classes, stream id and text. */
    messages: () => [...log.querySelectorAll<HTMLElement>(".msg")].map((el) =>
      `${el.className}|${el.dataset.streamId ?? ""}|${el.querySelector(".bub")!.textContent}`),
    bubbles: (id: string) => log.querySelectorAll<HTMLElement>(`.msg[data-stream-id="${id}"]`),
    saved: () => saved!,
  };
}

const input = { type: "input", seq: 2, input: { kind: "text" }, ended: false, status: "waiting" };

describe("Widget, answers as they are generated", () => {
  it("shows the pieces in a busy bot bubble in place of the typing dots, painted once a frame", async () => {
    const t = await setup();
    const typing = t.root.querySelector<HTMLElement>(".typing")!;
    t.ws.frame({ type: "typing", seq: 1 });
    expect(typing.hidden).toBe(false);
    t.ws.frame(t.part("s1", 0, "Hel"));
    expect(typing.hidden).toBe(true);
    const [el] = t.bubbles("s1");
    expect(el.className).toBe("msg out streaming");
    expect(el.getAttribute("aria-busy")).toBe("true");
    expect(el.querySelector(".bub")!.textContent).toBe("Hel");
    t.ws.frame(t.part("s1", 3, "lo"));
    t.ws.frame(t.part("s1", 5, ", **world**"));
    // Not repainted per piece: one frame for both.
    expect(el.querySelector(".bub")!.textContent).toBe("Hel");
    expect(t.frames).toHaveLength(1);
    t.flush();
    expect(el.querySelector(".bub")!.textContent).toBe("Hello, world");
    expect(el.querySelector(".bub strong")!.textContent).toBe("world");
    // While the answer is written out the dots stay away.
    t.ws.frame({ type: "typing", seq: 1 });
    expect(typing.hidden).toBe(true);
    expect(t.messages()).toEqual(["msg out streaming|s1|Hello, world"]);
  });

  it("adds a repeated piece once and nothing after a gap", async () => {
    const t = await setup();
    t.ws.frame(t.part("s1", 0, "abc"));
    t.ws.frame(t.part("s1", 0, "abc"));
    t.ws.frame(t.part("s1", 1, "bcde"));
    t.ws.frame(t.part("s1", 9, "zzz"));
    t.flush();
    expect(t.messages()).toEqual(["msg out streaming|s1|abcde"]);
  });

  it("renders the text as text, never as markup", async () => {
    const t = await setup();
    t.ws.frame(t.part("s1", 0, "<img src=x onerror=alert(1)>"));
    t.ws.frame(t.part("s1", 28, "<b>x</b>"));
    t.flush();
    expect(t.log.querySelector("img")).toBeNull();
    expect(t.log.querySelector("b")).toBeNull();
    expect(t.messages()).toEqual(["msg out streaming|s1|<img src=x onerror=alert(1)><b>x</b>"]);
  });

  it("replaces the bubble by the stored message in place, with a note when it was cut", async () => {
    const t = await setup("uk");
    t.ws.frame({ type: "message", seq: 1, direction: "out", message: { type: "text", text: "Q?" } });
    t.ws.frame(t.part("s1", 0, "Half an"));
    t.client.send({ text: "never mind" }); // shown at once, below the bubble
    t.ws.frame({ type: "batch", seq: 3, frames: [
      { type: "ack", seq: 2, client_message_id: "id-1" },
      { type: "message", seq: 3, direction: "out",
        message: { type: "text", text: "Half an", stream_id: "s1", incomplete: true } },
      input,
    ] });
    t.flush();
    expect(t.messages()).toEqual(["msg out||Q?", "msg out|s1|Half an", "msg in||never mind"]);
    const [el] = t.bubbles("s1");
    expect(el.hasAttribute("aria-busy")).toBe(false);
    expect(el.dataset.seq).toBe("3");
    expect(el.querySelector(".note.incomplete")!.textContent).toBe("відповідь перервано");
    // The pieces are not kept; the stored message is, with its flag (a reload shows the note
    // again), in the order of history (seq), where the person's message came first.
    expect(t.saved().items.map((i) => `${i.seq}:${i.message.text}:${i.message.incomplete ?? false}`))
      .toEqual(["1:Q?:false", "2:never mind:false", "3:Half an:true"]);
  });

  it("renders a complete stored answer without the note, and one without a bubble normally", async () => {
    const t = await setup();
    t.ws.frame(t.part("s1", 0, "Hi"));
    t.ws.frame(t.part("s1", 2, " there", { end: true }));
    t.ws.frame({ type: "message", seq: 1, direction: "out", message: { type: "text", text: "Hi there!", stream_id: "s1" } });
    t.ws.frame({ type: "message", seq: 2, direction: "out", message: { type: "text", text: "More", stream_id: "s2" } });
    t.flush();
    expect(t.messages()).toEqual(["msg out|s1|Hi there!", "msg out|s2|More"]);
    expect(t.log.querySelector(".incomplete")).toBeNull();
  });

  it("removes the bubble when its stored message has nothing to show", async () => {
    const t = await setup();
    t.ws.frame(t.part("s1", 0, "  "));
    t.ws.frame({ type: "message", seq: 1, direction: "out", message: { type: "text", text: "", stream_id: "s1" } });
    expect(t.messages()).toEqual([]);
  });

  it("removes a discarded bubble, and at the input a bubble whose message never came", async () => {
    const t = await setup();
    t.ws.frame(t.part("a", 0, "dropped"));
    t.ws.frame(t.part("b", 0, "orphan", { end: true }));
    expect(t.messages()).toEqual(["msg out streaming|a|dropped", "msg out streaming|b|orphan"]);
    t.ws.frame(t.part("a", 7, "", { discard: true }));
    expect(t.messages()).toEqual(["msg out streaming|b|orphan"]);
    t.ws.frame(input);
    t.flush();
    expect(t.messages()).toEqual([]);
    // A late piece does not bring it back.
    t.ws.frame(t.part("b", 6, " again"));
    t.flush();
    expect(t.messages()).toEqual([]);
  });

  it("takes a whole streamed turn in one batch", async () => {
    const t = await setup();
    t.ws.frame({ type: "batch", seq: 1, frames: [
      t.part("s", 0, "One"),
      t.part("s", 3, ", two"),
      { type: "message", seq: 1, direction: "out", message: { type: "text", text: "One, two.", stream_id: "s" } },
      t.part("z", 0, "never stored"),
      input,
    ] });
    t.flush();
    expect(t.messages()).toEqual(["msg out|s|One, two."]);
  });
});
