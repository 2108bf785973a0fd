/**
 * First paints of panes, spread over frames. A quick scroll brings a dozen
 * panes into view at once; drawing them all in the IntersectionObserver's
 * callback made one long frame (plotly, image layout). Here each frame runs
 * queued paints until its budget is spent (always at least one), in the
 * order asked, and a pane that scrolled away meanwhile is skipped by its own
 * paint function.
 * @module
 */

export interface PaintQueue {
  /**
   * Run `paint` in a coming frame; a second request for the same key before then is merged.
   * A paint that returns a promise (plotly draws asynchronously) is awaited before the next one.
   */
  request(key: object, paint: () => void | Promise<void>): void;
  cancel(key: object): void;
}

/** Work per frame, in ms: leaves room for style, layout and raster in a 16.7 ms frame. */
const FRAME_BUDGET_MS = 8;

/** @example const queue = createPaintQueue(); queue.request(pane, () => view.render(win)); */
export function createPaintQueue(budgetMs = FRAME_BUDGET_MS): PaintQueue {
  const waiting = new Map<object, () => void | Promise<void>>();
  let busy = false;
  const run = async () => {
    const until = performance.now() + budgetMs;
    for (const [key, paint] of waiting) {
      waiting.delete(key);
      try {
        await paint();
      } catch (err) {
        console.error('cnnvis: pane paint failed', err);
      }
      if (performance.now() >= until) break;
    }
    if (waiting.size > 0) requestAnimationFrame(() => void run());
    else busy = false;
  };
  return {
    request(key, paint) {
      waiting.set(key, paint);
      if (busy) return;
      busy = true;
      requestAnimationFrame(() => void run());
    },
    cancel(key) {
      waiting.delete(key);
    },
  };
}
