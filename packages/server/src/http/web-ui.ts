/**
 * Serving the built web UI. Everything it needs (plotly.js included) is in
 * its dist folder, so the server works with no network.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

/** The built UI shipped with `@cnnvis/web`, if it can be found. */
export function findWebRoot(): string | undefined {
  try {
    return join(dirname(require.resolve('@cnnvis/web/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

const NOT_BUILT =
  'The cnnvis web UI is not built. Run `npm run build` in the cnnvis checkout, then restart.\n';

export function createWebUiRouter(webRoot: string | undefined): Router {
  const router = express.Router({ caseSensitive: true });
  if (webRoot === undefined || !existsSync(join(webRoot, 'index.html'))) {
    router.get('/', (_req, res) => {
      res.status(503).type('text/plain').send(NOT_BUILT);
    });
    return router;
  }
  // Hashed asset names never change content; index.html must always be fresh.
  router.use('/assets', express.static(join(webRoot, 'assets'), { immutable: true, maxAge: '1y' }));
  router.use(express.static(webRoot, { index: 'index.html', maxAge: 0 }));
  return router;
}
