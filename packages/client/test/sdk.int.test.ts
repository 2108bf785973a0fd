/**
 * The SDK against the real server: each call must create or change the right
 * window (read back over the socket and over HTTP), and a browser-like
 * subscriber must see exactly the deltas the SDK's calls imply.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import WebSocket from 'ws';
import type { ImageContent, PlotContent, Window, WindowDelta } from '@cnnvis/protocol';
import { CnnVis, CnnvisClientError, isCnnvisClientError } from '@cnnvis/client';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { callOk, connectSocket, record, type TestSocket } from '../../../test/support/socket-client';
import { decodePng, encodePng, interleave, PNG_SIGNATURE } from './png';

const ENV = 'sdk';

let server: TestServer;
let viz: CnnVis;
let sub: TestSocket;
let seen: Array<{ event: string; payload: unknown }>;

async function setUp(opts: Parameters<typeof startServer>[0] = {}): Promise<void> {
  server = await startServer(opts);
  viz = new CnnVis({ url: server.url, env: ENV, ackTimeoutMs: 20_000 });
  sub = await connectSocket(server.url);
  await callOk(sub, 'env:subscribe', { env: ENV });
  seen = record(sub, ['window:created', 'window:updated', 'window:closed']);
}

afterEach(async () => {
  jest.restoreAllMocks();
  await viz?.disconnect();
  sub?.disconnect();
  await server?.close();
});

async function fetchJson<T>(path: string): Promise<T> {
  const res = await fetch(server.url + path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The window over HTTP, checked to equal what the SDK reads back. */
async function readBack(win: string, env = ENV): Promise<Window> {
  const viaSdk = await viz.getWindow(win, { env });
  const viaHttp = await fetchJson<Window>(`/api/envs/${env}/windows/${win}`);
  expect(viaHttp).toEqual(viaSdk);
  return viaSdk;
}

function plot(win: Window): PlotContent {
  if (win.content.kind !== 'plot') throw new Error(`window ${win.id} is ${win.content.kind}`);
  return win.content;
}

/** Deltas the subscriber has seen for `win`. */
function deltas(win: string): WindowDelta[] {
  return seen.filter((s) => s.event === 'window:updated').map((s) => s.payload as WindowDelta).filter((d) => d.win === win);
}

/** Every request the SDK sends on its WebSocket, decoded from socket.io's packets: `[event, payload]`. */
function spySentRequests(): () => unknown[][] {
  const spy = jest.spyOn(WebSocket.prototype, 'send');
  return () => {
    const requests: unknown[][] = [];
    const decoders = new Map<unknown, Decoder>();
    spy.mock.calls.forEach(([data], i) => {
      const ws = spy.mock.contexts[i];
      let decoder = decoders.get(ws);
      if (decoder === undefined) {
        decoder = new Decoder();
        decoder.on('decoded', (p: Packet) => {
          if (p.type === PacketType.EVENT || p.type === PacketType.BINARY_EVENT) requests.push(p.data as unknown[]);
        });
        decoders.set(ws, decoder);
      }
      // An engine.io message starts with '4' (pings do not); binary attachments go as they are.
      if (typeof data !== 'string') decoder.add(data);
      else if (data.startsWith('4')) decoder.add(data.slice(1));
    });
    return requests;
  };
}

/** Count SDK requests that write `win` (the subscriber sends none). */
function countWrites(win: string): () => number {
  const requests = spySentRequests();
  return () =>
    requests().filter(([event, payload]) =>
      (event === 'window:create' || event === 'window:update') && (payload as { win?: string }).win === win,
    ).length;
}

async function fetchImage(image: { url: string }): Promise<Buffer> {
  const res = await fetch(server.url + image.url);
  expect(res.ok).toBe(true);
  return Buffer.from(await res.arrayBuffer());
}

