/**
 * Writes as the store commits them: awaited one by one, or together with the
 * rest of their event-loop turn, plain appends gathered in memory until the commit. Whatever
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
import { TEST_STORES, type AnyStore, type TestStoreData } from './support/test-stores';

const pointsOf = async (store: AnyStore, env: string, win: string) =>
  ((await store.getWindow(env, win))?.content as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y }));
const line = (store: AnyStore, win: string, traces: Trace[]) =>
  store.createWindow({ env: 'e', win, opts: {}, content: { kind: 'plot', traces } });

function noise(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 97) % 251);
}
const putImage = (store: AnyStore, win: string, data: Uint8Array, caption = '') =>
  store.createWindow({
    env: 'e',
    win,
    opts: { title: caption },
    content: { kind: 'image', images: [{ encoding: 'raw', width: data.length / 10, height: 10, channels: 1, data, caption }], nrow: 1, padding: 0 },
  });
const bytesOf = async (store: AnyStore, win: string) => Buffer.from((await store.getImage('e', win, 0))?.data ?? []);

/** A tiny deterministic generator, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe.each(TEST_STORES.map((k) => [k.name, k] as const))('%s store', (_name, kind) => {
  let data: TestStoreData;
  beforeEach(async () => {
    data = await kind.create();
  });
  afterEach(() => data.dispose());

  test.each([1, 2, 3, 4, 5])('any mix of appends, other updates and reads, alone or grouped, matches applyUpdate (seed %i)', async (seed) => {
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const store = await data.open();
    const wins = ['a', 'b'];
    const model = new Map<string, PlotContent>();
    for (const win of wins) {
      const content: PlotContent = { kind: 'plot', traces: [{ name: 't0', type: 'scatter', x: [0], y: [0] }] };
      model.set(win, structuredClone(content));
      await store.createWindow({ env: 'e', win, opts: {}, content });
    }
    let n = 1;
    // Runs of steps share one transaction, as a turn's frames do; the rest commit one by one.
    let grouped = 0;
    // PostgreSQL's reads see what is committed (SQLite's, the open transaction too): there a read waits for the writes before it.
    const pending: Array<Promise<unknown>> = [];
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
        const put = store.createWindow({ env: 'e', win, opts: {}, content });
        pending.push(put);
        if (grouped > 0) grouped--;
        else await put;
        continue;
      } else {
        if (kind.name === 'postgres') await Promise.all(pending.splice(0));
        expect(await pointsOf(store, 'e', win)).toEqual((model.get(win) as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y })));
        continue;
      }
      n++;
      const applied = store.updateWindow('e', win, op);
      pending.push(applied);
      if (grouped > 0) grouped--;
      else await applied;
      model.set(win, applyUpdate(model.get(win) as PlotContent, op) as PlotContent);
    }
    await store.close();
    const reopened = await data.open();
    for (const win of wins) {
      expect(await pointsOf(reopened, 'e', win)).toEqual((model.get(win) as PlotContent).traces.map((t) => ({ name: t.name, x: t.x, y: t.y })));
    }
    await reopened.close();
  });

  test('revs run on through gathered appends: each append is one rev, and the stored rev is the last one', async () => {
    const store = await data.open();
    const first = (await line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }])).rev;
    const applied = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i + 1], y: [i] }] })),
    );
    const revs = applied.map((a) => a?.rev);
    expect(revs).toEqual([first + 1, first + 2, first + 3, first + 4, first + 5]);
    expect((await store.getWindow('e', 'l'))?.rev).toBe(first + 5);
    await store.close();
  });

  test('the points limit counts gathered appends before SQLite has them, and holds across a restart', async () => {
    const store = await data.open({ maxPointsPerTrace: 5 });
    await line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }]);
    const append = (i: number) => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i], y: [i] }] });
    const acks = [1, 2, 3, 4].map((i) => append(i));
    await expect(append(5)).rejects.toThrow(/holds 5 points/);
    await Promise.all(acks);
    expect((await pointsOf(store, 'e', 'l'))[0]?.x).toEqual([0, 1, 2, 3, 4]);
    await store.close();
    const reopened = await data.open({ maxPointsPerTrace: 5 });
    await expect(reopened.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [5], y: [5] }] })).rejects.toThrow(/holds 5 points/);
    await reopened.close();
  });

  test('a write answers once its turn commits, and what was acknowledged is there on the next open', async () => {
    const store = await data.open();
    await line(store, 'l', [{ name: 'train', type: 'scatter', x: [0], y: [0] }]);
    const append = (i: number) => store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 'train', x: [i], y: [i] }] });
    let answered = false;
    const ack = append(1).then(() => (answered = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(answered).toBe(false); // the turn has not ended
    // SQLite: a read in the same turn sees the write already (one connection).
    if (kind.name === 'sqlite') expect((await store.getWindow('e', 'l'))?.rev).toBe(2);
    await ack;
    await append(2);
    await store.close();
    const reopened = await data.open();
    expect(await pointsOf(reopened, 'e', 'l')).toEqual([{ name: 'train', x: [0, 1, 2], y: [0, 1, 2] }]);
    await reopened.close();
  });

  test("an append moves its window's rev and its env's time, as reads and the next open see them", async () => {
    const store = await data.open();
    await line(store, 'l', [{ name: 't', type: 'scatter', x: [0], y: [0] }]);
    await store.createEnv('other');
    const before = (await store.listEnvs()).find((e) => e.id === 'e')?.updatedAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 't', x: [1], y: [1] }] });
    expect((await store.getEnv('e'))?.updatedAt).toBeGreaterThan(before);
    expect((await store.getWindow('e', 'l'))?.rev).toBe(2);
    await store.updateWindow('e', 'l', { type: 'append', traces: [{ name: 't', x: [2], y: [2] }] });
    await store.close();
    const reopened = await data.open();
    expect((await reopened.getWindow('e', 'l'))?.rev).toBe(3);
    expect((await pointsOf(reopened, 'e', 'l'))[0]?.x).toEqual([0, 1, 2]);
    await reopened.close();
  });

  test('acknowledged appends survive SIGKILL, awaited or pipelined', async () => {
    const server = await spawnServer(['--port', '0', ...data.serverArgs]);
    const viz = new CnnVis({ url: server.url, env: 'e' });
    await viz.line({ x: [0], y: [0] }, { win: 'loss', name: 'train' });
    for (let i = 1; i <= 50; i++) await viz.line({ x: [i], y: [i * i] }, { win: 'loss', update: 'append', name: 'train' });
    await Promise.all(Array.from({ length: 500 }, (_, k) => viz.line({ x: [51 + k], y: [(51 + k) ** 2] }, { win: 'loss', update: 'append', name: 'train' })));
    server.child.kill('SIGKILL');
    await server.exited;
    await viz.disconnect();

    const expected = [{ name: 'train', x: Array.from({ length: 551 }, (_, i) => i), y: Array.from({ length: 551 }, (_, i) => i * i) }];
    // The trace's point count is rebuilt from the points stored: one more fits under a limit of 552, two do not.
    const store = await data.open({ maxPointsPerTrace: 552 });
    expect(await pointsOf(store, 'e', 'loss')).toEqual(expected);
    // 50 awaited appends, then the 500 pipelined ones as the SDK's one batch.
    expect((await store.getWindow('e', 'loss'))?.rev).toBe(52);
    await store.updateWindow('e', 'loss', { type: 'append', traces: [{ name: 'train', x: [551], y: [0] }] });
    await expect(store.updateWindow('e', 'loss', { type: 'append', traces: [{ name: 'train', x: [552], y: [0] }] })).rejects.toThrow(/552/);
    expect((await pointsOf(store, 'e', 'loss'))[0]?.x).toHaveLength(552);
    expect((await store.getWindow('e', 'loss'))?.rev).toBe(53);
    await store.close();
  });


  test('a replaced image pane reads back as its last replacement, where it was, with what the put returned', async () => {
    const store = await data.open();
    await line(store, 'before', [{ name: 't', type: 'scatter', x: [0], y: [0] }]);
    const first = await putImage(store, 'img', noise(1_000, 0), 'step 0');
    await store.saveLayout('e', [{ win: 'img', x: 1, y: 2, w: 3, h: 4 }]);
    let last = first;
    for (let i = 1; i <= 30; i++) last = await putImage(store, 'img', noise(1_000, i), `step ${i}`);
    expect(last.rev).toBe(first.rev + 30);
    expect(await store.getWindow('e', 'img')).toEqual({ ...last, updatedAt: expect.any(Number) });
    expect(last).toMatchObject({ position: 1, layout: { x: 1, y: 2, w: 3, h: 4 }, opts: { title: 'step 30' } });
    expect((await bytesOf(store, 'img')).equals(Buffer.from(noise(1_000, 30)))).toBe(true);
    // A pane that was a plot becomes an image, and stays one.
    await putImage(store, 'before', noise(1_000, 99));
    await putImage(store, 'before', noise(1_000, 98));
    expect((await store.getWindow('e', 'before'))?.kind).toBe('image');
    expect((await bytesOf(store, 'before')).equals(Buffer.from(noise(1_000, 98)))).toBe(true);
    await store.close();
  });


  test.each([
    ['small', 16],
    ['bigger', 64],
  ])('acknowledged image panes survive SIGKILL (%s)', async (_label, side) => {
    const server = await spawnServer(['--port', '0', ...data.serverArgs]);
    const viz = new CnnVis({ url: server.url, env: 'e' });
    const frames = Array.from({ length: 12 }, (_, i) => noise(3 * side * side, i));
    for (const frame of frames) await viz.image({ data: frame, shape: [3, side, side] }, { win: 'img', caption: 'x' });
    server.child.kill('SIGKILL');
    await server.exited;
    await viz.disconnect();
    const store = await data.open();
    expect((await store.getWindow('e', 'img'))?.rev).toBe(12);
    expect((await bytesOf(store, 'img')).equals(Buffer.from(frames[11] as Uint8Array))).toBe(true);
    await store.close();
  });
});

test('a long run of replaced panes keeps the SQLite blob log bounded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnnvis-writes-'));
  try {
    const store = new SqliteStore(dir, {}, { imageSegmentBytes: 64 * 1024 });
    await putImage(store, 'img', noise(10_000, 0));
    for (let i = 1; i < 300; i++) {
      await putImage(store, 'img', noise(10_000, i));
      if (i % 50 === 0) expect((await store.getWindow('e', 'img'))?.rev).toBe(i + 1);
    }
    expect((await bytesOf(store, 'img')).equals(Buffer.from(noise(10_000, 299)))).toBe(true);
    const segments = readdirSync(join(dir, 'images')).filter((n) => n.endsWith('.blobs'));
    expect(segments.length).toBeLessThanOrEqual(2);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
