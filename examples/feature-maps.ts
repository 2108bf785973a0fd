/**
 * cnnvis feature maps: run the seed's small ConvNet (conv 1→32 3×3 pad 1,
 * ReLU, max-pool 2, fc 6272→128, ReLU, fc 128→10) on a synthetic image, push
 * every layer's feature maps and the conv filters, and print the per-layer
 * statistics.
 *
 *   npx cnnvis-server                                     # in another terminal
 *   npx tsx examples/feature-maps.ts [url] [model.onnx]   # url: $CNNVIS_URL or http://127.0.0.1:8097
 *
 * The model defaults to the ConvNet fixture the worker's tests use
 * (packages/worker/test/fixtures/convnet.onnx); pass any ONNX model with a
 * [1, 1, 28, 28] input instead. From a fresh checkout either run
 * `npm run build` first, or run from source with
 * `npx tsx --tsconfig examples/tsconfig.json examples/feature-maps.ts`.
 */
import { join } from 'node:path';
import { CnnVis, formatFeatureMaps, isCnnvisClientError } from '@cnnvis/client';

const url = process.argv[2] ?? process.env['CNNVIS_URL'] ?? 'http://127.0.0.1:8097';
const model = process.argv[3] ?? join(__dirname, '..', 'packages', 'worker', 'test', 'fixtures', 'convnet.onnx');

/** A 28×28 "7" in 0..1, drawn with a soft pen, like an MNIST digit. */
function seven(size = 28): Float32Array {
  const img = new Float32Array(size * size);
  const pen = (x: number, y: number) => {
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= size || py >= size) continue;
        const v = Math.exp(-(dx * dx + dy * dy) / 2);
        img[py * size + px] = Math.max(img[py * size + px] ?? 0, v);
      }
    }
  };
  for (let t = 0; t <= 1; t += 0.01) pen(6 + 16 * t, 6); // the bar
  for (let t = 0; t <= 1; t += 0.01) pen(22 - 9 * t, 6 + 16 * t); // the stroke down
  return img;
}

async function main(): Promise<void> {
  const viz = new CnnVis({ url, env: 'feature-maps' });
  const image = seven();
  await viz.image({ data: image, shape: [28, 28] }, { win: 'input', caption: 'synthetic 7', title: 'Input' });

  // Uploads the model once (skipped when the server has its SHA-256), runs it with every
  // intermediate tensor exposed, and stores each layer's maps; the graph pane is 'fm-graph'.
  const result = await viz.featureMaps(model, { data: image, shape: [1, 1, 28, 28] }, {
    // Names for the classifier's 10 outputs: the panel of its last layer shows the top 5 as bars.
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    onProgress: (p) => process.stderr.write(`  ${p.stage} ${(p.fraction * 100).toFixed(0)}%\n`),
  });
  console.log(formatFeatureMaps(result));

  // The typed result is there to assert on, e.g. in a training script's sanity check.
  const dead = result.layers.filter((l) => l.op === 'Relu' && l.stats.zeros > 0.9);
  if (dead.length > 0) console.log(`mostly dead ReLUs: ${dead.map((l) => l.node).join(', ')}`);

  const { layers } = await viz.filters(model, 'Conv');
  for (const l of layers) console.log(`filters of ${l.node} [${l.shape.join(', ')}] → windows '${l.win}', '${l.histogramWin}'`);

  await viz.disconnect();
  console.log(`done: open ${url}, pick the env 'feature-maps' and click a layer in '${result.win}'`);
}

main().catch((err: unknown) => {
  console.error(isCnnvisClientError(err) ? `cnnvis ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
});
