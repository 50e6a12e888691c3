// The widget's DOM, inside a shadow root so that page CSS and widget CSS cannot meet. Plain DOM
// keeps the bundle small; every piece of server or user text goes through textContent.

import { ChatClient, type ClientEvents, type ConnectionState } from "./client";
import { render, safeUrl } from "./format";
import { normalize, strings, type Lang, type Strings } from "./i18n";
import { CSS as STYLE } from "./styles";
import type { BotInfo, Button, HistoryItem, InputRequest } from "./types";

type Attrs = Record<string, string | boolean | undefined>;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Attrs = {}, ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z"/></svg>';

const MIC_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.93V21h2v-3.07A7 7 0 0 0 19 11z"/></svg>';

const MAX_DELAY_S = 3;
/** The protocol's longest recording; a bot's `voice.max_seconds` may only shorten it. */
const VOICE_MAX_S = 60;
/** Opus speech needs no more; 60 s is then about 240 KB, well under the 1 MiB frame limit. */
const VOICE_BITRATE = 32_000;
/** What the widget asks MediaRecorder for, in order (Chromium and Firefox; Safari: mp4). */
const VOICE_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
const TYPING_MAX_MS = 20_000;
const MAX_TEXT = 4000; // under the server's 4096 characters and the 16 KiB frame limit

export interface WidgetOptions {
  lang: Lang;
  /** `data-language` was given: the interface does not follow the conversation's language. */
  langFixed: boolean;
  open: boolean;
  botKey: string;
}

export class Widget {
  private root: ShadowRoot;
  private rz: HTMLDivElement;
  private panel: HTMLDivElement;
  private launcher: HTMLButtonElement;
  private badge: HTMLSpanElement;
  private title: HTMLDivElement;
  private sub: HTMLDivElement;
  private avatar: HTMLDivElement;
  private closeBtn: HTMLButtonElement;
  private status: HTMLDivElement;
  private log: HTMLDivElement;
  private typing: HTMLDivElement;
  private choices: HTMLDivElement;
  private form: HTMLFormElement;
  private field: HTMLInputElement;
  private sendBtn: HTMLButtonElement;
  private mic: HTMLButtonElement;
  /** The recording under way (the mic was pressed, not yet again). */
  private rec: Recording | null = null;
  /** Waiting for the browser's microphone permission. */
  private starting = false;
  /** The server said it cannot transcribe: no microphone for the rest of the page's life. */
  private voiceOff = false;
  private endbar: HTMLDivElement;
  private endText: HTMLDivElement;
  private again: HTMLButtonElement;
  private s: Strings;
  private lang: Lang;
  private isOpen = false;
  private quick: Button[] = [];
  private queue: (() => number | void)[] = [];
  private busy = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private rendered = new Map<HistoryItem, HTMLElement>();
  /** Answers being generated, by stream_id, until their stored message replaces them. */
  private live = new Map<string, LiveAnswer>();
  private paintPending = false;
  client!: ChatClient;

