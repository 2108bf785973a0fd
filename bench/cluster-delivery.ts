/**
 * The cross-server delivery row of `npm run bench` (issue 23): how long an SDK
 * append takes to reach a browser, from the call to the browser's receipt,
 * when the browser is on another server joined by Redis (`--redis-url`,
 * socket.io's Redis Streams adapter), beside the same on one server without
 * Redis and on one server with it. Appends go one at a time, each waiting for
 * its delivery, so no figure carries a queue. Each server has its own store:
 * the browser on B hears A's changes only through Redis.
 * Needs Redis on 127.0.0.1:6379 (`CNNVIS_BENCH_REDIS_URL` for another).
 * Alone: `node --import tsx bench/cluster-delivery.ts` (after `npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { CnnVis } from '@cnnvis/client';
import type { ClientToServerEvents, ServerToClientEvents } from '@cnnvis/protocol';
import { startCnnvis, type Child } from './processes';
import { fmt, median, table } from './stats';

const REDIS_URL = process.env['CNNVIS_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** Appends per run; p99 of 500 is its 5th largest. */
const SAMPLES = 500;
const ENV = 'bench-cluster';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** One setup: an SDK on `writer`'s server, a browser on `reader`'s; latencies of SAMPLES appends (ms). */
async function measure(writer: Child, reader: Child, win: string): Promise<number[]> {
  const viz = new CnnVis({ url: writer.url, env: ENV });
  const browser: Socket<ServerToClientEvents, ClientToServerEvents> = io(reader.url, { transports: ['websocket'], forceNew: true });
  try {
    await new Promise<void>((resolve) => browser.once('connect', () => resolve()));
    await browser.timeout(10_000).emitWithAck('env:subscribe', { env: ENV });
    await viz.line({ x: [0], y: [0] }, { win, name: 'train' });
    const latencies: number[] = [];
    for (let i = 1; i <= SAMPLES; i++) {
      const arrived = new Promise<void>((resolve) => {
        const on = (d: { win: string }) => {
          if (d.win !== win) return;
          browser.off('window:updated', on);
          resolve();
        };
        browser.on('window:updated', on);
      });
      const t0 = performance.now();
      await viz.line({ x: [i], y: [i] }, { win, update: 'append', name: 'train' });
      await arrived;
      latencies.push(performance.now() - t0);
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    browser.close();
    await viz.disconnect();
  }
}

export async function clusterDeliveryBench(runs: number): Promise<string> {
  const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'cnnvis-bench-cluster-')));
  const redis = ['--redis-url', REDIS_URL];
  const started = await Promise.allSettled([startCnnvis(dirs[0] ?? ''), startCnnvis(dirs[1] ?? '', [], redis), startCnnvis(dirs[2] ?? '', [], redis)]);
  const [alone, a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  if (alone === undefined || a === undefined || b === undefined) {
    await Promise.all([alone, a, b].map((s) => s?.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    return `cnnvis across servers: n/a, no Redis at ${REDIS_URL} (start one: redis-server --daemonize yes)\n`;
  }
  const setups = [
    ['one server, no Redis: SDK append → browser on it', alone, alone],
    ['one server on Redis: SDK append → browser on it', a, a],
    ['two servers on Redis: SDK append on A → browser on B', a, b],
  ] as const;
  try {
    const p50s = setups.map(() => [] as number[]);
    const p99s = setups.map(() => [] as number[]);
    // Setups take turns, run by run, after one unmeasured warm-up turn: a noisy spell favours none.
    for (let r = -1; r < runs; r++) {
      for (const [i, [, writer, reader]] of setups.entries()) {
        const sorted = await measure(writer, reader, `w${r + 1}-${i}`);
        if (r < 0) continue;
        p50s[i]?.push(quantile(sorted, 0.5));
        p99s[i]?.push(quantile(sorted, 0.99));
      }
    }
    const rows = setups.map(([label], i) => [label, fmt(median(p50s[i] ?? []), 2), fmt(median(p99s[i] ?? []), 2)]);
    const header = ['delivery latency (ms)', 'p50', 'p99'];
    return `cnnvis across servers (${SAMPLES} appends one at a time per run; medians of ${runs} runs' p50 and p99; 2-core VM: bench, servers and Redis share it)\n\n${table(header, rows)}\n`;
  } finally {
    await Promise.all([alone, a, b].map((s) => s.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  clusterDeliveryBench(Number(process.env['BENCH_RUNS'] ?? 5))
    .then((text) => process.stdout.write(`\n${text}`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
