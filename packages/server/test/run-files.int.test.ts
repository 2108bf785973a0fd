/**
 * Feature maps live in one file per run (`<dataDir>/runs/<runId>.maps`),
 * written by the worker: the bytes served over HTTP are the ones the worker
 * computed, a run's file goes with the last window that shows it, and a file
 * whose run was never recorded is removed when the server starts (on
 * PostgreSQL, whose servers share the folder, once it has lain untouched a while).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createWorkerPool } from '@cnnvis/worker';
import type { FeatureMapsResult, GraphContent, Window } from '@cnnvis/protocol';
import { createTestSchema } from '../../../test/support/pg-schema';
import { startServer, TEST_STORE, type TestServer } from '../../../test/support/start-server';
import { call, callOk, connectSocket, type TestSocket } from '../../../test/support/socket-client';
import { DB_FILE } from '../src/store/open-database';
import { fetchMap, tensorInput, uploadModel } from '../../../test/support/analysis';

const CONVNET = join(__dirname, '..', '..', 'worker', 'test', 'fixtures', 'convnet.onnx');
const input = Float32Array.from({ length: 28 * 28 }, (_, i) => Math.sin(i / 7));

const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-run-files-'));
let server: TestServer;
let socket: TestSocket;
let modelId: string;

async function start(): Promise<void> {
  server = await startServer({ dataDir, provider: 'cpu' });
  socket = await connectSocket(server.url);
}
async function stop(): Promise<void> {
  socket.close();
  await server.close();
}

beforeAll(async () => {
  await start();
  modelId = await uploadModel(server.url, readFileSync(CONVNET));
});
afterAll(async () => {
  await stop();
  // The data dir's PostgreSQL schema stays across the restarts below: it goes with the folder.
  if (TEST_STORE === 'postgres') await (await createTestSchema(undefined, dataDir)).drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Where the store keeps a run's per-channel statistics: its `run_channel_stats` row (the server stopped). */
/** One row of the suite's store, `sql` written with one `?` for the run's id. */
async function storeRow<T>(sql: string, runId: string): Promise<T> {
  if (TEST_STORE === 'sqlite') {
    const db = new Database(join(dataDir, DB_FILE));
    try {
      return db.prepare(sql).get(runId) as T;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: (await createTestSchema(undefined, dataDir)).url });
  await client.connect();
  try {
    return (await client.query(sql.replace('?', '$1'), [runId])).rows[0] as T;
  } finally {
    await client.end();
  }
}

const run = async (env: string, extra: Record<string, unknown> = {}): Promise<FeatureMapsResult> => {
  const res = await call<FeatureMapsResult>(socket, 'analysis:run', { env, modelId, input: tensorInput(input, [1, 1, 28, 28]), maxChannels: 3, ...extra });
  if ('error' in res) throw new Error(res.error.message);
  return res.data;
};
const mapsFile = (runId: string) => join(dataDir, 'runs', `${runId}.maps`);

// First, so that no other test's run has the same graph.
test('the runs of one model keep one copy of its graph, read back with each, and it goes with its last run', async () => {
  const first = await run('one-graph');
  const second = await run('one-graph');
  const win = await callOk<Window>(socket, 'window:get', { env: 'one-graph', win: 'fm-graph' });
  const shown = win.content as GraphContent;
  expect(shown.run?.runId).toBe(second.runId);
  const nodes = new Set(shown.graph.nodes.map((n) => n.id));
  expect(shown.run?.layers.length).toBeGreaterThan(0);
  expect(shown.run?.layers.every((l) => nodes.has(l.node))).toBe(true);
  const compared = await callOk<{ layers: unknown[] }>(socket, 'run:compare', { a: first.runId, b: second.runId });
  expect(compared.layers.length).toBeGreaterThan(0);
  await stop();
  const kept = await storeRow<{ runs: number; graphs: number }>('SELECT COUNT(*) AS runs, COUNT(DISTINCT graph) AS graphs FROM runs WHERE env = ?', 'one-graph');
  expect({ runs: Number(kept.runs), graphs: Number(kept.graphs) }).toEqual({ runs: 2, graphs: 1 });
  const { hash } = await storeRow<{ hash: string }>('SELECT graph AS hash FROM runs WHERE id = ?', second.runId);
  await start();
  await callOk(socket, 'env:delete', { env: 'one-graph' });
  await stop();
  const left = await storeRow<{ n: number }>('SELECT COUNT(*) AS n FROM run_graphs WHERE hash = ?', hash);
  await start();
  expect(Number(left.n)).toBe(TEST_STORE === 'sqlite' ? 0 : 1);
});

