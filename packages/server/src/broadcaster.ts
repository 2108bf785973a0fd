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
}

export function createBroadcaster(io: Server<ClientToServerEvents, ServerToClientEvents>): Broadcaster {
  return {
    windowCreated: (win) => io.to(envRoom(win.env)).emit('window:created', win),
    windowUpdated: (delta) => io.to(envRoom(delta.env)).emit('window:updated', delta),
    windowClosed: (env, win) => io.to(envRoom(env)).emit('window:closed', { env, win }),
    layoutSaved: (env, items) => io.to(envRoom(env)).emit('layout:saved', { env, items }),
    envDeleted: (env) => io.to(envRoom(env)).emit('env:deleted', { env }),
    envsChanged: (envs) => io.emit('envs:changed', envs),
  };
}
