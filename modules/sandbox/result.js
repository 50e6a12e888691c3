/* The replacer the driver converts an object result with, compiled when a result is an
   object (see prelude.js): JSON.stringify would turn NaN and Infinity into null and drop
   functions and symbols; the author hears about them instead. */
(function (state, lib) {
  "use strict";
  const { stringify, text, finite, isArray } = lib;
  return function replacer(key, value) {
    const type = typeof value;
    if ((type === "number" && !finite(value)) || type === "function" || type === "symbol") {
      state.problem = "the result has " + (type === "number" ? text(value) : "a " + type) +
        (isArray(this) ? " at index " + key : " at key " + stringify(key)) +
        ", which JSON cannot carry";
      throw state.problem;
    }
    return value;
  };
})
