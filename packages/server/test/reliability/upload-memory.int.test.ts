/**
 * Model uploads cost the server almost none of their size: the body streams
 * to a file and a worker process parses that file, so the server (a child
 * process, built) never holds a model's bytes, nor loads ONNX Runtime. And
 * only --max-concurrent-uploads run at once; more wait their turn unread, and
 * past a bounded wait list one more is refused at once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import type { ModelUploadReply } from '@cnnvis/protocol';
import { onnx } from '../../../../test/support/onnx';
import { buildModel, node, valueInfo } from '../../../../test/support/onnx-builder';
import { processMemoryMiB } from '../../../../test/support/process-memory';
import { spawnServer, storeArgs, type ServerProcess } from '../../../../test/support/spawn-server';
import { eventually } from '../../../../test/support/start-server';
import { sha256, sobelModel } from '../../../../test/support/models';

/** Float weights per model: 80 MB each, 320 MB for the four uploaded at once. */
const WEIGHTS = 20_000_000;
const MODELS = 4;
/**
 * What the server may grow by while it takes all four: request buffers and
 * the parsed graphs, never a model's bytes (measured: ~34 MiB; with the
 * bodies read into the server, as before: ~340 MiB, and kept).
 */
const MAX_GROWTH_MIB = 80;

let dir: string;
let server: ServerProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-upload-memory-'));
});
afterEach(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const start = async (...args: string[]) => {
  server = await spawnServer(['--port', '0', ...(await storeArgs(dir)), '--log-level', 'silent', ...args]);
  return server;
};

/** y = x + w with one big initializer w, filled with `fill` so each model has its own bytes. */
function bigModel(fill: number): Uint8Array {
  const w = create(onnx.TensorProtoSchema, {
    name: 'w',
    dims: [1n, BigInt(WEIGHTS)],
    dataType: onnx.TensorProto_DataType.FLOAT,
    rawData: new Uint8Array(WEIGHTS * 4).fill(fill),
  });
  return buildModel({
    inputs: [valueInfo('x', 'float', [1, WEIGHTS])],
    outputs: [valueInfo('y', 'float', [1, WEIGHTS])],
    initializers: [w],
    nodes: [node('Add', ['x', 'w'], ['y'], {}, 'add')],
  });
}

const put = (url: string, bytes: Uint8Array) =>
  fetch(`${url}/api/models/${sha256(bytes)}`, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });

/** The server's child processes (its worker pool), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

const mapsOnnxRuntime = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libonnxruntime');

test('four 80 MB models uploaded at once grow the server by far less than one of them; ONNX Runtime stays out of it', async () => {
  const { url, child } = await start();
  const pid = child.pid ?? 0;
  const models = Array.from({ length: MODELS }, (_, i) => bigModel(i + 1));
  const total = models.reduce((n, m) => n + m.byteLength, 0) / 2 ** 20;
  const before = processMemoryMiB(pid);
  const started = performance.now();
  const replies = await Promise.all(models.map((m) => put(url, m)));
  const ms = performance.now() - started;
  const after = processMemoryMiB(pid);
  const growth = after.peak - before.rss;
  console.log(
    `${MODELS} uploads of ${(total / MODELS).toFixed(0)} MiB at once (${total.toFixed(0)} MiB) in ${ms.toFixed(0)} ms: server RSS ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MiB, ` +
      `peak ${after.peak.toFixed(1)} MiB (grew ${growth.toFixed(1)} MiB; bound ${MAX_GROWTH_MIB})`,
  );
  expect(replies.map((r) => r.status)).toEqual(Array(MODELS).fill(201));
  const reply = (await replies[0]?.json()) as ModelUploadReply;
  expect(reply.graph).toMatchObject({ nodes: 1, params: WEIGHTS });
  expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  expect(mapsOnnxRuntime(pid)).toBe(false);

  // The pool's one worker parsed them, one after another, and frees each model's bytes once parsed.
  const workers = childrenOf(pid);
  expect(workers).toHaveLength(1);
  const worker = workers[0] ?? 0;
  const workerPeak = processMemoryMiB(worker).peak;
  const freed = () => processMemoryMiB(worker).rss < workerPeak - total / MODELS / 2;
  await eventually(freed);
  console.log(`the worker that parsed them: peak ${workerPeak.toFixed(1)} MiB, ${processMemoryMiB(worker).rss.toFixed(1)} MiB once done`);
});

test('a bad model is still refused with 400 naming the fault, parsed out of the server', async () => {
  const { url, child } = await start();
  const bytes = sobelModel(8, 8).subarray(0, 60);
  const res = await put(url, bytes);
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/truncated/) });
  expect(mapsOnnxRuntime(child.pid ?? 0)).toBe(false);
});

/** A PUT that sends part of its declared body and waits: an upload under way. */
function heldUpload(url: string, id: string): { req: ClientRequest; answered: Promise<number> } {
  const req = request(`${url}/api/models/${id}`, { method: 'PUT', headers: { 'content-length': 1024 * 1024 } });
  req.on('error', () => undefined); // cut off on purpose
  const answered = new Promise<number>((resolve) => {
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('close', () => resolve(0));
  });
  req.write(Buffer.alloc(64 * 1024, 1));
  return { req, answered };
}

test('past --max-concurrent-uploads an upload waits, unread, for a place; past the wait list it is refused with 503 naming the limit', async () => {
  const { url } = await start('--max-concurrent-uploads', '1');
  const uploadFiles = () => readdirSync(join(dir, 'models')).filter((f) => f.startsWith('.upload-'));
  const held = heldUpload(url, 'a'.repeat(64));
  await eventually(() => uploadFiles().length === 1);

  // The second waits: nothing of it is written while the first holds the place.
  const bytes = sobelModel(8, 8);
  let second = 0;
  const waiting = put(url, bytes).then((r) => (second = r.status));
  // The wait list holds 16 per place; the one after them is refused.
  const queued = Array.from({ length: 15 }, (_, i) => heldUpload(url, String(i).padStart(64, 'c')));
  await new Promise((r) => setTimeout(r, 300));
  const refused = await put(url, sobelModel(8, 9));
  const body = (await refused.json()) as { error: { code: string; message: string } };
  console.log(`an upload past 1 under way and 16 waiting: ${refused.status} ${body.error.message}`);
  expect(refused.status).toBe(503);
  expect(body.error.code).toBe('UNAVAILABLE');
  expect(body.error.message).toMatch(/1 model uploads and 16 more wait.*--max-concurrent-uploads/);
  expect([second, uploadFiles().length]).toEqual([0, 1]);

  for (const q of queued) q.req.destroy(); // clients that leave while waiting give up their turn
  held.req.destroy(); // cut off: its place passes to the first still waiting
  await waiting;
  expect(second).toBe(201);
  await Promise.all([held, ...queued].map((h) => h.answered));
  // The clients see their own close first; the server removes the partial files once it sees them go.
  await eventually(() => uploadFiles().length === 0);
});
