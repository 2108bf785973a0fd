/**
 * Issue 22's memory row: the peak resident memory of the server and of its
 * worker while `POST /api/dataset-stats` computes statistics over 100 and
 * over 2,000 inputs (the ResNet-18-shaped fixture at 3×64×64, float32, 16 a
 * run), each on a fresh server so each peak belongs to one size. The body
 * streams from a generator, so this process holds one input at a time too.
 * Goal: 2,000 inputs within 1.2× the memory of 100.
 * Alone: `node --import tsx bench/dataset-memory.ts` (after `npm run build`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCnnvis } from './processes';
import { fmt, table } from './stats';

const MODEL = join(__dirname, '..', 'packages', 'worker', 'test', 'fixtures', 'resnet18-small.onnx');
const SHAPE = [1, 3, 64, 64];
const SIZES = (process.env['BENCH_DATASET_SIZES'] ?? '100,2000').split(',').map(Number);

/** Peak resident memory of a process so far, in MiB (Linux). */
function peakMiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

/** The multipart body: the request part, then `count` noise tensors, made as the upload pulls them. */
function body(boundary: string, request: unknown, count: number): ReadableStream<Uint8Array> {
  const bytes = SHAPE.reduce((a, b) => a * b, 4);
  let i = -1;
  const enc = (s: string) => new TextEncoder().encode(s);
  return new ReadableStream({
    pull(ctrl) {
      if (i === -1) ctrl.enqueue(enc(`--${boundary}\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify(request)}\r\n`));
      else if (i < count) {
        const data = new Float32Array(bytes / 4).map(() => Math.random());
        ctrl.enqueue(enc(`--${boundary}\r\nContent-Disposition: form-data; name="input"; filename="${i}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
        ctrl.enqueue(new Uint8Array(data.buffer));
        ctrl.enqueue(enc('\r\n'));
      } else {
        ctrl.enqueue(enc(`--${boundary}--\r\n`));
        ctrl.close();
      }
      i++;
    },
  });
}

async function peaks(count: number): Promise<{ server: number; worker: number; ms: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-dsmem-'));
  const server = await startCnnvis(dataDir, [], ['--max-model-size', '4gb', '--job-timeout', '1800s']);
  try {
    const model = readFileSync(MODEL);
    const modelId = createHash('sha256').update(model).digest('hex');
    const put = await fetch(`${server.url}/api/models/${modelId}`, { method: 'PUT', body: model });
    if (!put.ok) throw new Error(`upload: ${put.status} ${await put.text()}`);
    const boundary = randomBytes(12).toString('hex');
    const request = { modelId, batch: 16, input: { dtype: 'float32', shape: SHAPE } };
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/dataset-stats`, {
      method: 'POST',
      body: body(boundary, request, count),
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      duplex: 'half',
    } as RequestInit);
    const out = (await res.json()) as { inputs?: number };
    if (out.inputs !== count) throw new Error(`dataset-stats: ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
    const ms = performance.now() - t0;
    const pid = server.child.pid ?? 0;
    return { server: peakMiB(pid), worker: childrenOf(pid).reduce((sum, c) => sum + peakMiB(c), 0), ms };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function datasetMemoryBench(): Promise<string> {
  const [small, large] = [await peaks(SIZES[0] ?? 0), await peaks(SIZES[1] ?? 0)];
  const row = (n: number, p: typeof small) => [`${n.toLocaleString('en-US')} inputs`, fmt(p.server, 1), fmt(p.worker, 1), fmt(p.server + p.worker, 1), fmt(p.ms)];
  const ratio = (large.server + large.worker) / (small.server + small.worker);
  const rows = [row(SIZES[0] ?? 0, small), row(SIZES[1] ?? 0, large), [`${SIZES[1]} / ${SIZES[0]}`, fmt(large.server / small.server, 2), fmt(large.worker / small.worker, 2), `${fmt(ratio, 2)}× (limit 1.2×: ${ratio <= 1.2 ? 'met' : 'not met'})`, '']];
  const header = ['POST /api/dataset-stats, ResNet-18-small 3×64×64, 16 a run', 'server peak RSS (MiB)', 'worker peak RSS (MiB)', 'together', 'time (ms)'];
  return `cnnvis dataset statistics memory (one run each, fresh server)\n\n${table(header, rows)}\n`;
}

if (require.main === module) {
  datasetMemoryBench()
    .then((text) => process.stdout.write(`\n${text}`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
