/**
 * Every size has a limit with a clear refusal naming its flag: image pixels,
 * points per trace, windows per env. Checked through the real server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Window } from '@cnnvis/protocol';
import { encodePng } from '../../src/images/png-encode';
import { parseCli, usage } from '../../src/cli-args';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { call, callOk, connectSocket, type TestSocket } from '../../../../test/support/socket-client';

let server: TestServer | undefined;
let socket: TestSocket | undefined;
afterEach(async () => {
  socket?.close();
  await server?.close();
  server = socket = undefined;
});

async function start(opts: Parameters<typeof startServer>[0]): Promise<TestSocket> {
  server = await startServer(opts);
  socket = await connectSocket(server.url);
  return socket;
}

const plot = (win: string, n: number, env = 'lim') => ({
  env,
  win,
  content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, () => 1) }] },
});
const append = (win: string, n: number, name = 'train') => ({
  env: 'lim',
  win,
  op: { type: 'append', traces: [{ name, x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, () => 2) }] },
});
const rawImage = (w: number, h: number) => ({
  env: 'lim',
  win: 'img',
  content: { kind: 'image', images: [{ encoding: 'raw', shape: [h, w], data: new Uint8Array(w * h) }] },
});

/** A PNG whose header claims `w × h` (the server reads sizes from headers, never decodes). */
function pngClaiming(w: number, h: number): Uint8Array {
  const png = Buffer.from(encodePng(new Uint8Array(1), 1, 1, 1));
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  return png;
}

test('an image over --max-image-pixels is refused with 413, raw or from a PNG header', async () => {
  const s = await start({ maxImagePixels: 10_000 });
  await callOk(s, 'window:create', rawImage(100, 100));
  const raw = await call(s, 'window:create', rawImage(101, 100));
  expect(raw).toEqual({ error: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }) });
  const message = 'error' in raw ? raw.error.message : '';
  console.log(`raw 101×100 refused: ${message}`);
  expect(message).toMatch(/content\.images\[0\].*101×100.*10,100 pixels.*10,000.*--max-image-pixels/);

  const png = await call(s, 'window:create', {
    env: 'lim',
    win: 'bomb',
    content: { kind: 'image', images: [{ encoding: 'png', data: pngClaiming(50_000, 50_000) }] },
  });
  expect('error' in png && png.error.code).toBe('PAYLOAD_TOO_LARGE');
  // The stock Visdom client's data URI gets the same refusal, as HTTP 413.
  const src = `data:image/png;base64,${Buffer.from(pngClaiming(50_000, 50_000)).toString('base64')}`;
  const res = await fetch(`${server?.url}/events`, {
    method: 'POST',
    body: JSON.stringify({ eid: 'lim', win: 'bomb', data: [{ content: { src }, type: 'image' }], opts: {} }),
  });
  console.log(`Visdom PNG claiming 50000×50000: ${res.status} ${await res.text()}`);
  expect(res.status).toBe(413);
  const envs = await callOk<Array<{ id: string; windows: number }>>(s, 'env:list', {});
  expect(envs).toEqual([expect.objectContaining({ id: 'lim', windows: 1 })]);
});

test('a trace takes points up to --max-points-per-trace; an append past it is refused and writes nothing', async () => {
  const s = await start({ maxPointsPerTrace: 100 });
  await callOk(s, 'window:create', plot('loss', 60));
  await callOk(s, 'window:update', append('loss', 40));
  const over = await call(s, 'window:update', append('loss', 1));
  expect(over).toEqual({ error: expect.objectContaining({ code: 'CONFLICT' }) });
  const message = 'error' in over ? over.error.message : '';
  console.log(`append past 100 points refused: ${message}`);
  expect(message).toMatch(/trace 'train' holds 100 points; 1 more would pass the limit of 100.*--max-points-per-trace/);

  // Another trace has its own count; a replace starts over; a create that alone is too big is 413.
  await callOk(s, 'window:update', append('loss', 100, 'val'));
  await callOk(s, 'window:update', { env: 'lim', win: 'loss', op: { type: 'replace', traces: [{ name: 'train', x: [0], y: [0] }] } });
  await callOk(s, 'window:update', append('loss', 99));
  expect(await call(s, 'window:update', append('loss', 1))).toEqual({ error: expect.objectContaining({ code: 'CONFLICT' }) });
  expect(await call(s, 'window:create', plot('big', 101))).toEqual({ error: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }) });

  const win = await callOk<Window>(s, 'window:get', { env: 'lim', win: 'loss' });
  const lengths = win.content.kind === 'plot' ? win.content.traces.map((t) => [t.name, t.x?.length]) : [];
  expect(lengths).toEqual([['train', 100], ['val', 100]]);
});

