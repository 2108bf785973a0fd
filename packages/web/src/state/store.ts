/**
 * The UI's state. Server events are applied once per animation frame as one {@link ChangeBatch}
 * merged per window, so 30 appends in a frame redraw once.
 * @module
 */
import type { EnvSnapshot, EnvSummary, LayoutItem, ServerHello, UpdateOp, Window, WindowDelta } from '@cnnvis/protocol';
import { applyUpdate } from '@cnnvis/protocol/plain';
import type { ConnectionState } from '../client/types';

/**
 * - `full`: draw the window from scratch (new, replaced, or resynced).
 * - `ops`: the window changed by these ops, in order; the store already applied them.
 * - `closed`: the pane goes away.
 */
export type WindowChange = { type: 'full' } | { type: 'ops'; ops: UpdateOp[] } | { type: 'closed' };

/**
 * Fold a newer change into an older one for the same window: ops add up, a
 * redraw covers them (and ops on a closed window never get this far).
 * @example
 * mergeChange({ type: 'ops', ops: [a] }, { type: 'ops', ops: [b] }) // { type: 'ops', ops: [a, b] }
 * mergeChange({ type: 'full' }, { type: 'ops', ops: [b] }) // { type: 'full' }
 */
export function mergeChange(older: WindowChange | undefined, newer: WindowChange): WindowChange {
  if (older === undefined || newer.type !== 'ops') return newer;
  return older.type === 'ops' ? { type: 'ops', ops: [...older.ops, ...newer.ops] } : older;
}

/** Everything the UI must redraw after one frame. */
export interface ChangeBatch {
  /** All panes were replaced by a snapshot (env switch or resync). */
  reset: boolean;
  windows: Map<string, WindowChange>;
  /** Windows whose grid position changed (from a `layout:saved` event). */
  layouts: Set<string>;
}

const createChangeBatch = (): ChangeBatch => ({ reset: false, windows: new Map(), layouts: new Set() });

/** How often a hidden tab (no animation frames) drains its queue. */
const HIDDEN_TAB_MS = 500;

/**
 * Run `run` at most once per animation frame. Hidden tabs get no frames, so a
 * slow timer races the frame: the queue keeps draining while nobody looks.
 */
function frameScheduler(run: () => void): () => void {
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    timer = undefined;
    run();
  };
  return () => {
    if (timer !== undefined) return;
    raf = requestAnimationFrame(fire);
    timer = setTimeout(fire, HIDDEN_TAB_MS);
  };
}

/** What renderers may read. */
export interface UiState {
  readonly env: string;
  readonly envs: readonly EnvSummary[];
  /** The current env's windows, in creation order. */
  readonly windows: ReadonlyMap<string, Window>;
  readonly connection: ConnectionState;
  readonly hello: ServerHello | undefined;
}

/** A server event for the current env, waiting for the next frame. */
export type Inbound =
  | { type: 'created'; win: Window }
  | { type: 'updated'; delta: WindowDelta }
  | { type: 'closed'; win: string }
  | { type: 'layout'; items: LayoutItem[] };

export interface StoreListener {
  /** Windows changed; called at most once per frame. */
  batch(batch: ChangeBatch, state: UiState): void;
  /** The env list, current env, connection or hello changed. */
  meta(state: UiState): void;
  /** A delta did not apply: the UI's copy drifted from the server's; resubscribe. */
  desync(reason: string): void;
}

export interface Store {
  readonly state: UiState;
  setMeta(meta: Partial<Pick<UiState, 'envs' | 'connection' | 'hello'>>): void;
  /** Start (re)subscribing to `env`: events are held until {@link Store.reset}. */
  beginSync(env: string): void;
  /** Replace every window with the snapshot, then replay what arrived meanwhile. */
  reset(snapshot: EnvSnapshot): void;
  /** Queue an event; ones for other envs are dropped. */
  push(env: string, event: Inbound): void;
  /** Apply the queue now (the frame scheduler calls this). */
  flush(): void;
}

/** @example const store = createStore('main', { batch: draw, meta: drawHeader, desync: resync }); */
export function createStore(env: string, listener: StoreListener, schedule?: () => void): Store {
  const state = {
    env,
    envs: [] as EnvSummary[],
    windows: new Map<string, Window>(),
    connection: 'connecting' as ConnectionState,
    hello: undefined as ServerHello | undefined,
  };
  let syncing = true;
  let queue: Array<Inbound & { held: boolean }> = [];
  let batch = createChangeBatch();
  const scheduleFlush = schedule ?? frameScheduler(() => store.flush());

  function apply(event: Inbound & { held: boolean }): void {
    const { windows } = state;
    switch (event.type) {
      case 'created': {
        const old = windows.get(event.win.id);
        // A `created` held during a sync may be older than the snapshot.
        if (event.held && old !== undefined && old.rev >= event.win.rev) return;
        windows.set(event.win.id, event.win);
        batch.windows.set(event.win.id, { type: 'full' });
        return;
      }
      case 'updated': {
        const { win, op, rev } = event.delta;
        const old = windows.get(win);
        if (old === undefined || rev <= old.rev) return; // closed already, or in the snapshot
        // A window's rev counts its changes one by one: a gap is a change this browser never got (a server
        // that died before publishing it, two servers' deltas crossing), and only a snapshot brings it back.
        if (rev !== old.rev + 1) throw new Error(`missed ${rev - old.rev - 1} update(s) of '${win}' (rev ${old.rev}, then ${rev})`);
        const opts = op.type === 'opts' ? { ...old.opts, ...op.opts } : old.opts;
        windows.set(win, { ...old, opts, rev, content: applyUpdate(old.content, op) });
        batch.windows.set(win, mergeChange(batch.windows.get(win), { type: 'ops', ops: [op] }));
        return;
      }
      case 'closed':
        if (windows.delete(event.win)) batch.windows.set(event.win, { type: 'closed' });
        return;
      case 'layout':
        for (const { win, x, y, w, h } of event.items) {
          const old = windows.get(win);
          if (old === undefined) continue;
          windows.set(win, { ...old, layout: { x, y, w, h } });
          batch.layouts.add(win);
        }
        return;
    }
  }

  const store: Store = {
    state,
    setMeta(meta) {
      Object.assign(state, meta);
      listener.meta(state);
    },
    beginSync(next) {
      syncing = true;
      queue = [];
      if (next !== state.env) {
        state.env = next;
        listener.meta(state);
      }
    },
    reset(snapshot) {
      if (snapshot.env !== state.env) return; // an answer for an env we already left
      const sorted = [...snapshot.windows].sort((a, b) => a.position - b.position);
      state.windows = new Map(sorted.map((w) => [w.id, w]));
      batch = createChangeBatch();
      batch.reset = true;
      syncing = false;
      store.flush();
    },
    push(eventEnv, event) {
      if (eventEnv !== state.env) return;
      queue.push({ ...event, held: syncing });
      if (!syncing) scheduleFlush();
    },
    flush() {
      if (syncing) return;
      const pending = queue;
      queue = [];
      try {
        for (const event of pending) apply(event);
      } catch (err) {
        listener.desync(err instanceof Error ? err.message : String(err));
      }
      const done = batch;
      batch = createChangeBatch();
      if (done.reset || done.windows.size > 0 || done.layouts.size > 0) listener.batch(done, state);
    },
  };
  return store;
}
