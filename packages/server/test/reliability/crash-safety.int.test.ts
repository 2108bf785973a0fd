/**
 * Crash safety: the real SDK pipelines 10,000 writes (line appends to several
 * windows, text appends, window creates) into a child server that is killed
 * with SIGKILL at random points. After every restart on the same data dir,
 * every write whose promise resolved is there. Set CRASH_SEED to replay a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import type { Window } from '@cnnvis/protocol';
import { spawnServer, storeArgs, type ServerProcess } from '../../../../test/support/spawn-server';
import { pipelineWrites } from '../../../../test/support/pipeline-writes';
import { createRandom } from '../../../../test/support/random';

const TOTAL = 10_000;
const LIVES = 5;
const IN_FLIGHT = 200;
const LINES = ['loss0', 'loss1', 'loss2', 'loss3'];
const ENV = 'crash';
const SEED = Number(process.env['CRASH_SEED'] ?? Date.now() % 100_000);


type Write = { kind: 'line'; win: string; i: number } | { kind: 'text'; i: number } | { kind: 'create'; i: number };

/** Write `i`: mostly a line append, every 25th a text append, every 400th a new window. */
function writeOf(i: number): Write {
  if (i % 400 === 399) return { kind: 'create', i };
  if (i % 25 === 24) return { kind: 'text', i };
  return { kind: 'line', win: LINES[i % LINES.length] as string, i };
}

function send(viz: CnnVis, w: Write): Promise<unknown> {
  switch (w.kind) {
    case 'line':
      return viz.line({ x: [w.i], y: [Math.sin(w.i)] }, { win: w.win, update: 'append', name: 'train' });
    case 'text':
      return viz.text(`[${w.i}]`, { win: 'log', append: true });
    case 'create':
      return viz.text(`created ${w.i}`, { win: `w${w.i}` });
  }
}

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-crash-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function readWindows(url: string): Promise<Map<string, Window>> {
  const res = await fetch(`${url}/api/envs/${ENV}/windows`);
  if (res.status === 404) return new Map();
  return new Map(((await res.json()) as Window[]).map((w) => [w.id, w]));
}

/** The acknowledged writes missing from the server's store, and any point no write ever sent. */
async function audit(url: string, acked: Write[], sent: number): Promise<{ lost: Write[]; phantom: number }> {
  const wins = await readWindows(url);
  const xs = new Map<string, Set<unknown>>();
  let phantom = 0;
  for (const name of LINES) {
    const win = wins.get(name);
    const x = win?.content.kind === 'plot' ? (win.content.traces[0]?.x ?? []) : [];
    phantom += x.filter((v) => typeof v !== 'number' || v >= sent).length;
    xs.set(name, new Set(x));
  }
  const log = wins.get('log');
  const text = log?.content.kind === 'text' ? log.content.text : '';
  const lost = acked.filter((w) => {
    if (w.kind === 'line') return !(xs.get(w.win)?.has(w.i) ?? false);
    if (w.kind === 'text') return !text.includes(`[${w.i}]`);
    const win = wins.get(`w${w.i}`);
    return win?.content.kind !== 'text' || win.content.text !== `created ${w.i}`;
  });
  return { lost, phantom };
}

test('acknowledged SDK writes survive repeated kill -9 in the middle of a pipelined stream', async () => {
  const rand = createRandom(SEED);
  const acked: Write[] = [];
  let sent = 0;
  let kills = 0;
  let lostTotal = 0;
  const started = Date.now();
  let server: ServerProcess | undefined;
  try {
    for (let life = 0; life < LIVES; life++) {
      server = await spawnServer(['--port', '0', ...(await storeArgs(dataDir))]);
      const before = await audit(server.url, acked, sent);
      lostTotal += before.lost.length;
      expect(before.lost).toEqual([]);
      expect(before.phantom).toBe(0);

      const current = server;
      const viz = new CnnVis({ url: current.url, env: ENV, ackTimeoutMs: 3000, connectTimeoutMs: 3000 });
      // Kill once a random share of this life's writes are acknowledged; the last life is killed after its last ack.
      const quota = Math.ceil(TOTAL / LIVES);
      const last = life === LIVES - 1;
      const killAfter = last ? Infinity : Math.floor(quota * (0.3 + 0.6 * rand()));
      let ackedHere = 0;
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        kills++;
        current.child.kill('SIGKILL');
      };
      const end = last ? TOTAL : Math.min(TOTAL, sent + quota * 2);
      const onAck = (i: number) => {
        acked.push(writeOf(i));
        if (++ackedHere >= killAfter) kill();
      };
      sent = await pipelineWrites({ from: sent, end, inFlight: IN_FLIGHT, send: (i) => send(viz, writeOf(i)), onAck, stopped: () => killed });
      kill();
      await current.exited;
      await viz.disconnect();
    }
    server = await spawnServer(['--port', '0', ...(await storeArgs(dataDir))]);
    const after = await audit(server.url, acked, sent);
    lostTotal += after.lost.length;
    console.log(
      `crash safety (seed ${SEED}): ${sent} writes sent, ${acked.length} acknowledged, ${kills} kills (SIGKILL), ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s\nacknowledged updates lost: ${lostTotal}`,
    );
    expect(after.lost).toEqual([]);
    expect(after.phantom).toBe(0);
    expect(lostTotal).toBe(0);
    expect(sent).toBe(TOTAL);
    expect(kills).toBeGreaterThanOrEqual(4);
    // Most writes must have been acknowledged, or the test proves little.
    expect(acked.length).toBeGreaterThan(TOTAL * 0.5);
  } finally {
    server?.child.kill('SIGKILL');
    await server?.exited;
  }
}, 120_000);
