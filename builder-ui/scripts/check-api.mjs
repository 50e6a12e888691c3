// Fails when builder/src/api/schema.d.ts no longer matches docs/openapi.json: the server's API
// changed and the builder's types were not regenerated.
import { readFileSync } from "node:fs";
import { generate, OUTPUT } from "./api-types.mjs";

const fresh = await generate();
let current = "";
try {
  current = readFileSync(OUTPUT, "utf8");
} catch {
  // missing: reported below as stale
}
if (current !== fresh) {
  const a = current.split("\n");
  const b = fresh.split("\n");
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  console.error(
    "builder/src/api/schema.d.ts is out of date with docs/openapi.json " +
      `(first difference at line ${line + 1}): run \`npm run api\` in builder-ui and commit the result`,
  );
  process.exit(1);
}
console.log("api types: builder/src/api/schema.d.ts matches docs/openapi.json");
