/**
 * The rows of issue #22: occlusion on ResNet-18 at 224² (32-px patch,
 * stride 16: 169 perturbed inputs, 16 a run) and statistics over 256 inputs
 * (16 a run), each from the SDK call to its answer, beside its floor: plain
 * ONNX Runtime with the analysis session's options running the same number
 * of inputs batched the same way (occlusion fetching the logits, the dataset
 * every float intermediate, as its statistics need). Medians of RUNS runs
 * after one warm-up call of each side.
 * Alone: `node --import tsx bench/attribution.ts` (after `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { CnnVis } from '@cnnvis/client';
import { clearModelCache, createBareRunner, datasetStats } from '@cnnvis/worker';
import { analysisSessionOptions } from '../packages/worker/src/runtime/open-session';
import { noise, RESNET, spread } from './feature-maps';
import { startCnnvis } from './processes';
import { fmt, median, table } from './stats';

const BATCH = 16;

/** The bench's ResNet-18 with its batch dimension made dynamic (the export fixed it at 1), so inputs can go 16 a run. */
function dynamicResnet(): string {
  const out = RESNET.replace(/\.onnx$/, '-dynamic.onnx');
  if (existsSync(out)) return out;
  const script = [
    'import onnx, sys',
    'm = onnx.load(sys.argv[1])',
    'for v in (m.graph.input[0], m.graph.output[0]): v.type.tensor_type.shape.dim[0].dim_param = "batch"',
    'onnx.save(m, sys.argv[2])',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script, RESNET, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('could not write the dynamic-batch ResNet-18 (needs /usr/bin/python3 with onnx)');
  return out;
}
const DATASET = Number(process.env['BENCH_DATASET'] ?? 256);

/** `count` inputs of `item`'s shape through a plain session, `BATCH` a run, fetching `fetches`. */
async function bareBatches(run: (data: Float32Array, n: number) => Promise<unknown>, item: number[], count: number): Promise<number> {
  const size = item.reduce((a, b) => a * b, 1);
  const data = noise([BATCH * size]).data;
  const t0 = performance.now();
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    await run(data.subarray(0, n * size), n);
  }
  return performance.now() - t0;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function attributionBench(runs: number): Promise<string> {
  const header = ['metric', 'cnnvis: median (p25–p75, min–max)', 'floor: bare ORT, same inputs and batches', 'ratio of medians'];
  if (!existsSync(RESNET)) return `cnnvis attribution and dataset statistics\n\n${table(header, [['ResNet-18 rows', 'n/a: run the feature-maps bench first (it makes bench/.models)', '', '']])}\n`;
  const model = dynamicResnet();
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-attr-'));
  const server = await startCnnvis(dataDir, [], ['--max-payload', '256mb', '--job-timeout', '600s']);
  const viz = new CnnVis({ url: server.url, env: 'bench-attr', analysisTimeoutMs: 600_000 });
  const item = [3, 224, 224];
  const image = noise([1, ...item]);
  const dataset = Array.from({ length: DATASET }, () => noise([1, ...item]));
  const plain = await ort.InferenceSession.create(readFileSync(model), analysisSessionOptions('cpu', undefined));
  const every = await createBareRunner(model);
  try {
    let passes = 0;
    const occlusion = () => viz.attribution(model, image, { method: 'occlusion', patch: 32, stride: 16, batch: BATCH }).then((r) => (passes = r.passes));
    const occlusionFloor = () =>
      bareBatches((data, n) => plain.run({ [plain.inputNames[0] ?? 'input']: new ort.Tensor('float32', data, [n, ...item]) }, [plain.outputNames[0] ?? 'output']), item, 169);
    const stats = () => viz.featureMaps(model, dataset, { batch: BATCH, win: 'bench-data' });
    const statsFloor = () => bareBatches((data, n) => every.run({ data, shape: [n, ...item] }), item, DATASET);
    // The worker's part alone, in this process: what the SDK's run adds beyond it is moving the inputs.
    const inWorker = () => datasetStats({ modelPath: model, modelId: 'bench-dataset', inputs: dataset, batch: BATCH, provider: 'cpu' });
    await occlusion();
    await occlusionFloor();
    await stats();
    await statsFloor();
    await inWorker();
    const [o, of, s, sf, w]: [number[], number[], number[], number[], number[]] = [[], [], [], [], []];
    for (let i = 0; i < runs; i++) {
      o.push(await timed(occlusion));
      of.push(await occlusionFloor());
      s.push(await timed(stats));
      sf.push(await statsFloor());
      w.push(await timed(inWorker));
    }
    const rows = [
      [`occlusion, ResNet-18 224², 32-px patch, stride 16: ${passes} passes, ${BATCH} a run (ms)`, spread(o), spread(of), `${fmt(median(o) / median(of), 2)}×`],
      [`statistics over ${DATASET} inputs, ResNet-18 224², ${BATCH} a run (ms)`, spread(s), spread(sf), `${fmt(median(s) / median(sf), 2)}×`],
      [`  of which the worker's part, run in this process (no SDK, server or child process)`, spread(w), '', `${fmt(median(w) / median(sf), 2)}×`],
    ];
    return `cnnvis attribution and dataset statistics (${runs} measured runs after 1 warm-up call on each side; goal ≤ 1.3× the floor)\n\n${table(header, rows)}\n`;
  } finally {
    await clearModelCache();
    await plain.release();
    await every.close();
    await viz.disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  attributionBench(Number(process.env['BENCH_RUNS'] ?? 3))
    .then((text) => process.stdout.write(`\n${text}`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
