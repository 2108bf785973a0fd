import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { startCnnvis } from './processes';
async function main() {
  const server = await startCnnvis(mkdtempSync(join(tmpdir(), 'p-')), ['--cpu-prof', '--cpu-prof-dir=/tmp/sprof']);
  const viz = new CnnVis({ url: server.url, env: 'b' });
  await viz.line({ x: [0], y: [0] }, { win: 'a', name: 'train' });
  let step = 1;
  const mode = process.argv[2] ?? 'append';
  const img = new Float32Array(3 * 224 * 224).map(() => Math.random());
  const t = Date.now();
  for (let r = 0; r < 5; r++) {
    if (mode === 'awaited') for (let i = 0; i < 5000; i++) await viz.line({ x: [step], y: [step++] }, { win: 'a', update: 'append', name: 'train' });
    else if (mode === 'append') await Promise.all(Array.from({ length: 10000 }, () => viz.line({ x: [step], y: [step++] }, { win: 'a', update: 'append', name: 'train' })));
    else for (let i = 0; i < 100; i++) await viz.image({ data: img, shape: [3, 224, 224] }, { win: 'img' });
  }
  console.log('ms', Date.now() - t);
  await viz.disconnect();
  await server.stop();
}
void main();
