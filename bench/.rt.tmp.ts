import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SdkSocket } from '../packages/client/src/sdk-socket';
import { startCnnvis, startEcho } from './processes';
async function main() {
  const server = await startCnnvis(mkdtempSync(join(tmpdir(), 'p-')));
  const echo = await startEcho();
  for (const [name, url] of [['cnnvis', server.url], ['echo', echo.url]] as const) {
    const s = new SdkSocket(url);
    await new Promise((r) => s.on('connect', r));
    const call = (e: string, p: unknown) => s.timeout(5000).emitWithAck(e, p);
    await call('window:create', { env: 'b', win: 'a', content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', x: [0], y: [0] }] } });
    for (const [label, ev, payload] of [
      ['window:get small', 'window:get', { env: 'b', win: 'a' }],
      ['append', 'window:update', { env: 'b', win: 'a', op: { type: 'append', traces: [{ name: 'train', x: [1], y: [1] }] } }],
      ['bad request', 'window:update', { env: 'b', win: 'a', op: { type: 'nope' } }],
    ] as const) {
      for (let r = 0; r < 2; r++) {
        const t = process.hrtime.bigint();
        for (let i = 0; i < 5000; i++) await call(ev, payload);
        console.log(name, label, Math.round(5000 / (Number(process.hrtime.bigint() - t) / 1e9)), '/s');
      }
    }
    s.disconnect();
  }
  await server.stop(); await echo.stop();
}
void main();
