/**
 * cnnvis dataset statistics: run a model over many inputs and find its dead
 * and saturated channels. The model's graph window keeps the statistics: in
 * the UI, colour it by "dead (dataset)" and click a layer to see its dead
 * channels and the inputs that excite a channel most.
 *
 *   npx cnnvis-server                                        # in another terminal
 *   npx tsx examples/dataset.ts                              # the dead-ReLU fixture on its 12 inputs
 *   npx tsx examples/dataset.ts model.onnx ./images [url]    # your model on a folder of PNG/JPEG files
 *
 * url: $CNNVIS_URL or http://127.0.0.1:8097. The fixture is made by
 * packages/worker/fixtures-src/make-attribution-fixtures.py (a ReLU channel with bias −100).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CnnVis, isCnnvisClientError, type FeatureMapsInput } from '@cnnvis/client';

const [model, folder, urlArg] = process.argv.slice(2);
const url = urlArg ?? process.env['CNNVIS_URL'] ?? 'http://127.0.0.1:8097';
const FIXTURES = join(__dirname, '..', 'packages', 'worker', 'test', 'fixtures');

/** The fixture's inputs: 12 tensors of 1×1×8×8. */
function fixtureInputs(): FeatureMapsInput[] {
  const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as { inputs: { shape: number[]; data: number[][] } };
  return ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape }));
}

async function main(): Promise<void> {
  const viz = new CnnVis({ url, env: 'dataset' });
  const stats = await viz.featureMaps(model ?? join(FIXTURES, 'dead-clip.onnx'), folder === undefined ? fixtureInputs() : { folder }, {
    topK: 5,
    onProgress: (p) => p.passes && process.stdout.write(`\r${p.passes.done}/${p.passes.total} inputs`),
  });
  console.log(`\n${stats.inputs} inputs in ${stats.runs} runs on ${stats.provider}; the graph window '${stats.graphWin}' keeps the statistics`);
  for (const l of stats.layers) {
    const dead = l.deadChannels.length > 0 ? `dead on every input: ${l.deadChannels.length === 1 ? 'channel' : 'channels'} ${l.deadChannels.join(', ')}` : 'no dead channel';
    const sat = l.saturated ? ` · saturated ${((l.saturated.reduce((a, b) => a + b, 0) / l.saturated.length) * 100).toFixed(1)}%` : '';
    console.log(`  ${l.node.padEnd(24)} ${dead}${sat}`);
  }
  await viz.disconnect();
}

main().catch((err: unknown) => {
  console.error(isCnnvisClientError(err) ? `${err.code}: ${err.message}` : err);
  process.exit(1);
});
