/**
 * Every Visdom append reads a window summary (SQLite keeps them in memory):
 * on every store, whatever mix of changes comes, a summary always says what
 * reading the whole window says (kind, opts, trace names, first trace's
 * type), and whether the window exists, and whether its env does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpdateOp } from '@cnnvis/protocol';
import { SqliteStore } from '../src/store/sqlite-store';
import { TEST_STORES, type AnyStore } from './support/test-stores';
import type { WindowSummary } from '../src/store/window-store';

/** The summary as reading the whole window gives it. */
async function fromWindow(store: AnyStore, env: string, win: string): Promise<WindowSummary | undefined> {
  const w = (await store.getWindow(env, win));
  if (w === undefined) return undefined;
  const traces = w.content.kind === 'plot' ? w.content.traces : [];
  const names = traces.map((t) => t.name);
  const first = traces[0]?.type;
  return first === undefined ? { kind: w.kind, opts: w.opts, traces: names.length, names } : { kind: w.kind, opts: w.opts, traces: names.length, names, firstType: first };
}

/** A tiny deterministic generator, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test.each(TEST_STORES.flatMap((k) => [1, 2, 3, 4, 5, 6].map((seed) => [k.name, seed, k] as const)))('%s: a summary read after any mix of changes equals the window read whole (seed %i)', async (_name, seed, kind) => {
  const data = await kind.create();
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const store = await data.open();
  const envs = ['e', 'f'];
  const wins = ['a', 'b'];
  const names = ['t0', 't1', 't2'];
  const plot = (n: number, type: string) => ({
    kind: 'plot' as const,
    traces: Array.from({ length: n }, (_, i) => ({ name: `t${i}`, type, x: [0], y: [0] })),
  });
  try {
    for (const env of envs) for (const win of wins) await store.createWindow({ env, win, opts: { title: win }, content: plot(1, 'scatter') });
    for (let step = 0; step < 300; step++) {
      const env = pick(envs);
      const win = pick(wins);
      const roll = random();
      try {
        if (roll < 0.45) {
          await store.updateWindow(env, win, { type: 'append', traces: [{ name: pick(names), x: [step], y: [step] }] });
        } else if (roll < 0.55) {
          await store.updateWindow(env, win, { type: 'replace', traces: [{ name: pick(names), x: [step], y: [step] }] });
        } else if (roll < 0.62) {
          await store.updateWindow(env, win, { type: 'remove', name: pick(names) });
        } else if (roll < 0.72) {
          await store.updateWindow(env, win, { type: 'opts', opts: { title: `t${step}`, xlabel: pick(['x', 'step']) } } as UpdateOp);
        } else if (roll < 0.8) {
          const kind = random();
          if (kind < 0.5) await store.createWindow({ env, win, opts: { title: `p${step}` }, content: plot(1 + Math.floor(random() * 3), pick(['scatter', 'bar'])) });
          else await store.createWindow({ env, win, opts: {}, content: { kind: 'text', text: `s${step}` } });
        } else if (roll < 0.84) {
          await store.closeWindow(env, win);
        } else if (roll < 0.87) {
          const other = env === 'e' ? 'f' : 'e';
          await store.deleteEnv(other);
          await store.forkEnv(env, other);
        } else if (roll < 0.9) {
          await store.deleteEnv(env);
        }
      } catch {
        // A refused change (no such window or trace) changes nothing, and neither may its summary.
      }
      // Read summaries every step (so they are cached), then check every window.
      const listed = (await store.listEnvs()).map((x) => x.id);
      for (const e of envs) {
        // Whether an env exists is kept in memory too, and only deleting it may change it.
        expect(await store.hasEnv(e)).toBe(listed.includes(e));
        for (const w of wins) {
          const whole = await fromWindow(store, e, w);
          // Asked before the summary is cached again, so the appends' views answer it too.
          expect(await store.hasWindow(e, w)).toBe(whole !== undefined);
          expect(await store.windowSummary(e, w)).toEqual(whole);
        }
      }
    }
  } finally {
    await store.close();
    await data.dispose();
  }
}, 180_000);

test('SQLite: a summary survives plain appends and is the same object until its window changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnnvis-summary-'));
  const store = new SqliteStore(dir);
  try {
    await store.createWindow({ env: 'e', win: 'w', opts: { title: 'loss' }, content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: [0], y: [0] }] } });
    const first = (await store.windowSummary('e', 'w'));
    await store.updateWindow('e', 'w', { type: 'append', traces: [{ name: 'train', x: [1], y: [1] }] });
    expect(await store.windowSummary('e', 'w')).toBe(first);
    await store.updateWindow('e', 'w', { type: 'opts', opts: { title: 'Loss' } });
    expect((await store.windowSummary('e', 'w'))?.opts).toEqual({ title: 'Loss' });
    // Ids that would run together under a plain separator stay apart.
    await store.createWindow({ env: 'e1', win: 'x', opts: {}, content: { kind: 'text', text: 'a' } });
    await store.createWindow({ env: 'e', win: '1x', opts: {}, content: { kind: 'text', text: 'b' } });
    expect((await store.windowSummary('e1', 'x'))?.kind).toBe('text');
    expect((await store.windowSummary('e', '1x'))?.kind).toBe('text');
    expect((await store.windowSummary('e', 'w'))?.kind).toBe('plot');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
