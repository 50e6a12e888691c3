import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiClient } from "./api/client";
import { App } from "./App";
import { json, mockFetch, problem, type Call } from "./test/api";

const ORGS = {
  o1: { id: "o1", name: "Default", slug: "default" },
  o2: { id: "o2", name: "Bakery", slug: "bakery" },
};

const pair = (n: number, org: keyof typeof ORGS | { id: string; name: string; slug: string }, role = "owner") => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
  token_type: "bearer",
  organization: typeof org === "string" ? ORGS[org] : org,
  role,
});

/** A session in o1 kept by a reload (a refresh token and the session it was for). */
function loggedIn() {
  localStorage.setItem("rozmova.builder.refresh", "refresh-0");
  localStorage.setItem("rozmova.builder.session", JSON.stringify({ organization: ORGS.o1, role: "owner" }));
}

function renderApp(handler: (call: Call) => Response | undefined) {
  let issued = 0;
  const server = mockFetch((call) => {
    const answer = handler(call);
    if (answer) return answer;
    if (call.url === "/api/v1/auth/refresh") {
      const body = call.body as { refresh_token: string; organization_id?: string };
      issued += 1;
      const org = body.organization_id === "o2" ? "o2" : "o1";
      return json(pair(issued, org, org === "o2" ? "editor" : "owner"));
    }
    if (call.url.startsWith("/api/v1/bots?")) {
      const org = call.headers.Authorization === `Bearer access-${issued}` && issued > 1 ? "Bakery" : "Default";
      return json({ items: [{ id: `bot-${org}`, name: `${org} bot`, description: null, default_language: "uk", languages: ["uk"], settings: {}, main_scenario_id: null, created_at: "", updated_at: "" }], total: 1 });
    }
    if (call.url === "/api/v1/me") {
      return json({
        user: { id: "u1", email: "admin@example.com", name: null, created_at: "" },
        organization: ORGS.o1,
        role: "owner",
        memberships: [
          { organization: ORGS.o2, role: "editor" },
          { organization: ORGS.o1, role: "owner" },
        ],
      });
    }
    return undefined;
  });
  const api = new ApiClient({ fetch: server.fetch, storage: localStorage });
  render(<App api={api} />);
  return { calls: server.calls, api };
}

describe("the organization switcher", () => {
  it("shows the current organization and role, lists the memberships and switches with a refresh", async () => {
    window.location.hash = "#/bots/bot-Default";
    loggedIn();
    const { calls, api } = renderApp(() => undefined);
    expect(screen.getByTestId("org-current").textContent).toBe("Default");
    expect(screen.getByTestId("org-role").textContent).toBe("owner");
    expect(screen.getByTestId("org-switcher").getAttribute("aria-label")).toContain("Default");

    fireEvent.click(screen.getByTestId("org-switcher"));
    const options = await screen.findAllByTestId("org-option");
    expect(options.map((o) => o.getAttribute("data-org-id"))).toEqual(["o2", "o1"]);
    expect(options[1].getAttribute("aria-current")).toBe("true");
    expect(options[0].textContent).toContain("Bakery");
    expect(options[0].textContent).toContain("editor");
    const refreshesBefore = calls.filter((c) => c.url === "/api/v1/auth/refresh").length;

    fireEvent.click(options[0]);
    await waitFor(() => expect(screen.getByTestId("org-current").textContent).toBe("Bakery"));
    const refreshes = calls.filter((c) => c.url === "/api/v1/auth/refresh");
    expect(refreshes).toHaveLength(refreshesBefore + 1);
    expect(refreshes.at(-1)!.body).toEqual({ refresh_token: `refresh-${refreshesBefore}`, organization_id: "o2" });
    // the new pair is stored as any refresh stores it, and acts from now on
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe(`refresh-${refreshesBefore + 1}`);
    expect(JSON.parse(localStorage.getItem("rozmova.builder.session")!)).toEqual({ organization: ORGS.o2, role: "editor" });
    expect(api.session?.organization.id).toBe("o2");
    expect(screen.getByTestId("org-role").textContent).toBe("editor");
    expect(window.location.hash).toBe("#/");
    expect((await screen.findByTestId("bot-row")).textContent).toContain("Bakery bot");
    expect(calls.at(-1)!.headers.Authorization).toBe(`Bearer access-${refreshesBefore + 1}`);
    expect(screen.queryByTestId("org-menu")).toBeNull();
  });

  it("keeps the session when the server says the user is not a member", async () => {
    loggedIn();
    const { calls } = renderApp((call) => {
      const body = call.body as { organization_id?: string } | undefined;
      return call.url === "/api/v1/auth/refresh" && body?.organization_id ? problem(403, "you are not a member of that organization") : undefined;
    });
    await screen.findByTestId("bot-row");
    const stored = localStorage.getItem("rozmova.builder.refresh");
    fireEvent.click(screen.getByTestId("org-switcher"));
    fireEvent.click((await screen.findAllByTestId("org-option"))[0]);
    expect((await screen.findByTestId("org-error")).textContent).toBe("You are not a member of that organization.");
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe(stored);
    expect(screen.getByTestId("org-current").textContent).toBe("Default");
    expect(screen.getByTestId("logout")).toBeTruthy();
    expect(calls.filter((c) => c.url === "/api/v1/auth/refresh").at(-1)!.body).toMatchObject({ organization_id: "o2" });
  });

  it("creates an organization, then switches to it", async () => {
    loggedIn();
    const created = { id: "o3", name: "Flowers", slug: "flowers", created_at: "2025-01-01T00:00:00Z" };
    const { calls } = renderApp((call) => {
      if (call.url === "/api/v1/organizations" && call.method === "POST") return json(created, 201);
      const body = call.body as { organization_id?: string } | undefined;
      if (call.url === "/api/v1/auth/refresh" && body?.organization_id === "o3") return json(pair(99, created, "owner"));
      return undefined;
    });
    fireEvent.click(screen.getByTestId("org-switcher"));
    fireEvent.click(await screen.findByTestId("org-create"));
    const name = screen.getByTestId("org-create-name");
    expect(document.activeElement).toBe(name);
    expect(screen.getByLabelText("Name of the new organization")).toBe(name);
    fireEvent.change(name, { target: { value: " Flowers " } });
    fireEvent.click(screen.getByTestId("org-create-submit"));
    await waitFor(() => expect(screen.getByTestId("org-current").textContent).toBe("Flowers"));
    expect(calls.find((c) => c.url === "/api/v1/organizations")).toMatchObject({ method: "POST", body: { name: "Flowers" } });
    expect(calls.filter((c) => c.url === "/api/v1/auth/refresh").at(-1)!.body).toMatchObject({ organization_id: "o3" });
    expect(localStorage.getItem("rozmova.builder.refresh")).toBe("refresh-99");
  });

  it("says when the memberships cannot be loaded, and closes on Escape", async () => {
    loggedIn();
    renderApp((call) => (call.url === "/api/v1/me" ? problem(503, "the database did not answer in time") : undefined));
    fireEvent.click(screen.getByTestId("org-switcher"));
    const menu = screen.getByTestId("org-menu");
    expect((await within(menu).findByTestId("org-load-error")).textContent).toContain("the database did not answer in time");
    fireEvent.keyDown(document, { key: "Escape" });
    expect(screen.queryByTestId("org-menu")).toBeNull();
    expect(screen.getByTestId("org-switcher").getAttribute("aria-expanded")).toBe("false");
  });
});
