/**
 * Vite build of the browser UI. Everything (plotly, gridstack, socket.io
 * client, the protocol's zod-free values) is bundled into `dist/`, because the
 * server runs offline and must never reach for a CDN.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const plainSrc = fileURLToPath(new URL('../protocol/src/plain.ts', import.meta.url));

export default defineConfig({
  // Relative asset URLs, so the same build works at `/` and under a prefix like `/cnnvis/`.
  base: './',
  resolve: {
    // The UI takes only types from `@cnnvis/protocol` (erased at build) and its run-time
    // values (`applyUpdate`, ...) from the zod-free `/plain` entry, bundled from source: the
    // package's `dist` (CommonJS) may not be built when vite runs. The main entry is left
    // unaliased on purpose: nothing at run time should come from it (test/zod-free.test.ts).
    alias: [{ find: /^@cnnvis\/protocol\/plain$/, replacement: plainSrc }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // plotly.js is one ~4.6 MB file; it is loaded lazily in its own chunk, so the warning is noise.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    // `npm run dev -w @cnnvis/web` with a cnnvis-server on 8097: proxy the API and socket.io.
    proxy: {
      '/api': 'http://127.0.0.1:8097',
      '/socket.io': { target: 'ws://127.0.0.1:8097', ws: true },
    },
  },
});
