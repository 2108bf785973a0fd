/**
 * `?bench=scroll`: `window.cnnvisBench.scroll()` scrolls the real UI top to bottom, a quick
 * wheel's step a frame, and reports the frame times.
 * @module
 */
/** @example { panes: 250, frames: 270, maxMs: 48.2, p95Ms: 20.1, longTasks: 3, scrolledPx: 27000, worstAt: 4200 } */
export interface ScrollBenchResult {
  /** Panes in the env. */
  panes: number;
  /** Frames measured while scrolling from the top to the bottom. */
  frames: number;
  /** The longest frame (one animation frame to the next), in ms. */
  maxMs: number;
  p95Ms: number;
  medianMs: number;
  /** Main-thread tasks over 50 ms while scrolling (the browser's Long Tasks API). */
  longTasks: number;
  scrolledPx: number;
  /** Where the page was scrolled to when the longest frame ended. */
  worstAt: number;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Frames after the bottom is reached, for the last panes to draw. */
const SETTLE_FRAMES = 30;

/**
 * @example const { maxMs, p95Ms } = await window.cnnvisBench.scroll(100);
 */
async function measureFirstScroll(step = 100): Promise<ScrollBenchResult> {
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
  try {
    observer.observe({ type: 'longtask' });
  } catch {
    // No Long Tasks API in this browser: the frame times say enough.
  }
  const frames: number[] = [];
  let worstAt = 0;
  let last = await nextFrame();
  const tick = async () => {
    const now = await nextFrame();
    if (now - last > Math.max(0, ...frames)) worstAt = window.scrollY;
    frames.push(now - last);
    last = now;
  };
  const bottom = () => document.documentElement.scrollHeight - window.innerHeight;
  for (let y = 0; y < bottom(); ) {
    y = Math.min(bottom(), y + step);
    window.scrollTo(0, y);
    await tick();
  }
  for (let i = 0; i < SETTLE_FRAMES; i++) await tick();
  observer.disconnect();
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  return {
    panes: document.querySelectorAll('[data-testid="pane"]').length,
    frames: frames.length,
    maxMs: at(1),
    p95Ms: at(0.95),
    medianMs: at(0.5),
    longTasks,
    scrolledPx: window.scrollY,
    worstAt,
  };
}

/** Called by main.ts for `?bench=scroll`. */
export function installScrollBench(): void {
  (window as unknown as { cnnvisBench: unknown }).cnnvisBench = { scroll: measureFirstScroll };
}
