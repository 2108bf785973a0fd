/**
 * The Visdom table of `npm run bench` (issue #4): requests exactly as the stock
 * Python client sends them (JSON text bodies, no content type), awaited one at
 * a time over HTTP keep-alive, against the built cnnvis-server in its own process.
 * - raw `/update` appends/s: one line point per request, by trace name;
 * - the stock client's `line(update='append')`, which first asks `/win_exists`;
 * - append cost as the line grows (1k vs 100k points), to show it stays flat;
 * - `/events` pushes/s of a 3×224×224 noise PNG as a base64 data URI (≈ 201 KB).
 * Medians of RUNS runs. Alone: `node --import tsx bench/visdom.ts` (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../packages/server/src/images/png-encode';
import { startCnnvis } from './processes';
import { fmt, median, rate, repeat, table } from './stats';

const VISDOM_RAW_APPENDS = 417;

/** One connection, kept alive, like a `requests.Session`; node:http costs the client less than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** POST `msg` as JSON text with no content type, as the stock client does; resolve with the reply text. */
function post(url: string, msg: unknown): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const body = Buffer.from(JSON.stringify(msg));
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathname, method: 'POST', agent, headers: { 'content-length': body.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The limit: a bare node:http server in its own process that reads each body and answers 'ok'. */
async function startHttpEcho(): Promise<{ url: string; stop: () => void }> {
  const code = `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => r.end('ok')); });
    s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

export async function visdomBench(runs: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-visdom-'));
  const server = await startCnnvis(dataDir);
  const at = (endpoint: string) => `${server.url}/${endpoint}`;
  const rows: string[][] = [];
  const trace = (x: number[], y: number[]) => ({ x, y, name: 'train', type: 'scatter', mode: 'lines', marker: { size: 6, symbol: 'dot', line: { color: '#000000', width: 0.5 } } });
  const opts = { title: 'loss', xlabel: 'step', markers: false };
  try {
    await post(at('events'), { data: [trace([0], [0])], win: 'raw', eid: 'bench', layout: {}, opts });
    let step = 1;
    const append = (win: string) => post(at('update'), { data: [trace([step], [Math.sin(step++)])], win, eid: 'bench', name: 'train', append: true, layout: {}, opts });
    const N = 2000;
    const target = 10 * VISDOM_RAW_APPENDS;
    const echo = await startHttpEcho();
    // Ours and the limit take turns, run by run: on a noisy machine a quiet spell then favours neither.
    const raw: number[] = [];
    const limit: number[] = [];
    try {
      for (let r = -1; r < runs; r++) {
        const ours = await rate(N, async () => {
          for (let i = 0; i < N; i++) await append('raw');
        });
        const bare = await rate(N, async () => {
          for (let i = 0; i < N; i++) await post(`${echo.url}/update`, { data: [trace([i], [i])], win: 'raw', eid: 'bench', name: 'train', append: true, layout: {}, opts });
        });
        // The first turn of each warms up, unmeasured (as repeat() does).
        if (r >= 0) {
          raw.push(ours);
          limit.push(bare);
        }
      }
    } finally {
      echo.stop();
    }
    rows.push(['raw /update appends/s (awaited)', fmt(median(raw)), fmt(median(limit)), fmt(VISDOM_RAW_APPENDS), `≥ ${fmt(target)} (10×)`, median(raw) >= target ? 'yes' : 'NO']);
    const client = await repeat(runs, () => rate(N / 2, async () => {
      for (let i = 0; i < N / 2; i++) {
        await post(at('win_exists'), { win: 'raw', eid: 'bench' });
        await append('raw');
      }
    }));
    rows.push(["stock client line(update='append')/s (/win_exists + /update)", fmt(median(client)), '', '—', '—', '—']);

    const cost: Record<number, number> = {};
    for (const points of [1_000, 100_000]) {
      const x = Array.from({ length: points }, (_, i) => i);
      await post(at('events'), { data: [trace(x, x.map(Math.sin))], win: `long${points}`, eid: 'bench', layout: {}, opts });
      step = points;
      const perAppend = async () => {
        const out: number[] = [];
        for (let k = 0; k < 300; k++) {
          const t = process.hrtime.bigint();
          await append(`long${points}`);
          out.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        return median(out);
      };
      cost[points] = median(await repeat(runs, perAppend));
    }
    const flat = (cost[100_000] ?? Infinity) <= 1.5 * (cost[1_000] ?? 0);
    rows.push(['/update append cost at 1,000 points (ms)', fmt(cost[1_000] ?? NaN, 3), '', 'O(length) (#1805)', '—', '—']);
    rows.push(['/update append cost at 100,000 points (ms)', fmt(cost[100_000] ?? NaN, 3), '', 'O(length) (#1805)', '≤ 1.5× cost at 1k', flat ? 'yes' : 'NO']);

    const frames = Array.from({ length: 4 }, () => {
      const pixels = Uint8Array.from({ length: 3 * 224 * 224 }, () => Math.floor(Math.random() * 256));
      return `data:image/png;base64,${encodePng(pixels, 224, 224, 3).toString('base64')}`;
    });
    const M = 100;
    const images = await repeat(runs, () => rate(M, async () => {
      for (let i = 0; i < M; i++) {
        await post(at('events'), { data: [{ content: { src: frames[i % 4], caption: `step ${i}` }, type: 'image' }], win: 'img', eid: 'bench', opts: { caption: `step ${i}`, width: 224, height: 224 } });
      }
    }));
    rows.push([`/events 3×224×224 PNG pushes/s (${fmt((frames[0]?.length ?? 0) / 1024, 0)} KB base64)`, fmt(median(images), 1), '', '—', '—', '—']);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return `Visdom compatibility: the stock client's requests over HTTP keep-alive (median of ${runs} runs)\n\n${table(['metric', 'cnnvis', 'limit: bare node:http', 'Visdom', 'target', 'met'], rows)}\n`;
}

if (require.main === module) {
  visdomBench(Number(process.env['BENCH_RUNS'] ?? 5)).then(
    (text) => process.stdout.write(text),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
