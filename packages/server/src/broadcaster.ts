/**
 * Live fan-out. Changes go to socket.io rooms only (one room per env), never to a hand-kept list of
 * sockets, so socket.io's Redis adapter spreads the same calls over several servers (`--redis-url`,
 * socket/redis-cluster.ts). A browser that reads slower than deltas come would grow server memory
 * without bound: past `maxClientBufferBytes` it leaves the room and is sent `env:resync`, and
 * re-subscribes for a snapshot.
 * @module
 */
import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  EnvSummary,
  JobProgress,
  LayoutItem,
  ServerToClientEvents,
  Window,
  WindowDelta,
} from '@cnnvis/protocol';
import { watchBacklog } from './socket/client-backlog';

const ENV_ROOM = 'env:';

/** The room of browsers watching `env`. */
export function envRoom(env: string): string {
  return ENV_ROOM + env;
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

export interface BroadcasterOptions {
  /** Bytes waiting for one socket beyond which it must resync. */
  maxClientBufferBytes: number;
  /** Other servers share the rooms (socket.io's Redis adapter): emit even when no local socket watches. */
  clustered: boolean;
}

type IO = Server<ClientToServerEvents, ServerToClientEvents>;

/** Take `socket` out of its env rooms and tell it, once per subscription, to resync. */
function sendResync(socket: Socket<ClientToServerEvents, ServerToClientEvents>, maxBytes: number): void {
  for (const room of socket.rooms) {
    if (!room.startsWith(ENV_ROOM)) continue;
    void socket.leave(room);
    socket.emit('env:resync', { env: room.slice(ENV_ROOM.length), reason: `more than ${maxBytes} bytes of updates were waiting for this client` });
  }
}

/**
 * Tell every browser on this server to resync the env it watches. It stays in its
 * room meanwhile, so deltas newer than its coming snapshot keep arriving.
 */
export function resyncLocalBrowsers(io: Server, reason: string): void {
  for (const room of io.sockets.adapter.rooms.keys()) {
    if (room.startsWith(ENV_ROOM)) io.local.to(room).emit('env:resync', { env: room.slice(ENV_ROOM.length), reason });
  }
}

export function createBroadcaster(io: IO, opts: BroadcasterOptions): Broadcaster {
  const maxBytes = opts.maxClientBufferBytes;
  io.on('connection', (socket) =>
    watchBacklog(socket, maxBytes, {
      overflow: () => sendResync(socket, maxBytes),
      stuck: () => socket.disconnect(true),
    }),
  );

  // socket.io encodes a packet before it looks at the room; skip that work when nobody
  // on this server watches the env, unless other servers' browsers may (they are not in the local room map).
  const watched = (env: string) => opts.clustered || (io.sockets.adapter.rooms.get(envRoom(env))?.size ?? 0) > 0;
  const room = (env: string) => (watched(env) ? io.to(envRoom(env)) : undefined);
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
