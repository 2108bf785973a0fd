/**
 * Hostile models against the real server: every corrupt or hostile ONNX file
 * from support/hostile-models ends as a refused upload (4xx naming the
 * problem) or a failed job with a message, never a bare 5xx, a hang or a
 * crash, and no message names a path of the server. /healthz is polled every
 * 50 ms throughout, and the good ConvNet runs between the hostile models, so
 * the server is seen to keep working.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pollHealth } from '../support/health-poller';
import { HOSTILE_INPUT, hostileModels, stolenWeightsModels, type HostileModel } from '../support/hostile-models';
import { CONVNET_PATH, convnetReference, sha256 } from '../../../../test/support/models';

let server: TestServer;
let viz: CnnVis;
afterEach(async () => {
  await viz?.disconnect();
  await server?.close();
});

interface Outcome {
  name: string;
  stopped: 'upload' | 'job' | 'not stopped';
  status: number;
  code: string;
  message: string;
  ms: number;
}

/** A path of this server in a message: its data folder, the temporary folder, or any absolute path under a usual root. */
function namesServerPath(message: string): boolean {
  return [server.dataDir, tmpdir(), process.cwd()].some((p) => message.includes(p)) || /(?:^|[\s'"(=:])\/(?:tmp|home|root|srv|var|usr|opt|work|data|mnt)\//.test(message);
}

async function put(bytes: Uint8Array): Promise<{ status: number; error?: { code: string; message: string } }> {
  const res = await fetch(`${server.url}/api/models/${sha256(bytes)}`, { method: 'PUT', body: new Uint8Array(bytes) });
  return { status: res.status, ...((await res.json()) as { error?: { code: string; message: string } }) };
}

/** PUT the model; if the server keeps it, run it through the SDK. */
async function attack(h: HostileModel): Promise<Outcome> {
  const started = performance.now();
  const done = (o: Omit<Outcome, 'name' | 'ms'>): Outcome => ({ name: h.name, ms: performance.now() - started, ...o });
  const res = await put(h.bytes);
  if (res.status !== 201 && res.status !== 200) {
    return done({ stopped: 'upload', status: res.status, code: res.error?.code ?? '(none)', message: res.error?.message ?? '' });
  }
  try {
    await viz.featureMaps(h.bytes, HOSTILE_INPUT, { winPrefix: 'hostile' });
    return done({ stopped: 'not stopped', status: res.status, code: '', message: 'the job succeeded' });
  } catch (err) {
    if (!isCnnvisClientError(err)) throw err;
    return done({ stopped: 'job', status: res.status, code: err.code, message: err.message });
  }
}

/** Handled: stopped where expected, with a code other than INTERNAL and the expected message. */
function handled(h: HostileModel, o: Outcome): boolean {
  if (o.stopped !== h.stops || o.code === 'INTERNAL' || !h.message.test(o.message)) return false;
  return o.stopped === 'job' || (o.status >= 400 && o.status < 500);
}

async function runGoodModel(): Promise<number> {
  const ref = convnetReference();
  const result = await viz.featureMaps(CONVNET_PATH, { data: Float32Array.from(ref.input.data), shape: ref.input.shape }, { winPrefix: 'good' });
  return result.layers.length;
}

test('every hostile model is refused or fails its job with a message; /healthz never fails; good jobs keep running', async () => {
  server = await startServer({ jobTimeoutMs: 20_000, workers: 1 });
  viz = new CnnVis({ url: server.url, env: 'hostile' });
  const models = hostileModels();
  expect(models.length).toBeGreaterThanOrEqual(20);
  expect(new Set(models.map((m) => m.name)).size).toBe(models.length);

  const health = pollHealth(server.url);
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const goodRuns: number[] = [];
  try {
    goodRuns.push(await runGoodModel());
    for (const [i, h] of models.entries()) {
      outcomes.push(await attack(h));
      if (i % 6 === 5) goodRuns.push(await runGoodModel());
    }
    goodRuns.push(await runGoodModel());
  } finally {
    await health.stop();
  }
  const totalS = (performance.now() - started) / 1000;

  for (const [i, o] of outcomes.entries()) {
    const h = models[i] as HostileModel;
    const mark = handled(h, o) ? 'ok  ' : 'FAIL';
    console.log(`${mark} ${o.name.padEnd(58)} ${o.stopped.padEnd(6)} ${o.status} ${o.code.padEnd(14)} ${o.ms.toFixed(0).padStart(5)} ms  ${o.message}`);
  }
  const ok = outcomes.filter((o, i) => handled(models[i] as HostileModel, o));
  const rejected = ok.filter((o) => o.stopped === 'upload').length;
  console.log(
    `hostile models: ${ok.length}/${models.length} handled (${rejected} rejected at upload, ${ok.length - rejected} failed jobs), ` +
      `healthz failures ${health.stats.failures} of ${health.stats.polls} polls (worst ${health.stats.worstMs.toFixed(0)} ms), ` +
      `good ConvNet runs ${goodRuns.length}/${goodRuns.length}, ${totalS.toFixed(1)} s in all`,
  );

  expect(outcomes.map((o, i) => ({ name: o.name, handled: handled(models[i] as HostileModel, o) })).filter((o) => !o.handled)).toEqual([]);
  expect(outcomes.filter((o) => namesServerPath(o.message)).map((o) => `${o.name}: ${o.message}`)).toEqual([]);
  expect(health.stats.failures).toBe(0);
  expect(health.stats.polls).toBeGreaterThan(10);
  expect(goodRuns).toEqual(goodRuns.map(() => 7));
}, 120_000);

test("a model whose tensor reads another stored model's file is refused at upload, naming the tensor and no path of the server", async () => {
  server = await startServer({ jobTimeoutMs: 20_000, workers: 1 });
  viz = new CnnVis({ url: server.url, env: 'hostile' });
  const stored = new Uint8Array(readFileSync(CONVNET_PATH));
  expect((await put(stored)).status).toBe(201);

  for (const h of stolenWeightsModels(sha256(stored))) {
    const res = await put(h.bytes);
    expect({ name: h.name, status: res.status, code: res.error?.code }).toEqual({ name: h.name, status: 400, code: 'BAD_REQUEST' });
    expect(res.error?.message).toMatch(h.message);
    expect(namesServerPath(res.error?.message ?? '')).toBe(false);
    // Through the SDK, as a job: refused the same way, before any worker opens it.
    const job = await viz.featureMaps(h.bytes, HOSTILE_INPUT, { winPrefix: 'stolen' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isCnnvisClientError(job) && job.code).toBe('BAD_REQUEST');
    expect((job as Error).message).toMatch(h.message);
    expect(namesServerPath((job as Error).message)).toBe(false);
  }
}, 60_000);
