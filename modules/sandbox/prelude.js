/* The driver of one run, evaluated in every fresh context before any author code; its value
   is the function the worker calls:
     run("init", console.js, result.js, describe.js)   once, while the context is made
     run("run", wrapped, params, outputLimit, entries, chars)   the outcome as text, or "!"
       and the phase when something was thrown, then
     run("describe") (what was thrown) and run("logs") (the console lines kept)
     run("seed", seed.js, seed)   a reproducible Math.random for the next run

   Compiling costs about 40 ns a character of code and is paid for every run, so this holds
   only what every run needs; console.js is compiled when a script first touches console,
   result.js when a result is an object, describe.js when something was thrown.

   Everything crosses to the worker as JSON text (JSON.stringify escapes lone surrogates, so
   the text is always valid UTF-8) joined with Array.prototype.join: the binding cannot read
   the rope strings that long "+" concatenations make. The worker joins these lines into one
   (so no line comments and no reliance on automatic semicolons here): every frame of the
   driver is then on line 1, where no author code ever is. The intrinsics used are taken
   before author code could replace them; what author code can still reach (getters, toJSON,
   prototypes) only bends its own run, and the parent checks every field of the reply. */
(function () {
  "use strict";
  const G = globalThis, evaluate = G.eval, apply = Reflect.apply, define = Object.defineProperty,
    call = Function.prototype.call, P = Promise;
  /* The intrinsics the driver's parts use, taken now: the parts compiled later (after author
     code ran) get them from here, not from globals the author may have replaced. */
  const lib = Object.freeze({
    __proto__: null, stringify: JSON.stringify, parse: JSON.parse, text: String,
    finite: Number.isFinite, isArray: Array.isArray, E: Error,
    join: call.bind(Array.prototype.join), wellFormed: call.bind(String.prototype.toWellFormed),
    slice: call.bind(String.prototype.slice),
  });
  const { stringify, parse, text, finite, join } = lib;
  /* Nothing can run later (there is no event loop), nor observe the host beyond Date. */
  delete G.queueMicrotask;
  delete G.performance;
  delete G.WeakRef;
  delete G.FinalizationRegistry;
  /* Console lines are kept as one string of JSON texts separated by commas: an array would
     read and write through Array.prototype, which author code can fill with accessors. */
  const state = { lines: "", n: 0, used: 0, count: 0, room: 0, problem: "" };
  let sources, checked, thrown;

  define(G, "console", {
    get() {
      const value = apply(evaluate(sources[0]), undefined, [state, lib]);
      define(G, "console", { value, writable: true, configurable: true });
      return value;
    },
    set(value) {
      define(G, "console", { value, writable: true, configurable: true });
    },
    configurable: true,
  });

  function reply(head, tail) {
    return join([head, ",\"logs\":[", state.lines, "]}\n", tail], "");
  }

  function output(kind, message) {
    return reply(join(["{\"ok\":false,\"phase\":\"output\",\"error\":{\"thrown\":\"", kind,
      "\",\"name\":\"\",\"message\":", stringify(message), ",\"stack\":\"\"}"], ""), "");
  }

  return function run(command, wrapped, params, outputLimit, entries, chars) {
    if (command === "init") {
      sources = [wrapped, params, outputLimit];
      return "";
    }
    if (command === "logs") return join(["[", state.lines, "]"], "");
    if (command === "describe") return apply(evaluate(sources[2]), undefined, [thrown, lib]);
    if (command === "seed") return apply(evaluate(wrapped), undefined, [params]);
    state.count = entries;
    state.room = chars;
    let script, args, result, json;
    try {
      script = evaluate(wrapped);
    } catch (value) {
      thrown = value;
      return "!syntax";
    }
    try {
      args = parse(params);
    } catch (value) {
      thrown = value;
      return "!input";
    }
    try {
      result = apply(script, undefined, args);
    } catch (value) {
      thrown = value;
      return "!runtime";
    }
    const type = typeof result;
    state.problem = "";
    try {
      if (result instanceof P) {
        state.problem = "the result is a Promise: scripts run to completion, nothing can be awaited";
      } else if (type === "object" && result !== null) {
        checked = checked || apply(evaluate(sources[1]), undefined, [state, lib]);
        json = stringify(result, checked);
      } else if (type === "function" || type === "symbol" || (type === "number" && !finite(result))) {
        state.problem = "the result is " + (type === "number" ? text(result) : "a " + type) +
          ", which JSON cannot carry";
      } else {
        json = stringify(result);
      }
    } catch (value) {
      if (state.problem === "") {
        thrown = value;
        return "!output";
      }
    }
    if (state.problem !== "") return output("output", state.problem);
    if (json === undefined) json = "";
    if (json.length > outputLimit) return output("size", "");
    return reply("{\"ok\":true", json);
  };
})()
