/**
 * Vite build of the browser UI. Everything (plotly, gridstack, socket.io
 * client, zod via the protocol package) is bundled into `dist/`, because the
 * server runs offline and must never reach for a CDN.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const protocolSrc = fileURLToPath(new URL('../protocol/src/index.ts', import.meta.url));

export default defineConfig({
  // Relative asset URLs, so the same build works at `/` and under a prefix like `/cnnvis/`.
  base: './',
  resolve: {
    // Bundle the protocol's TypeScript source: the UI needs `applyUpdate` at run time,
    // and the package's `dist` (CommonJS) may not be built when vite runs.
    alias: { '@cnnvis/protocol': protocolSrc },
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