test('a heatmap grows up to --max-points-per-trace cells', async () => {
  const s = await start({ maxPointsPerTrace: 12 });
  await callOk(s, 'window:create', { env: 'lim', win: 'hm', content: { kind: 'plot', traces: [{ name: 'h', type: 'heatmap', z: [[1, 2, 3], [4, 5, 6]] }] } });
  await callOk(s, 'window:update', { env: 'lim', win: 'hm', op: { type: 'heatmap', edge: 'appendRow', z: [[7, 8, 9]] } });
  await callOk(s, 'window:update', { env: 'lim', win: 'hm', op: { type: 'heatmap', edge: 'appendRow', z: [[7, 8, 9]] } });
  const over = await call(s, 'window:update', { env: 'lim', win: 'hm', op: { type: 'heatmap', edge: 'appendColumn', z: [[0], [0], [0], [0]] } });
  expect(over).toEqual({ error: expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/--max-points-per-trace/) }) });
});

test('an env takes windows up to --max-windows-per-env; replacing, closing and other envs still work', async () => {
  const s = await start({ maxWindowsPerEnv: 3 });
  for (const win of ['a', 'b', 'c']) await callOk(s, 'window:create', plot(win, 1));
  const over = await call(s, 'window:create', plot('d', 1));
  expect(over).toEqual({ error: expect.objectContaining({ code: 'CONFLICT' }) });
  const message = 'error' in over ? over.error.message : '';
  console.log(`4th window refused: ${message}`);
  expect(message).toMatch(/env 'lim' already holds 3 windows.*--max-windows-per-env/);
  await callOk(s, 'window:create', plot('a', 2)); // a replacement is no new window
  await callOk(s, 'window:create', plot('d', 1, 'other'));
  await callOk(s, 'window:close', { env: 'lim', win: 'b' });
  await callOk(s, 'window:create', plot('d', 1));

  // The stock Visdom client hits the same limit: HTTP 409.
  const res = await fetch(`${server?.url}/events`, {
    method: 'POST',
    body: JSON.stringify({ eid: 'lim', win: 'e', data: [{ x: [1], y: [1], type: 'scatter' }], layout: {}, opts: {} }),
  });
  expect(res.status).toBe(409);
});

test('each limit has a flag and an environment variable, listed in --help', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-limits-'));
  const cmd = parseCli(
    ['--max-image-pixels', '1_000_000', '--max-points-per-trace', '5000', '--max-client-buffer', '2mb', '--max-queued-jobs', '4'],
    { CNNVIS_DATA_DIR: dataDir, CNNVIS_MAX_WINDOWS_PER_ENV: '50', CNNVIS_MAX_MESSAGE_RATE: '300' },
  );
  expect(cmd).toEqual({
    kind: 'serve',
    options: expect.objectContaining({
      maxImagePixels: 1_000_000,
      maxPointsPerTrace: 5000,
      maxWindowsPerEnv: 50,
      maxMessageRate: 300,
      maxClientBufferBytes: 2 * 1024 ** 2,
      maxQueuedJobs: 4,
    }),
  });
  expect(() => parseCli(['--max-windows-per-env', '0'], { CNNVIS_DATA_DIR: dataDir })).toThrow(/--max-windows-per-env must be a whole number of at least 1 \(got "0"\)/);
  expect(() => parseCli([], { CNNVIS_DATA_DIR: dataDir, CNNVIS_MAX_MESSAGE_RATE: 'fast' })).toThrow(/CNNVIS_MAX_MESSAGE_RATE must be a whole number/);
  for (const flag of ['max-image-pixels', 'max-points-per-trace', 'max-windows-per-env', 'max-message-rate', 'max-client-buffer', 'max-queued-jobs']) {
    expect(usage()).toContain(`--${flag} `);
  }
  rmSync(dataDir, { recursive: true, force: true });
});
