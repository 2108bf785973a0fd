/**
 * Server memory stays bounded whatever has been pushed over its lifetime: the
 * store is the source of truth and nothing per window is kept in memory.
 * A child server (built) takes 20,000 windows and thousands of appends; its
 * resident memory after the last three quarters is compared with after the first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { processMemoryMiB } from '../../../../test/support/process-memory';
import { spawnServer, storeArgs, type ServerProcess } from '../../../../test/support/spawn-server';

const WINDOWS = 20_000;
/** Points per window (~2.5 KB of JSON): 50 MB pushed in all. */
const POINTS = 200;
const ENVS = 4;
/** Growth allowed after the first quarter: V8's heap settling, SQLite's page cache (2 MB). */
const MAX_GROWTH_MIB = 40;

let dir: string;
let server: ServerProcess;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-memory-'));
  server = await spawnServer(['--port', '0', ...(await storeArgs(dir)), '--log-level', 'silent']);
});
afterEach(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

test('20,000 windows and their appends leave the server no bigger than the first 5,000 did', async () => {
  const viz = new CnnVis({ url: server.url, env: 'm0' });
  const pid = server.child.pid ?? 0;
  const x = Array.from({ length: POINTS }, (_, i) => i);
  const push = async (from: number, to: number) => {
    for (let start = from; start < to; start += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, to - start) }, async (_, k) => {
          const n = start + k;
          const opts = { win: `w${n}`, env: `m${n % ENVS}`, name: 'train' };
          await viz.line({ x, y: x.map((v) => Math.sin(v + n)) }, opts);
          await viz.line({ x: [POINTS], y: [n] }, { ...opts, update: 'append' });
        }),
      );
    }
  };
  try {
    const start = processMemoryMiB(pid);
    await push(0, WINDOWS / 4);
    const quarter = processMemoryMiB(pid);
    await push(WINDOWS / 4, WINDOWS);
    const end = processMemoryMiB(pid);
    const envs = (await (await fetch(`${server.url}/api/envs`)).json()) as Array<{ id: string; windows: number }>;
    console.log(
      `server RSS: start ${start.rss.toFixed(1)} MiB, after ${WINDOWS / 4} windows ${quarter.rss.toFixed(1)}, after ${WINDOWS} ${end.rss.toFixed(1)} (peak ${end.peak.toFixed(1)}); ` +
        `${((WINDOWS * POINTS * 12) / 1024 ** 2).toFixed(0)} MB of points pushed; envs ${envs.map((e) => `${e.id}:${e.windows}`).join(' ')}`,
    );
    expect(envs.reduce((sum, e) => sum + e.windows, 0)).toBe(WINDOWS);
    expect(end.rss - quarter.rss).toBeLessThan(MAX_GROWTH_MIB);
  } finally {
    await viz.disconnect();
  }
}, 240_000);
