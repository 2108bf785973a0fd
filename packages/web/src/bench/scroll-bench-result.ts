/**
 * What the first-scroll benchmark reports. Apart from the benchmark itself, so
 * Node code (a bench runner, a test) can use the type without the browser build.
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
