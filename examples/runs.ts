/**
 * cnnvis kept runs: push a model's runs as a training loop would (one per
 * checkpoint, the same input, one window), then compare them layer by layer:
 * two checkpoints (weights changed on conv2 only), and the fp32 model against
 * its int8 QDQ copy. Open the window 'train' to step through the runs with
 * its slider and to compare any two in the UI.
 *
 *   npx cnnvis-server                         # in another terminal
 *   npx tsx examples/runs.ts [url]            # url: $CNNVIS_URL or http://127.0.0.1:8097
 *
 * The models are the worker's compare fixtures (packages/worker/fixtures-src/make-compare-fixtures.py).
 */
import { join } from 'node:path';
import { CnnVis, isCnnvisClientError, type CompareResult } from '@cnnvis/client';

const url = process.argv[2] ?? process.env['CNNVIS_URL'] ?? 'http://127.0.0.1:8097';
const fixture = (name: string) => join(__dirname, '..', 'packages', 'worker', 'test', 'fixtures', `${name}.onnx`);
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(4));

function print(title: string, result: CompareResult): void {
  console.log(`\n${title}`);
  for (const l of result.layers) {
    console.log(`  ${l.id.padEnd(20)} cosine ${fmt(l.cosine)}  relL2 ${fmt(l.relL2)}  weights ${fmt(l.weightRelL2)}`);
  }
  if (result.unmatched.length > 0) console.log(`  unmatched: ${result.unmatched.map((u) => `${u.id} (${u.reason})`).join('; ')}`);
}

async function main(): Promise<void> {
  const viz = new CnnVis({ url, env: 'runs' });
  // One input for every run, so what changes is the model.
  const input = { data: Float32Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.sin(i / 5)), shape: [1, 3, 16, 16] };
  const checkpoints = ['compare-a', 'compare-b'];
  for (const [step, name] of checkpoints.entries()) {
    const run = await viz.featureMaps(fixture(name), input, { win: 'train', step, label: name });
    console.log(`step ${step}: run ${run.runId}`);
  }
  const int8 = await viz.featureMaps(fixture('compare-qdq'), input, { win: 'train', label: 'int8 QDQ' });

  // Steps name runs of the window; run ids and featureMaps results work too.
  print('checkpoint 0 → 1 (only conv2 was changed):', await viz.compare(0, 1, { win: 'train' }));
  print('fp32 → int8 QDQ:', await viz.compare(0, int8, { win: 'train' }));
  await viz.disconnect();
  console.log(`\ndone: open ${url}, pick the env 'runs', and step through the window 'train'`);
}

main().catch((err: unknown) => {
  console.error(isCnnvisClientError(err) ? `cnnvis ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
});
