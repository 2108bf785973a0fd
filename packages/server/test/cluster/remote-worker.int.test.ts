/**
 * Remote workers against the real Redis on 127.0.0.1:6379: a server with
 * `--workers 0` hands `featureMaps` to a `cnnvis-worker` process through the
 * BullMQ queue; the worker fetches the model by hash and posts the maps back
 * over HTTP, and the run equals the one a single box makes. A worker killed
 * (-9) holding a job has it retried on another; `/api/status` lists the
 * workers. The queue's name is unique to this file, so parallel runs never
 * share jobs.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';
import type { RuntimeStatus } from '@cnnvis/protocol';
import { eventually, startServer, type TestServer } from '../../../../test/support/start-server';
import { fetchMap } from '../../../../test/support/analysis';
import { CONVNET_PATH, convnetReference } from '../../../../test/support/models';
import { spawnWorker, type WorkerProcess } from '../../../../test/support/spawn-worker';

const REDIS = 'redis://127.0.0.1:6379';
const QUEUE = `cnnvis-test-${process.pid}-${Date.now()}`;
const TOKEN = 'remote-worker-test-token';
const reference = convnetReference();
const input = { data: Float32Array.from(reference.input.data), shape: reference.input.shape };

let server: TestServer;
let hang: { url: string; close(): void };
const workers: WorkerProcess[] = [];
let started = 0;

/** A server that accepts every request and never answers: a worker sent there holds its job until killed. */
async function hangingServer(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const http: Server = createHttpServer(() => undefined);
  http.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      http.close();
    },
  };
}

const worker = async (url: string, provider = 'cpu') => {
  const w = await spawnWorker(['--server', url, '--redis-url', REDIS, '--token', TOKEN, '--job-queue', QUEUE, '--provider', provider, '--stalled-timeout', '2', '--cache-dir', `${server.dataDir}/worker-${started++}`]);
  workers.push(w);
  return w;
};

