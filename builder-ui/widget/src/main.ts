// Entry point: `<script src="https://HOST/widget.js" data-bot="KEY" async></script>`.
// The script finds its own tag, talks to the server it was loaded from, and mounts one widget
// per bot key.

import { ChatClient } from "./client";
import { pickLanguage, normalize } from "./i18n";
import { localStore, safeStorage } from "./store";
import { Widget, remembered } from "./ui";

declare global {
  interface Window {
    __rozmova?: Record<string, ChatClient>;
  }
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.bot) return current;
  // currentScript is null when the tag was injected by a tag manager after the fact.
  const all = document.querySelectorAll<HTMLScriptElement>("script[data-bot]");
  return all.length ? all[all.length - 1] : null;
}

/** crypto.randomUUID needs a secure context; plain-http shop pages still get unique ids. */
export function uuid(): string {
  const c = typeof crypto !== "undefined" ? crypto : undefined;
  if (c?.randomUUID) {
    try {
      return c.randomUUID();
    } catch { /* insecure context */ }
  }
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function socketUrl(scriptSrc: string, pageUrl: string, key: string): string {
  const origin = new URL(scriptSrc, pageUrl);
  const scheme = origin.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${origin.host}/ws/v1/chat?key=${encodeURIComponent(key)}`;
}

function boot(script: HTMLScriptElement): void {
  const key = script.dataset.bot || "";
  const registry = (window.__rozmova ||= {});
  if (!key || registry[key]) return; // the snippet pasted twice must not give two widgets

  const store = localStore(key, safeStorage(() => window.localStorage));
  const stored = store.load();
  const attrLang = script.dataset.language;
  const lang = normalize(attrLang) || normalize(stored?.language)
    || pickLanguage(null, navigator.language, stored?.bot?.languages);

  const host = document.createElement("div");
  host.setAttribute("data-rozmova-widget", key);
  const openAttr = script.dataset.open === "true";
  const widget = new Widget(host, {
    lang, langFixed: Boolean(normalize(attrLang)), botKey: key,
    open: remembered(key) ?? openAttr,
  });
  const client = new ChatClient({
    url: socketUrl(script.src, location.href, key),
    language: normalize(attrLang) || lang,
    store,
    events: widget.events(),
    socket: (url) => new WebSocket(url) as unknown as import("./client").SocketLike,
    uuid,
  });
  registry[key] = client;
  document.body.appendChild(host);
  widget.attach(client);
  // A conversation already under way resumes at once (operator replies, other tabs); a new
  // visitor's conversation starts only when they open the chat.
  if (client.state.token && !client.state.ended && !client.started) client.start();
  window.addEventListener("online", () => client.nudge());
}

const script = ownScript();
if (script) {
  if (document.body) boot(script);
  else document.addEventListener("DOMContentLoaded", () => boot(script), { once: true });
}
