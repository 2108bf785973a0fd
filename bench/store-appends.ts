/**
 * The PostgreSQL row: pipelined SDK appends per second through one server
 * whose store is PostgreSQL (a fresh schema of the `test` database on
 * 127.0.0.1:5432, or CNNVIS_BENCH_DATABASE_URL), against the same server on
 * SQLite, taken in turns. `node --import tsx bench/store-appends.ts`
 * (needs a build); run.ts runs it as its own table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CnnVis } from '@cnnvis/client';
import { startCnnvis } from './processes';
import { fmt, median, rate, table } from './stats';

const BASE_URL = process.env['CNNVIS_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const P = 20_000;

export async function storeAppendsBench(runs: number): Promise<string> {
  const schema = `cnnvis_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(BASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dirs = [mkdtempSync(join(tmpdir(), 'cnnvis-bench-sqlite-')), mkdtempSync(join(tmpdir(), 'cnnvis-bench-pg-'))];
  const servers = [await startCnnvis(dirs[0] as string), await startCnnvis(dirs[1] as string, [], ['--database-url', url.toString()])];
  const vizs = servers.map((s) => new CnnVis({ url: s.url, env: 'bench' }));
  try {
    for (const viz of vizs) await viz.line({ x: [0], y: [0] }, { win: 'pipelined', name: 'train' });
    let step = 1;
    const pipelined = (viz: CnnVis) =>
      rate(P, async () => {
        await Promise.all(Array.from({ length: P }, () => viz.line({ x: [step], y: [Math.sin(step++)] }, { win: 'pipelined', update: 'append', name: 'train' })));
      });
    const figures: number[][] = [[], []];
    for (let r = -1; r < runs; r++) {
      for (const [i, viz] of vizs.entries()) {
        const v = await pipelined(viz);
        if (r >= 0) figures[i]?.push(v);
      }
    }
    const [sqlite, postgres] = figures.map(median) as [number, number];
    process.stderr.write(`  pipelined appends/s: SQLite ${figures[0]?.map((v) => fmt(v)).join(', ')} | PostgreSQL ${figures[1]?.map((v) => fmt(v)).join(', ')}\n`);
    const rows = [[`pipelined appends/s (${fmt(P)} in flight, one server)`, fmt(postgres), fmt(sqlite), `${fmt(postgres / sqlite, 2)}×`]];
    return `PostgreSQL store (median of ${runs} runs, in turns)\n\n${table(['metric', 'PostgreSQL', 'SQLite', 'ratio'], rows)}\n`;
  } finally {
    await Promise.all(vizs.map((v) => v.disconnect()));
    for (const s of servers) await s.stop();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (require.main === module) {
  storeAppendsBench(Number(process.env['BENCH_RUNS'] ?? 3)).then(
    (text) => process.stdout.write(text),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
