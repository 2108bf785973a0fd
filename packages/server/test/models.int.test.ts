/**
 * Model upload over HTTP: streamed to disk, named by SHA-256 (stored once),
 * parsed once; bad models, wrong hashes and oversized bodies are refused with
 * a message and leave nothing behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import type { LayerGraph, ModelUploadReply } from '@cnnvis/protocol';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { CONVNET_PATH, sha256, sobelModel } from '../../../test/support/models';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const put = (id: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/models/${id}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': 'application/octet-stream', ...headers } });
const modelFiles = () => readdirSync(join(server.dataDir, 'models'));

test('a model is stored once per SHA-256: 201, then 200; HEAD and its graph follow', async () => {
  server = await startServer();
  const bytes = sobelModel(8, 8);
  const id = sha256(bytes);
  expect((await fetch(`${server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(404);

  const first = await put(id, bytes);
  expect(first.status).toBe(201);
  const reply = (await first.json()) as ModelUploadReply;
  expect(reply).toMatchObject({ modelId: id, bytes: bytes.byteLength, created: true, graph: { nodes: 2, params: 2 * 9 + 2 } });
  expect(reply.graph.inputs[0]).toMatchObject({ name: 'image', dtype: 'float', shape: ['batch', 1, 8, 8] });

  const again = await put(id, bytes);
  expect(again.status).toBe(200);
  expect(((await again.json()) as ModelUploadReply).created).toBe(false);
  // A known id is answered at once, body unread: its bytes are on the server already.
  const unread = await put(id, new Uint8Array(8 * 1024 * 1024));
  expect(unread.status).toBe(200);
  expect(modelFiles()).toEqual([`${id}.onnx`]);
  expect(readFileSync(join(server.dataDir, 'models', `${id}.onnx`))).toEqual(Buffer.from(bytes));

  expect((await fetch(`${server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(200);
  const graph = (await (await fetch(`${server.url}/api/models/${id}/graph`)).json()) as LayerGraph;
  expect(graph.modelId).toBe(id);
  expect(graph.nodes.map((n) => [n.id, n.op])).toEqual([
    ['/sobel/conv/Conv', 'Conv'],
    ['/sobel/Relu', 'Relu'],
  ]);
  expect(graph.initializers.map((i) => i.name).sort()).toEqual(['sobel.bias', 'sobel.weight']);
});

test('the parsed graph survives a restart; a model whose file is gone is not there', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-models-'));
  try {
    server = await startServer({ dataDir });
    const bytes = sobelModel(4, 4);
    const id = sha256(bytes);
    expect((await put(id, bytes)).status).toBe(201);
    await server.close();
    server = await startServer({ dataDir });
    expect((await fetch(`${server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(200);
    expect(((await (await fetch(`${server.url}/api/models/${id}/graph`)).json()) as LayerGraph).nodes).toHaveLength(2);
    rmSync(join(dataDir, 'models', `${id}.onnx`));
    expect((await fetch(`${server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(404);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.each([
  ['random bytes', Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) % 251)],
  ['a text file', new TextEncoder().encode('this is not an ONNX model\n')],
  ['an empty body', new Uint8Array(0)],
  ['a truncated model', sobelModel(8, 8).subarray(0, 60)],
])('%s is refused with 400 naming the problem, nothing kept', async (_name, bytes) => {
  server = await startServer();
  const res = await put(sha256(bytes), bytes);
  expect(res.status).toBe(400);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toMatch(/model|ONNX|protobuf/i);
  expect(error.message).not.toMatch(/internal server error/);
  expect(modelFiles()).toEqual([]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

test('a body whose SHA-256 is not the id is refused: 400, nothing kept', async () => {
  server = await startServer();
  const bytes = sobelModel(8, 8);
  const res = await put('0'.repeat(64), bytes);
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(`the body's SHA-256 is ${sha256(bytes)}`);
  expect(modelFiles()).toEqual([]);
});

/** Child processes of this (test) process, from /proc: the worker pool forks them. */
function childProcesses(): string[] {
  const tasks = readdirSync(`/proc/${process.pid}/task`);
  return tasks.flatMap((t) => readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
}

test('before any job, /api/status reports no provider used yet, and starts no worker to say so', async () => {
  server = await startServer();
  const before = childProcesses();
  const status = (await (await fetch(`${server.url}/api/status`)).json()) as { providers: { available: string[]; lastUsed: unknown } };
  expect(status.providers.lastUsed).toBeNull();
  expect(status.providers.available).toContain('cpu');
  expect(childProcesses()).toEqual(before);
});

test('an id that is not a SHA-256 is refused, as is a graph of an unknown model', async () => {
  server = await startServer();
  const res = await put('model.onnx', sobelModel(4, 4));
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/SHA-256/);
  const graph = await fetch(`${server.url}/api/models/${'a'.repeat(64)}/graph`);
  expect(graph.status).toBe(404);
  expect(((await graph.json()) as { error: { message: string } }).error.message).toMatch(/upload it first/);
});

/** PUT with a streamed (chunked) body of `total` bytes: no content-length to refuse it by. */
function putChunked(id: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/models/${id}`, { method: 'PUT' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

test('over --max-model-size: 413 by declared length, and 413 mid-stream without one', async () => {
  server = await startServer({ maxModelBytes: 256 * 1024 });
  const bytes = readFileSync(CONVNET_PATH);
  const declared = await put(sha256(bytes), bytes);
  expect(declared.status).toBe(413);
  expect(declared.headers.get('cnnvis-max-model-bytes')).toBe(String(256 * 1024));
  expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/limit of 262144 bytes/);

  const streamed = await putChunked('b'.repeat(64), 8 * 1024 * 1024);
  expect(streamed.status).toBe(413);
  expect(streamed.body).toMatch(/PAYLOAD_TOO_LARGE/);
  expect(modelFiles()).toEqual([]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

test('an upload cut off midway leaves no file behind and the server serving', async () => {
  server = await startServer();
  const req = request(`${server.url}/api/models/${'e'.repeat(64)}`, { method: 'PUT' });
  req.on('error', () => undefined);
  req.write(Buffer.alloc(1024 * 1024, 1));
  await eventually(() => modelFiles().length === 1); // the upload's temp file
  req.destroy();
  await eventually(() => modelFiles().length === 0);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});
