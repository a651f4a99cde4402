/**
 * Builds the dashboard page into dist/dashboard/, served by the API server under /ui/.
 * Everything is bundled (React, uPlot, yaml): the page loads nothing from any other origin,
 * and nothing inline, so the server's Content-Security-Policy can forbid both.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/ui/",
  publicDir: false,
  logLevel: "warn",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: fileURLToPath(new URL("../../../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // No data: URLs and no inline module-preload polyfill: the CSP allows neither scripts nor styles inline.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
