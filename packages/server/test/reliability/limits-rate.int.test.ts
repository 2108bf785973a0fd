/**
 * --max-message-rate: a token bucket per connection on every socket transport.
 * A flood past the burst is refused with TOO_MANY_REQUESTS; other connections go on.
 */
import WebSocket from 'ws';
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { call, callOk, connectSocket } from '../../../../test/support/socket-client';
import { BURST_SECONDS } from '../../src/socket/rate-limit';

const RATE = 50;
const BURST = RATE * BURST_SECONDS;
const FLOOD = 400;

let server: TestServer;
beforeEach(async () => {
  server = await startServer({ maxMessageRate: RATE });
});
afterEach(async () => {
  await server.close();
});

test('the SDK: a pipelined flood gets its burst, then TOO_MANY_REQUESTS; another client is unaffected', async () => {
  const viz = new CnnVis({ url: server.url, env: 'rate' });
  const other = new CnnVis({ url: server.url, env: 'rate' });
  try {
    await viz.line({ x: [0], y: [0] }, { win: 'w', name: 'a' });
    // Not awaited, but a microtask apart: the SDK batches only the appends of one tick, so each is a message.
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < FLOOD; i++) {
      calls.push(viz.line({ x: [i], y: [i] }, { win: 'w', name: 'a', update: 'append' }));
      await Promise.resolve();
    }
    const settled = await Promise.allSettled(calls);
    const ok = settled.filter((r) => r.status === 'fulfilled').length;
    const refused = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    console.log(`SDK flood of ${FLOOD} at ${RATE}/s (burst ${BURST}): ${ok} accepted, ${refused.length} refused`);
    expect(ok).toBeGreaterThanOrEqual(BURST - 1);
    expect(ok).toBeLessThan(FLOOD - 100);
    const codes = new Set(refused.map((e) => (isCnnvisClientError(e) ? e.code : String(e))));
    expect([...codes]).toEqual(['TOO_MANY_REQUESTS']);
    expect((refused[0] as Error).message).toMatch(/more than 50 messages per second.*--max-message-rate/);
    // A refused message wrote nothing: the window holds the first point and the accepted appends.
    const win = await other.getWindow('w');
    expect(win.content.kind === 'plot' && win.content.traces[0]?.x?.length).toBe(1 + ok);
  } finally {
    await viz.disconnect();
    await other.disconnect();
  }
});

test('socket.io: a flood past the burst is refused per socket with TOO_MANY_REQUESTS', async () => {
  const flooder = await connectSocket(server.url);
  const calm = await connectSocket(server.url);
  try {
    const replies = await Promise.all(Array.from({ length: FLOOD }, () => call(flooder, 'env:list', {})));
    const refused = replies.filter((r) => 'error' in r && r.error.code === 'TOO_MANY_REQUESTS').length;
    console.log(`socket.io flood of ${FLOOD}: ${FLOOD - refused} answered, ${refused} refused`);
    expect(FLOOD - refused).toBeGreaterThanOrEqual(BURST - 1);
    expect(refused).toBeGreaterThan(100);
    expect(await callOk(calm, 'env:list', {})).toEqual([]);
  } finally {
    flooder.close();
    calm.close();
  }
});

test('/vis_socket: echo commands past the burst are dropped, with one error message per flood', async () => {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/vis_socket`);
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  for (let i = 0; i < FLOOD; i++) ws.send(JSON.stringify({ cmd: 'echo', i }));
  // The server answers in order: a last ping after a pause comes back once the flood is handled.
  await new Promise((r) => setTimeout(r, 200));
  ws.send(JSON.stringify({ cmd: 'echo', last: true }));
  await new Promise<void>((resolve) => {
    const check = () => (messages.some((m) => m['last'] === true) ? resolve() : setTimeout(check, 20));
    check();
  });
  ws.close();
  const echoes = messages.filter((m) => m['cmd'] === 'echo' && m['last'] === undefined).length;
  const errors = messages.filter((m) => m['command'] === 'error');
  console.log(`/vis_socket flood of ${FLOOD}: ${echoes} echoed, errors: ${JSON.stringify(errors)}`);
  expect(echoes).toBeGreaterThanOrEqual(BURST - 1);
  expect(echoes).toBeLessThan(FLOOD - 100);
  expect(errors).toEqual([expect.objectContaining({ code: 'TOO_MANY_REQUESTS' })]);
});
