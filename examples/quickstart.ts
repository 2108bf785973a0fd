/**
 * cnnvis quickstart: one pane of each kind, pushed to a running server.
 *
 *   npx cnnvis-server                       # in another terminal
 *   npx tsx examples/quickstart.ts [url]    # url defaults to $CNNVIS_URL or http://127.0.0.1:8097
 *
 * From a fresh checkout either run `npm run build` first (the example imports
 * the built `@cnnvis/client`), or run it from source with
 * `npx tsx --tsconfig examples/tsconfig.json examples/quickstart.ts`.
 */
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';

const url = process.argv[2] ?? process.env['CNNVIS_URL'] ?? 'http://127.0.0.1:8097';

/** A 3×H×W float image in 0..1: a colour gradient with a ring. */
function gradient(h: number, w: number): Float32Array {
  const data = new Float32Array(3 * h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ring = Math.abs(Math.hypot(x - w / 2, y - h / 2) - h / 3) < 2 ? 1 : 0;
      data[y * w + x] = x / (w - 1);
      data[h * w + y * w + x] = y / (h - 1);
      data[2 * h * w + y * w + x] = ring;
    }
  }
  return data;
}

/** N one-channel "feature maps" of size S×S: stripes at different angles. */
function featureMaps(n: number, s: number): Float32Array {
  const data = new Float32Array(n * s * s);
  for (let k = 0; k < n; k++) {
    const angle = (k / n) * Math.PI;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        data[k * s * s + y * s + x] = 0.5 + 0.5 * Math.sin((x * Math.cos(angle) + y * Math.sin(angle)) / 2);
      }
    }
  }
  return data;
}

/** Roughly normal samples (sum of uniforms). */
function normalSamples(n: number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.random() + Math.random() + Math.random() - 1.5);
}

async function main(): Promise<void> {
  const viz = new CnnVis({ url, env: 'quickstart' });

  // A line plot: created (or reset) with two named traces, then grown by appends.
  // Each append is one round trip carrying only the new points.
  const loss = (step: number) => [Math.exp(-step / 6) + 0.05 * Math.random(), Math.exp(-step / 8) + 0.1];
  const [train0 = 0, val0 = 0] = loss(0);
  await viz.line({ x: [0], y: [[train0], [val0]] }, { win: 'loss', legend: ['train', 'val'], title: 'Loss', xlabel: 'step' });
  for (let step = 1; step < 20; step++) {
    const [train = 0, val = 0] = loss(step);
    await viz.line({ x: [step], y: [train] }, { win: 'loss', update: 'append', name: 'train' });
    await viz.line({ x: [step], y: [val] }, { win: 'loss', update: 'append', name: 'val' });
  }

  const xs = Array.from({ length: 200 }, () => Math.random() * 10);
  await viz.scatter({ x: xs, y: xs.map((x) => Math.sin(x) + Math.random() * 0.3) }, { win: 'scatter', title: 'Scatter', markersize: 4 });

  const classes = ['cat', 'dog', 'car', 'ship'];
  await viz.bar({ y: [[0.91, 0.84, 0.95, 0.88], [0.87, 0.8, 0.93, 0.9]], x: classes }, { win: 'accuracy', title: 'Per-class accuracy', legend: ['train', 'val'] });

  await viz.histogram({ values: normalSamples(10_000) }, { win: 'weights', title: 'conv1 weights', numbins: 40 });

  const confusion = classes.map((_, i) => classes.map((__, j) => (i === j ? 80 + i * 3 : (i + j) % 5)));
  await viz.heatmap({ z: confusion, x: classes, y: classes }, { win: 'confusion', title: 'Confusion', colormap: 'Viridis' });

  await viz.image({ data: gradient(64, 96), shape: [3, 64, 96] }, { win: 'input', caption: 'a float CHW image' });

  await viz.images({ data: featureMaps(16, 28), shape: [16, 1, 28, 28] }, { win: 'feature-maps', nrow: 4, caption: '16 feature maps' });

  await viz.text('<b>quickstart</b> started<br>', { win: 'log', title: 'Log' });
  await viz.text(`pushed every pane kind to <code>${url}</code>`, { win: 'log', append: true });

  await viz.disconnect();
  console.log(`done: open ${url} and pick the env 'quickstart'`);
}

main().catch((err: unknown) => {
  console.error(isCnnvisClientError(err) ? `cnnvis ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
});
