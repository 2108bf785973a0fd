/**
 * `/vis_socket_wrap`: the polling fallback of `/vis_socket` (the client's
 * `use_polling=True`), which is broken in Visdom 0.2.4. `init` registers a
 * queue and replies its sid; `query` pops the queued messages (oldest first);
 * `send` feeds a command. Queues idle for longer than {@link IDLE_MS} are dropped.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { badField } from './ids';
import { ALIVE_MESSAGE, type VisEventHub } from './event-hub';
import { onClientCommand } from './vis-socket';

/** @default 60 s: generous, as a script may block between polls. */
export const IDLE_MS = 60_000;

/** Messages kept for a poller between queries; older ones are dropped (UI events, not state). */
export const MAX_QUEUED_MESSAGES = 1000;

interface Wrapper {
  messages: string[];
  seen: number;
  remove: () => void;
}

export function createVisSocketWrap(hub: VisEventHub, idleMs = IDLE_MS) {
  const wrappers = new Map<string, Wrapper>();
  const reaper = setInterval(() => {
    const now = Date.now();
    for (const [sid, w] of wrappers) {
      if (now - w.seen > idleMs) {
        w.remove();
        wrappers.delete(sid);
      }
    }
  }, Math.min(idleMs, 10_000));
  reaper.unref();

  /** Answer one POST body; returns the JSON reply. */
  function handle(body: Record<string, unknown>): Record<string, unknown> {
    const type = body['message_type'];
    if (type === 'init') {
      const sid = randomUUID();
      const w: Wrapper = { messages: [ALIVE_MESSAGE], seen: Date.now(), remove: () => undefined };
      w.remove = hub.add((text) => {
        if (w.messages.push(text) > MAX_QUEUED_MESSAGES) w.messages.shift();
      });
      wrappers.set(sid, w);
      return { success: true, sid };
    }
    if (type !== 'query' && type !== 'send') throw badField('message_type', "must be 'init', 'query' or 'send'");
    const w = wrappers.get(String(body['sid']));
    if (w === undefined) return { success: false, reason: 'closed' };
    w.seen = Date.now();
    if (type === 'query') return { success: true, messages: w.messages.splice(0) };
    const message = body['message'];
    onClientCommand(hub, typeof message === 'string' ? message : JSON.stringify(message));
    return { success: true };
  }

  return {
    handle,
    close() {
      clearInterval(reaper);
      for (const w of wrappers.values()) w.remove();
      wrappers.clear();
    },
  };
}
