// Regenerates builder/src/api/schema.d.ts from docs/openapi.json.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generate, OUTPUT } from "./api-types.mjs";

writeFileSync(OUTPUT, await generate());
console.log(`wrote ${fileURLToPath(OUTPUT)}`);
