// Hash routes (#/, #/bots/<id>, #/scenarios/<id>): the page is one file at /builder/, so any
// address below it works without the server knowing the builder's routes.
export type Route =
  | { name: "bots" }
  | { name: "bot"; botId: string }
  | { name: "scenario"; scenarioId: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "");
  const [first, second] = path.split("/").map((part) => decodeURIComponent(part));
  if (first === "bots" && second) return { name: "bot", botId: second };
  if (first === "scenarios" && second) return { name: "scenario", scenarioId: second };
  return { name: "bots" };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case "bots":
      return "#/";
    case "bot":
      return `#/bots/${encodeURIComponent(route.botId)}`;
    case "scenario":
      return `#/scenarios/${encodeURIComponent(route.scenarioId)}`;
  }
}
