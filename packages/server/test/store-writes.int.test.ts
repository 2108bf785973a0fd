/**
 * Writes as the store commits them: alone, or grouped with the rest of their
 * event-loop turn, plain appends gathered in memory until the commit. Whatever
 * the interleaving with other changes and reads, a window reads back exactly
 * as the pure `applyUpdate` says (and an image pane as its last replacement);
 * acknowledged writes survive SIGKILL.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turnEnd } from 'node:timers/promises';
import { CnnVis } from '@cnnvis/client';
import { applyUpdate, type PlotContent, type Trace, type UpdateOp } from '@cnnvis/protocol';
import { spawnServer } from '../../../test/support/spawn-server';
import { SqliteStore } from '../src/store/sqlite-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-writes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const pointsOf = (store: SqliteStore, env: string, win: string) =>
  (store.getWindow(env, win)?.content as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y }));
const line = (store: SqliteStore, win: string, traces: Trace[]) =>
  store.createWindow({ env: 'e', win, opts: {}, content: { kind: 'plot', traces } });

/** A tiny deterministic generator, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test.each([1, 2, 3, 4, 5])('any mix of appends, other updates and reads, alone or grouped, matches applyUpdate (seed %i)', async (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const store = new SqliteStore(dir);
  const wins = ['a', 'b'];
  const model = new Map<string, PlotContent>();
  for (const win of wins) {
    const content: PlotContent = { kind: 'plot', traces: [{ name: 't0', type: 'scatter', x: [0], y: [0] }] };
    model.set(win, structuredClone(content));
    store.createWindow({ env: 'e', win, opts: {}, content });
  }
  let n = 1;
  // Runs of steps share one transaction, as a turn's frames do; the rest commit one by one.
  let grouped = 0;
  for (let step = 0; step < 400; step++) {
    if (grouped === 0 && random() < 0.1) {
      await turnEnd();
      grouped = 1 + Math.floor(random() * 30);
    }
    const win = pick(wins);
    const roll = random();
    const names = (model.get(win) as PlotContent).traces.map((t) => t.name);
    let op: UpdateOp;
    if (roll < 0.7) {
      // Mostly the batched kind; sometimes a new trace, an index, or two parts.
      const name = random() < 0.1 ? `t${Math.floor(random() * 4)}` : pick(names.length > 0 ? names : ['t0']);
      const traces: Array<{ name?: string; index?: number; x: number[]; y: number[] }> = [{ name, x: [n], y: [n * 2] }];
      if (random() < 0.2 && names.length > 0) traces.push({ index: 0, x: [n, n + 0.5], y: [1, 2] });
      op = { type: 'append', traces };
    } else if (roll < 0.8) {
      op = { type: 'replace', traces: [{ name: pick(names.length > 0 ? names : ['t0']), x: [n], y: [-n] }] };
    } else if (roll < 0.85 && names.length > 1) {
      op = { type: 'remove', name: pick(names) };
    } else if (roll < 0.9) {
      // Replaced whole, between appends to the other window: only this window's view may go.
      const content: PlotContent = { kind: 'plot', traces: [{ name: 't0', type: 'scatter', x: [n], y: [n] }] };
      n++;
      model.set(win, structuredClone(content));
      if (grouped > 0) {
        grouped--;
        void store.grouped(() => store.createWindow({ env: 'e', win, opts: {}, content }));
      } else {
        store.createWindow({ env: 'e', win, opts: {}, content });
      }
      continue;
    } else {
      expect(pointsOf(store, 'e', win)).toEqual((model.get(win) as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y })));
      continue;
    }
    n++;
    if (grouped > 0) {
      grouped--;
      void store.grouped(() => store.updateWindow('e', win, op));
    } else {
      store.updateWindow('e', win, op);
    }
    model.set(win, applyUpdate(model.get(win) as PlotContent, op) as PlotContent);
  }
  store.close();
  const reopened = new SqliteStore(dir);
  for (const win of wins) {
    expect(pointsOf(reopened, 'e', win)).toEqual((model.get(win) as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y })));
  }
  reopened.close();
});

test('revs run on through gathered appends: each append is one rev, and the stored rev is the last one', async () => {
  const store = new SqliteStore(dir);
  const first = line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }]).rev;
  const revs = await Promise.all(
    Array.from({ length: 5 }, (_, i) => store.grouped(() => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i + 1], y: [i] }] }).rev)),
  );
  expect(revs).toEqual([first + 1, first + 2, first + 3, first + 4, first + 5]);
  expect(store.getWindow('e', 'l')?.rev).toBe(first + 5);
  store.close();
});

test('the points limit counts gathered appends before SQLite has them, and holds across a restart', async () => {
  const store = new SqliteStore(dir, { maxPointsPerTrace: 5 });
  line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }]);
  const append = (i: number) => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i], y: [i] }] });
  const acks = [1, 2, 3].map((i) => store.grouped(() => append(i)));
  expect(() => store.grouped(() => append(4) && append(5) && append(6))).toThrow(/holds 5 points/);
  await Promise.all(acks);
  expect(pointsOf(store, 'e', 'l')[0]?.x).toEqual([0, 1, 2, 3, 4]);
  store.close();
  const reopened = new SqliteStore(dir, { maxPointsPerTrace: 5 });
  expect(() => reopened.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [5], y: [5] }] })).toThrow(/holds 5 points/);
  reopened.close();
});

test('a grouped write answers once its turn commits; a write outside commits at once and takes the turn with it', async () => {
  const store = new SqliteStore(dir);
  line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }]);
  const append = (i: number) => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i], y: [i] }] });
  const read = store.grouped(() => store.getWindow('e', 'l')?.rev);
  expect(typeof read).toBe('number'); // nothing written: answered at once
  const ack = store.grouped(() => append(1));
  expect(ack).toBeInstanceOf(Promise);
  let answered = false;
  void (ack as Promise<unknown>).then(() => (answered = true));
  const microtasks = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  await microtasks();
  expect(answered).toBe(false); // the turn has not ended
  append(2); // outside: commits both
  await microtasks();
  expect(answered).toBe(true);
  store.close();
  const reopened = new SqliteStore(dir);
  expect(pointsOf(reopened, 'e', 'l')[0]?.x).toEqual([0, 1, 2]);
  reopened.close();
});

test("an append moves its window's rev and its env's time, as reads and the next open see them", async () => {
  const store = new SqliteStore(dir);
  line(store, 'l', [{ name: 't', type: 'scatter', x: [0], y: [0] }]);
  store.createEnv('other');
  const before = store.listEnvs().find((e) => e.id === 'e')?.updatedAt ?? 0;
  await new Promise((resolve) => setTimeout(resolve, 5));
  await store.grouped(() => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 't', x: [1], y: [1] }] }));
  expect(store.getEnv('e')?.updatedAt).toBeGreaterThan(before);
  expect(store.getWindow('e', 'l')?.rev).toBe(2);
  await store.grouped(() => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 't', x: [2], y: [2] }] }));
  store.close();
  const reopened = new SqliteStore(dir);
  expect(reopened.getWindow('e', 'l')?.rev).toBe(3);
  expect(pointsOf(reopened, 'e', 'l')[0]?.x).toEqual([0, 1, 2]);
  reopened.close();
});

test('acknowledged appends survive SIGKILL, awaited or pipelined', async () => {
  const server = await spawnServer(['--port', '0', '--data-dir', dir]);
  const viz = new CnnVis({ url: server.url, env: 'e' });
  await viz.line({ x: [0], y: [0] }, { win: 'loss', name: 'train' });
  for (let i = 1; i <= 50; i++) await viz.line({ x: [i], y: [i * i] }, { win: 'loss', update: 'append', name: 'train' });
  await Promise.all(Array.from({ length: 500 }, (_, k) => viz.line({ x: [51 + k], y: [(51 + k) ** 2] }, { win: 'loss', update: 'append', name: 'train' })));
  server.child.kill('SIGKILL');
  await server.exited;
  await viz.disconnect();

  const expected = [{ name: 'train', x: Array.from({ length: 551 }, (_, i) => i), y: Array.from({ length: 551 }, (_, i) => i * i) }];
  // The trace's point count is rebuilt from the points stored: one more fits under a limit of 552, two do not.
  const store = new SqliteStore(dir, { maxPointsPerTrace: 552 });
  expect(pointsOf(store, 'e', 'loss')).toEqual(expected);
  // 50 awaited appends, then the 500 pipelined ones as the SDK's one batch.
  expect(store.getWindow('e', 'loss')?.rev).toBe(52);
  store.updateWindow('e', 'loss', { type: 'append', traces: [{ name: 'train', x: [551], y: [0] }] });
  expect(() => store.updateWindow('e', 'loss', { type: 'append', traces: [{ name: 'train', x: [552], y: [0] }] })).toThrow(/552/);
  expect(pointsOf(store, 'e', 'loss')[0]?.x).toHaveLength(552);
  expect(store.getWindow('e', 'loss')?.rev).toBe(53);
  store.close();
});

function noise(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 97) % 251);
}
const putImage = (store: SqliteStore, win: string, data: Uint8Array, caption = '') =>
  store.createWindow({
    env: 'e',
    win,
    opts: { title: caption },
    content: { kind: 'image', images: [{ encoding: 'raw', width: data.length / 10, height: 10, channels: 1, data, caption }], nrow: 1, padding: 0 },
  });
const bytesOf = (store: SqliteStore, win: string) => Buffer.from(store.getImage('e', win, 0)?.data ?? []);

test('a replaced image pane reads back as its last replacement, where it was, with what the put returned', () => {
  const store = new SqliteStore(dir);
  line(store, 'before', [{ name: 't', type: 'scatter', x: [0], y: [0] }]);
  const first = putImage(store, 'img', noise(1_000, 0), 'step 0');
  store.saveLayout('e', [{ win: 'img', x: 1, y: 2, w: 3, h: 4 }]);
  let last = first;
  for (let i = 1; i <= 30; i++) last = putImage(store, 'img', noise(1_000, i), `step ${i}`);
  expect(last.rev).toBe(first.rev + 30);
  expect(store.getWindow('e', 'img')).toEqual({ ...last, updatedAt: expect.any(Number) });
  expect(last).toMatchObject({ position: 1, layout: { x: 1, y: 2, w: 3, h: 4 }, opts: { title: 'step 30' } });
  expect(bytesOf(store, 'img').equals(Buffer.from(noise(1_000, 30)))).toBe(true);
  // A pane that was a plot becomes an image, and stays one.
  putImage(store, 'before', noise(1_000, 99));
  putImage(store, 'before', noise(1_000, 98));
  expect(store.getWindow('e', 'before')?.kind).toBe('image');
  expect(bytesOf(store, 'before').equals(Buffer.from(noise(1_000, 98)))).toBe(true);
  store.close();
});

test('a long run of replaced panes keeps the blob log bounded', () => {
  const store = new SqliteStore(dir, {}, { imageSegmentBytes: 64 * 1024 });
  putImage(store, 'img', noise(10_000, 0));
  for (let i = 1; i < 300; i++) {
    putImage(store, 'img', noise(10_000, i));
    if (i % 50 === 0) expect(store.getWindow('e', 'img')?.rev).toBe(i + 1);
  }
  expect(bytesOf(store, 'img').equals(Buffer.from(noise(10_000, 299)))).toBe(true);
  const segments = readdirSync(join(dir, 'images')).filter((n) => n.endsWith('.blobs'));
  expect(segments.length).toBeLessThanOrEqual(2);
  store.close();
});

test.each([
  ['small', 16],
  ['bigger', 64],
])('acknowledged image panes survive SIGKILL (%s)', async (_label, side) => {
  const server = await spawnServer(['--port', '0', '--data-dir', dir]);
  const viz = new CnnVis({ url: server.url, env: 'e' });
  const frames = Array.from({ length: 12 }, (_, i) => noise(3 * side * side, i));
  for (const data of frames) await viz.image({ data, shape: [3, side, side] }, { win: 'img', caption: 'x' });
  server.child.kill('SIGKILL');
  await server.exited;
  await viz.disconnect();
  const store = new SqliteStore(dir);
  expect(store.getWindow('e', 'img')?.rev).toBe(12);
  expect(bytesOf(store, 'img').equals(Buffer.from(frames[11] as Uint8Array))).toBe(true);
  store.close();
});
