/**
 * What the layout benchmark reports; apart, so Node code can use the type without the browser.
 * @module
 */

/** @example { engine: 'layered', nodes: 1002, edges: 1142, coldMs: 41, medianMs: 12, minMs: 11, runs: [12, 11, 14] } */
export interface LayoutBenchResult {
  /** Which layout ran: ELK in its worker, or our own layered layout (the default past 600 nodes). */
  engine: 'elk' | 'layered';
  nodes: number;
  edges: number;
  /** The first layout: worker start and JIT warm-up included. */
  coldMs: number;
  /** Later layouts of the same graph. */
  medianMs: number;
  minMs: number;
  runs: number[];
}
