/**
 * Run a callback at most once per animation frame. Hidden tabs get no frames,
 * so a slow timer races the frame: the queue of deltas keeps draining instead
 * of growing while nobody looks.
 * @module
 */

/** Call `schedule()` as often as you like; `run` happens once per frame. */
export interface FrameScheduler {
  schedule(): void;
  cancel(): void;
}

/** How often a hidden tab (no animation frames) drains its queue. */
const FALLBACK_MS = 500;

/**
 * @example
 * const frame = createFrameScheduler(() => store.flush());
 * socket.on('window:updated', (d) => { queue.push(d); frame.schedule(); });
 */
export function createFrameScheduler(run: () => void): FrameScheduler {
  let raf: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    if (raf !== undefined) cancelAnimationFrame(raf);
    if (timer !== undefined) clearTimeout(timer);
    raf = timer = undefined;
  };
  const fire = () => {
    cancel();
    run();
  };
  return {
    schedule() {
      if (timer !== undefined) return;
      raf = requestAnimationFrame(fire);
      timer = setTimeout(fire, FALLBACK_MS);
    },
    cancel,
  };
}
