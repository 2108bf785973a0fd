import { join } from 'node:path';
import { analyzeModel } from '@cnnvis/worker';
const RESNET = join(__dirname, '.models', 'resnet18.onnx');
async function main() {
  const data = Float32Array.from({ length: 3 * 224 * 224 }, () => Math.random());
  for (let i = 0; i < 8; i++) {
    const out = await analyzeModel({ modelPath: RESNET, modelId: 'x', input: { data, shape: [1, 3, 224, 224] }, maxChannels: 64, provider: 'cpu', filters: false });
    if (i >= 5) {
      const nfl = out.layers.reduce((a, l) => a + l.shape.reduce((x, y) => x * y, 1), 0);
      const nmap = out.maps.reduce((a, m) => a + m.data.length, 0);
      const nch = out.layers.reduce((a, l) => a + l.channels.length, 0);
      const t0 = performance.now(); const v8 = require('v8').serialize(out); const ser = performance.now() - t0;
      const t1 = performance.now(); require('v8').deserialize(v8); const de = performance.now() - t1;
      console.log(JSON.stringify(out.timings), 'floats', nfl, 'mapbytes', nmap, 'channels', nch, 'layers', out.layers.length, 'ser', v8.length, ser.toFixed(1), de.toFixed(1), 'layersJSON', JSON.stringify(out.layers).length);
    }
  }
}
void main();
