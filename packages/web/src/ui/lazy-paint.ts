/**
 * Panes paint only on screen, their first paints spread over frames within a budget: a quick
 * scroll that reveals a dozen panes must not make one long frame.
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

export interface VisibilityWatcher {
  watch(el: Element, onChange: (visible: boolean) => void): void;
  unwatch(el: Element): void;
}

/**
 * One IntersectionObserver for every pane: with 200 panes in an env, only the ones on screen (plus
 * a margin, so scrolling looks seamless) draw.
 * @example const vis = createVisibilityWatcher(); vis.watch(pane, (v) => v && draw());
 */
export function createVisibilityWatcher(rootMargin = '300px 0px'): VisibilityWatcher {
  const callbacks = new WeakMap<Element, (visible: boolean) => void>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin },
  );
  return {
    watch(el, onChange) {
      callbacks.set(el, onChange);
      observer.observe(el);
    },
    unwatch(el) {
      callbacks.delete(el);
      observer.unobserve(el);
    },
  };
}