const status = async (): Promise<RuntimeStatus> => (await fetch(`${server.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<RuntimeStatus>;

beforeAll(async () => {
  server = await startServer({ workers: 0, redisUrl: REDIS, redisPrefix: QUEUE, jobQueue: QUEUE, token: TOKEN });
  hang = await hangingServer();
});
afterEach(async () => {
  for (const w of workers.splice(0)) {
    w.child.kill('SIGKILL');
    await w.exited;
  }
});
afterAll(async () => {
  hang.close();
  await server.close();
});

test('with no worker connected, a job fails at once naming the way out', async () => {
  const viz = new CnnVis({ url: server.url, env: 'remote', token: TOKEN });
  try {
    const err: unknown = await viz.featureMaps(CONVNET_PATH, input).catch((e: unknown) => e);
    expect(isCnnvisClientError(err) && err.code).toBe('UNAVAILABLE');
    expect((err as Error).message).toMatch(/no cnnvis-worker is connected to the job queue/);
    // Results are taken only with the token, and only for a job a worker is running.
    const put = (path: string, headers: Record<string, string>) => fetch(`${server.url}/api/jobs/${path}`, { method: 'PUT', body: '{}', headers });
    expect((await put('some-job/result', {})).status).toBe(401);
    const unknown = await put('some-job/maps', { authorization: `Bearer ${TOKEN}` });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: 'no job some-job is running' } });
  } finally {
    await viz.disconnect();
  }
});

test('featureMaps runs on the worker (CUDA asked, CPU reported) and equals the single-box run; /api/status lists the worker', async () => {
  const w = await worker(server.url, 'cuda');
  const single = await startServer({ workers: 1 });
  const remote = new CnnVis({ url: server.url, env: 'remote', token: TOKEN });
  const local = new CnnVis({ url: single.url, env: 'local' });
  try {
    const stages: string[] = [];
    const got = await remote.featureMaps(CONVNET_PATH, input, { onProgress: (p) => stages.push(p.stage) });
    const want = await local.featureMaps(CONVNET_PATH, input);
    expect(got.provider).toBe('cpu');
    expect(stages.join(' ')).toMatch(/queued .*run.* done/); // the worker's progress reaches the SDK, before its answer
    expect(got.layers.map((l) => [l.node, l.shape, l.stats])).toEqual(want.layers.map((l) => [l.node, l.shape, l.stats]));
    for (const layer of want.layers) {
      const [a, b] = await Promise.all([fetchMap(server.url, got.runId, layer.tensor, TOKEN), fetchMap(single.url, want.runId, layer.tensor)]);
      expect({ ...a.meta, url: '' }).toEqual({ ...b.meta, url: '' });
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    }
    const listed = (await status()).queue?.workers.find((r) => r.id === w.id);
    expect(listed).toMatchObject({ available: ['cpu'], lastUsed: 'cpu', gpu: null, running: 0, queued: 0 });

    // Sent to another server of the cluster: the worker posts to the first, the second hears it through Redis.
    const other = await startServer({ workers: 0, redisUrl: REDIS, redisPrefix: QUEUE, jobQueue: QUEUE, token: TOKEN });
    const viaOther = new CnnVis({ url: other.url, env: 'remote', token: TOKEN });
    try {
      const got2 = await viaOther.featureMaps(CONVNET_PATH, input);
      expect(got2.layers.map((l) => l.stats)).toEqual(want.layers.map((l) => l.stats));
      const tensor = want.layers[0]?.tensor ?? '';
      expect((await fetchMap(other.url, got2.runId, tensor, TOKEN)).bytes).toEqual((await fetchMap(single.url, want.runId, tensor)).bytes);
    } finally {
      await viaOther.disconnect();
      await other.close();
    }

    // Dataset statistics and an attribution, whose results are typed arrays, cross the queue whole.
    const flipped = { data: input.data.map((v) => -v), shape: input.shape };
    const [dataRemote, dataLocal] = await Promise.all([remote.featureMaps(CONVNET_PATH, [input, flipped], { batch: 2 }), local.featureMaps(CONVNET_PATH, [input, flipped], { batch: 2 })]);
    expect(dataRemote.layers).toEqual(dataLocal.layers);
    const occlusion = { method: 'occlusion', patch: 8, stride: 8 } as const;
    const [attrRemote, attrLocal] = await Promise.all([remote.attribution(CONVNET_PATH, input, occlusion), local.attribution(CONVNET_PATH, input, occlusion)]);
    expect(attrRemote.heatmap).toEqual(attrLocal.heatmap);
    expect(attrRemote).toMatchObject({ provider: 'cpu', passes: attrLocal.passes });
  } finally {
    await remote.disconnect();
    await local.disconnect();
    await single.close();
  }
});

test('a server with --workers 0 and no job queue fails a job saying why, and keeps serving', async () => {
  const lone = await startServer({ workers: 0 });
  const viz = new CnnVis({ url: lone.url, env: 'none' });
  try {
    const err: unknown = await viz.featureMaps(CONVNET_PATH, input).catch((e: unknown) => e);
    expect(isCnnvisClientError(err) && err.code).toBe('UNAVAILABLE');
    expect((err as Error).message).toMatch(/runs no models \(--workers 0\) and has no job queue/);
    // Uploads are still read here: the model's graph is known.
    expect((await viz.modelGraph(CONVNET_PATH)).win).toBeDefined();
  } finally {
    await viz.disconnect();
    await lone.close();
  }
});

test('kill -9 of the worker holding a job: the job is retried on a second worker and succeeds', async () => {
  const first = await worker(hang.url); // takes the job, then hangs fetching the model
  const viz = new CnnVis({ url: server.url, env: 'retry', token: TOKEN });
  try {
    const run = viz.featureMaps(CONVNET_PATH, input);
    await eventually(async () => (await status()).queue?.workers.find((r) => r.id === first.id)?.queued === 1, 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await worker(server.url);
    const result = await run;
    for (const ref of reference.layers) expect(result.layers.find((l) => l.tensor === ref.tensor)?.stats.mean).toBeCloseTo(ref.stats.mean, 4);
    const listed = (await status()).queue?.workers.find((r) => r.id === second.id);
    expect(listed?.lastUsed).toBe('cpu');
  } finally {
    await viz.disconnect();
  }
}, 60_000);

test('a job whose worker dies twice fails, saying it was retried once', async () => {
  const holders = [await worker(hang.url), await worker(hang.url)];
  const viz = new CnnVis({ url: server.url, env: 'retry', token: TOKEN });
  try {
    const run = viz.featureMaps(CONVNET_PATH, input).catch((e: unknown) => e);
    for (let round = 0; round < 2; round++) {
      // Whichever worker holds the job dies; the other (alive, or a fresh one) notices the lapsed lock.
      const holder = await eventually(async () => {
        const listed = (await status()).queue?.workers ?? [];
        return holders.find((h) => listed.some((r) => r.id === h.id && r.running + r.queued === 1));
      }, 20_000);
      if (holder === undefined) throw new Error('no worker took the job');
      holder.child.kill('SIGKILL');
      await holder.exited;
      holders.splice(holders.indexOf(holder), 1, await worker(hang.url));
    }
    const err = await run;
    expect(isCnnvisClientError(err) && err.code).toBe('UNAVAILABLE');
    expect((err as Error).message).toMatch(/stopped before finishing it .* twice: it was retried once/);
  } finally {
    await viz.disconnect();
  }
}, 60_000);