describe('line and scatter', () => {
  beforeEach(() => setUp());

  it('creates a window with one trace per series, display options included', async () => {
    const ack = await viz.line({ x: [1, 2], y: [[1, 2], [3, 4]] }, { win: 'loss', legend: ['train', 'val'], title: 'Loss' });
    expect(ack).toEqual({ env: ENV, win: 'loss', rev: expect.any(Number) });
    const win = await readBack('loss');
    expect(win.opts).toEqual({ legend: ['train', 'val'], title: 'Loss' });
    expect(plot(win).traces).toEqual([
      { name: 'train', type: 'scatter', mode: 'lines', x: [1, 2], y: [1, 2] },
      { name: 'val', type: 'scatter', mode: 'lines', x: [1, 2], y: [3, 4] },
    ]);
    await eventually(() => seen.some((s) => s.event === 'window:created' && (s.payload as Window).id === 'loss'));
  });

  it('appends in one round trip, and the subscriber gets only the new points', async () => {
    await viz.line({ x: [0], y: [[1], [2]] }, { win: 'loss', legend: ['train', 'val'] });
    const writes = countWrites('loss');
    const ack = await viz.line({ x: [1, 2], y: [0.5, 0.25] }, { win: 'loss', update: 'append', name: 'train' });
    expect(writes()).toBe(1);
    await eventually(() => deltas('loss').length === 1);
    expect(deltas('loss')[0]).toEqual({
      env: ENV,
      win: 'loss',
      rev: ack.rev,
      op: { type: 'append', traces: [{ name: 'train', x: [1, 2], y: [0.5, 0.25] }] },
    });
    expect(plot(await readBack('loss')).traces[0]).toMatchObject({ x: [0, 1, 2], y: [1, 0.5, 0.25] });
  });

  it('appends a 2-D y to the traces by index, and a 1-D y to trace 0', async () => {
    await viz.line({ x: [0], y: [[1], [2]] }, { win: 'acc', legend: ['train', 'val'] });
    await viz.line({ x: [1], y: [[3], [4]] }, { win: 'acc', update: 'append' });
    await viz.line({ x: [2], y: [5] }, { win: 'acc', update: 'append' });
    const traces = plot(await readBack('acc')).traces;
    expect(traces.map((t) => [t.name, t.x, t.y])).toEqual([
      ['train', [0, 1, 2], [1, 3, 5]],
      ['val', [0, 1], [2, 4]],
    ]);
    await eventually(() => deltas('acc').length === 2);
    // The server resolves index selectors to names in the delta.
    expect(deltas('acc')[0]?.op).toEqual({
      type: 'append',
      traces: [{ name: 'train', x: [1], y: [3] }, { name: 'val', x: [1], y: [4] }],
    });
  });

  it('appending to an unknown trace name creates that trace', async () => {
    await viz.line({ x: [0], y: [1] }, { win: 'loss', name: 'train' });
    await viz.line({ x: [0, 1], y: [9, 8] }, { win: 'loss', update: 'append', name: 'test' });
    expect(plot(await readBack('loss')).traces).toEqual([
      { name: 'train', type: 'scatter', mode: 'lines', x: [0], y: [1] },
      { name: 'test', type: 'scatter', mode: 'lines', x: [0, 1], y: [9, 8] },
    ]);
  });

  it('creates the window on the first append when it does not exist, in that one request', async () => {
    const writes = countWrites('fresh');
    await viz.line({ x: [0], y: [1] }, { win: 'fresh', update: 'append', name: 'train', title: 'Fresh' });
    expect(writes()).toBe(1); // the server creates the window the update carries
    await eventually(() => seen.some((s) => s.event === 'window:created' && (s.payload as Window).id === 'fresh'));
    await viz.line({ x: [1], y: [2] }, { win: 'fresh', update: 'append', name: 'train' });
    expect(writes()).toBe(2);
    await eventually(() => deltas('fresh').length === 1);
    const win = await readBack('fresh');
    expect(win.opts).toEqual({ title: 'Fresh' });
    expect(plot(win).traces).toEqual([{ name: 'train', type: 'scatter', mode: 'lines', x: [0, 1], y: [1, 2] }]);
    // Index appends create a missing window too, with traces named by index.
    await viz.line({ x: [0], y: [[1], [2]] }, { win: 'fresh2', update: 'append' });
    expect(plot(await readBack('fresh2')).traces.map((t) => t.name)).toEqual(['trace 0', 'trace 1']);
  });

  it('keeps every point of appends fired in parallel at a missing window', async () => {
    await Promise.all([0, 1, 2, 3, 4].map((i) => viz.line({ x: [i], y: [i * 10] }, { win: 'burst', update: 'append', name: 't' })));
    const trace = plot(await readBack('burst')).traces[0];
    expect([...(trace?.x ?? [])].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(trace?.y).toHaveLength(5);
  });

  it('sends the appends of one tick to a window as one message, in call order, answering every call', async () => {
    await viz.line({ x: [0], y: [[0], [0]] }, { win: 'tick', legend: ['a', 'b'] });
    const writes = countWrites('tick');
    const other = countWrites('elsewhere');
    const calls = Array.from({ length: 3000 }, (_, i) => i + 1).map((i) =>
      i % 1000 === 0
        ? viz.line({ x: [i], y: [i] }, { win: 'elsewhere', update: 'append', name: 'c' })
        : viz.line({ x: [i], y: [[i], [-i]] }, { win: 'tick', update: 'append' }),
    );
    const acks = await Promise.all(calls);
    expect(writes()).toBe(1);
    expect(other()).toBe(1);
    expect(new Set(acks.filter((a) => a.win === 'tick').map((a) => a.rev)).size).toBe(1);
    const expected = Array.from({ length: 3000 }, (_, i) => i + 1).filter((i) => i % 1000 !== 0);
    const traces = plot(await readBack('tick')).traces;
    expect(traces[0]?.x).toEqual([0, ...expected]);
    expect(traces[1]?.y).toEqual([0, ...expected.map((i) => -i)]);
    expect(plot(await readBack('elsewhere')).traces[0]?.x).toEqual([1000, 2000, 3000]);
    // A request of another kind goes out after the appends made before it.
    const before = viz.line({ x: [9000], y: [[1], [1]] }, { win: 'tick', update: 'append' });
    const replaced = viz.line({ x: [1], y: [[2], [2]] }, { win: 'tick', update: 'replace' });
    await Promise.all([before, replaced]);
    expect(plot(await readBack('tick')).traces[0]?.x).toEqual([1]);
  });

  it('fails every call of a refused batch with the server\'s error', async () => {
    await viz.line({ x: [0], y: [0] }, { win: 'one-trace', name: 'only' });
    const results = await Promise.allSettled([1, 2, 3].map((i) => viz.line({ x: [i], y: [[i], [i]] }, { win: 'one-trace', update: 'append' })));
    expect(results.map((r) => r.status === 'rejected' && isCnnvisClientError(r.reason) && r.reason.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(plot(await readBack('one-trace')).traces[0]?.x).toEqual([0]);
  });

  it('does not replace an existing window when an index append names a trace it lacks', async () => {
    await viz.line({ x: [0], y: [1] }, { win: 'one', name: 'only' });
    const err = await viz.line({ x: [1], y: [[1], [2]] }, { win: 'one', update: 'append' }).catch((e: unknown) => e);
    expect(isCnnvisClientError(err) && err.code).toBe('NOT_FOUND');
    expect((err as Error).message).toMatch(/index/);
    expect(plot(await readBack('one')).traces).toEqual([{ name: 'only', type: 'scatter', mode: 'lines', x: [0], y: [1] }]);
  });

  it('replaces the points of a trace, and removes a trace', async () => {
    await viz.line({ x: [0, 1], y: [[1, 2], [3, 4]] }, { win: 'l', legend: ['a', 'b'] });
    await viz.line({ x: [5], y: [6] }, { win: 'l', update: 'replace', name: 'a' });
    await viz.line(null, { win: 'l', update: 'remove', name: 'b' });
    expect(plot(await readBack('l')).traces).toEqual([{ name: 'a', type: 'scatter', mode: 'lines', x: [5], y: [6] }]);
    await eventually(() => deltas('l').length === 2);
    expect(deltas('l').map((d) => d.op)).toEqual([
      { type: 'replace', traces: [{ name: 'a', x: [5], y: [6] }] },
      { type: 'remove', name: 'b' },
    ]);
  });

  it('draws scatter traces with markers and line markers on request', async () => {
    await viz.scatter({ x: ['a', 'b'], y: new Float32Array([1, 2]) }, { win: 's', markersize: 3 });
    await viz.line({ x: [0], y: [NaN] }, { win: 'm', markers: true });
    expect(plot(await readBack('s')).traces[0]).toMatchObject({ mode: 'markers', x: ['a', 'b'], y: [1, 2] });
    expect((await readBack('s')).opts).toEqual({ markersize: 3 });
    expect(plot(await readBack('m')).traces[0]).toMatchObject({ mode: 'lines+markers', y: [null] });
  });
});

describe('bar, histogram, heatmap and text', () => {
  beforeEach(() => setUp());

  it('creates bars and a binned histogram', async () => {
    await viz.bar({ y: [[1, 2], [3, 4]], x: ['cat', 'dog'] }, { win: 'bar', legend: ['p', 'q'], stacked: true });
    const bar = await readBack('bar');
    expect(bar.opts).toMatchObject({ stacked: true });
    expect(plot(bar).traces.map((t) => [t.type, t.name, t.y])).toEqual([['bar', 'p', [1, 2]], ['bar', 'q', [3, 4]]]);

    const values = Float64Array.from({ length: 1000 }, (_, i) => i % 100);
    await viz.histogram({ values }, { win: 'hist', numbins: 10 });
    const [trace] = plot(await readBack('hist')).traces;
    expect(trace).toMatchObject({ type: 'bar', name: 'histogram' });
    expect(trace?.y).toEqual(new Array(10).fill(100));
    expect(trace?.x?.[0]).toBeCloseTo(4.95);
  });

  it('grows a heatmap on each edge', async () => {
    await viz.heatmap({ z: [[1, 2], [3, 4]], x: ['a', 'b'] }, { win: 'hm', colormap: 'Viridis', zmin: 0 });
    await viz.heatmap({ z: [[5, 6]] }, { win: 'hm', update: 'appendRow' });
    await viz.heatmap({ z: [[0, 0]] }, { win: 'hm', update: 'prependRow' });
    await viz.heatmap({ z: [[7], [8], [9], [10]] }, { win: 'hm', update: 'appendColumn' });
    await viz.heatmap({ z: [[-1], [-2], [-3], [-4]] }, { win: 'hm', update: 'prependColumn' });
    const win = await readBack('hm');
    expect(win.opts).toEqual({ colormap: 'Viridis', zmin: 0 });
    expect(plot(win).traces[0]?.z).toEqual([
      [-1, 0, 0, 7],
      [-2, 1, 2, 8],
      [-3, 3, 4, 9],
      [-4, 5, 6, 10],
    ]);
    await eventually(() => deltas('hm').length === 4);
    expect(deltas('hm')[0]?.op).toEqual({ type: 'heatmap', edge: 'appendRow', z: [[5, 6]] });
    // Creating on the first edge update, as appends do.
    await viz.heatmap({ z: [[1, 2]] }, { win: 'hm2', update: 'appendRow' });
    expect(plot(await readBack('hm2')).traces[0]?.z).toEqual([[1, 2]]);
  });

  it('writes and appends text, creating the pane on the first append', async () => {
    await viz.text('a', { win: 'log', append: true });
    await viz.text('b', { win: 'log', append: true });
    const win = await readBack('log');
    expect(win.content).toEqual({ kind: 'text', text: 'ab' });
    await eventually(() => deltas('log').length === 1);
    expect(deltas('log')[0]?.op).toEqual({ type: 'appendText', text: 'b' });
    await viz.text('<b>new</b>', { win: 'log', title: 'Log' });
    expect((await readBack('log')).content).toEqual({ kind: 'text', text: '<b>new</b>' });
  });

  it('merges display options with updateOpts', async () => {
    await viz.line({ x: [1], y: [1] }, { win: 'o', title: 'a' });
    await viz.updateOpts('o', { ytype: 'log' });
    expect((await readBack('o')).opts).toEqual({ title: 'a', ytype: 'log' });
  });
});

describe('images', () => {
  beforeEach(() => setUp());

  function images(win: Window): ImageContent['images'] {
    if (win.content.kind !== 'image') throw new Error('not an image window');
    return win.content.images;
  }

  it('sends raw bytes as binary and serves them back as PNG', async () => {
    const data = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10);
    const spy = jest.spyOn(WebSocket.prototype, 'send');
    const requests = spySentRequests();
    await viz.image({ data, shape: [3, 2, 3] }, { win: 'rgb', caption: 'tiny' });
    // The pixels go out as a binary attachment holding the raw bytes, not as base64 or a JSON array.
    const binary = spy.mock.calls.map(([d]) => d).filter((d) => typeof d !== 'string');
    expect(binary.map((d) => Buffer.from(d as Uint8Array))).toEqual([Buffer.from(data)]);
    const sent = requests() as Array<[string, { content: { images: Array<{ data: unknown }> } }]>;
    expect(sent.map(([event, payload]) => [event, payload.content.images[0]?.data])).toEqual([['window:create', Buffer.from(data)]]);
    const win = await readBack('rgb');
    expect(win.opts).toEqual({ caption: 'tiny' });
    const [ref] = images(win);
    expect(ref).toMatchObject({ mime: 'image/png', width: 3, height: 2, caption: 'tiny' });
    const png = await fetchImage(ref ?? { url: '' });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const decoded = decodePng(png);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([3, 2, 3]);
    // Pixel (x=1, y=0) is R=data[1], G=data[6], B=data[12].
    expect(Array.from(decoded.pixels.subarray(3, 6))).toEqual([10, 70, 130]);
  });

  it('normalises float pixels to 0..255', async () => {
    // Largest value <= 1: scaled by 255, clamped, rounded.
    await viz.image({ data: new Float32Array([-0.5, 0.25, 0.5, 1]), shape: [2, 2] }, { win: 'grey' });
    const decoded = decodePng(await fetchImage(images(await readBack('grey'))[0] ?? { url: '' }));
    expect(decoded.channels).toBe(1);
    expect(Array.from(decoded.pixels)).toEqual([0, 64, 128, 255]);
    // Larger values are taken as 0..255 already.
    await viz.image({ data: new Float64Array([0.4, 2.5, 254.6, 300]), shape: [1, 2, 2] }, { win: 'grey2' });
    const decoded2 = decodePng(await fetchImage(images(await readBack('grey2'))[0] ?? { url: '' }));
    expect(Array.from(decoded2.pixels)).toEqual([0, 3, 255, 255]);
  });

  it('float images sent at once and one after another arrive intact, though the SDK reuses their buffers', async () => {
    // 150 KB an image, big enough to be pooled; 40 in flight fill the socket, so frames wait for their writes
    const [c, h, w] = [3, 224, 224];
    const make = (seed: number) => Float32Array.from({ length: c * h * w }, (_, i) => Math.fround(((i * seed + seed) % 256) / 255));
    // The served PNG decodes to the bytes each float stands for (how it is encoded is the server's business).
    const expected = (seed: number) => {
      const planar = new Uint8Array(c * h * w);
      for (let i = 0; i < planar.length; i++) planar[i] = (i * seed + seed) % 256;
      return interleave(planar, c);
    };
    const intact = async (win: string, seed: number) => {
      const png = decodePng(await fetchImage(images(await viz.getWindow(win))[0] ?? { url: '' }));
      return png.channels === c && Buffer.from(png.pixels).equals(expected(seed));
    };
    const seeds = Array.from({ length: 40 }, (_, i) => 2 * i + 3);
    await Promise.all(seeds.map((seed) => viz.image({ data: make(seed), shape: [c, h, w] }, { win: `f${seed}` })));
    for (const seed of seeds) expect([seed, await intact(`f${seed}`, seed)]).toEqual([seed, true]);
    for (const seed of [101, 103, 105, 107]) {
      await viz.image({ data: make(seed), shape: [c, h, w] }, { win: 'same' });
      expect(await intact('same', seed)).toBe(true);
    }
  });

  it('passes PNG bytes, and PNG files, through unchanged', async () => {
    const png = encodePng(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3, 2, 1);
    await viz.image(png, { win: 'png' });
    const [ref] = images(await readBack('png'));
    expect(ref).toMatchObject({ mime: 'image/png', width: 3, height: 2 });
    expect((await fetchImage(ref ?? { url: '' })).equals(png)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'cnnvis-sdk-'));
    try {
      const file = join(dir, 'tiny.png');
      writeFileSync(file, png);
      await viz.image(file, { win: 'file' });
      expect((await fetchImage(images(await readBack('file'))[0] ?? { url: '' })).equals(png)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('composes a batch into one grid image', async () => {
    const batch = new Uint8Array(3 * 2 * 2);
    for (let k = 0; k < 3; k++) batch.fill(50 * (k + 1), k * 4, (k + 1) * 4);
    await viz.images({ data: batch, shape: [3, 1, 2, 2] }, { win: 'grid', nrow: 2, padding: 1 });
    const refs = images(await readBack('grid'));
    expect(refs).toHaveLength(1);
    const grid = decodePng(await fetchImage(refs[0] ?? { url: '' }));
    expect([grid.width, grid.height]).toEqual([7, 7]);
    const row = (y: number) => Array.from(grid.pixels.subarray(y * 7, (y + 1) * 7));
    expect(row(0)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(row(1)).toEqual([0, 50, 50, 0, 100, 100, 0]);
    expect(row(4)).toEqual([0, 150, 150, 0, 0, 0, 0]);
  });

  it('sends a list of images as several images of one window', async () => {
    const png = encodePng(new Uint8Array(4), 2, 2, 1);
    await viz.images([png, { data: new Uint8Array(3 * 4 * 5), shape: [3, 4, 5], caption: 'raw' }], { win: 'list', nrow: 2 });
    const win = await readBack('list');
    expect(win.content).toMatchObject({ kind: 'image', nrow: 2, padding: 2 });
    expect(images(win).map((r) => [r.width, r.height, r.caption])).toEqual([[2, 2, undefined], [5, 4, 'raw']]);
  });
});

describe('windows and envs', () => {
  beforeEach(() => setUp());

  it('closes a window', async () => {
    await viz.text('x', { win: 'gone' });
    await expect(viz.close('gone')).resolves.toEqual({ env: ENV, win: 'gone' });
    await expect(viz.getWindow('gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await eventually(() => seen.some((s) => s.event === 'window:closed' && (s.payload as { win: string }).win === 'gone'));
  });

  it('lists, forks and deletes envs', async () => {
    await viz.text('x', { win: 't' });
    await viz.text('y', { win: 'u', env: 'other' });
    const envs = await viz.envs();
    expect(envs.find((e) => e.id === ENV)).toMatchObject({ windows: 1 });
    expect(envs.find((e) => e.id === 'other')).toMatchObject({ windows: 1 });
    await expect(viz.forkEnv(ENV, 'copy')).resolves.toMatchObject({ id: 'copy', windows: 1 });
    expect((await readBack('t', 'copy')).content).toEqual({ kind: 'text', text: 'x' });
    await expect(viz.deleteEnv('copy')).resolves.toEqual({ env: 'copy' });
    expect((await viz.envs()).map((e) => e.id)).not.toContain('copy');
  });
});

describe('errors', () => {
  beforeEach(() => setUp({ maxPayloadBytes: 200_000 }));

  it('rejects server errors with their code and a message naming the thing', async () => {
    const err = await viz.close('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CnnvisClientError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("'missing'") });

    await viz.heatmap({ z: [[1, 2]] }, { win: 'hm' });
    await expect(viz.heatmap({ z: [[1, 2, 3]] }, { win: 'hm', update: 'appendRow' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^op\.z\[0\]: /),
    });
    await viz.line({ x: [1], y: [1] }, { win: 'plot' });
    await expect(viz.text('x', { win: 'plot', append: true })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^op\.type: /),
    });
  });

  it('rejects bad input before sending, naming the field', async () => {
    const writes = countWrites('w');
    const typo = { win: 'w', titel: 'x' } as unknown as { win: string };
    await expect(viz.line({ x: [1], y: [1] }, typo)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('titel') });
    await expect(viz.line({ x: [1, 2], y: [1] }, { win: 'w' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'y: has 1 values but x has 2' });
    await expect(viz.text('x', { win: 'a/b' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^win: /) });
    await expect(viz.image({ data: new Uint8Array(5), shape: [2, 2] }, { win: 'w' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('content.images[0].data: has 5 bytes'),
    });
    expect(writes()).toBe(0);
  });

  it('refuses a payload over the server limit locally and keeps the connection', async () => {
    await eventually(() => viz.connected);
    await viz.text('before', { win: 'log' });
    const big = { data: new Uint8Array(3 * 300 * 300), shape: [3, 300, 300] as const };
    await expect(viz.image(big, { win: 'big' })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('200000') });
    await viz.text(' after', { win: 'log', append: true });
    expect((await readBack('log')).content).toEqual({ kind: 'text', text: 'before after' });
  });

  it('rejects calls after disconnect with UNAVAILABLE', async () => {
    const pending = viz.text('last', { win: 'last' });
    await viz.disconnect();
    await expect(pending).resolves.toMatchObject({ win: 'last' });
    await expect(viz.text('late', { win: 'late' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('reconnection', () => {
  it('buffers calls made while the server is down and sends them after the reconnect', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-sdk-reconnect-'));
    try {
      await setUp({ dataDir });
      const port = Number(new URL(server.url).port);
      await viz.line({ x: [0], y: [1] }, { win: 'loss', name: 'train' });
      sub.disconnect();
      await server.close();
      await eventually(() => !viz.connected);

      // Made while no server listens: they wait in the SDK's send buffer.
      const buffered = [
        viz.line({ x: [1], y: [2] }, { win: 'loss', update: 'append', name: 'train' }),
        viz.text('while down', { win: 'log' }),
      ];
      server = await startServer({ dataDir, port });
      await Promise.all(buffered);
      expect(viz.connected).toBe(true);
      expect(plot(await readBack('loss')).traces[0]).toMatchObject({ x: [0, 1], y: [1, 2] });
      expect((await readBack('log')).content).toEqual({ kind: 'text', text: 'while down' });
    } finally {
      await viz.disconnect();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
