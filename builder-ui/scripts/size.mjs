// Prints the gzipped size of dist/widget.js and fails above the budget: the widget loads on
// every page of a customer's site.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const LIMIT = 40 * 1024;
let raw;
try {
  raw = readFileSync(new URL("../dist/widget.js", import.meta.url));
} catch {
  console.error("dist/widget.js is missing: run `npm run build` first");
  process.exit(1);
}
const gz = gzipSync(raw, { level: 9 }).length;
console.log(`dist/widget.js: ${(raw.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped (limit ${LIMIT / 1024} KiB)`);
if (gz > LIMIT) {
  console.error("over the size budget");
  process.exit(1);
}
