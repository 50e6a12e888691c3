// Unit tests of the widget's pure parts on Node's own test runner: esbuild strips the types
// into a temporary directory, then `node --test` runs the result.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = "widget/test";
const entries = readdirSync(dir).filter((f) => f.endsWith(".test.ts")).map((f) => join(dir, f));
const out = mkdtempSync(join(tmpdir(), "rozmova-widget-test-"));
try {
  await build({ entryPoints: entries, outdir: out, bundle: true, format: "esm", platform: "node",
                target: "node20", outExtension: { ".js": ".mjs" }, logLevel: "warning" });
  const files = readdirSync(out).map((f) => join(out, f));
  const run = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
