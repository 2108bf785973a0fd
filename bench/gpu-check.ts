/**
 * The GPU check of issue #5: `featureMaps` on a ResNet-18-sized model through
 * two real servers, one on `--provider cuda` and one on `--provider cpu`,
 * printing the provider that really ran (as the server reports it, from ONNX
 * Runtime's per-node placement) and the median latency of each.
 * Run it through bench/gpu-check.sh on a machine with an NVIDIA GPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { startCnnvis } from './processes';
import { fmt, median } from './stats';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 10);

async function measure(model: string, shape: number[], provider: 'cuda' | 'cpu') {
  const dataDir = mkdtempSync(join(tmpdir(), `cnnvis-gpu-${provider}-`));
  const server = await startCnnvis(dataDir, [], ['--provider', provider]);
  const viz = new CnnVis({ url: server.url, env: 'gpu-check' });
  const input = { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random()), shape };
  try {
    const first = await viz.featureMaps(model, input); // upload + session creation, not timed
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await viz.featureMaps(model, input);
      times.push(performance.now() - t0);
    }
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as {
      onnxruntime: string;
      providers: { available: string[]; lastUsed: string | null; gpu: string | null };
    };
    return { provider: first.provider, ms: median(times), status };
  } catch (err) {
    return { provider: `failed: ${(err as Error).message}`, ms: NaN, status: undefined };
  } finally {
    await viz.disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [model, shapeArg = '1,3,224,224'] = process.argv.slice(2);
  if (!model) throw new Error('usage: gpu-check.ts <model.onnx> [input shape, default 1,3,224,224]');
  const shape = shapeArg.split(',').map(Number);
  const cuda = await measure(model, shape, 'cuda');
  const cpu = await measure(model, shape, 'cpu');
  process.stdout.write(`onnxruntime ${cuda.status?.onnxruntime ?? cpu.status?.onnxruntime ?? '?'}; GPU: ${cuda.status?.providers.gpu ?? 'none reported'}\n`);
  process.stdout.write(`asked cuda → ran on ${cuda.provider}: median ${fmt(cuda.ms, 1)} ms over ${RUNS} runs\n`);
  process.stdout.write(`asked cpu  → ran on ${cpu.provider}: median ${fmt(cpu.ms, 1)} ms over ${RUNS} runs\n`);
  if (cuda.provider === 'cuda') process.stdout.write(`speed-up on CUDA: ${fmt(cpu.ms / cuda.ms, 2)}×\n`);
  process.exitCode = cuda.provider === 'cuda' ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
