/**
 * Live fan-out. Changes go to socket.io rooms only (one room per env), never
 * to a hand-kept list of sockets, so socket.io's Redis adapter can spread the
 * same calls over several servers later.
 * @module
 */
import type { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  EnvSummary,
  JobProgress,
  LayoutItem,
  ServerToClientEvents,
  Window,
  WindowDelta,
} from '@cnnvis/protocol';

/** The room of browsers watching `env`. */
export function envRoom(env: string): string {
  return `env:${env}`;
}

export interface Broadcaster {
  windowCreated(win: Window): void;
  windowUpdated(delta: WindowDelta): void;
  windowClosed(env: string, win: string): void;
  layoutSaved(env: string, items: LayoutItem[]): void;
  envDeleted(env: string): void;
  envsChanged(envs: EnvSummary[]): void;
  /** To the env's room and, once, to socket `requester` (a socket.io id) when given. */
  jobProgress(progress: JobProgress, requester?: string): void;
}

export function createBroadcaster(io: Server<ClientToServerEvents, ServerToClientEvents>): Broadcaster {
  // socket.io encodes a packet before it looks at the room; skip that work when nobody
  // on this server watches the env. (With a cluster adapter, drop this check: other
  // servers' members are not in the local room map.)
  const room = (env: string) => (io.sockets.adapter.rooms.get(envRoom(env))?.size ? io.to(envRoom(env)) : undefined);
  return {
    windowCreated: (win) => room(win.env)?.emit('window:created', win),
    windowUpdated: (delta) => room(delta.env)?.emit('window:updated', delta),
    windowClosed: (env, win) => room(env)?.emit('window:closed', { env, win }),
    layoutSaved: (env, items) => room(env)?.emit('layout:saved', { env, items }),
    envDeleted: (env) => room(env)?.emit('env:deleted', { env }),
    envsChanged: (envs) => io.emit('envs:changed', envs),
    // One emit to the union of room and requester: a requester watching the env gets it once.
    jobProgress: (progress, requester) =>
      (requester === undefined ? room(progress.env) : io.to(envRoom(progress.env)).to(requester))?.emit('job:progress', progress),
  };
}
