/**
 * The web UI's live path without the DOM, for the cluster tests: its store
 * (events held during a sync, stale deltas dropped by rev) fed as app.ts
 * feeds it, re-subscribing on `env:resync` and on a reconnect the server did
 * not recover.
 */
import { io } from 'socket.io-client';
import type { EnvResync, EnvSnapshot } from '@cnnvis/protocol';
import { createStore } from '../../../web/src/state/store';
import { callOk, type TestSocket } from '../../../../test/support/socket-client';

export interface LiveBrowser {
  socket: TestSocket;
  resyncs: EnvResync[];
  /** Per connect, whether socket.io recovered the session (no resync needed). */
  connects: boolean[];
  /** Subscribe again, as the UI does on a resync. */
  sync(): Promise<void>;
  /** The x values of the window's traces as the UI holds them. */
  xs(win?: string): number[];
  close(): void;
}

/** A browser watching `env` on the server at `url`. */
export function liveBrowser(url: string, env: string): LiveBrowser {
  const socket: TestSocket = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 });
  const resyncs: EnvResync[] = [];
  const connects: boolean[] = [];
  let syncs = 0;
  const sync = async () => {
    const token = ++syncs;
    store.beginSync(env);
    const snapshot = await callOk<EnvSnapshot>(socket, 'env:subscribe', { env });
    if (token === syncs) store.reset(snapshot);
  };
  const store = createStore(env, { batch: () => undefined, meta: () => undefined, desync: () => void sync() }, () => queueMicrotask(() => store.flush()));
  socket.on('connect', () => {
    connects.push(socket.recovered);
    if (!socket.recovered) void sync();
  });
  socket.on('env:resync', (r) => {
    resyncs.push(r);
    void sync();
  });
  socket.on('window:created', (win) => store.push(win.env, { type: 'created', win }));
  socket.on('window:updated', (delta) => store.push(delta.env, { type: 'updated', delta }));
  const xs = (win = 'loss') => {
    const w = store.state.windows.get(win);
    return w?.content.kind === 'plot' ? w.content.traces.flatMap((t) => t.x as number[]) : [];
  };
  return { socket, resyncs, connects, sync, xs, close: () => socket.close() };
}
