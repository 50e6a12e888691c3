/* What a failed run threw, as the JSON of {thrown, name, message, stack}; compiled by the
   driver only after a failure (see prelude.js). Read defensively: a getter may throw (then
   the plain value is used) or loop (then the engine's time limit stops it). */
(function (value, lib) {
  "use strict";
  const { stringify, text, join, wellFormed, slice } = lib;
  const clip = (part, size) => wellFormed(part.length > size ? slice(part, 0, size) + "\u2026" : part);
  const show = (shown) => {
    try {
      const json = stringify(shown);
      return typeof json === "string" ? json : text(shown);
    } catch (failed) {
      try {
        return text(shown);
      } catch (again) {
        return "an object that cannot be shown";
      }
    }
  };
  let kind = "value", name = "", message = "", stack = "";
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    try {
      const read = value.name;
      if (typeof read === "string") name = read;
    } catch (failed) { /* keep the default */ }
    try {
      const read = value.message;
      if (typeof read === "string") message = read;
    } catch (failed) { /* keep the default */ }
    try {
      const read = value.stack;
      if (typeof read === "string") stack = read;
    } catch (failed) { /* keep the default */ }
    if (name !== "" || message !== "") kind = "error";
    else message = typeof value === "function" ? "a function" : show(value);
  } else if (value === null || value === undefined) {
    kind = "null";
    message = text(value);
  } else if (typeof value === "bigint") {
    message = text(value) + "n";
  } else {
    message = typeof value === "symbol" ? text(value) : show(value);
  }
  if (typeof message !== "string") message = "";
  return join([
    "{\"thrown\":", stringify(kind),
    ",\"name\":", stringify(clip(name, 200)),
    ",\"message\":", stringify(clip(message, 2000)),
    ",\"stack\":", stringify(clip(stack, 4000)), "}",
  ], "");
})
