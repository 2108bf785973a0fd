/**
 * The browser bench of a big env: the real server (built) with 200 images and
 * 50 line plots in one env, opened in headless Chromium and scrolled top to
 * bottom for the first time, RUNS times in fresh pages. Reports the frame
 * times (max and p95) against the 100 ms a frame may take, and the longest
 * main-thread task in CPU time, which a busy machine does not inflate. Run alone with
 * `node --import tsx bench/scroll.ts`; `npm run bench` runs it too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillScrollEnv, measureScrollInChromium, SCROLL_ENV } from '../packages/web/test/support/scroll-bench';
import { launchChromium } from '../packages/web/test/support/ui-driver';
import { startCnnvis } from './processes';
import { fmt, median, table } from './stats';

/** A frame longer than this is a visible stall. */
const FRAME_LIMIT_MS = 100;

export async function scrollBench(runs: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-bench-scroll-'));
  const server = await startCnnvis(dataDir);
  const browser = await launchChromium();
  try {
    await fillScrollEnv(server.url, 'bench-scroll');
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await measureScrollInChromium(server.url, 'bench-scroll', { browser }));
    const max = median(results.map((r) => r.maxMs));
    const rows = [
      [
        `first scroll of a ${SCROLL_ENV.images + SCROLL_ENV.lines}-pane env (${SCROLL_ENV.images} images, ${SCROLL_ENV.lines} lines), Chromium, 100 px a frame`,
        fmt(max, 1),
        fmt(median(results.map((r) => r.p95Ms)), 1),
        fmt(median(results.map((r) => r.medianMs)), 1),
        `${fmt(Math.min(...results.map((r) => r.maxMs)), 1)}–${fmt(Math.max(...results.map((r) => r.maxMs)), 1)}`,
        fmt(median(results.map((r) => r.maxTaskCpuMs)), 1),
        `≤ ${FRAME_LIMIT_MS}`,
        max <= FRAME_LIMIT_MS ? 'yes' : 'NO',
      ],
    ];
    return `${table(['figure', 'max frame (ms)', 'p95 frame (ms)', 'median frame (ms)', 'max frame, range', 'longest task, CPU (ms)', 'target', 'met'], rows)}\n`;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  scrollBench(Number(process.env['BENCH_RUNS'] ?? 3)).then(
    (text) => process.stdout.write(`\n${text}`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
