// The scenario builder (builder/, React + TypeScript) is built by Vite into dist/builder/,
// served by the platform at /builder/. The widget keeps its own esbuild build
// (scripts/build.mjs). `npm run dev` serves the builder with the API proxied to a local run.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

declare const process: { env: Record<string, string | undefined> }; // no @types/node here

const server = process.env.ROZMOVA_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  root: "builder",
  base: "/builder/",
  plugins: [react()],
  build: {
    outDir: "../dist/builder",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { "/api": server, "/ws": { target: server, ws: true } },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
