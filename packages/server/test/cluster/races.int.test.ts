/**
 * Two servers on one PostgreSQL database and one Redis, doing at once what
 * one server does in turn: a browser on B that subscribes while A streams
 * appends misses none of them; the same window created on both at once is
 * one window, and an append that creates it keeps both servers' points; new
 * windows made on both get places of their own in the grid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import type { Window } from '@cnnvis/protocol';
import { createServer, type CnnvisServer } from 'cnnvis-server';
import { createTestSchema } from '../../../../test/support/pg-schema';
import { eventually } from '../../../../test/support/start-server';
import { liveBrowser, type LiveBrowser } from '../support/live-browser';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from '../support/redis';

const ENV = 'races';
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers.length = 0;
});

/** Servers A and B on a fresh schema, one data dir and one Redis prefix. */
async function startPair(): Promise<[CnnvisServer, CnnvisServer]> {
  const schema = await createTestSchema();
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-races-'));
  const redisPrefix = uniquePrefix();
  closers.push(
    () => schema.drop(),
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => dropPrefix(SHARED_REDIS_URL, redisPrefix).catch(() => undefined),
  );
  const opts = { port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir, databaseUrl: schema.url, redisUrl: SHARED_REDIS_URL, redisPrefix } as const;
  const pair = [await createServer(opts), await createServer(opts)] as [CnnvisServer, CnnvisServer];
  closers.push(...pair.map((s) => () => s.close()));
  return pair;
}

function sdk(url: string): CnnVis {
  const viz = new CnnVis({ url, env: ENV });
  closers.push(() => viz.disconnect());
  return viz;
}

async function windows(url: string): Promise<Window[]> {
  return (await fetch(`${url}/api/envs/${ENV}/windows`)).json() as Promise<Window[]>;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

test('browsers on B that subscribe while A streams appends end with every one of them', async () => {
  const [a, b] = await startPair();
  const viz = sdk(a.url);
  await viz.line({ x: [0], y: [0] }, { win: 'loss', name: 'train' });
  const APPENDS = 300;
  const viewers: LiveBrowser[] = [];
  // One at a time, so each append is a delta of its own (pipelined, the SDK would batch them).
  // Every 20th, a browser arrives: an append landing between its snapshot's read and its joining
  // the env's room would be in neither.
  for (const x of range(1, APPENDS)) {
    if (x % 20 === 0) {
      const viewer = liveBrowser(b.url, ENV);
      closers.push(() => viewer.close());
      viewers.push(viewer);
    }
    await viz.line({ x: [x], y: [x] }, { win: 'loss', name: 'train', update: 'append' });
  }
  for (const viewer of viewers) {
    await eventually(() => viewer.xs().length === APPENDS + 1, 10_000).catch(() => undefined);
    expect(viewer.xs()).toEqual(range(0, APPENDS + 1));
  }
});

test('the same window created on A and B at once is one window; an append creating it keeps both points', async () => {
  const [a, b] = await startPair();
  const onA = sdk(a.url);
  const onB = sdk(b.url);
  for (let i = 0; i < 10; i++) {
    await Promise.all([onA.text(`from A ${i}`, { win: `t${i}` }), onB.text(`from B ${i}`, { win: `t${i}` })]);
    await Promise.all([
      onA.line({ x: [0], y: [0] }, { win: `p${i}`, name: 'train', update: 'append' }),
      onB.line({ x: [1], y: [1] }, { win: `p${i}`, name: 'train', update: 'append' }),
    ]);
  }
  const wins = await windows(b.url);
  expect(wins.map((w) => w.id).sort()).toEqual(range(0, 10).flatMap((i) => [`p${i}`, `t${i}`]).sort());
  for (const w of wins) {
    if (w.content.kind === 'text') expect(w.content.text).toMatch(/^from [AB] \d$/);
    else expect(w.content.kind === 'plot' && [...(w.content.traces[0]?.x as number[])].sort()).toEqual([0, 1]);
  }
});

test('new windows made on A and B at once each get a place of their own', async () => {
  const [a, b] = await startPair();
  const onA = sdk(a.url);
  const onB = sdk(b.url);
  await Promise.all(range(0, 20).flatMap((i) => [onA.text('a', { win: `a${i}` }), onB.text('b', { win: `b${i}` })]));
  const positions = (await windows(a.url)).map((w) => w.position);
  expect(positions).toHaveLength(40);
  expect(new Set(positions).size).toBe(40);
});
