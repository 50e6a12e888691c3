import { describe, it } from "node:test";
import { expect } from "./expect";
import { safeUrl, tokenize } from "../src/format";

describe("tokenize", () => {
  it("finds bold, italic, links and line breaks", () => {
    expect(tokenize("**Hi** _there_\nsee https://example.com/a?b=1.")).toEqual([
      { t: "b", v: "Hi" }, { t: "text", v: " " }, { t: "i", v: "there" }, { t: "br" },
      { t: "text", v: "see " }, { t: "a", v: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { t: "text", v: "." },
    ]);
    expect(tokenize("[shop](https://s.example)")).toEqual([{ t: "a", v: "shop", href: "https://s.example" }]);
  });

  it("keeps markup-looking text as text", () => {
    expect(tokenize("<img src=x onerror=alert(1)> snake_case_name")).toEqual([
      { t: "text", v: "<img src=x onerror=alert(1)> snake_case_name" },
    ]);
  });

  it("never links script URLs", () => {
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("data:text/html,x")).toBeNull();
    expect(safeUrl("https://example.com/x")).toBe("https://example.com/x");
  });
});
