/**
 * What happened to one window since the UI last drew it. Changes are merged
 * per animation frame, so a window that got 30 appends in one frame is
 * redrawn once, with 30 appends' worth of points.
 * @module
 */
import type { UpdateOp } from '@cnnvis/protocol';

/**
 * - `full`: draw the window from scratch (new, replaced, or resynced).
 * - `ops`: the window changed by these ops, in order; the store already applied them.
 * - `closed`: the pane goes away.
 */
export type WindowChange = { type: 'full' } | { type: 'ops'; ops: UpdateOp[] } | { type: 'closed' };

/**
 * Fold a newer change into an older one for the same window.
 * @example
 * mergeChange({ type: 'ops', ops: [a] }, { type: 'ops', ops: [b] }) // { type: 'ops', ops: [a, b] }
 * mergeChange({ type: 'full' }, { type: 'ops', ops: [b] }) // { type: 'full' }: a redraw covers it
 */
export function mergeChange(older: WindowChange | undefined, newer: WindowChange): WindowChange {
  if (older === undefined || newer.type !== 'ops') return newer;
  switch (older.type) {
    case 'ops':
      return { type: 'ops', ops: [...older.ops, ...newer.ops] };
    case 'full':
      return older;
    case 'closed':
      // Ops on a closed window are dropped by the store before they get here.
      return older;
  }
}

/** Everything the UI must redraw after one frame. */
export interface ChangeBatch {
  /** All panes were replaced by a snapshot (env switch or resync). */
  reset: boolean;
  windows: Map<string, WindowChange>;
  /** Windows whose grid position changed (from a `layout:saved` event). */
  layouts: Set<string>;
}

/** An empty batch. */
export function createChangeBatch(): ChangeBatch {
  return { reset: false, windows: new Map(), layouts: new Set() };
}
