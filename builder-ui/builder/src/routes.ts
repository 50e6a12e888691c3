// Hash routes (#/, #/bots/<id>, #/bots/<id>/settings, #/scenarios/<id>): the page is one file
// at /builder/, so any address below it works without the server knowing the builder's routes.
export type BotTab = "scenarios" | "settings";

export type Route =
  | { name: "bots" }
  | { name: "bot"; botId: string; tab?: BotTab }
  | { name: "scenario"; scenarioId: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "");
  const [first, second, third] = path.split("/").map((part) => decodeURIComponent(part));
  if (first === "bots" && second) return third === "settings" ? { name: "bot", botId: second, tab: "settings" } : { name: "bot", botId: second };
  if (first === "scenarios" && second) return { name: "scenario", scenarioId: second };
  return { name: "bots" };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case "bots":
      return "#/";
    case "bot":
      return `#/bots/${encodeURIComponent(route.botId)}${route.tab === "settings" ? "/settings" : ""}`;
    case "scenario":
      return `#/scenarios/${encodeURIComponent(route.scenarioId)}`;
  }
}

/** Goes to a route (a hash change: the app follows it). */
export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}
