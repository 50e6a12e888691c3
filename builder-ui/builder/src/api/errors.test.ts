import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, fieldErrors, networkError, parseProblem } from "./errors";

describe("parseProblem", () => {
  it("reads an application/problem+json document", () => {
    const body = JSON.stringify({
      type: "https://rozmova.dev/problems/invalid-input",
      title: "Invalid input",
      status: 422,
      detail: "/name: String should have at least 1 character",
      code: "invalid_input",
      errors: [{ path: "/name", message: "String should have at least 1 character", type: "string_too_short" }],
    });
    const e = parseProblem(422, "application/problem+json", body);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.title).toBe("Invalid input");
    expect(e.detail).toBe("/name: String should have at least 1 character");
    expect(e.code).toBe("invalid_input");
    expect(e.errors).toEqual([{ path: "/name", message: "String should have at least 1 character" }]);
    expect(e.message).toBe(e.detail);
  });

  it("keeps the validation issues' code, severity and block, and extra members", () => {
    const body = JSON.stringify({
      title: "Invalid input",
      status: 422,
      detail: "the scenario has 1 error(s)",
      errors: [{ code: "edge.unknown_port", severity: "error", block_id: "ask", path: "/edges/0/port", message: "no port" }],
      current_revision: 7,
    });
    const e = parseProblem(422, "application/problem+json", body);
    expect(e.errors).toEqual([{ code: "edge.unknown_port", severity: "error", block_id: "ask", path: "/edges/0/port", message: "no port" }]);
    expect(e.problem.current_revision).toBe(7);
  });

  it("copes with a problem without errors, and with malformed items", () => {
    const e = parseProblem(409, "application/problem+json", JSON.stringify({ title: "Stale revision", status: 409, detail: "changed", errors: [3, { path: 5 }] }));
    expect(e.title).toBe("Stale revision");
    expect(e.errors).toEqual([{ path: "", message: '{"path":5}' }]);
    expect(parseProblem(404, "application/problem+json", JSON.stringify({ title: "Not found", status: 404, detail: "gone" })).errors).toBeUndefined();
  });

  it("falls back for bodies that are not problems", () => {
    const html = parseProblem(502, "text/html", "<html><body><h1>Bad Gateway</h1></body></html>");
    expect(html.status).toBe(502);
    expect(html.title).toBe("Bad gateway");
    expect(html.detail).toBe("Bad Gateway");
    const empty = parseProblem(503, null, "");
    expect(empty.detail).toBe("Service unavailable");
    const broken = parseProblem(500, "application/json", "{not json");
    expect(broken.detail).toBe("{not json");
    const fastapi = parseProblem(405, "application/json", JSON.stringify({ detail: "Method Not Allowed" }));
    expect(fastapi.detail).toBe("Method Not Allowed");
    expect(fastapi.title).toBe("HTTP 405");
  });

  it("marks what a retry may get past", () => {
    expect(networkError(new TypeError("Failed to fetch")).transient).toBe(true);
    expect(parseProblem(503, null, "").transient).toBe(true);
    expect(parseProblem(429, null, "").transient).toBe(true);
    expect(parseProblem(422, null, "").transient).toBe(false);
    expect(errorMessage(networkError(new TypeError("Failed to fetch")))).toBe("Failed to fetch");
  });
});

describe("fieldErrors", () => {
  it("keys a problem's items by the field they name, without FastAPI's /body", () => {
    const e = parseProblem(
      422,
      "application/problem+json",
      JSON.stringify({
        title: "Invalid input",
        status: 422,
        detail: "…",
        errors: [
          { path: "/body/name", message: "too long" },
          { path: "/body/name", message: "second" },
          { path: "/body/settings/allowed_origins/2", message: "bad origin" },
          { path: "/public_url", message: "bad url" },
          { path: "", message: "the whole request" },
        ],
      }),
    );
    expect(fieldErrors(e)).toEqual({ name: "too long", "settings/allowed_origins/2": "bad origin", public_url: "bad url" });
    expect(fieldErrors(new Error("x"))).toEqual({});
    expect(fieldErrors(parseProblem(409, null, '{"detail":"taken"}'))).toEqual({});
  });
});