  constructor(host: HTMLElement, private options: WidgetOptions) {
    this.lang = options.lang;
    this.s = strings(this.lang);
    this.root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;

    this.avatar = h("div", { class: "av", "aria-hidden": "true" });
    this.title = h("div", { class: "title" });
    this.sub = h("div", { class: "sub" });
    this.closeBtn = h("button", { class: "x", type: "button" });
    this.closeBtn.innerHTML = CLOSE_ICON; // a constant, no outside text
    this.status = h("div", { class: "status", role: "status", hidden: true });
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" });
    this.typing = h("div", { class: "typing", hidden: true },
      h("i"), h("i"), h("i"), h("span", { class: "sr" }));
    this.choices = h("div", { class: "choices", role: "group", hidden: true });
    this.field = h("input", { type: "text", autocomplete: "off", maxlength: String(MAX_TEXT) });
    this.sendBtn = h("button", { class: "send", type: "submit" });
    this.mic = h("button", { class: "mic", type: "button", hidden: true });
    this.form = h("form", { class: "comp", novalidate: true }, this.field, this.mic, this.sendBtn);
    this.endText = h("div", { class: "sys" });
    this.again = h("button", { class: "again", type: "button" });
    this.endbar = h("div", { class: "endbar", hidden: true }, this.endText, this.again);
    this.panel = h("div", { class: "panel", role: "dialog", hidden: true },
      h("div", { class: "head" }, this.avatar, h("div", { class: "tt" }, this.title, this.sub), this.closeBtn),
      this.status, this.log, this.typing, this.choices, this.form, this.endbar);
    this.badge = h("span", { class: "badge", hidden: true });
    this.launcher = h("button", { class: "launcher", type: "button", "aria-expanded": "false" });
    this.rz = h("div", { class: "rz" }, this.panel, this.launcher);
    this.root.append(style, this.rz);

    this.launcher.addEventListener("click", () => this.toggle());
    this.closeBtn.addEventListener("click", () => this.close());
    this.rz.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.isOpen) {
        e.stopPropagation();
        this.close();
      }
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.mic.addEventListener("click", () => {
      if (this.rec) this.finish(true);
      else void this.record();
    });
    this.again.addEventListener("click", () => {
      this.client.restart();
      this.focusComposer();
    });
  }

  /** Connects the protocol client; renders the stored conversation before the socket opens. */
  attach(client: ChatClient): void {
    this.client = client;
    const st = client.state;
    if (!this.options.langFixed) this.setLang(normalize(st.language) || this.lang);
    this.applyStrings();
    this.applyTheme(st.bot);
    for (const item of st.items) this.renderItem(item, false);
    this.applyInput(st.input, st.ended, String(st.status));
    if (this.options.open) this.open(false);
  }

  events(): ClientEvents {
    return {
      state: (s) => this.showConnection(s),
      reset: () => {
        this.finish(false);
        this.queue = [];
        this.log.textContent = "";
        this.rendered.clear();
        this.live.clear();
        this.quick = [];
        this.applyInput(null, false, "active");
      },
      welcome: (bot, language) => {
        if (!this.options.langFixed) this.setLang(normalize(language) || this.lang);
        this.applyStrings();
        this.applyTheme(bot);
      },
      item: (item) => {
        if (item.direction === "in") {
          // The person's own words show at once, ahead of any bot message still pausing.
          this.renderItem(item, true);
          return;
        }
        this.enqueue(() => {
          if (item.message.type === "delay") {
            this.showTyping(true);
            return Math.min(Math.max(Number(item.message.seconds) || 0, 0), MAX_DELAY_S) * 1000;
          }
          this.showTyping(false);
          // The stored answer of a stream takes the place of what was shown of it.
          const sid = item.message.stream_id;
          const shown = sid ? this.live.get(sid) : undefined;
          if (shown) this.live.delete(sid!);
          this.renderItem(item, true, shown?.el);
          shown?.el.remove(); // still there when the message has nothing to show
          if (!this.isOpen) this.badge.hidden = false;
        });
      },
      update: (item) => {
        const el = this.rendered.get(item);
        if (el) this.decorate(el, item);
      },
      input: (input, ended, status) => this.enqueue(() => {
        this.showTyping(false);
        this.applyInput(input, ended, status);
      }),
      typing: () => {
        // An answer being written out already shows that the bot is at work.
        if (!this.busy && !this.live.size) this.showTyping(true);
      },
      stream: (id, text) => this.enqueue(() => this.showStream(id, text)),
      streamDrop: (id) => this.enqueue(() => {
        this.live.get(id)?.el.remove();
        this.live.delete(id);
      }),
      error: (code) => {
        if (code === "voice_unavailable") {
          this.voiceOff = true;
          this.applyInput(this.client.state.input, this.client.state.ended, String(this.client.state.status));
        }
        const text = code === "rate_limited" ? this.s.tooFast
          : code === "too_long" ? this.s.voiceTooLong
          : code === "voice_unavailable" ? this.s.voiceUnavailable
          : code === "busy" ? this.s.busy
          : code === "conversation_ended" ? this.s.ended
          : code === "policy" || code === "too_big" ? null
          // The server asked for a moment: the message is resent by itself, nothing to say.
          : code === "dependency_unavailable" || code === "database_unavailable"
            || code === "lock_timeout" ? null
          : this.s.somethingWrong;
        if (text) this.system(text);
      },
    };
  }

  // ----- panel ---------------------------------------------------------------------------

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open(true);
  }

  open(focus: boolean): void {
    this.isOpen = true;
    this.panel.hidden = false;
    this.rz.classList.add("open");
    this.badge.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.innerHTML = CLOSE_ICON;
    this.launcher.append(this.badge);
    this.launcher.setAttribute("aria-label", this.s.close);
    this.scrollDown(true);
    if (!this.client.started && !this.client.state.ended) this.client.start();
    if (focus) this.focusComposer();
    remember(this.options.botKey, true);
  }

  close(): void {
    this.finish(false); // closing the chat is "never mind": nothing is sent
    this.isOpen = false;
    this.panel.hidden = true;
    this.rz.classList.remove("open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.append(this.badge);
    this.launcher.setAttribute("aria-label", this.s.open);
    this.launcher.focus();
    remember(this.options.botKey, false);
  }

  private focusComposer(): void {
    // After the panel is laid out: focusing a just-unhidden element can be ignored otherwise.
    requestAnimationFrame(() => {
      if (!this.endbar.hidden) this.again.focus();
      else this.field.focus();
    });
  }

  // ----- language and theme ------------------------------------------------------------------

  private setLang(lang: Lang): void {
    this.lang = lang;
    this.s = strings(lang);
  }

  private applyStrings(): void {
    const s = this.s;
    this.rz.setAttribute("lang", this.lang);
    this.launcher.setAttribute("aria-label", this.isOpen ? s.close : s.open);
    if (!this.launcher.firstChild) {
      this.launcher.innerHTML = CHAT_ICON;
      this.launcher.append(this.badge);
    }
    this.closeBtn.setAttribute("aria-label", s.close);
    this.closeBtn.title = s.close;
    this.log.setAttribute("aria-label", s.messages);
    this.choices.setAttribute("aria-label", s.choices);
    (this.typing.lastChild as HTMLElement).textContent = s.typing;
    this.sendBtn.textContent = s.send;
    this.showMic();
    this.again.textContent = s.startAgain;
    this.endText.textContent = s.ended;
    this.field.setAttribute("aria-label", s.placeholder);
    for (const note of this.log.querySelectorAll(".note.incomplete")) note.textContent = s.answerInterrupted;
    this.applyInput(this.client?.state.input ?? null, this.client?.state.ended ?? false,
      String(this.client?.state.status ?? "active"));
    this.showConnection(this.client?.connection ?? "idle");
  }

  private applyTheme(bot: BotInfo | undefined): void {
    const theme = bot?.theme || {};
    const name = (theme.title || bot?.name || this.s.chat).trim();
    this.title.textContent = name;
    this.panel.setAttribute("aria-label", name);
    const color = theme.color && CSS_SUPPORTS(theme.color) ? theme.color : "";
    if (color) {
      this.rz.style.setProperty("--a", color);
      this.rz.style.setProperty("--at", readableOn(color));
    }
    this.avatar.textContent = "";
    const src = safeUrl(theme.avatar_url || "", location.href);
    if (src) this.avatar.append(h("img", { class: "av", src, alt: "" }));
    else this.avatar.textContent = name.slice(0, 1).toUpperCase();
  }

  // ----- connection --------------------------------------------------------------------------

  private showConnection(state: ConnectionState): void {
    const s = this.s;
    this.rz.dataset.status = state;
    this.status.textContent = "";
    this.status.className = "status";
    let text = "";
    if (state === "reconnecting") text = s.reconnecting;
    else if (state === "connecting") text = s.connecting;
    else if (state === "error") {
      text = s.cannotConnect;
      this.status.classList.add("err");
    } else if (state === "stopped") {
      this.status.classList.add("err");
      const retry = h("button", { type: "button" }, s.retry);
      retry.addEventListener("click", () => this.client.nudge());
      this.status.append(h("span", {}, s.stopped), retry);
    }
    if (text) this.status.append(text);
    this.status.hidden = !this.status.firstChild;
    this.updateSub();
    for (const [item, el] of this.rendered) this.decorate(el, item);
  }

  private updateSub(): void {
    const st = this.client?.state;
    const handoff = st?.status === "handoff" || st?.input?.kind === "handoff";
    this.sub.textContent = handoff ? this.s.operator
      : this.client?.connection === "online" ? this.s.online : "";
    this.rz.dataset.handoff = handoff ? "true" : "false";
  }

  // ----- history -----------------------------------------------------------------------------

  private enqueue(task: () => number | void): void {
    this.queue.push(task);
    if (!this.busy) this.drain();
  }

  private drain(): void {
    while (this.queue.length) {
      const wait = this.queue.shift()!();
      if (wait && wait > 0) {
        this.busy = true;
        setTimeout(() => {
          this.busy = false;
          this.drain();
        }, wait);
        return;
      }
    }
    this.busy = false;
  }

  private showTyping(on: boolean): void {
    this.typing.hidden = !on;
    clearTimeout(this.typingTimer);
    // A lost answer must not leave the dots forever.
    if (on) this.typingTimer = setTimeout(() => (this.typing.hidden = true), TYPING_MAX_MS);
  }

  private system(text: string): void {
    this.log.append(h("div", { class: "sys" }, text));
    this.scrollDown(true);
  }

  /** A bot answer as it is generated: a bot bubble, busy (screen readers read the stored
   *  message that replaces it, not each piece), its text repainted at most once a frame. */
  private showStream(id: string, text: string): void {
    const shown = this.live.get(id);
    if (shown) {
      shown.text = text;
      shown.dirty = true;
      if (!this.paintPending) {
        this.paintPending = true;
        requestAnimationFrame(() => this.paint());
      }
      return;
    }
    this.showTyping(false);
    const atBottom = this.nearBottom();
    const bub = h("div", { class: "bub" }, render(text, document));
    const el = h("div", { class: "msg out streaming", "data-stream-id": id, "aria-busy": "true" }, bub);
    this.log.append(el);
    this.live.set(id, { el, bub, text, dirty: false });
    if (!this.isOpen) this.badge.hidden = false;
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private paint(): void {
    this.paintPending = false;
    const atBottom = this.nearBottom();
    for (const shown of this.live.values()) {
      if (!shown.dirty) continue;
      shown.dirty = false;
      shown.bub.textContent = "";
      shown.bub.append(render(shown.text, document));
    }
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  /** `replace`: an element of the log that the item takes the place of. */
  private renderItem(item: HistoryItem, live: boolean, replace?: HTMLElement): void {
    const m = item.message;
    if (m.type === "delay") return;
    if (item.direction === "in") {
      // Once the person has answered, earlier buttons are questions already answered.
      for (const b of this.log.querySelectorAll<HTMLButtonElement>("button.btn")) b.disabled = true;
      this.quick = [];
    }
    if (m.type === "payload" || (m.type === "text" && !m.text && !m.buttons?.length)) return;
    if (m.type === "handoff") {
      if (m.text) this.system(m.text);
      return;
    }
    const bubble = h("div", { class: "bub" });
    const url = safeUrl(m.url);
    if (spoken(item)) {
      bubble.textContent = this.voiceLabel(item);
    } else if (m.type === "image" && url) {
      bubble.append(h("a", { href: url, target: "_blank", rel: "noopener noreferrer" },
        h("img", { src: url, alt: m.text || this.s.image, loading: "lazy" })));
      if (m.text) bubble.append(h("div", {}, render(m.text, document)));
    } else if ((m.type === "file" || m.type === "video" || m.type === "audio") && url) {
      const label = m.text || (m.type === "file" ? this.s.file : m.type === "video" ? this.s.video : this.s.audio);
      bubble.append(h("a", { href: url, target: "_blank", rel: "noopener noreferrer", download: m.type === "file" }, label));
    } else {
      bubble.append(render(m.text || "", document));
    }
    const atBottom = this.nearBottom();
    const el = h("div", { class: `msg ${item.direction}` });
    if (item.seq !== undefined) el.dataset.seq = String(item.seq);
    if (m.stream_id) el.dataset.streamId = m.stream_id;
    if (item.direction === "operator") el.append(h("div", { class: "who" }, this.s.operator));
    el.append(bubble);
    if (m.incomplete) el.append(h("div", { class: "note incomplete" }, this.s.answerInterrupted));
    if (m.buttons?.length) el.append(this.buttonRow(m.buttons, "btns"));
    if (replace?.parentNode === this.log) replace.replaceWith(el);
    else this.log.append(el);
    this.rendered.set(item, el);
    this.decorate(el, item);
    if (item.direction !== "in") {
      this.quick = m.quick_replies || [];
    }
    this.renderChoices();
    // Follow the conversation unless the reader scrolled up to read something older.
    if (item.direction === "in" || !live || atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private decorate(el: HTMLElement, item: HistoryItem): void {
    if (item.direction !== "in") return;
    // A voice message: "🎤 …" until its echo brings the transcript.
    if (spoken(item)) el.querySelector(".bub")!.textContent = this.voiceLabel(item);
    el.classList.toggle("failed", Boolean(item.failed));
    let note = el.querySelector<HTMLElement>(".note");
    const pending = item.seq === undefined && !item.failed;
    const text = item.failed ? this.s.failed : pending && this.client?.connection !== "online" ? this.s.sending : "";
    if (!text) {
      note?.remove();
      return;
    }
    if (!note) el.append((note = h("div", { class: "note" })));
    note.textContent = text;
  }

  private voiceLabel(item: HistoryItem): string {
    const text = item.message.text;
    return text ? `🎤 ${text}`
      : item.seq === undefined && !item.failed ? this.s.voicePending : this.s.voiceMessage;
  }

  private buttonRow(buttons: Button[], cls: string): HTMLDivElement {
    const row = h("div", { class: cls });
    for (const b of buttons) {
      const url = safeUrl(b.url);
      if (url) {
        row.append(h("a", { class: "btn", href: url, target: "_blank", rel: "noopener noreferrer" }, b.label));
        continue;
      }
      const btn = h("button", { class: "btn", type: "button" }, b.label);
      btn.dataset.id = b.id;
      btn.addEventListener("click", () => {
        if (this.client.state.ended) return;
        this.client.send({ choice_id: b.id, label: b.label });
      });
      row.append(btn);
    }
    return row;
  }

  /** Quick replies of the last message, plus the input's choices not already on screen. */
  private renderChoices(): void {
    const st = this.client?.state;
    const shown = new Set<string>();
    for (const b of this.log.querySelectorAll<HTMLButtonElement>("button.btn:not(:disabled)")) shown.add(b.dataset.id || "");
    const list = [...this.quick];
    for (const c of st?.input?.choices || []) {
      if (!shown.has(c.id) && !list.some((q) => q.id === c.id)) list.push(c);
    }
    this.choices.textContent = "";
    if (list.length && !st?.ended) this.choices.append(...this.buttonRow(list, "choices").childNodes);
    this.choices.hidden = !this.choices.firstChild;
  }

  private nearBottom(): boolean {
    const log = this.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  private scrollDown(force: boolean): void {
    if (force || this.nearBottom()) this.log.scrollTop = this.log.scrollHeight;
  }

  // ----- composer ----------------------------------------------------------------------------

  private applyInput(input: InputRequest | null, ended: boolean, status: string): void {
    const s = this.s;
    const log = this.log;
    // Measured before the composer changes height: a reader scrolled up stays where they are.
    const atBottom = this.nearBottom();
    const kind = ended ? "ended" : input?.kind || "text";
    const f = this.field;
    const hadFocus = this.root.activeElement === f;
    const type = kind === "email" ? "email" : kind === "phone" ? "tel" : kind === "date" ? "date" : "text";
    if (f.type !== type) {
      f.value = "";
      f.type = type;
    }
    f.inputMode = kind === "number" ? "numeric" : kind === "email" ? "email" : kind === "phone" ? "tel" : "text";
    f.autocomplete = kind === "email" ? "email" : kind === "phone" ? "tel" : "off";
    f.placeholder = kind === "number" ? s.placeholderNumber : kind === "email" ? s.placeholderEmail
      : kind === "phone" ? s.placeholderPhone : kind === "date" ? "" : s.placeholder;
    f.setAttribute("aria-label", kind === "date" ? s.pickDate : s.placeholder);
    f.dataset.kind = kind;
    f.disabled = this.sendBtn.disabled = ended;
    this.form.hidden = ended;
    // Voice answers what the bot's text field answers (the transcript is taken as typed), but
    // a spoken date would rarely read as one (the date picker is quicker), and an operator is
    // given text, not recordings the bot has not heard.
    const voice = !ended && kind !== "date" && kind !== "handoff" && status !== "handoff"
      && this.canRecord();
    if (!voice) this.finish(false);
    this.mic.hidden = !voice;
    this.endbar.hidden = !ended;
    if (ended && hadFocus) this.again.focus();
    this.renderChoices();
    this.updateSub();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  // ----- voice -------------------------------------------------------------------------------

  private canRecord(): boolean {
    return Boolean(this.client?.state.bot?.voice) && !this.voiceOff
      && typeof navigator !== "undefined" && Boolean(navigator.mediaDevices?.getUserMedia)
      && typeof MediaRecorder !== "undefined";
  }

  /** The mic's look: idle, or recording with the seconds so far. */
  private showMic(): void {
    const rec = this.rec;
    const label = rec ? this.s.stopRecording : this.s.record;
    this.mic.setAttribute("aria-label", label);
    this.mic.title = label;
    this.mic.classList.toggle("rec", Boolean(rec));
    if (!rec) {
      this.mic.innerHTML = MIC_ICON; // a constant, no outside text
      return;
    }
    const s = Math.floor((Date.now() - rec.started) / 1000);
    // The time is for the eye; the label says what pressing does.
    this.mic.textContent = "";
    this.mic.append(h("span", { "aria-hidden": "true" }, `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`));
  }

  private async record(): Promise<void> {
    if (this.starting || !this.client || this.client.state.ended) return;
    this.starting = true;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      this.starting = false;
      const name = (e as { name?: string } | null)?.name;
      this.system(name === "NotAllowedError" || name === "SecurityError" ? this.s.micDenied : this.s.micFailed);
      return;
    }
    this.starting = false;
    const stopTracks = () => stream.getTracks().forEach((t) => t.stop());
    // The conversation moved on (ended, a date asked) or the chat was closed while the
    // browser asked for permission.
    if (this.mic.hidden || !this.isOpen || this.rec) return stopTracks();
    const type = VOICE_TYPES.find((t) => MediaRecorder.isTypeSupported?.(t));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: VOICE_BITRATE }
        : { audioBitsPerSecond: VOICE_BITRATE });
      recorder.start();
    } catch {
      stopTracks();
      this.system(this.s.micFailed);
      return;
    }
    const limit = Math.min(Number(this.client.state.bot?.voice?.max_seconds) || VOICE_MAX_S, VOICE_MAX_S);
    const rec: Recording = { recorder, chunks: [], started: Date.now(), send: false, timer: undefined };
    recorder.ondataavailable = (e) => {
      if (e.data && e.data.size) rec.chunks.push(e.data);
    };
    recorder.onstop = () => {
      stopTracks();
      const mime = recorder.mimeType || type || "audio/webm";
      if (rec.send && rec.chunks.length && !this.client.state.ended) {
        void this.client.sendVoice(new Blob(rec.chunks, { type: mime }), mime);
      }
    };
    this.rec = rec;
    rec.timer = setInterval(() => {
      // Stopped a little before the limit: the container's last frame must fit in it too.
      if (Date.now() - rec.started >= limit * 1000 - 500) this.finish(true);
      else this.showMic();
    }, 250);
    this.showMic();
  }

  /** Ends the recording under way: sent (`send`), or thrown away. */
  private finish(send: boolean): void {
    const rec = this.rec;
    if (!rec) return;
    this.rec = null;
    clearInterval(rec.timer);
    rec.send = send;
    try {
      rec.recorder.stop(); // onstop sends it (after the last dataavailable) and frees the mic
    } catch {
      rec.recorder.stream.getTracks().forEach((t) => t.stop());
    }
    this.showMic();
  }

  private submit(): void {
    if (!this.client || this.client.state.ended) return;
    const value = this.field.value.trim();
    if (!value) return;
    // type=date already yields ISO YYYY-MM-DD; everything else is sent as typed.
    this.client.send({ text: value.slice(0, MAX_TEXT) });
    this.field.value = "";
    this.field.focus();
  }
}

interface Recording {
  recorder: MediaRecorder;
  chunks: Blob[];
  started: number;
  /** Set when it is stopped: send it, or throw it away. */
  send: boolean;
  timer: ReturnType<typeof setInterval> | undefined;
}

interface LiveAnswer {
  el: HTMLElement;
  bub: HTMLElement;
  text: string;
  /** `text` changed since it was painted. */
  dirty: boolean;
}

/** The person's voice message (theirs from this page, another tab, or history). */
function spoken(item: HistoryItem): boolean {
  return item.direction === "in" && item.message.type === "audio";
}

function CSS_SUPPORTS(color: string): boolean {
  try {
    return window.CSS.supports("color", color);
  } catch {
    return false;
  }
}

/** Black or white text, whichever reads better on a #rgb/#rrggbb accent (white otherwise). */
export function readableOn(color: string): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return "#fff";
  const hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.4 ? "#111" : "#fff";
}

/** The panel stays open while the person moves between pages of the site (this tab only). */
function remember(key: string, open: boolean): void {
  try {
    sessionStorage.setItem(`rozmova:open:${key}`, open ? "1" : "0");
  } catch { /* no storage: the page's data-open decides */ }
}

export function remembered(key: string): boolean | null {
  try {
    const v = sessionStorage.getItem(`rozmova:open:${key}`);
    return v === null ? null : v === "1";
  } catch {
    return null;
  }
}
