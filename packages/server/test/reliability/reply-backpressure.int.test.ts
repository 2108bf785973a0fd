/**
 * A client that sends requests for a big window over socket.io and never
 * reads the replies: the server (a child process, built) stops reading its
 * requests once its unread replies pass --max-client-buffer, so its memory
 * stays bounded, /healthz keeps answering, and what the client held is
 * released when it goes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { processMemoryMiB } from '../../../../test/support/process-memory';
import { call, connectSocket, type TestSocket } from '../../../../test/support/socket-client';
import { spawnServer, type ServerProcess } from '../../../../test/support/spawn-server';
import { eventually } from '../../../../test/support/start-server';
import { pollHealth } from '../support/health-poller';

/** Points in the window every request asks for: each reply takes about 25 MB. */
const POINTS = 1_000_000;
/** Appends that build it, so each request stays well under the payload limit. */
const APPENDS = 4;
/** Requests the client sends and never reads the answers of: about 3 GB of replies. */
const REQUESTS = 120;
/** How long the server is watched with the client still connected. */
const WATCH_MS = 4000;
/** What the server may grow by: the 16 MiB bound, one reply being written, and their garbage. */
const MAX_GROWTH_MIB = 300;
/** After the client leaves, the server must come back to within this of where it started. */
const MAX_LEFT_MIB = 100;
/**
 * And give back at least this much: the reply it was writing to the client, of which more
 * than the 16 MiB bound was still waiting (without backpressure the server went on computing
 * replies for the client after it had gone, and grew).
 */
const MIN_RELEASED_MIB = 8;
/** Requests a slow reader sends before it starts reading. */
const SLOW_REQUESTS = 3;
/** /healthz must answer within this while a client floods the server... */
const HEALTH_MS = 1000;
/**
 * ...or within this many times what one read of the window costs it, where that is more.
 * The flood is owed one reply (the first request finds the client's buffer empty), and on
 * a machine loaded by other suites one reply of a million points can take a second alone.
 */
const HEALTH_REPLY_FACTOR = 1.5;

jest.setTimeout(60_000);

let dir: string;
let server: ServerProcess;
/** The worst /healthz wait while the server answered one read of the window. */
let oneReplyMs: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-reply-backpressure-'));
  server = await spawnServer(['--port', '0', '--data-dir', dir, '--log-level', 'silent', '--max-client-buffer', '16mb']);
  const writer = new CnnVis({ url: server.url, env: 'bp' });
  const per = POINTS / APPENDS;
  for (let a = 0; a < APPENDS; a++) {
    const x = Array.from({ length: per }, (_, i) => a * per + i);
    await writer.line({ x, y: x.map((v) => Math.sin(v / 1000)) }, { win: 'big', update: a === 0 ? undefined : 'append' });
  }
  // One read first, so the flood meets a warm server (compiled code, a heap sized for the window).
  await writer.getWindow('big');
  const health = pollHealth(server.url, 25, 10_000);
  await writer.getWindow('big');
  oneReplyMs = (await health.stop()).worstMs;
  await writer.disconnect();
});
afterEach(async () => {
  // SIGKILL: on a server that does not bound its replies, SIGTERM would wait for all of them.
  server.child.kill('SIGKILL');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `flood` (which sends the requests from a client that does not read), watch the
 * server's memory and /healthz, then `leave` and wait for the memory to come back.
 */
async function watchFlood(label: string, flood: () => void, leave: () => void) {
  const pid = server.child.pid ?? 0;
  // Reset the peak (VmHWM) to the present, so it measures the flood, not the window's making.
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const healthMs = Math.ceil(Math.max(HEALTH_MS, HEALTH_REPLY_FACTOR * oneReplyMs));
  const health = pollHealth(server.url, 50, healthMs);
  const before = processMemoryMiB(pid);
  flood();
  await sleep(WATCH_MS);
  const during = processMemoryMiB(pid);
  leave();
  let after = processMemoryMiB(pid);
  const released = () => after.rss < during.rss - MIN_RELEASED_MIB && after.rss < before.rss + MAX_LEFT_MIB;
  await eventually(() => {
    after = processMemoryMiB(pid);
    return released();
  }, 10_000).catch(() => undefined); // the expectations below say what was left

  const stats = await health.stop();
  console.log(
    `${label}: ${REQUESTS} window:get of ${POINTS} points, never read: server RSS ${before.rss.toFixed(1)} → ${during.rss.toFixed(1)} MiB, ` +
      `peak ${during.peak.toFixed(1)} MiB (grew ${(during.peak - before.rss).toFixed(1)} MiB; bound ${MAX_GROWTH_MIB}); ` +
      `after the client left ${after.rss.toFixed(1)} MiB; /healthz ${stats.polls} polls, worst ${stats.worstMs.toFixed(0)} ms ` +
      `(bound ${healthMs.toFixed(0)}; one read of the window alone: ${oneReplyMs.toFixed(0)} ms), ${stats.failures} over it`,
  );
  expect(during.peak - before.rss).toBeLessThan(MAX_GROWTH_MIB);
  expect(stats.failures).toBe(0);
  expect(stats.worstMs).toBeLessThan(healthMs);
  expect(after.rss).toBeLessThan(during.rss - MIN_RELEASED_MIB);
  expect(after.rss).toBeLessThan(before.rss + MAX_LEFT_MIB);
}

/** The TCP socket under socket.io-client's WebSocket transport. */
function tcpOfSocketIo(socket: TestSocket): NetSocket {
  return (socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
}

test('a client that never reads its acks is not read from past the bound, and is released when it goes', async () => {
  const socket = await connectSocket(server.url);
  const emit = socket.emit.bind(socket) as unknown as (e: string, p: unknown, ack: () => void) => void;
  await watchFlood(
    'socket.io',
    () => {
      tcpOfSocketIo(socket).pause();
      for (let i = 0; i < REQUESTS; i++) emit('window:get', { env: 'bp', win: 'big' }, () => undefined);
    },
    () => tcpOfSocketIo(socket).destroy(),
  );
  socket.close();
});

/** What a reply to `window:get` of the big window must hold. */
function expectBigWindow(envelope: unknown) {
  expect((envelope as { data: { content: { traces: Array<{ x: unknown[] }> } } }).data.content.traces[0]?.x).toHaveLength(POINTS);
}

test('a slow reader gets every ack once it reads again', async () => {
  const socket = await connectSocket(server.url);
  tcpOfSocketIo(socket).pause();
  const acks = Array.from({ length: SLOW_REQUESTS }, () => call(socket, 'window:get', { env: 'bp', win: 'big' }));
  await sleep(500);
  tcpOfSocketIo(socket).resume();
  const replies = await Promise.all(acks);
  replies.forEach(expectBigWindow);
  socket.close();
});
