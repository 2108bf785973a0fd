#!/usr/bin/env node
'use strict';
// Entry point of `npx cnnvis-server`. In a fresh checkout the TypeScript may not
// be compiled yet (an install with --ignore-scripts, say): build it once, then run.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const cli = join(__dirname, '..', 'dist', 'cli.js');
const repoRoot = join(__dirname, '..', '..', '..');
const webIndex = join(repoRoot, 'packages', 'web', 'dist', 'index.html');
const infoOnly = process.argv.slice(2).some((a) => /^(-h|--help|-v|--version)$/.test(a));
// Tests set CNNVIS_NO_AUTO_BUILD: they run what `npm test` built, and must not rebuild under each other.
const autoBuild = !process.env.CNNVIS_NO_AUTO_BUILD;
if (autoBuild && (!existsSync(cli) || (!infoOnly && !existsSync(webIndex))) && existsSync(join(repoRoot, 'tsconfig.json'))) {
  process.stderr.write('cnnvis-server: building (first run)...\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('cnnvis-server: the build failed; see the output above\n');
    process.exit(1);
  }
}
require(cli)
  .main(process.argv.slice(2))
  .catch((err) => {
    process.stderr.write(`cnnvis-server: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
