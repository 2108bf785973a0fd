/**
 * Two `cnnvis-server` processes on one PostgreSQL database and one Redis: an
 * SDK pipelines appends and window creates to server A, which is killed with
 * SIGKILL mid-stream. Server B's REST API then shows every change A
 * acknowledged, no change in part (each append's points all there or none),
 * nothing that was never sent, and the appends in the order they were sent;
 * B goes on taking changes. Set KILL_SEED to replay a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import type { Window } from '@cnnvis/protocol';
import { createTestSchema, type TestSchema } from '../../../../test/support/pg-schema';
import { pipelineWrites } from '../../../../test/support/pipeline-writes';
import { createRandom } from '../../../../test/support/random';
import { spawnServer, type ServerProcess } from '../../../../test/support/spawn-server';
import { startPrivateRedis, type PrivateRedis } from '../support/redis';

const TOTAL = 3000;
const IN_FLIGHT = 100;
/** Points per append: a torn append would show some of them. */
const POINTS = 3;
const ENV = 'killed';
const SEED = Number(process.env['KILL_SEED'] ?? Date.now() % 100_000);

/** Write `i`: an append of POINTS points to `loss`, every 100th a window of its own. */
type Write = { kind: 'append' | 'create'; i: number };
const writeOf = (i: number): Write => ({ kind: i % 100 === 99 ? 'create' : 'append', i });
const xsOf = (i: number) => Array.from({ length: POINTS }, (_, k) => i * POINTS + k);

function send(viz: CnnVis, w: Write): Promise<unknown> {
  if (w.kind === 'create') return viz.text(`created ${w.i}`, { win: `w${w.i}` });
  const x = xsOf(w.i);
  return viz.line({ x, y: x.map(Math.sqrt) }, { win: 'loss', name: 'train', update: 'append' });
}

let dir: string;
let schema: TestSchema;
let redis: PrivateRedis;
const servers: ServerProcess[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-kill-'));
  schema = await createTestSchema();
  redis = await startPrivateRedis();
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  await redis.stop();
  await schema.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Both servers share the database, the data dir (maps and models) and Redis. */
async function spawnShared(): Promise<ServerProcess> {
  const server = await spawnServer(['--port', '0', '--data-dir', dir, '--database-url', schema.url, '--redis-url', redis.url, '--log-level', 'silent']);
  servers.push(server);
  return server;
}

async function readWindows(url: string): Promise<Map<string, Window>> {
  const res = await fetch(`${url}/api/envs/${ENV}/windows`);
  expect(res.status).toBe(200);
  return new Map(((await res.json()) as Window[]).map((w) => [w.id, w]));
}

test('every change server A acknowledged before its kill -9 is read back whole from server B', async () => {
  const rand = createRandom(SEED);
  const a = await spawnShared();
  const b = await spawnShared();
  const viz = new CnnVis({ url: a.url, env: ENV, ackTimeoutMs: 3000, connectTimeoutMs: 3000 });
  const acked: Write[] = [];
  let sent = 0;
  const killAfter = Math.floor(TOTAL * (0.2 + 0.5 * rand()));
  let killed = false;
  try {
    await send(viz, writeOf(sent++)).then(() => acked.push(writeOf(0)));
    const onAck = (i: number) => {
      acked.push(writeOf(i));
      if (acked.length >= killAfter && !killed) {
        killed = true;
        a.child.kill('SIGKILL');
      }
    };
    sent = await pipelineWrites({ from: sent, end: TOTAL, inFlight: IN_FLIGHT, send: (i) => send(viz, writeOf(i)), onAck, stopped: () => killed });
  } finally {
    await viz.disconnect();
  }
  expect(killed).toBe(true);
  expect((await a.exited).signal).toBe('SIGKILL');

  const wins = await readWindows(b.url);
  const loss = wins.get('loss');
  const xs = loss?.content.kind === 'plot' ? (loss.content.traces[0]?.x as number[]) : [];
  const stored = new Set(xs);
  const appends = Array.from({ length: sent }, (_, i) => writeOf(i)).filter((w) => w.kind === 'append');
  const lost = acked.filter((w) => (w.kind === 'append' ? !xsOf(w.i).every((x) => stored.has(x)) : wins.get(`w${w.i}`)?.content.kind !== 'text'));
  const torn = appends.filter((w) => {
    const present = xsOf(w.i).filter((x) => stored.has(x)).length;
    return present !== 0 && present !== POINTS;
  });
  const phantom = xs.filter((x) => !Number.isInteger(x) || x >= sent * POINTS || writeOf(Math.floor(x / POINTS)).kind !== 'append');
  console.log(
    `kill -9 of server A (seed ${SEED}): ${sent} writes sent, ${acked.length} acknowledged, ${xs.length / POINTS} appends on B; ` +
      `lost ${lost.length}, torn ${torn.length}, phantom points ${phantom.length}`,
  );
  expect(lost).toEqual([]);
  expect(torn).toEqual([]);
  expect(phantom).toEqual([]);
  // Pipelined appends to one window reached the database in the order they were sent.
  expect(xs).toEqual([...xs].sort((p, q) => p - q));
  expect(acked.length).toBeGreaterThanOrEqual(killAfter);

  // B goes on: a new client appends through it after the last of A's.
  const onB = new CnnVis({ url: b.url, env: ENV });
  try {
    await onB.line({ x: [sent * POINTS], y: [0] }, { win: 'loss', name: 'train', update: 'append' });
  } finally {
    await onB.disconnect();
  }
  const after = (await readWindows(b.url)).get('loss');
  expect(after?.content.kind === 'plot' && after.content.traces[0]?.x?.at(-1)).toBe(sent * POINTS);
}, 120_000);
