/**
 * The load row: 50 SDK writers awaiting their appends side by side while 5
 * socket.io subscribers watch the env. A run counts as done when every
 * subscriber has every update (the load test checks order and loss; this times it).
 */
import { io, type Socket } from 'socket.io-client';
import { CnnVis } from '@cnnvis/client';
import { rate } from './stats';

export const LOAD_WRITERS = 50;
export const LOAD_SUBSCRIBERS = 5;
const APPENDS = 40;
const ENV = 'load';

type Call = (event: string, payload: unknown) => Promise<unknown>;

export async function createLoadBench(url: string) {
  const writers = Array.from({ length: LOAD_WRITERS }, () => new CnnVis({ url, env: ENV }));
  await Promise.all(writers.map((w, i) => w.line({ x: [0], y: [0] }, { win: `own${i}`, name: 'train' })));
  await writers[0]?.line({ x: [0], y: [0] }, { win: 'shared', name: 'w0' });
  let delivered = 0;
  const subscribers: Socket[] = [];
  for (let k = 0; k < LOAD_SUBSCRIBERS; k++) {
    const s = io(url, { transports: ['websocket'] });
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    await s.emitWithAck('env:subscribe', { env: ENV });
    s.on('window:updated', () => delivered++);
    subscribers.push(s);
  }
  let step = 1;
  const updates = LOAD_WRITERS * APPENDS;
  /** Updates per second, delivered to every subscriber; through `call` (an echo) when given, with no fan-out. */
  const measure = (call?: Call) =>
    rate(updates, async () => {
      const target = delivered + updates * LOAD_SUBSCRIBERS;
      await Promise.all(
        writers.map(async (w, i) => {
          for (let n = 0; n < APPENDS; n++) {
            const win = n % 2 === 0 ? `own${i}` : 'shared';
            const x = step++;
            if (call) await call('window:update', { env: ENV, win, op: { type: 'append', traces: [{ name: `w${i}`, x: [x], y: [i] }] } });
            else await w.line({ x: [x], y: [i] }, { win, name: `w${i}`, update: 'append' });
          }
        }),
      );
      while (!call && delivered < target) await new Promise((r) => setTimeout(r, 1));
    });
  const close = async () => {
    for (const s of subscribers) s.close();
    await Promise.all(writers.map((w) => w.disconnect()));
  };
  return { measure, close };
}
