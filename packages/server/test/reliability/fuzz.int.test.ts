/**
 * Fuzzing every entry point of a real in-process server with fast-check:
 * the native HTTP API, every socket.io event (and raw packets), every Visdom
 * route and `/vis_socket`. No input may get a 5xx, a
 * rejection without a message, no answer, or take the server down.
 * Set FUZZ_SEED to replay another run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createServer, type CnnvisServer } from 'cnnvis-server';
import { FuzzClient, httpCall, type Outcome } from './fuzz-client';
import { FIXTURE_ENV, FIXTURE_REQUESTS, fuzzCases, type FuzzCase } from './fuzz-cases';

const LIMIT = 1024 * 1024;
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5eed);
const BATCHES = Number(process.env['FUZZ_BATCHES'] ?? 10);
const PER_BATCH = 1050;
const IN_FLIGHT = 8;

let server: CnnvisServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-fuzz-'));
  server = await createServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', maxPayloadBytes: LIMIT });
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Run every case, `IN_FLIGHT` at a time, each worker on its own connections. */
async function runAll(cases: FuzzCase[], clients: FuzzClient[]): Promise<Array<{ c: FuzzCase; out: Outcome }>> {
  const results: Array<{ c: FuzzCase; out: Outcome }> = [];
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < cases.length) {
        const c = cases[next++] as FuzzCase;
        results.push({ c, out: await client.run(c).catch((err: unknown) => ({ problem: 'dropped' as const, detail: `${c.kind}: ${String(err)}` })) });
      }
    }),
  );
  return results;
}

/** The server still answers: health check, then valid writes that put the fixture back. */
async function stillServes(url: string): Promise<string | undefined> {
  try {
    const health = await httpCall(url, 'GET', '/healthz');
    if (health.status !== 200 || health.text !== 'ok') return `healthz: ${health.status} ${health.text}`;
    for (const body of [FIXTURE_REQUESTS.plot, FIXTURE_REQUESTS.text]) {
      const res = await httpCall(url, 'POST', `/api/envs/${FIXTURE_ENV}/windows`, JSON.stringify(body), { 'content-type': 'application/json' });
      if (res.status !== 201) return `create fixture: ${res.status} ${res.text}`;
    }
    const visdom = await httpCall(url, 'POST', '/events', JSON.stringify(FIXTURE_REQUESTS.visdom));
    if (visdom.status !== 200) return `visdom /events: ${visdom.status} ${visdom.text}`;
    const back = await httpCall(url, 'GET', `/api/envs/${FIXTURE_ENV}/windows/w`);
    return back.status === 200 && JSON.parse(back.text).content.traces[0].name === 'a' ? undefined : `read back: ${back.status}`;
  } catch (err) {
    return String(err);
  }
}

test('10,000+ malformed requests over every route and event: no 5xx, no crash, every rejection says why', async () => {
  const started = Date.now();
  const clients = Array.from({ length: IN_FLIGHT }, (_, i) => new FuzzClient(server.url, LIMIT, i));
  const counts = new Map<string, number>();
  const problems: Array<{ c: FuzzCase; out: Outcome }> = [];
  let total = 0;
  let rejected = 0;
  let protocolCloses = 0;
  let crashes = 0;
  try {
    expect(await stillServes(server.url)).toBeUndefined();
    for (let batch = 0; batch < BATCHES; batch++) {
      const cases = fc.sample(fuzzCases(LIMIT), { seed: SEED + batch, numRuns: PER_BATCH });
      for (const { c, out } of await runAll(cases, clients)) {
        total++;
        counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
        if (out.rejected === true) rejected++;
        if (out.protocolClose === true) protocolCloses++;
        if (out.problem !== undefined) problems.push({ c, out });
      }
      const down = await stillServes(server.url);
      if (down !== undefined) {
        crashes++;
        console.log(`batch ${batch}: server not serving: ${down}`);
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  // FUZZ_REPORT=<file>: every problem with its case, for replaying one by hand.
  const report = process.env['FUZZ_REPORT'];
  if (report !== undefined) writeFileSync(report, problems.map(({ c, out }) => JSON.stringify({ out, c }, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : typeof v === 'string' && v.length > 4000 ? `${v.slice(0, 4000)}…` : v))).join('\n'));
  const count = (p: string) => problems.filter(({ out }) => out.problem === p).length;
  for (const { c, out } of problems.slice(0, 25)) console.log(`${out.problem}: ${out.detail ?? ''} [${c.kind}]`);
  console.log(
    `fuzz (seed ${SEED}): ${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}); ${rejected} rejected with a message, ` +
      `${protocolCloses} closed by protocol (oversized / not UTF-8 / unparsable packet)\n` +
      `fuzz: ${count('server error')} 5xx, ${crashes} crashes, ${count('no message')} rejections without a message, ` +
      `${count('hang')} hangs, ${count('dropped')} dropped connections`,
  );
  expect(total).toBeGreaterThanOrEqual(10_000);
  for (const kind of ['http', 'socket', 'socket-raw', 'visdom', 'vis-socket']) expect(counts.get(kind) ?? 0).toBeGreaterThan(0);
  expect(crashes).toBe(0);
  expect(problems.map(({ out }) => `${out.problem}: ${out.detail ?? ''}`)).toEqual([]);
}, 180_000);
