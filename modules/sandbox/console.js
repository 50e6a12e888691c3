/* console.log and kin, compiled by the driver when a script first touches console (see
   prelude.js). Each line is formatted at the call (the values may change later) and stored
   as JSON; lines are bounded in number and in UTF-16 units (the parent bounds them again in
   bytes). Strings are joined with spaces, other values shown as JSON where they can be. */
(function (state) {
  "use strict";
  const stringify = JSON.stringify, text = String, E = Error, call = Function.prototype.call,
    join = call.bind(Array.prototype.join), wellFormed = call.bind(String.prototype.toWellFormed),
    slice = call.bind(String.prototype.slice);

  function show(value) {
    const type = typeof value;
    if (type === "string") return value;
    if (type === "bigint") return text(value) + "n";
    if (type === "function") return "[Function]";
    if (value === null || type !== "object") return text(value);
    try {
      if (value instanceof E) return text(value.name) + ": " + text(value.message);
      const json = stringify(value);
      return typeof json === "string" ? json : text(value);
    } catch (failed) {
      return "[object that cannot be shown]";
    }
  }

  function log(...args) {
    const logs = state.logs, count = logs.length;
    if (count >= state.count || state.used >= state.room) return;
    for (let i = 0; i < args.length; i++) args[i] = show(args[i]);
    const room = state.room - state.used;
    let line = wellFormed(join(args, " "));
    if (line.length > room) line = wellFormed(slice(line, 0, room)) + "\u2026";
    logs[count] = stringify(line);
    state.used += line.length;
  }

  return { log, info: log, warn: log, error: log, debug: log };
})
