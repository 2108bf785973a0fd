#!/usr/bin/env node
'use strict';
// Entry point of `npx cnnvis-worker` (built by `npm run build`, as cnnvis-server is).
require('../dist/queue/worker-cli.js')
  .main(process.argv.slice(2))
  .catch((err) => {
    process.stderr.write(`cnnvis-worker: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
