/**
 * What the layout benchmark reports. Apart from the benchmark itself, so Node
 * code (a bench runner, a test) can use the type without the browser build.
 * @module
 */

/** @example { nodes: 1002, edges: 1142, coldMs: 1563, medianMs: 306, minMs: 281, runs: [306, 281, 340] } */
export interface LayoutBenchResult {
  nodes: number;
  edges: number;
  /** The first layout: worker start and JIT warm-up included. */
  coldMs: number;
  /** Later layouts of the same graph. */
  medianMs: number;
  minMs: number;
  runs: number[];
}
