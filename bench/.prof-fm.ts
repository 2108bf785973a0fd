import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CnnVis } from '@cnnvis/client';
import { startCnnvis } from './processes';
const RESNET = join(__dirname, '.models', 'resnet18.onnx');
async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'prof-'));
  const server = await startCnnvis(dataDir, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']);
  const viz = new CnnVis({ url: server.url, env: 'p' });
  const data = Float32Array.from({ length: 3 * 224 * 224 }, () => Math.random());
  const t: number[] = [];
  for (let i = 0; i < 12; i++) { const t0 = performance.now(); const r = await viz.featureMaps(RESNET, { data, shape: [1, 3, 224, 224] }); t.push(performance.now() - t0); if (i == 11) { console.log(JSON.stringify(r.timings), JSON.stringify(r).length); } }
  console.log(t.map((x) => x.toFixed(0)).join(' '));
  await viz.disconnect(); await server.stop();
}
void main();
