/**
 * What is under a point of the graph: a node first, then the title strip of
 * a group frame (clicking it collapses the group). A linear scan: at 5,000
 * nodes it is well under a millisecond, and it runs per click, not per frame.
 * @module
 */
import { BOX_HEADER } from './layout-input';
import type { GraphLayout, PlacedNode } from './layout-result';

export type Hit = { type: 'node'; placed: PlacedNode } | { type: 'box'; placed: PlacedNode };

const inside = (p: PlacedNode, x: number, y: number, h = p.h) => x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + h;

/** @example hitTest(layout, 120, 40)?.placed.node.id // 'L:/conv1/Conv' */
export function hitTest(layout: GraphLayout, x: number, y: number): Hit | null {
  for (const placed of layout.nodes) if (inside(placed, x, y)) return { type: 'node', placed };
  // Innermost frame wins: frames come outermost first.
  for (let i = layout.boxes.length - 1; i >= 0; i--) {
    const placed = layout.boxes[i];
    if (placed && inside(placed, x, y, BOX_HEADER)) return { type: 'box', placed };
  }
  return null;
}
