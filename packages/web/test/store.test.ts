/**
 * The store: deltas queue up and apply once per frame, stale events from
 * before a snapshot are dropped, and a delta that does not apply asks for a resync.
 */
import type { Window } from '@cnnvis/protocol';
import { createStore, type StoreListener } from '../src/state/store';
import type { ChangeBatch } from '../src/state/store';

function plot(id: string, rev: number, y: number[] = [1]): Window {
  return {
    env: 'main',
    id,
    kind: 'plot',
    opts: { title: id },
    content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: y.map((_, i) => i), y }] },
    rev,
    position: rev,
    layout: null,
    updatedAt: 0,
  };
}

function setup() {
  const batches: ChangeBatch[] = [];
  const desync: string[] = [];
  let scheduled = 0;
  const listener: StoreListener = {
    batch: (b) => batches.push(b),
    meta: () => {},
    desync: (r) => desync.push(r),
  };
  const store = createStore('main', listener, () => scheduled++);
  return { store, batches, desync, scheduled: () => scheduled };
}

const append = (win: string, rev: number, y: number) => ({
  type: 'updated' as const,
  delta: { env: 'main', win, rev, op: { type: 'append' as const, traces: [{ name: 'train', x: [rev], y: [y] }] } },
});

test('a snapshot resets every pane, and deltas held during the sync replay after it', () => {
  const { store, batches } = setup();
  store.beginSync('main');
  store.push('main', append('loss', 2, 0.5)); // already in the snapshot: dropped
  store.push('main', append('loss', 3, 0.25));
  store.reset({ env: 'main', windows: [plot('loss', 2, [1, 0.5])] });
  expect(batches).toHaveLength(1);
  expect(batches[0]?.reset).toBe(true);
  const win = store.state.windows.get('loss');
  expect(win?.rev).toBe(3);
  expect(win?.content.kind === 'plot' && win.content.traces[0]?.y).toEqual([1, 0.5, 0.25]);
});

test('deltas are coalesced per frame into one ops change per window', () => {
  const { store, batches, scheduled } = setup();
  store.reset({ env: 'main', windows: [plot('loss', 1)] });
  store.push('main', append('loss', 2, 0.5));
  store.push('main', append('loss', 3, 0.4));
  store.push('other', append('loss', 4, 0.3)); // another env: ignored
  expect(scheduled()).toBeGreaterThan(0);
  store.flush();
  const change = batches[1]?.windows.get('loss');
  expect(change?.type).toBe('ops');
  expect(change?.type === 'ops' && change.ops).toHaveLength(2);
  expect(store.state.windows.get('loss')?.rev).toBe(3);
});

test('opts ops merge into the window opts; close removes the window', () => {
  const { store, batches } = setup();
  store.reset({ env: 'main', windows: [plot('loss', 1)] });
  store.push('main', { type: 'updated', delta: { env: 'main', win: 'loss', rev: 2, op: { type: 'opts', opts: { ylabel: 'nll' } } } });
  store.flush();
  expect(store.state.windows.get('loss')?.opts).toEqual({ title: 'loss', ylabel: 'nll' });
  store.push('main', { type: 'closed', win: 'loss' });
  store.push('main', append('loss', 3, 0.1)); // after close: nothing to apply to
  store.flush();
  expect(store.state.windows.has('loss')).toBe(false);
  expect(batches.at(-1)?.windows.get('loss')).toEqual({ type: 'closed' });
});

test('a layout event moves panes; a delta that cannot apply asks for a resync', () => {
  const { store, batches, desync } = setup();
  store.reset({ env: 'main', windows: [plot('loss', 1)] });
  store.push('main', { type: 'layout', items: [{ win: 'loss', x: 4, y: 0, w: 4, h: 6 }] });
  store.push('main', { type: 'updated', delta: { env: 'main', win: 'loss', rev: 2, op: { type: 'remove', name: 'nope' } } });
  store.flush();
  expect(store.state.windows.get('loss')?.layout).toEqual({ x: 4, y: 0, w: 4, h: 6 });
  expect(batches.at(-1)?.layouts.has('loss')).toBe(true);
  expect(desync).toHaveLength(1);
});

test('a delta past a gap in its window\'s revs applies nothing and asks for a resync', () => {
  const { store, desync } = setup();
  store.reset({ env: 'main', windows: [plot('loss', 1, [1])] });
  store.push('main', append('loss', 2, 0.5));
  store.push('main', append('loss', 4, 0.25)); // rev 3 never came
  store.flush();
  const win = store.state.windows.get('loss');
  expect(win?.rev).toBe(2);
  expect(win?.content.kind === 'plot' && win.content.traces[0]?.y).toEqual([1, 0.5]);
  expect(desync).toEqual(["missed 1 update(s) of 'loss' (rev 2, then 4)"]);
});

test('a snapshot for an env the UI already left is ignored', () => {
  const { store, batches } = setup();
  store.beginSync('b');
  store.reset({ env: 'main', windows: [plot('loss', 1)] });
  expect(batches).toHaveLength(0);
  expect(store.state.env).toBe('b');
});
