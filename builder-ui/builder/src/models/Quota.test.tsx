import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, problem, renderWithApi, type Call } from "../test/api";
import type { QuotaPut, QuotaRead, UsagePage } from "./forms";
import { quota } from "./fixtures";
import { ModelsScreen } from "./ModelsScreen";

const usage: UsagePage = {
  since: "2025-03-01",
  until: "2025-03-30",
  calls: 17,
  prompt_tokens: 12000,
  completion_tokens: 3400,
  cost: 0.0215,
  items: [
    { day: "2025-03-02", bot_id: "b1", provider: "main", calls: 10, cached: 3, prompt_tokens: 8000, completion_tokens: 2000, cost: 0.015 },
    { day: "2025-03-02", bot_id: "b-gone", provider: "local", calls: 7, cached: 2, prompt_tokens: 4000, completion_tokens: 1400, cost: 0.0065 },
  ],
};

const bot = (id: string, name: string) => ({
  id,
  name,
  description: null,
  default_language: "uk",
  languages: ["uk"],
  settings: {},
  main_scenario_id: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
});

function renderQuota(initial: QuotaRead, options: { role?: "editor" | "admin"; extra?: (call: Call) => Response | undefined } = {}) {
  let stored = initial;
  return renderWithApi(<ModelsScreen tab="quota" role={options.role ?? "admin"} />, (call) => {
    const answer = options.extra?.(call);
    if (answer) return answer;
    if (call.url === "/api/v1/llm/quota" && call.method === "GET") return json(stored);
    if (call.url === "/api/v1/llm/quota" && call.method === "PUT") {
      stored = { ...stored, ...(call.body as QuotaPut) };
      return json(stored);
    }
    if (call.url.startsWith("/api/v1/llm/usage")) return json(usage);
    if (call.url.startsWith("/api/v1/bots")) return json({ items: [bot("b1", "Coffee shop")], total: 1 });
    return undefined;
  });
}

describe("the quota", () => {
  it("shows the limits with what was used of them", async () => {
    renderQuota(quota({ tokens_per_day: 50000, tokens_today: 12345, cost_this_month: 3.5 }));
    const form = await screen.findByTestId("quota-form");
    expect((within(form).getByLabelText("Tokens a day") as HTMLInputElement).value).toBe("50000");
    expect((within(form).getByLabelText("Dollars a month") as HTMLInputElement).value).toBe("");
    expect(within(form).getByTestId("quota-tokens-today").textContent).toBe("12,345 of 50,000");
    expect(within(form).getByTestId("quota-cost-this-month").textContent).toBe("$3.50 no limit");
    expect(screen.getByTestId("models-tab-quota").getAttribute("aria-current")).toBe("page");
  });

  it("saves every limit, null for an empty field (no limit)", async () => {
    const { calls } = renderQuota(quota({ tokens_per_day: 50000, calls_per_minute: 100 }));
    const form = await screen.findByTestId("quota-form");
    fireEvent.change(within(form).getByLabelText("Tokens a day"), { target: { value: "" } });
    fireEvent.change(within(form).getByLabelText("Tokens a day per bot"), { target: { value: "20000" } });
    fireEvent.change(within(form).getByLabelText("Dollars a month"), { target: { value: "12,5" } });
    fireEvent.click(within(form).getByTestId("quota-save"));
    expect((await screen.findByTestId("quota-notice")).textContent).toBe("The limits were saved.");
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.url).toBe("/api/v1/llm/quota");
    expect(put.body).toEqual({ calls_per_minute: 100, tokens_per_day: null, bot_tokens_per_day: 20000, cost_per_month: 12.5 });
    expect(within(form).getByTestId("quota-cost-this-month").textContent).toBe("$0.00 of $12.50");
  });

  it("checks the numbers before sending, and shows the server's refusal", async () => {
    const { calls } = renderQuota(quota(), {
      extra: (call) => (call.method === "PUT" ? problem(403, "the admin role is needed to change the quota") : undefined),
    });
    const form = await screen.findByTestId("quota-form");
    fireEvent.change(within(form).getByLabelText("Calls a minute"), { target: { value: "0" } });
    fireEvent.change(within(form).getByLabelText("Tokens a day"), { target: { value: "lots" } });
    fireEvent.click(within(form).getByTestId("quota-save"));
    expect(within(form).getByTestId("error-calls_per_minute").textContent).toBe("A whole number from 1 to 1000000.");
    expect(within(form).getByTestId("error-tokens_per_day").textContent).toBe("Enter a number.");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText("Calls a minute"), { target: { value: "10" } });
    fireEvent.change(within(form).getByLabelText("Tokens a day"), { target: { value: "" } });
    fireEvent.click(within(form).getByTestId("quota-save"));
    expect((await within(form).findByTestId("quota-error")).textContent).toBe("Not saved: the admin role is needed to change the quota");
  });

  it("cannot be changed below the admin role", async () => {
    renderQuota(quota({ calls_per_minute: 5 }), { role: "editor" });
    const form = await screen.findByTestId("quota-form");
    expect(within(form).queryByTestId("quota-save")).toBeNull();
    expect(within(form).getByTestId("quota-read-only").textContent).toBe("Only an admin can change the organization's limits.");
    const input = within(form).getByLabelText("Calls a minute") as HTMLInputElement;
    expect(input.readOnly).toBe(true);
    expect(input.value).toBe("5");
  });
});

describe("the usage", () => {
  it("lists calls per day, bot and provider with the totals", async () => {
    const { calls } = renderQuota(quota());
    const table = await screen.findByTestId("usage-table");
    const rows = within(table).getAllByTestId("usage-row");
    expect(rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.textContent))).toEqual([
      ["2025-03-02", "Coffee shop", "main", "10", "3", "8,000", "2,000", "$0.015"],
      ["2025-03-02", "b-gone", "local", "7", "2", "4,000", "1,400", "$0.0065"],
    ]);
    expect(within(table).getByTestId("usage-total-calls").textContent).toBe("17");
    expect(within(table).getByTestId("usage-total-cached").textContent).toBe("5");
    expect(within(table).getByTestId("usage-total-prompt").textContent).toBe("12,000");
    expect(within(table).getByTestId("usage-total-completion").textContent).toBe("3,400");
    expect(within(table).getByTestId("usage-total-cost").textContent).toBe("$0.0215");
    // The first page is the server's default period, shown in the date fields.
    expect(calls.find((c) => c.url.startsWith("/api/v1/llm/usage"))!.url).toBe("/api/v1/llm/usage");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2025-03-01");
    expect((screen.getByLabelText("To") as HTMLInputElement).value).toBe("2025-03-30");
  });

  it("asks for another period, refusing a reversed one before sending", async () => {
    const { calls } = renderQuota(quota());
    await screen.findByTestId("usage-table");
    const usageCalls = () => calls.filter((c) => c.url.startsWith("/api/v1/llm/usage"));
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2025-04-10" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2025-04-01" } });
    fireEvent.click(screen.getByTestId("usage-show"));
    expect(screen.getByTestId("error-since").textContent).toBe("The start must not be after the end.");
    expect(usageCalls()).toHaveLength(1);

    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2025-03-05" } });
    fireEvent.click(screen.getByTestId("usage-show"));
    await waitFor(() => expect(usageCalls()).toHaveLength(2));
    expect(usageCalls()[1].url).toBe("/api/v1/llm/usage?since=2025-03-05&until=2025-04-01");
    expect(screen.queryByTestId("error-since")).toBeNull();
  });
});
