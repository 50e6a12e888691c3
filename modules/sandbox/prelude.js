/* The driver of one run, evaluated in every fresh context before any author code. Its value
   is the function the worker calls: driver("run", ...) compiles and runs the author's
   function and returns its outcome as text, driver("logs") returns the console lines kept so
   far (after the engine stopped a run).

   Everything crosses to the worker as JSON text (JSON.stringify escapes lone surrogates, so
   the text is always valid UTF-8) joined with Array.prototype.join: the binding cannot read
   the rope strings that long "+" concatenations make. The worker joins these lines into one
   (so no line comments and no reliance on automatic semicolons here): every frame of the
   driver is then on line 1, where no author code ever is. The intrinsics the driver needs are
   taken here, before author code could replace them; what author code can still reach
   (getters, toJSON, prototypes) only bends its own run, and the parent checks every field of
   the reply. */
(function () {
  "use strict";
  const G = globalThis;
  const indirectEval = G.eval;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const apply = Reflect.apply;
  const isFinite = Number.isFinite;
  const ToString = String;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const uncurry = (f) => Function.prototype.call.bind(f);
  const slice = uncurry(String.prototype.slice);
  const wellFormed = uncurry(String.prototype.toWellFormed);
  const join = uncurry(Array.prototype.join);
  const isArray = Array.isArray;

  /* Nothing here can run later (there is no event loop) or observe the host beyond Date. */
  for (const name of ["queueMicrotask", "performance", "WeakRef", "FinalizationRegistry"]) {
    delete G[name];
  }

  let logs = [];
  let logCount = 0;
  let logChars = 0;
  let maxEntries = 0;
  let maxChars = 0;

  function describeValue(value) {
    switch (typeof value) {
      case "string":
        return value;
      case "bigint":
        return ToString(value) + "n";
      case "number":
      case "boolean":
      case "undefined":
      case "symbol":
        return ToString(value);
      case "function":
        return "[Function]";
    }
    if (value === null) return "null";
    try {
      if (value instanceof ErrorCtor) {
        return ToString(value.name) + ": " + ToString(value.message);
      }
      const text = stringify(value);
      return typeof text === "string" ? text : ToString(value);
    } catch (problem) {
      return "[object that cannot be shown]";
    }
  }

  function write(args) {
    if (logCount >= maxEntries || logChars >= maxChars) return;
    const parts = [];
    for (let i = 0; i < args.length; i++) parts[i] = describeValue(args[i]);
    let line = wellFormed(join(parts, " "));
    const room = maxChars - logChars;
    if (line.length > room) line = wellFormed(slice(line, 0, room)) + "\u2026";
    logs[logCount] = line;
    logCount += 1;
    logChars += line.length;
  }

  const console = {
    log(...args) { write(args); },
    info(...args) { write(args); },
    warn(...args) { write(args); },
    error(...args) { write(args); },
    debug(...args) { write(args); },
  };
  Object.defineProperty(G, "console", { value: console, writable: true, configurable: true });

  function logsText() {
    const parts = [];
    for (let i = 0; i < logCount; i++) parts[i] = stringify(ToString(logs[i]));
    return join(["[", join(parts, ","), "]"], "");
  }

  /* A seeded Math.random (mulberry32) when the caller asks for reproducible runs. */
  function seedRandom(seed) {
    let state = seed >>> 0;
    const random = function random() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    Object.defineProperty(Math, "random", { value: random, writable: true, configurable: true });
  }

  function clip(text, size) {
    return text.length > size ? slice(text, 0, size) + "\u2026" : text;
  }

  /* What was thrown, read defensively: getters may throw (then the plain value is used), may
     loop (then the engine's time limit stops the run). */
  function describeThrown(thrown) {
    let name = "";
    let message = "";
    let stack = "";
    let kind = "value";
    if (thrown !== null && (typeof thrown === "object" || typeof thrown === "function")) {
      try {
        const value = thrown.name;
        if (typeof value === "string") name = value;
      } catch (problem) { /* keep the default */ }
      try {
        const value = thrown.message;
        if (typeof value === "string") message = value;
      } catch (problem) { /* keep the default */ }
      try {
        const value = thrown.stack;
        if (typeof value === "string") stack = value;
      } catch (problem) { /* keep the default */ }
      if (name !== "" || message !== "") {
        kind = "error";
      } else {
        message = describeValue(thrown);
      }
    } else if (thrown === null) {
      kind = "null";
      message = "null";
    } else if (thrown === undefined) {
      kind = "null";
      message = "undefined";
    } else {
      message = typeof thrown === "string" ? stringify(thrown) : describeValue(thrown);
    }
    return "{\"thrown\":" + stringify(kind) +
      ",\"name\":" + stringify(wellFormed(clip(name, 200))) +
      ",\"message\":" + stringify(wellFormed(clip(message, 2000))) +
      ",\"stack\":" + stringify(wellFormed(clip(stack, 4000))) + "}";
  }

  function failure(phase, detail) {
    return join(["{\"ok\":false,\"phase\":", stringify(phase), ",\"error\":", detail,
      ",\"logs\":", logsText(), "}\n"], "");
  }

  return function run(command, wrapped, paramsText, outputLimit, entries, chars, seed) {
    if (command === "logs") return logsText();
    logs = [];
    logCount = 0;
    logChars = 0;
    maxEntries = entries;
    maxChars = chars;
    if (seed >= 0) seedRandom(seed);

    let script;
    try {
      script = indirectEval(wrapped);
    } catch (thrown) {
      return failure("syntax", describeThrown(thrown));
    }
    let args;
    try {
      args = parse(paramsText);
    } catch (thrown) {
      return failure("input", describeThrown(thrown));
    }

    let result;
    try {
      result = apply(script, undefined, args);
    } catch (thrown) {
      return failure("runtime", describeThrown(thrown));
    }

    let problem = "";
    const replacer = function (key, value) {
      const type = typeof value;
      if ((type === "number" && !isFinite(value)) || type === "function" || type === "symbol") {
        const what = type === "number" ? ToString(value) : "a " + type;
        const where = key === "" ? "" : " at " + (isArray(this) ? "index " + key : "key " + stringify(key));
        problem = "the result has " + what + where + ", which JSON cannot carry";
        throw problem;
      }
      return value;
    };
    let text;
    try {
      if (result instanceof PromiseCtor) {
        problem = "the result is a Promise: scripts run to completion synchronously, nothing can be awaited";
        throw problem;
      }
      text = stringify(result, replacer);
    } catch (thrown) {
      if (problem !== "") {
        return failure("output", "{\"thrown\":\"output\",\"name\":\"\",\"message\":" +
          stringify(problem) + ",\"stack\":\"\"}");
      }
      return failure("output", describeThrown(thrown));
    }
    if (text === undefined) text = "";
    if (text.length > outputLimit) {
      return failure("output", "{\"thrown\":\"size\",\"name\":\"\",\"message\":\"\",\"stack\":\"\"}");
    }
    return join(["{\"ok\":true,\"logs\":", logsText(), "}\n", text], "");
  };
})()
