/**
 * Every change the server acknowledged survives SIGKILL and a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Window } from '@cnnvis/protocol';
import { call, callOk, connectSocket } from '../../../test/support/socket-client';
import { spawnServer, storeArgs } from '../../../test/support/spawn-server';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-persist-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('acknowledged appends, windows, order, layout and images survive kill -9', async () => {
  const first = await spawnServer(['--port', '0', ...(await storeArgs(dataDir))]);
  const socket = await connectSocket(first.url);
  await callOk(socket, 'window:create', { env: 'run', win: 'notes', content: { kind: 'text', text: 'start' } });
  await callOk(socket, 'window:create', {
    env: 'run',
    win: 'loss',
    content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: [], y: [] }] },
  });
  const pixels = new Uint8Array(28 * 28).map((_, i) => i % 251);
  await callOk(socket, 'window:create', {
    env: 'run',
    win: 'digit',
    content: { kind: 'image', images: [{ encoding: 'raw', shape: [28, 28], data: pixels }] },
  });
  await callOk(socket, 'layout:save', { env: 'run', items: [{ win: 'loss', x: 6, y: 1, w: 5, h: 4 }] });

  // Pipeline appends and kill the server while many are still in flight.
  const acked: number[] = [];
  const sent = Array.from({ length: 3000 }, (_, i) =>
    call(socket, 'window:update', {
      env: 'run',
      win: 'loss',
      op: { type: 'append', traces: [{ name: 'train', x: [i], y: [i * 2] }] },
    }).then((res) => {
      if ('data' in res) acked.push(i);
      if (acked.length === 1500) first.child.kill('SIGKILL');
    }),
  );
  await first.exited;
  socket.close();
  void Promise.allSettled(sent);
  expect(acked.length).toBeGreaterThanOrEqual(1500);

  const second = await spawnServer(['--port', '0', ...(await storeArgs(dataDir))]);
  try {
    const wins = (await (await fetch(`${second.url}/api/envs/run/windows`)).json()) as Window[];
    expect(wins.map((w) => w.id)).toEqual(['notes', 'loss', 'digit']);
    const loss = wins[1];
    if (loss?.content.kind !== 'plot') throw new Error('loss is not a plot');
    const xs = new Set(loss.content.traces[0]?.x);
    const lost = acked.filter((i) => !xs.has(i));
    expect(lost).toEqual([]);
    // Points come back in the order they were acknowledged.
    expect(loss.content.traces[0]?.x?.slice(0, acked.length)).toEqual([...acked].sort((a, b) => a - b));
    expect(loss.layout).toEqual({ x: 6, y: 1, w: 5, h: 4 });
    const digit = wins[2];
    if (digit?.content.kind !== 'image') throw new Error('digit is not an image');
    const png = await fetch(second.url + (digit.content.images[0]?.url ?? ''));
    expect(png.status).toBe(200);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});
