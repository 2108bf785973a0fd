/**
 * Two servers joined by Redis (socket.io's Redis Streams adapter): a change
 * made on A reaches a browser on B live and in order; a browser whose
 * connection drops gets what it missed replayed; and when Redis goes away,
 * browsers resync once it is back, with nothing acknowledged lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WindowDelta } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { createServer, type CnnvisServer, type ServerOptions } from 'cnnvis-server';
import { SqliteStore } from '../../src/store/sqlite-store';
import { eventually } from '../../../../test/support/start-server';
import { liveBrowser, type LiveBrowser } from '../support/live-browser';
import { dropPrefix, SHARED_REDIS_URL, startPrivateRedis, uniquePrefix, type PrivateRedis } from '../support/redis';

const APPENDS = 1000;
const ENV = 'cluster';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers.length = 0;
});

/** A server on port 0 with a data dir of its own, on `store` when given (the servers share it then). */
async function start(opts: Partial<ServerOptions>, store?: SqliteStore): Promise<CnnvisServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-cluster-'));
  // The store's owner closes it: a server given it leaves it open.
  const shared = store && new Proxy(store, { get: (s, k) => (k === 'close' ? () => undefined : Reflect.get(s, k, s)) });
  const server = await createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir, ...opts }, shared);
  closers.push(() => rmSync(dataDir, { recursive: true, force: true }), () => server.close());
  return server;
}

/** A pair of servers on one Redis, under a prefix of this test's own. */
async function startPair(redisUrl: string, store?: SqliteStore): Promise<[CnnvisServer, CnnvisServer]> {
  const redisPrefix = uniquePrefix();
  closers.push(() => dropPrefix(redisUrl, redisPrefix).catch(() => undefined));
  return [await start({ redisUrl, redisPrefix }, store), await start({ redisUrl, redisPrefix }, store)];
}

/** A browser on `url` watching the test's env, closed after the test. */
function browser(url: string): LiveBrowser {
  const viewer = liveBrowser(url, ENV);
  closers.push(() => viewer.close());
  return viewer;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** An SDK on `url` and its window `loss` with the point x = 0. */
async function sdk(url: string): Promise<CnnVis> {
  const viz = new CnnVis({ url, env: ENV });
  closers.push(() => viz.disconnect());
  await viz.line({ x: [0], y: [0] }, { win: 'loss', name: 'train' });
  return viz;
}
const append = (viz: CnnVis, x: number) => viz.line({ x: [x], y: [x] }, { win: 'loss', update: 'append', name: 'train' });

test(`a socket.io client on B receives, live and in order, all ${APPENDS} appends an SDK sends to A`, async () => {
  const [a, b] = await startPair(SHARED_REDIS_URL);
  const viz = await sdk(a.url);
  const viewer = browser(b.url);
  const deltas: WindowDelta[] = [];
  viewer.socket.on('window:updated', (d) => deltas.push(d));
  await eventually(() => viewer.connects.length === 1);
  // B's own store never saw the window: every point B's browser holds came over Redis.
  // One at a time, so each is its own delta (pipelined, the SDK would batch them).
  for (const x of range(1, APPENDS)) await append(viz, x);
  await eventually(() => deltas.length >= APPENDS, 20_000);
  expect(deltas.map((d) => d.rev)).toEqual(range(2, APPENDS));
  expect(deltas.flatMap((d) => (d.op.type === 'append' ? d.op.traces.flatMap((t) => t.x) : []))).toEqual(range(1, APPENDS));
});

test('a browser whose connection drops gets the updates it missed replayed on reconnecting, without a resync', async () => {
  const [a, b] = await startPair(SHARED_REDIS_URL);
  const viewer = browser(b.url);
  await eventually(() => viewer.connects.length === 1);
  const viz = await sdk(a.url);
  await eventually(() => viewer.xs().length === 1);
  await append(viz, 1);
  await eventually(() => viewer.xs().length === 2);

  viewer.socket.io.engine.close(); // the network drops; socket.io reconnects by itself
  await Promise.all(range(2, 199).map((x) => append(viz, x)));
  await eventually(() => viewer.xs().length === 201, 10_000);
  expect(viewer.connects).toEqual([false, true]);
  expect(viewer.xs()).toEqual(range(0, 201));
  expect(viewer.resyncs).toEqual([]);
});

test("a browser whose server restarts cleanly gets what it missed replayed by the new process", async () => {
  const [a, b] = await startPair(SHARED_REDIS_URL);
  const viewer = browser(b.url);
  await eventually(() => viewer.connects.length === 1);
  const viz = await sdk(a.url);
  await eventually(() => viewer.xs().length === 1);

  await b.close(); // its sockets' sessions go to Redis
  for (const x of range(1, 20)) await append(viz, x);
  await start({ ...b.options, port: b.port });
  await eventually(() => viewer.xs().length === 21, 10_000);
  expect(viewer.connects).toEqual([false, true]);
  expect(viewer.xs()).toEqual(range(0, 21));
  expect(viewer.resyncs).toEqual([]);
});

describe('Redis stopped for 2 s', () => {
  let redis: PrivateRedis;
  beforeEach(async () => {
    redis = await startPrivateRedis();
    closers.push(() => redis.stop().catch(() => undefined));
  });

  test('browsers resync once it is back, and nothing acknowledged is lost', async () => {
    // One store behind both servers, as PostgreSQL would be: a resync's snapshot on B holds A's writes.
    const store = new SqliteStore(':memory:');
    closers.push(() => store.close());
    const [a, b] = await startPair(redis.url, store);
    const viz = await sdk(a.url);
    const viewer = browser(b.url);
    await eventually(() => viewer.xs().length === 1);

    const acked: number[] = [];
    let x = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await append(viz, ++x);
        acked.push(x);
      }
    })();
    await eventually(() => viewer.xs().length > 20);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    await eventually(() => viewer.resyncs.length > 0, 10_000);
    writing = false;
    await writer;

    const last = acked.at(-1) ?? 0;
    await eventually(() => viewer.xs().length === last + 1, 10_000).catch(() => undefined);
    expect(viewer.xs()).toEqual(range(0, last + 1));
    expect(viewer.resyncs[0]).toEqual({ env: ENV, reason: expect.stringMatching(/Redis/) });
    expect(acked).toEqual(range(1, last));
  });
});
