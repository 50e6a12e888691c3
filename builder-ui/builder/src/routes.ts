// Hash routes (#/, #/bots/<id>, #/bots/<id>/settings, #/scenarios/<id>, #/modules, #/secrets,
// #/models, #/models/quota, #/models/notifications): the page is one file
// at /builder/, so any address below it works without the server knowing the builder's routes.
export type BotTab = "scenarios" | "settings";
/** The organization's model settings: providers, limits and usage, notification targets. */
export type ModelsTab = "providers" | "quota" | "notifications" | "speech";

export type Route =
  | { name: "bots" }
  | { name: "bot"; botId: string; tab?: BotTab }
  | { name: "scenario"; scenarioId: string }
  | { name: "modules" }
  | { name: "module"; moduleName: string }
  | { name: "secrets" }
  | { name: "models"; tab?: ModelsTab };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "");
  const [first, second, third] = path.split("/").map((part) => decodeURIComponent(part));
  if (first === "bots" && second) return third === "settings" ? { name: "bot", botId: second, tab: "settings" } : { name: "bot", botId: second };
  if (first === "scenarios" && second) return { name: "scenario", scenarioId: second };
  if (first === "modules") return second ? { name: "module", moduleName: second } : { name: "modules" };
  if (first === "secrets") return { name: "secrets" };
  if (first === "models") return second === "quota" || second === "notifications" || second === "speech" ? { name: "models", tab: second } : { name: "models" };
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
    case "modules":
      return "#/modules";
    case "module":
      return `#/modules/${encodeURIComponent(route.moduleName)}`;
    case "secrets":
      return "#/secrets";
    case "models":
      return route.tab && route.tab !== "providers" ? `#/models/${route.tab}` : "#/models";
  }
}

/** Asked before the app follows a new address; false keeps the screen (and the address). */
export type LeaveGuard = () => boolean;
const leaveGuards = new Set<LeaveGuard>();

/** A screen with work that would be lost asks first; returns the removal. */
export function addLeaveGuard(guard: LeaveGuard): () => void {
  leaveGuards.add(guard);
  return () => {
    leaveGuards.delete(guard);
  };
}

export function mayLeave(): boolean {
  for (const guard of leaveGuards) if (!guard()) return false;
  return true;
}

/** Goes to a route (a hash change: the app follows it). */
export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}