test('every map served from the run file equals what the worker computes in memory', async () => {
  const result = await run('files');
  expect(existsSync(mapsFile(result.runId))).toBe(true);
  const pool = createWorkerPool({ size: 1, provider: 'cpu' });
  try {
    const job = { modelPath: join(dataDir, 'models', `${modelId}.onnx`), modelId, input: { data: input, shape: [1, 1, 28, 28] }, maxChannels: 3 };
    const direct = await pool.run(job);
    expect(direct.maps.length).toBeGreaterThan(3);
    for (const m of direct.maps) {
      const served = await fetchMap(server.url, result.runId, m.tensor);
      expect(served.meta.shape).toEqual(m.shape);
      expect(served.meta.channelMin).toEqual(Array.from(m.channelMin));
      expect(served.meta.channelMax).toEqual(Array.from(m.channelMax));
      expect(served.bytes).toEqual(m.data);
    }
  } finally {
    await pool.close();
  }
});

test("a run dropped from its window has its file removed; a forked env shares it until its last window goes", async () => {
  const first = await run('gc-files');
  await callOk(socket, 'model:graph', { env: 'gc-files', modelId, win: 'fm-graph' });
  const second = await run('gc-files');
  expect(existsSync(mapsFile(first.runId))).toBe(false);
  expect(existsSync(mapsFile(second.runId))).toBe(true);
  await callOk(socket, 'env:fork', { from: 'gc-files', to: 'gc-files-copy' });
  await callOk(socket, 'env:delete', { env: 'gc-files' });
  expect(existsSync(mapsFile(second.runId))).toBe(true);
  await callOk(socket, 'env:delete', { env: 'gc-files-copy' });
  expect(existsSync(mapsFile(second.runId))).toBe(false);
});

test('on start, a maps file whose run was never recorded is removed; recorded runs keep theirs and their statistics', async () => {
  const kept = await run('restart', { channelStats: true });
  const orphan = join(dataDir, 'runs', 'run_0123456789abcdef.maps');
  writeFileSync(orphan, Buffer.alloc(64, 1));
  const hoursAgo = Date.now() / 1000 - 2 * 3600;
  utimesSync(orphan, hoursAgo, hoursAgo);
  // One just written: on PostgreSQL another server sharing the folder may be about to record its run.
  const fresh = join(dataDir, 'runs', 'run_fedcba9876543210.maps');
  writeFileSync(fresh, Buffer.alloc(64, 1));
  await stop();
  await start();
  expect(existsSync(orphan)).toBe(false);
  expect(existsSync(fresh)).toBe(TEST_STORE === 'postgres');
  rmSync(fresh, { force: true });
  const layer = kept.layers[0];
  if (layer === undefined) throw new Error('no layers');
  const served = await fetchMap(server.url, kept.runId, layer.tensor);
  expect(served.bytes.length).toBeGreaterThan(0);
  // Per-channel statistics are stored packed, apart from the window's JSON, and come back whole.
  const win = await callOk<Window>(socket, 'window:get', { env: 'restart', win: 'fm-graph' });
  const layers = (win.content as GraphContent).run?.layers;
  expect(layers?.some((l) => l.channels.length > 0)).toBe(true);
  expect(layers).toEqual(kept.layers);
});

test("a run's statistics, maps' ranges and input stay in its maps file, after the maps, where the store points", async () => {
  const kept = await run('stats-file', { channelStats: true });
  const channels = kept.layers.reduce((n, l) => n + l.channels.length, 0);
  const statsBytes = channels * 7 * 8;
  await stop();
  try {
    type Num = number | string; // PostgreSQL's BIGINT comes back as text
    const row = await storeRow<{ stats: Buffer; stats_at: Num }>('SELECT stats, stats_at FROM run_channel_stats WHERE run = ?', kept.runId);
    expect(row.stats.length).toBe(0);
    // Then the maps' per-channel ranges, then the run's input, which ends the file.
    const ranges = await storeRow<{ at: Num }>('SELECT MIN(ranges_at) AS at FROM run_map_ranges WHERE run = ?', kept.runId);
    expect(Number(ranges.at)).toBe(Number(row.stats_at) + statsBytes);
    const inputAt = await storeRow<{ at: Num; length: Num }>('SELECT at, length FROM run_inputs WHERE run = ?', kept.runId);
    expect(Number(inputAt.at) + Number(inputAt.length)).toBe(readFileSync(mapsFile(kept.runId)).length);
  } finally {
    await start();
  }
  const win = await callOk<Window>(socket, 'window:get', { env: 'stats-file', win: 'fm-graph' });
  expect((win.content as GraphContent).run?.layers).toEqual(kept.layers);
});

test("a window whose run's statistics cannot be read from its file still loads, with its layers' channels empty", async () => {
  const kept = await run('stats-gone');
  const path = mapsFile(kept.runId);
  writeFileSync(path, readFileSync(path).subarray(0, 10));
  const win = await callOk<Window>(socket, 'window:get', { env: 'stats-gone', win: 'fm-graph' });
  expect((win.content as GraphContent).run?.layers).toEqual(kept.layers);
  expect(kept.layers.every((l) => l.channels.length === 0)).toBe(true);
});
