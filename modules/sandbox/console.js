/* console.log and kin, compiled by the driver when a script first touches console (see
   prelude.js). Each line is formatted at the call (the values may change later) and stored
   as JSON; lines are bounded in number and in UTF-16 units (the parent bounds them again in
   bytes). Strings are joined with spaces, other values shown as JSON where they can be. */
(function (state, lib) {
  "use strict";
  const { stringify, text, E, wellFormed, slice } = lib;

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
    if (state.n >= state.count || state.used >= state.room) return;
    /* A string, not an array joined: array writes go through Array.prototype's accessors. */
    let line = "";
    for (let i = 0; i < args.length; i++) {
      const shown = show(args[i]);
      line = (i === 0 ? "" : line + " ") + (typeof shown === "string" ? shown : "");
    }
    const room = state.room - state.used;
    line = wellFormed(line);
    if (line.length > room) line = wellFormed(slice(line, 0, room)) + "\u2026";
    state.lines = state.n === 0 ? stringify(line) : state.lines + "," + stringify(line);
    state.n += 1;
    state.used += line.length;
  }

  return { log, info: log, warn: log, error: log, debug: log };
})
