/* A reproducible Math.random for one run (mulberry32 from a 32-bit seed); compiled by the
   driver only when the caller gives a seed. */
(function (seed) {
  "use strict";
  let state = seed >>> 0;
  const random = function random() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  Object.defineProperty(Math, "random", { value: random, writable: true, configurable: true });
  return "";
})
