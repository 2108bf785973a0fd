import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCnnvis } from './processes';
async function main() {
  const s = await startCnnvis(mkdtempSync(join(tmpdir(), 'cmp-')));
  const post = async (path: string, body: unknown, method = 'POST') => { const r = await fetch(s.url + path, { method, body: new TextEncoder().encode(JSON.stringify(body)) }); await r.text(); if (r.status >= 300) throw new Error(String(r.status)); };
  await post('/events', { data: [{ x: [0], y: [0], name: 'train', type: 'scatter', mode: 'lines' }], win: 'raw', eid: 'bench', layout: {}, opts: { title: 't' } });
  const N = 2000;
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    for (let i = 0; i < N; i++) await post('/update', { data: [{ x: [i], y: [i], name: 'train', type: 'scatter', mode: 'lines', marker: { size: 6 } }], win: 'raw', eid: 'bench', name: 'train', append: true, layout: {}, opts: { title: 't', markers: false } });
    const v = N / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < N; i++) await post('/api/envs/bench/windows/raw', { type: 'append', traces: [{ name: 'train', x: [i], y: [i] }] }, 'PATCH');
    const n = N / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < N; i++) await post('/healthz-nope', {}, 'GET').catch(() => undefined);
    console.log(`visdom ${v.toFixed(0)}/s native PATCH ${n.toFixed(0)}/s`);
  }
  await s.stop();
}
void main();
