// Builds the widget into one self-contained file, dist/widget.js, served by chat.web.
import { build } from "esbuild";

await build({
  entryPoints: ["widget/src/main.ts"],
  outfile: "dist/widget.js",
  bundle: true,
  format: "iife",
  target: "es2019",
  minify: true,
  legalComments: "none",
  sourcemap: false,
  logLevel: "info",
});
