/**
 * A browser that stops reading while thousands of deltas are sent: the server
 * (a child process, built) stops feeding it past --max-client-buffer, so its
 * memory stays bounded, and the browser gets `env:resync` and re-subscribes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvResync, EnvSnapshot, Window } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { TEST_STORE } from '../../../../test/support/pg-schema';
import { processMemoryMiB } from '../../../../test/support/process-memory';
import { callOk, connectSocket, type TestSocket } from '../../../../test/support/socket-client';
import { spawnServer, storeArgs, type ServerProcess } from '../../../../test/support/spawn-server';
import { eventually } from '../../../../test/support/start-server';

/** Each update replaces a text window with this many characters: big deltas that cost the server little. */
const TEXT_CHARS = 200_000;
/** Updates sent while the browser reads nothing: 150 MB, far past the kernel's socket buffers. */
const DELTAS = 750;
/**
 * What the server may grow by meanwhile: the 1 MiB bound, one write batch and the
 * garbage of 150 MB of requests (measured: ~45 MiB; with no bound, 1gb: ~320 MiB).
 * On PostgreSQL each request outlives V8's young generation while its write makes the round trip, so
 * its garbage waits for the old generation to reach a few times its live size: a fixed headroom
 * (measured: ~105 MiB at 750 updates and at 1,500; with no bound, 1gb: ~350 MiB).
 */
const MAX_GROWTH_MIB = TEST_STORE === 'postgres' ? 150 : 100;

let dir: string;
let server: ServerProcess;
let viewer: TestSocket;
let writer: CnnVis;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-backpressure-'));
  server = await spawnServer(['--port', '0', ...(await storeArgs(dir)), '--log-level', 'silent', '--max-client-buffer', '1mb']);
  viewer = await connectSocket(server.url);
  writer = new CnnVis({ url: server.url, env: 'bp' });
});
afterEach(async () => {
  viewer.close();
  await writer.disconnect();
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** The TCP socket under socket.io-client's WebSocket transport (private, hence the cast): pausing it stops reading. */
function tcpOf(socket: TestSocket): NetSocket {
  return (socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
}

const text = (i: number) => `${i} `.padEnd(TEXT_CHARS, 'x');

test('a browser that stops reading is cut off from deltas past the bound, then told to resync', async () => {
  const pid = server.child.pid ?? 0;
  await writer.text(text(0), { win: 'big' });
  await callOk<EnvSnapshot>(viewer, 'env:subscribe', { env: 'bp' });
  const deltas: Window[] = [];
  const resyncs: EnvResync[] = [];
  viewer.on('window:created', (w) => deltas.push(w));
  viewer.on('env:resync', (r) => resyncs.push(r));

  tcpOf(viewer).pause();
  const before = processMemoryMiB(pid);
  let acked = 0;
  // Replaces, so the window stays small for the snapshot while every delta is large.
  for (let i = 1; i <= DELTAS; i += 25) {
    await Promise.all(Array.from({ length: 25 }, (_, k) => writer.text(text(i + k), { win: 'big' }).then(() => acked++)));
  }
  const after = processMemoryMiB(pid);
  const growth = after.peak - before.rss;
  console.log(
    `${acked} updates of ${TEXT_CHARS / 1000} KB to a paused browser: server RSS ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MiB, peak ${after.peak.toFixed(1)} MiB (grew ${growth.toFixed(1)} MiB; bound ${MAX_GROWTH_MIB})`,
  );
  expect(acked).toBe(DELTAS);
  expect(growth).toBeLessThan(MAX_GROWTH_MIB);

  tcpOf(viewer).resume();
  await eventually(() => resyncs.length > 0, 20_000);
  console.log(`after resuming: ${deltas.length} deltas arrived before the resync (${JSON.stringify(resyncs[0])})`);
  expect(resyncs).toEqual([{ env: 'bp', reason: expect.stringMatching(/1048576 bytes/) }]);
  expect(deltas.length).toBeLessThan(DELTAS);
  // What arrived came in order and without gaps.
  deltas.forEach((d, i) => expect(d.rev).toBe((deltas[0]?.rev ?? 0) + i));

  // The browser re-subscribes: the snapshot holds the last replace, and deltas flow again.
  const snap = await callOk<EnvSnapshot>(viewer, 'env:subscribe', { env: 'bp' });
  const content = snap.windows[0]?.content;
  expect(content?.kind === 'text' && content.text.startsWith(`${DELTAS} `)).toBe(true);
  const seen = deltas.length;
  await writer.text('after', { win: 'big' });
  await eventually(() => deltas.length === seen + 1);
  expect(resyncs).toHaveLength(1);
});
