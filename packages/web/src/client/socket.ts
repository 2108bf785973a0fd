/**
 * The live client: one socket.io connection under the UI's base path. Each `connect` is reported
 * so the app resyncs from a snapshot, unless the server recovered the connection's state.
 * @module
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Envelope, ServerToClientEvents } from '@cnnvis/protocol';
import { isErrorEnvelope } from '@cnnvis/protocol/plain';
import { ClientRequestError, type ClientOptions, type CnnvisClient } from './types';

type UiSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for an ack before giving up on a request. */
const ACK_TIMEOUT_MS = 10_000;
/** An analysis waits in the server's queue and runs the model: minutes, not seconds. */
const ANALYSIS_TIMEOUT_MS = 15 * 60_000;

function unwrap<T>(res: Envelope<T>): T {
  if (isErrorEnvelope(res)) throw new ClientRequestError(res.error.code, res.error.message);
  return res.data;
}

async function redirectIfLoggedOut(basePath: string): Promise<void> {
  const res = await fetch(`${basePath}api/status`).catch(() => undefined);
  // `next` as the server sees it: the UI is its root page, whatever prefix a proxy adds.
  if (res?.status === 401) location.assign(`${basePath}login?next=${encodeURIComponent(`/${location.search}`)}`);
}

/** Connect to `${basePath}socket.io` and forward every server event. */
export function createSocketClient({ basePath, listener }: ClientOptions): CnnvisClient {
  // WebSocket first (no polling handshake); fall back to polling where a proxy blocks it.
  const socket: UiSocket = io({
    path: `${basePath}socket.io`,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  listener.connection('connecting');

  socket.on('connect', () => listener.connection('connected', socket.recovered));
  // The login cookie expired or the token changed: the login page, then back here.
  socket.on('connect_error', () => void redirectIfLoggedOut(basePath));
  socket.on('disconnect', () => listener.connection('reconnecting'));
  socket.io.on('reconnect_attempt', () => listener.connection('reconnecting'));
  // Every server event goes to the listener's handler of that name (`env:resync` included).
  socket.onAny((event: keyof ServerToClientEvents, payload: unknown) => {
    (listener[event] as ((p: unknown) => void) | undefined)?.(payload);
  });

  const timed = () => socket.timeout(ACK_TIMEOUT_MS);
  return {
    async listEnvs() {
      return unwrap(await timed().emitWithAck('env:list', {}));
    },
    async subscribe(env) {
      return unwrap(await timed().emitWithAck('env:subscribe', { env }));
    },
    async closeWindow(env, win) {
      unwrap(await timed().emitWithAck('window:close', { env, win }));
    },
    async saveLayout(env, items) {
      unwrap(await timed().emitWithAck('layout:save', { env, items }));
    },
    async runAnalysis(req) {
      return unwrap(await socket.timeout(ANALYSIS_TIMEOUT_MS).emitWithAck('analysis:run', req));
    },
    async uiEvent(req) {
      unwrap(await timed().emitWithAck('ui:event', req));
    },
    dispose() {
      socket.disconnect();
    },
  };
}
