// The builder's API types, generated from the server's checked-in OpenAPI document
// (docs/openapi.json at the repository root) with openapi-typescript. Shared by
// scripts/api.mjs (writes the file) and scripts/check-api.mjs (fails when it is stale).
import openapiTS, { astToString } from "openapi-typescript";

export const SPEC = new URL("../../docs/openapi.json", import.meta.url);
export const OUTPUT = new URL("../builder/src/api/schema.d.ts", import.meta.url);

const HEADER = `// Generated from docs/openapi.json by \`npm run api\` (openapi-typescript): do not edit.
// \`npm test\` fails when this file no longer matches the document.

`;

export async function generate() {
  const ast = await openapiTS(SPEC, { silent: true });
  return HEADER + astToString(ast);
}
