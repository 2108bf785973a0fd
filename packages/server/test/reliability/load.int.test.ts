/**
 * Load: 50 concurrent SDK writers and 5 subscribed browsers (socket.io clients).
 * Every acknowledged update reaches every subscriber, in order per window,
 * none lost and none twice. Throughput is printed; `npm run bench` records it.
 */
import type { WindowAck, WindowDelta } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { startServer, eventually, type TestServer } from '../../../../test/support/start-server';
import { callOk, connectSocket, type TestSocket } from '../../../../test/support/socket-client';

const WRITERS = 50;
const SUBSCRIBERS = 5;
const APPENDS = 40;
const SHARED = ['shared0', 'shared1', 'shared2'];
const ENV = 'load';

let server: TestServer;
let writers: CnnVis[];
let subscribers: TestSocket[];
beforeEach(async () => {
  server = await startServer();
  writers = Array.from({ length: WRITERS }, () => new CnnVis({ url: server.url, env: ENV }));
  subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => connectSocket(server.url)));
});
afterEach(async () => {
  for (const s of subscribers) s.close();
  await Promise.all(writers.map((w) => w.disconnect()));
  await server.close();
});

test('50 writers × 5 subscribers: every acknowledged update arrives at every subscriber, in order per window', async () => {
  for (const win of SHARED) await writers[0]?.line({ x: [0], y: [0] }, { win, name: 'w0' });
  await Promise.all(writers.map((w, i) => w.line({ x: [0], y: [0] }, { win: `own${i}`, name: 'train' })));
  const received = subscribers.map(() => [] as WindowDelta[]);
  await Promise.all(
    subscribers.map(async (s, k) => {
      await callOk(s, 'env:subscribe', { env: ENV });
      s.on('window:updated', (d) => received[k]?.push(d));
    }),
  );

  const acked: WindowAck[] = [];
  const start = process.hrtime.bigint();
  // Each writer awaits its appends (as a training loop does), alternating its own window and a shared one.
  await Promise.all(
    writers.map(async (w, i) => {
      for (let n = 1; n <= APPENDS; n++) {
        const win = n % 2 === 0 ? `own${i}` : (SHARED[(i + n) % SHARED.length] as string);
        acked.push(await w.line({ x: [n], y: [i] }, { win, name: `w${i}`, update: 'append' }));
      }
    }),
  );
  const updates = acked.length;
  await eventually(() => received.every((r) => r.length >= updates), 30_000);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${WRITERS} writers × ${SUBSCRIBERS} subscribers: ${updates} updates in ${seconds.toFixed(2)} s = ${Math.round(updates / seconds)} updates/s, ` +
      `${updates * SUBSCRIBERS} deliveries (${Math.round((updates * SUBSCRIBERS) / seconds)}/s)`,
  );

  expect(updates).toBe(WRITERS * APPENDS);
  const expected = new Map<string, number[]>();
  for (const a of acked) expected.set(a.win, [...(expected.get(a.win) ?? []), a.rev]);
  for (const revs of expected.values()) revs.sort((a, b) => a - b);
  for (const deltas of received) {
    expect(deltas).toHaveLength(updates);
    const got = new Map<string, number[]>();
    for (const d of deltas) got.set(d.win, [...(got.get(d.win) ?? []), d.rev]);
    // Same revs per window, in arrival order: nothing lost, duplicated or reordered.
    expect(got).toEqual(expected);
  }
}, 120_000);
