// Light formatting of bot text (**bold**, _italic_, [label](url), bare links, line breaks).
// It tokenizes the raw text and the renderer builds DOM nodes with textContent, so no text
// ever reaches innerHTML: there is nothing to escape and nothing to forget to escape.

export type Token =
  | { t: "text"; v: string }
  | { t: "b"; v: string }
  | { t: "i"; v: string }
  | { t: "a"; v: string; href: string }
  | { t: "br" };

// One alternation so that the leftmost construct wins; `_x_` only counts at word edges so that
// snake_case_names stay as they are.
const INLINE =
  /\*\*([^*\n]+?)\*\*|(^|[^\w])_([^_\n]+?)_(?!\w)|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+)/g;

/** http(s) URLs only: `javascript:` and `data:` links never become clickable. */
export function safeUrl(raw: string | null | undefined, base?: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  lines.forEach((line, n) => {
    if (n > 0) out.push({ t: "br" });
    let last = 0;
    INLINE.lastIndex = 0;
    for (let m = INLINE.exec(line); m; m = INLINE.exec(line)) {
      let start = m.index;
      const push = (tok: Token) => {
        if (start > last) out.push({ t: "text", v: line.slice(last, start) });
        out.push(tok);
      };
      if (m[1] !== undefined) {
        push({ t: "b", v: m[1] });
      } else if (m[3] !== undefined) {
        start += m[2].length; // the character before `_` stays text
        push({ t: "i", v: m[3] });
      } else if (m[4] !== undefined) {
        push({ t: "a", v: m[4], href: m[5] });
      } else {
        // A sentence's closing punctuation is not part of the link.
        let url = m[6];
        const trail = /[.,;:!?)\]'"]+$/.exec(url);
        if (trail) url = url.slice(0, -trail[0].length);
        push({ t: "a", v: url, href: url });
        last = start + url.length;
        INLINE.lastIndex = last;
        continue;
      }
      last = INLINE.lastIndex;
    }
    if (last < line.length) out.push({ t: "text", v: line.slice(last) });
  });
  return merge(out);
}

function merge(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const tok of tokens) {
    const prev = out[out.length - 1];
    if (tok.t === "text" && prev && prev.t === "text") prev.v += tok.v;
    else out.push(tok);
  }
  return out;
}

export function render(text: string, doc: Document): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const tok of tokenize(text)) {
    if (tok.t === "text") frag.appendChild(doc.createTextNode(tok.v));
    else if (tok.t === "br") frag.appendChild(doc.createElement("br"));
    else if (tok.t === "a") {
      const href = safeUrl(tok.href);
      if (!href) {
        frag.appendChild(doc.createTextNode(tok.v));
        continue;
      }
      const a = doc.createElement("a");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      a.textContent = tok.v;
      frag.appendChild(a);
    } else {
      const el = doc.createElement(tok.t === "b" ? "strong" : "em");
      el.textContent = tok.v;
      frag.appendChild(el);
    }
  }
  return frag;
}
