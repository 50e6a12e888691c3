import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { VersionRead } from "../api/types";
import { renderEditor, json } from "../test/editor";
import { sampleDocument, scenarioDiff } from "../test/fixtures";

const version = (number: number, extra: Partial<VersionRead> = {}): VersionRead => ({
  number,
  live: false,
  author: "user:admin",
  changelog: `Version ${number} notes`,
  created_at: "2025-01-02T10:00:00Z",
  document_hash: `h${number}`,
  rolled_back_from: null,
  ...extra,
});

describe("the Versions tab", () => {
  it("lists versions newest first with the live one, marks a diff on the canvas, lists removals and closes", async () => {
    const { calls } = renderEditor(sampleDocument(), (call) => {
      if (call.url.startsWith("/api/v1/scenarios/s1/versions?")) return json({ items: [version(1), version(2, { live: true })], total: 2 });
      if (call.url === "/api/v1/scenarios/s1") return json({ live_version: 2 });
      if (call.url.startsWith("/api/v1/scenarios/s1/diff?")) return json(scenarioDiff());
      return undefined;
    });
    fireEvent.click(screen.getByTestId("tab-versions"));
    const panel = screen.getByTestId("versions-panel");
    const rows = await within(panel).findAllByTestId("version-row");
    expect(rows.map((r) => [r.getAttribute("data-version"), r.getAttribute("data-live")])).toEqual([
      ["2", "true"],
      ["1", null],
    ]);
    expect(rows[0].textContent).toContain("Version 2 notes");
    expect(rows[0].textContent).toContain("user:admin");

    fireEvent.click(within(rows[1]).getByTestId("version-diff"));
    await waitFor(() => expect(screen.getByTestId("node-hello").getAttribute("data-diff")).toBe("changed"));
    expect(calls.some((c) => c.url === "/api/v1/scenarios/s1/diff?from=1&to=draft")).toBe(true);
    expect(screen.getByTestId("node-ask").getAttribute("data-diff")).toBe("added");
    expect(screen.getByTestId("node-tea_end").getAttribute("data-diff")).toBeNull(); // only moved
    expect(screen.getByTestId("diff-legend")).toBeTruthy();
    expect(screen.getAllByTestId("diff-removed-item").map((i) => i.textContent)).toEqual(["old_end"]);
    expect(screen.getByTestId("diff-summary").textContent).toContain("text.uk");

    fireEvent.click(screen.getByTestId("diff-close"));
    expect(screen.queryByTestId("diff-legend")).toBeNull();
    expect(screen.getByTestId("node-hello").getAttribute("data-diff")).toBeNull();
    expect(screen.getByTestId("node-ask").getAttribute("data-diff")).toBeNull();
  });

  it("follows the draft: a diff shown is fetched again after each save", async () => {
    let diffs = 0;
    renderEditor(sampleDocument(), (call) => {
      if (call.url.startsWith("/api/v1/scenarios/s1/versions?")) return json({ items: [version(1, { live: true })], total: 1 });
      if (call.url === "/api/v1/scenarios/s1") return json({ live_version: 1 });
      if (call.url.startsWith("/api/v1/scenarios/s1/diff?")) {
        diffs++;
        const added = diffs === 1 ? [] : ["end_1"];
        return json(scenarioDiff({ blocks: { added, removed: [], changed: [] } }));
      }
      return undefined;
    });
    fireEvent.click(screen.getByTestId("tab-versions"));
    fireEvent.click(await screen.findByTestId("version-diff"));
    await screen.findByTestId("diff-legend");
    fireEvent.click(screen.getByTestId("palette-end"));
    await waitFor(() => expect(screen.getByTestId("node-end_1").getAttribute("data-diff")).toBe("added"), { timeout: 3000 });
    expect(diffs).toBe(2);
  });

  it("rolls back after a confirmation, shows the new version and refreshes the list", async () => {
    let versions = [version(1, { live: true }), version(2)];
    let live = 2;
    const { calls } = renderEditor(sampleDocument(), (call) => {
      if (call.url.startsWith("/api/v1/scenarios/s1/versions?")) return json({ items: versions, total: versions.length });
      if (call.url === "/api/v1/scenarios/s1") return json({ live_version: live });
      if (call.method === "POST" && call.url === "/api/v1/scenarios/s1/versions/1/rollback") {
        const made = version(3, { live: true, rolled_back_from: 1, changelog: (call.body as { changelog?: string }).changelog ?? "" });
        versions = [...versions, made];
        live = 3;
        return json(made, 201);
      }
      return undefined;
    });
    fireEvent.click(screen.getByTestId("tab-versions"));
    let rows = await screen.findAllByTestId("version-row");
    expect(rows.map((r) => r.getAttribute("data-live"))).toEqual(["true", null]);
    const one = rows[1];
    expect(within(one).queryByTestId("rollback-confirm")).toBeNull();
    fireEvent.click(within(one).getByTestId("version-rollback"));
    fireEvent.change(within(one).getByTestId("rollback-changelog"), { target: { value: "Back to the first" } });
    fireEvent.click(within(one).getByTestId("rollback-confirm"));

    const result = await screen.findByTestId("rollback-result");
    expect(result.getAttribute("data-version")).toBe("3");
    expect(result.textContent).toContain("version 3");
    expect(calls.find((c) => c.url.endsWith("/rollback"))?.body).toEqual({ changelog: "Back to the first" });
    await waitFor(() => expect(screen.getAllByTestId("version-row")).toHaveLength(3));
    rows = screen.getAllByTestId("version-row");
    expect(rows.map((r) => [r.getAttribute("data-version"), r.getAttribute("data-live")])).toEqual([
      ["3", "true"],
      ["2", null],
      ["1", null],
    ]);
    expect(rows[0].textContent).toContain("rollback to version 1");
    // the draft was not touched
    expect(calls.some((c) => c.method === "PUT")).toBe(false);
  });

  it("refreshes the list after a publish", async () => {
    let versions: VersionRead[] = [];
    renderEditor(sampleDocument(), (call) => {
      if (call.url.startsWith("/api/v1/scenarios/s1/versions?")) return json({ items: versions, total: versions.length });
      if (call.url === "/api/v1/scenarios/s1") return json({ live_version: versions.length || null });
      if (call.method === "POST" && call.url === "/api/v1/scenarios/s1/publish") {
        versions = [version(1, { live: true })];
        return json({ ...version(1, { live: true }), warnings: [] }, 201);
      }
      return undefined;
    });
    fireEvent.click(screen.getByTestId("tab-versions"));
    expect(await screen.findByTestId("versions-empty")).toBeTruthy();
    fireEvent.click(screen.getByTestId("publish-button"));
    const row = await screen.findByTestId("version-row");
    expect(row.getAttribute("data-live")).toBe("true");
  });
});
