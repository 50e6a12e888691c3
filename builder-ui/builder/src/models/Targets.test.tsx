import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, noContent, renderWithApi, type Call } from "../test/api";
import type { TargetPut, TargetRead } from "./forms";
import { secretList, target } from "./fixtures";
import { ModelsScreen } from "./ModelsScreen";

const BOT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

function renderTargets(initial: TargetRead[], options: { role?: "viewer" | "editor"; extra?: (call: Call) => Response | undefined } = {}) {
  let list = [...initial];
  return renderWithApi(<ModelsScreen tab="notifications" role={options.role ?? "editor"} />, (call) => {
    const answer = options.extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/notifications/targets" && call.method === "GET") return json(list);
    if (call.url === "/api/v1/secrets") return json(secretList("CRM_HOOK_KEY", "SMTP_PASSWORD"));
    if (call.url.startsWith("/api/v1/bots")) {
      return json({ items: [{ id: BOT_ID, name: "Coffee shop", description: null, default_language: "uk", languages: ["uk"], settings: {}, main_scenario_id: null, created_at: "", updated_at: "" }], total: 1 });
    }
    const one = /^\/api\/v1\/notifications\/targets\/([a-z0-9_-]+)$/.exec(call.url);
    if (!one) return undefined;
    const name = one[1];
    if (call.method === "PUT") {
      const exists = list.some((x) => x.name === name);
      const body = call.body as TargetPut;
      const stored = target(name, { url: null, secret: null, host: null, port: null, sender: null, recipients: [], username: null, bot_id: null, ...body });
      list = [...list.filter((x) => x.name !== name), stored];
      return json(stored, exists ? 200 : 201);
    }
    if (call.method === "DELETE") {
      list = list.filter((x) => x.name !== name);
      return noContent();
    }
    return undefined;
  });
}

const row = (name: string) => screen.getAllByTestId("target-item").find((item) => item.dataset.target === name)!;

