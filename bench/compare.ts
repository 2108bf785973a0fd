/**
 * The compare row of `npm run bench` (issue #20): `viz.compare` of two
 * ResNet-18 runs (two random inputs, every layer's maps stored), from the
 * SDK call to its answer, beside its floor — reading both runs' maps files
 * whole from disk (the page cache: they were just written), which any
 * compare of stored maps must do. Medians of RUNS runs, taken in pairs
 * after two warm-up calls of each side.
 * Alone: `node --import tsx bench/compare.ts` (after `npm run build`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { noise, RESNET, spread } from './feature-maps';
import { startCnnvis } from './processes';
import { fmt, median, table } from './stats';

const WARMUP = 2;

export async function compareBench(runs: number): Promise<string> {
  const header = ['metric', 'cnnvis: median (p25–p75, min–max)', 'floor: read both maps files', 'ratio of medians'];
  if (!existsSync(RESNET)) return `cnnvis compare\n\n${table(header, [['compare of two ResNet-18 runs', 'n/a: run the feature-maps bench first (it makes bench/.models)', '', '']])}\n`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-cmp-'));
  const server = await startCnnvis(dataDir);
  const viz = new CnnVis({ url: server.url, env: 'bench-cmp' });
  try {
    const a = await viz.featureMaps(RESNET, noise([1, 3, 224, 224]), { win: 'cmp', step: 0 });
    const b = await viz.featureMaps(RESNET, noise([1, 3, 224, 224]), { win: 'cmp', step: 1 });
    const files = [a.runId, b.runId].map((id) => join(dataDir, 'runs', `${id}.maps`));
    let layers = 0;
    const compare = async () => {
      const t0 = performance.now();
      layers = (await viz.compare(a, b)).layers.length;
      return performance.now() - t0;
    };
    const read = async () => {
      const t0 = performance.now();
      for (const f of files) readFileSync(f);
      return performance.now() - t0;
    };
    for (let i = 0; i < WARMUP; i++) await Promise.all([await compare(), await read()]);
    const cs: number[] = [];
    const rs: number[] = [];
    for (let i = 0; i < runs; i++) {
      cs.push(await compare());
      rs.push(await read());
    }
    const mib = files.reduce((n, f) => n + readFileSync(f).byteLength, 0) / 2 ** 20;
    const rows = [[`compare of two ResNet-18 runs, ${layers} layers, ${fmt(mib, 1)} MiB of maps (ms, SDK round trip)`, spread(cs), spread(rs), `${fmt(median(cs) / median(rs), 1)}×`]];
    return `cnnvis compare (${runs} measured runs after ${WARMUP} warm-up calls on each side, taken in pairs)\n\n${table(header, rows)}\n`;
  } finally {
    await viz.disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  compareBench(Number(process.env['BENCH_RUNS'] ?? 5))
    .then((text) => process.stdout.write(`\n${text}`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
