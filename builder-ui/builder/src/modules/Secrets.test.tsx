import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, noContent, problem, renderWithApi, type Call } from "../test/api";
import type { SecretRead } from "./draft";
import { SecretsScreen } from "./SecretsScreen";

const secret = (name: string, updated = "2025-01-01T00:00:00Z"): SecretRead => ({ name, created_at: "2025-01-01T00:00:00Z", updated_at: updated });

/** Secrets kept in memory: names and dates only, as the server answers. */
function renderSecrets(initial: SecretRead[], extra?: (call: Call) => Response | undefined) {
  let list = [...initial];
  const values: Record<string, string> = {};
  const view = renderWithApi(<SecretsScreen />, (call) => {
    const answer = extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/secrets" && call.method === "GET") return json(list);
    const one = /^\/api\/v1\/secrets\/([A-Za-z0-9_]+)$/.exec(call.url);
    if (!one) return undefined;
    const name = one[1];
    if (call.method === "PUT") {
      const exists = list.some((s) => s.name === name);
      values[name] = (call.body as { value: string }).value;
      const stored = secret(name, "2025-02-01T00:00:00Z");
      list = [...list.filter((s) => s.name !== name), stored];
      return json(stored, exists ? 200 : 201);
    }
    if (call.method === "DELETE") {
      list = list.filter((s) => s.name !== name);
      return noContent();
    }
    return undefined;
  });
  return { ...view, values };
}

describe("the secrets", () => {
  it("lists names only, and says what secrets are for", async () => {
    renderSecrets([secret("CRM_TOKEN"), secret("SHOP_KEY")]);
    const rows = await screen.findAllByTestId("secret-item");
    expect(rows.map((r) => within(r).getByTestId("secret-item-name").textContent)).toEqual(["CRM_TOKEN", "SHOP_KEY"]);
    expect(screen.getByTestId("secrets-intro").textContent).toContain("by its name");
    expect(screen.getByTestId("library-tab-secrets").getAttribute("aria-current")).toBe("page");
  });

  it("says when there are none", async () => {
    renderSecrets([]);
    expect((await screen.findByTestId("secrets-empty")).textContent).toBe("No secrets yet.");
  });

  it("sets a new secret from a password field that is emptied once sent", async () => {
    const { calls, values } = renderSecrets([]);
    await screen.findByTestId("secrets-empty");
    const value = screen.getByLabelText("Value") as HTMLInputElement;
    expect(value.type).toBe("password");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "CRM_TOKEN" } });
    fireEvent.change(value, { target: { value: "s3cr3t-value" } });
    fireEvent.click(screen.getByTestId("secret-save"));
    expect((await screen.findByTestId("secret-notice")).textContent).toBe("The secret CRM_TOKEN was stored.");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({ url: "/api/v1/secrets/CRM_TOKEN", body: { value: "s3cr3t-value" } });
    expect(values.CRM_TOKEN).toBe("s3cr3t-value");
    expect(screen.getAllByTestId("secret-item-name").map((n) => n.textContent)).toEqual(["CRM_TOKEN"]);
    expect(value.value).toBe("");
    expect(document.body.innerHTML).not.toContain("s3cr3t-value");
  });

  it("checks the name and the value at their fields before sending", async () => {
    const { calls } = renderSecrets([]);
    await screen.findByTestId("secrets-empty");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "1st-token" } });
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("secret-name-error").textContent).toContain("not starting with a digit");
    fireEvent.click(screen.getByTestId("secret-save"));
    expect(screen.getByTestId("secret-value-error").textContent).toBe("Enter the value.");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
  });

  it("replaces a value, warning when a new name is taken", async () => {
    const { calls } = renderSecrets([secret("CRM_TOKEN")]);
    const row = await screen.findByTestId("secret-item");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "CRM_TOKEN" } });
    expect(screen.getByTestId("secret-exists").textContent).toContain("saving replaces its value");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "" } });

    fireEvent.click(within(row).getByTestId("secret-replace"));
    const form = within(row).getByTestId("secret-replace-form");
    const input = within(form).getByLabelText("New value");
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: "new-value" } });
    fireEvent.click(within(form).getByTestId("secret-save"));
    expect((await screen.findByTestId("secret-notice")).textContent).toBe("The value of CRM_TOKEN was replaced.");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({ url: "/api/v1/secrets/CRM_TOKEN", body: { value: "new-value" } });
    expect(within(screen.getByTestId("secret-item")).queryByTestId("secret-replace-form")).toBeNull();
  });

  it("shows the server's refusal readably", async () => {
    renderSecrets([], (call) =>
      call.method === "PUT" ? problem(422, "too many secrets", { errors: [{ path: "/body/value", message: "String should have at most 8192 characters" }] }) : undefined,
    );
    await screen.findByTestId("secrets-empty");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "BIG" } });
    fireEvent.change(screen.getByLabelText("Value"), { target: { value: "x" } });
    fireEvent.click(screen.getByTestId("secret-save"));
    expect((await screen.findByTestId("secret-error")).textContent).toBe("Not saved: too many secrets");
    expect(screen.getByTestId("secret-value-error").textContent).toBe("String should have at most 8192 characters");
  });

  it("deletes a secret only after a confirmation", async () => {
    const { calls } = renderSecrets([secret("CRM_TOKEN"), secret("SHOP_KEY")]);
    const [row] = await screen.findAllByTestId("secret-item");
    fireEvent.click(within(row).getByTestId("secret-delete"));
    expect(within(row).getByTestId("secret-delete-dialog").textContent).toContain("“CRM_TOKEN”");
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    fireEvent.click(within(row).getByTestId("secret-delete-confirm"));
    expect((await screen.findByTestId("secret-notice")).textContent).toBe("The secret CRM_TOKEN was deleted.");
    expect(screen.getAllByTestId("secret-item-name").map((n) => n.textContent)).toEqual(["SHOP_KEY"]);
    expect(calls.find((c) => c.method === "DELETE")!.url).toBe("/api/v1/secrets/CRM_TOKEN");
  });
});