describe("the notification targets", () => {
  it("lists webhooks and e-mail targets with their events, bot and destination", async () => {
    renderTargets([
      target("crm", { events: ["report", "handoff"], bot_id: BOT_ID }),
      target("ops-mail", {
        kind: "email",
        url: null,
        secret: "SMTP_PASSWORD",
        host: "smtp.example.com",
        port: 587,
        starttls: true,
        username: "bots",
        sender: "bots@example.com",
        recipients: ["ops@example.com", "boss@example.com"],
        events: ["conversation_failed"],
      }),
    ]);
    const items = await screen.findAllByTestId("target-item");
    expect(items.map((item) => within(item).getByTestId("target-item-name").textContent)).toEqual(["crm", "ops-mail"]);
    expect(within(row("crm")).getByTestId("target-item-kind").textContent).toBe("Webhook");
    expect(within(row("crm")).getByTestId("target-item-events").textContent).toBe("A report (the report block), A hand-off to an operator");
    await waitFor(() => expect(within(row("crm")).getByTestId("target-item-bot").textContent).toBe("Coffee shop"));
    expect(within(row("crm")).getByTestId("target-item-destination").textContent).toBe("https://crm.example.com/hooks/rozmova");
    expect(within(row("ops-mail")).getByTestId("target-item-kind").textContent).toBe("E-mail");
    expect(within(row("ops-mail")).getByTestId("target-item-bot").textContent).toBe("All bots");
    expect(within(row("ops-mail")).getByTestId("target-item-destination").textContent).toBe("ops@example.com, boss@example.com");
    expect(within(row("ops-mail")).getByText("smtp.example.com:587")).toBeTruthy();
    expect(screen.getByTestId("models-tab-notifications").getAttribute("aria-current")).toBe("page");
  });

  it("adds a webhook for one bot: the PUT carries only a webhook's fields", async () => {
    const { calls } = renderTargets([]);
    expect((await screen.findByTestId("targets-empty")).textContent).toBe("No notification targets yet.");
    fireEvent.click(screen.getByTestId("target-add"));
    const form = screen.getByTestId("target-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "crm" } });
    fireEvent.click(within(form).getByTestId("target-event-handoff"));
    fireEvent.click(within(form).getByTestId("target-event-conversation_failed"));
    await waitFor(() => expect(within(form).getByRole("option", { name: "Coffee shop" })).toBeTruthy());
    fireEvent.change(within(form).getByLabelText("Bot"), { target: { value: BOT_ID } });
    fireEvent.click(within(form).getByTestId("target-save"));
    // The address and the signing key are asked for before anything is sent.
    expect(within(form).getByTestId("error-url").textContent).toBe("Enter the webhook's address.");
    expect(within(form).getByTestId("error-secret").textContent).toBe("Choose the secret that signs the webhook's requests.");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText("Webhook address"), { target: { value: " https://crm.example.com/hooks/rozmova " } });
    fireEvent.change(within(form).getByLabelText("Signing key (a secret)"), { target: { value: "CRM_HOOK_KEY" } });
    fireEvent.click(within(form).getByTestId("target-save"));
    expect((await screen.findByTestId("targets-notice")).textContent).toBe("The target crm was added.");
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.url).toBe("/api/v1/notifications/targets/crm");
    expect(put.body).toEqual({
      kind: "webhook",
      events: ["report", "handoff", "conversation_failed"],
      url: "https://crm.example.com/hooks/rozmova",
      secret: "CRM_HOOK_KEY",
      bot_id: BOT_ID,
      starttls: false,
      use_tls: false,
    });
    expect(within(row("crm")).getByTestId("target-item-bot").textContent).toBe("Coffee shop");
  });

  it("adds an e-mail target, checking its addresses first", async () => {
    const { calls } = renderTargets([]);
    await screen.findByTestId("targets-empty");
    fireEvent.click(screen.getByTestId("target-add"));
    const form = screen.getByTestId("target-form");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "ops-mail" } });
    fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "email" } });
    fireEvent.change(within(form).getByLabelText("SMTP server"), { target: { value: "smtp.example.com" } });
    fireEvent.change(within(form).getByLabelText("User name"), { target: { value: "bots" } });
    fireEvent.change(within(form).getByLabelText("Password (a secret)"), { target: { value: "SMTP_PASSWORD" } });
    fireEvent.change(within(form).getByLabelText("From"), { target: { value: "bots@example.com" } });
    fireEvent.change(within(form).getByLabelText("To"), { target: { value: "ops@example.com\nnot-an-address" } });
    fireEvent.click(within(form).getByTestId("target-save"));
    expect(within(form).getByTestId("error-recipients").textContent).toBe("“not-an-address” is not an e-mail address.");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText("To"), { target: { value: "ops@example.com\nboss@example.com" } });
    fireEvent.change(within(form).getByLabelText("Encryption"), { target: { value: "tls" } });
    expect((within(form).getByLabelText("Port") as HTMLInputElement).value).toBe("465");
    fireEvent.click(within(form).getByTestId("target-save"));
    await screen.findByTestId("targets-notice");
    expect(calls.find((c) => c.method === "PUT")!.body).toEqual({
      kind: "email",
      events: ["report"],
      host: "smtp.example.com",
      port: 465,
      starttls: false,
      use_tls: true,
      username: "bots",
      secret: "SMTP_PASSWORD",
      sender: "bots@example.com",
      recipients: ["ops@example.com", "boss@example.com"],
    });
  });

  it("edits a target under its name and deletes one after a confirmation", async () => {
    const { calls } = renderTargets([target("crm"), target("second")]);
    await screen.findAllByTestId("target-item");
    fireEvent.click(within(row("crm")).getByTestId("target-edit"));
    const form = within(row("crm")).getByTestId("target-form");
    expect(within(form).queryByLabelText("Name")).toBeNull();
    expect((within(form).getByLabelText("Webhook address") as HTMLInputElement).value).toBe("https://crm.example.com/hooks/rozmova");
    fireEvent.click(within(form).getByTestId("target-event-report")); // the only event, unticked
    fireEvent.click(within(form).getByTestId("target-save"));
    expect(within(form).getByTestId("error-events").textContent).toBe("Choose at least one event.");
    fireEvent.click(within(form).getByTestId("target-event-handoff"));
    fireEvent.click(within(form).getByTestId("target-save"));
    expect((await screen.findByTestId("targets-notice")).textContent).toBe("The target crm was saved.");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({ url: "/api/v1/notifications/targets/crm", body: { events: ["handoff"] } });

    fireEvent.click(within(row("second")).getByTestId("target-delete"));
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    fireEvent.click(within(row("second")).getByTestId("target-delete-confirm"));
    await waitFor(() => expect(screen.getByTestId("targets-notice").textContent).toBe("The target second was deleted."));
    expect(screen.getAllByTestId("target-item-name").map((n) => n.textContent)).toEqual(["crm"]);
    expect(calls.find((c) => c.method === "DELETE")!.url).toBe("/api/v1/notifications/targets/second");
  });

  it("is read-only for a viewer", async () => {
    renderTargets([target("crm")], { role: "viewer" });
    await screen.findAllByTestId("target-item");
    expect(screen.queryByTestId("target-add")).toBeNull();
    expect(screen.queryByTestId("target-edit")).toBeNull();
    expect(screen.queryByTestId("target-delete")).toBeNull();
  });
});
