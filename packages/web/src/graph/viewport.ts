/**
 * Pan and zoom as a pure transform (screen = graph · k + (x, y)), and what lies under a point.
 * @module
 */
import { BOX_HEADER } from './layout-input';
import type { GraphLayout, PlacedNode, Rect } from './layout-result';

export interface Transform {
  x: number;
  y: number;
  k: number;
}

/** Zoom limits: far enough out to see 5,000 nodes, close enough to read a shape. */
const ZOOM = { min: 0.01, max: 4 } as const;

const clampK = (k: number) => Math.min(ZOOM.max, Math.max(ZOOM.min, k));

/**
 * Zoom by `factor` about the screen point (px, py).
 * @example zoomAt({ x: 0, y: 0, k: 1 }, 2, 100, 100) // { x: -100, y: -100, k: 2 }
 */
export function zoomAt(t: Transform, factor: number, px: number, py: number): Transform {
  const k = clampK(t.k * factor);
  const f = k / t.k;
  return { k, x: px - (px - t.x) * f, y: py - (py - t.y) * f };
}

/**
 * The transform that shows `r` whole in a w×h view with `pad` px around it,
 * never zoomed in past `maxK` (a 3-node graph should not fill the screen).
 * @example fitRect({ x: 0, y: 0, w: 100, h: 100 }, 300, 300, 50, 4) // { k: 2, x: 50, y: 50 }
 */
export function fitRect(r: Rect, w: number, h: number, pad = 24, maxK = 1): Transform {
  const k = clampK(Math.min(maxK, (w - 2 * pad) / Math.max(1, r.w), (h - 2 * pad) / Math.max(1, r.h)));
  return { k, x: (w - r.w * k) / 2 - r.x * k, y: (h - r.h * k) / 2 - r.y * k };
}

/** Put graph point (gx, gy) at the centre of a w×h view, at zoom `k`. */
export function centerOn(gx: number, gy: number, w: number, h: number, k: number): Transform {
  const kk = clampK(k);
  return { k: kk, x: w / 2 - gx * kk, y: h / 2 - gy * kk };
}

/** The graph-space rectangle a w×h view shows. */
export function visibleArea(t: Transform, w: number, h: number): Rect {
  return { x: -t.x / t.k, y: -t.y / t.k, w: w / t.k, h: h / t.k };
}

/** Screen point to graph point. */
export function toGraph(t: Transform, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - t.x) / t.k, y: (sy - t.y) / t.k };
}

/** @example intersects({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 5, w: 10, h: 10 }) // true */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

export type Hit = { type: 'node'; placed: PlacedNode } | { type: 'box'; placed: PlacedNode };

const inside = (p: PlacedNode, x: number, y: number, h = p.h) => x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + h;

/**
 * What is under graph point (x, y): a node first, then the title strip of a group frame (clicking
 * it collapses the group). A linear scan: it runs per click, not per frame.
 * @example hitTest(layout, 120, 40)?.placed.node.id // 'L:/conv1/Conv'
 */
export function hitTest(layout: GraphLayout, x: number, y: number): Hit | null {
  for (const placed of layout.nodes) if (inside(placed, x, y)) return { type: 'node', placed };
  // Innermost frame wins: frames come outermost first.
  for (let i = layout.boxes.length - 1; i >= 0; i--) {
    const placed = layout.boxes[i];
    if (placed && inside(placed, x, y, BOX_HEADER)) return { type: 'box', placed };
  }
  return null;
}
