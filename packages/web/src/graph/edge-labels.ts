/**
 * Where each edge's shape label goes so it covers no node, frame title or other label; an edge
 * with no free spot along it shows none.
 * @module
 */
import { pointAlong, type GraphLayout, type PlacedEdge, type Rect } from './layout-result';
import { BOX_HEADER } from './layout-input';
import { intersects } from './viewport';
import type { VisibleEdge } from './visible-graph';

/** Text starts this far right of the anchor point (the painter draws it there). */
export const LABEL_DX = 6;
/** Label height: 10 px text plus its 3 px halo. */
const LABEL_H = 14;
/** Fractions of the edge's length to try, nearest the middle first. */
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88];

/** The text drawn beside an edge. */
export const edgeLabelText = (e: VisibleEdge): string => (e.count > 1 ? `${e.label} +${e.count - 1}` : e.label);

/** The rectangle a label anchored at (x, y) covers, with its text `w` px wide. */
export function labelRect(x: number, y: number, w: number): Rect {
  return { x: x + LABEL_DX - 2, y: y - LABEL_H / 2, w: w + 4, h: LABEL_H };
}

/** What labels must not cover: node boxes and frame title strips. */
export function textRects(layout: GraphLayout): Rect[] {
  return [...layout.nodes, ...layout.boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: BOX_HEADER }))];
}

/** Rectangles bucketed on a coarse grid, so a test looks at its neighbours only. */
function createIndex(cell = 128) {
  const buckets = new Map<string, Rect[]>();
  const keys = (r: Rect) => {
    const out: string[] = [];
    for (let i = Math.floor(r.x / cell); i <= Math.floor((r.x + r.w) / cell); i++) {
      for (let j = Math.floor(r.y / cell); j <= Math.floor((r.y + r.h) / cell); j++) out.push(`${i},${j}`);
    }
    return out;
  };
  return {
    add(r: Rect) {
      for (const k of keys(r)) {
        const b = buckets.get(k);
        if (b) b.push(r);
        else buckets.set(k, [r]);
      }
    },
    hits: (r: Rect) => keys(r).some((k) => buckets.get(k)?.some((o) => intersects(o, r)) ?? false),
  };
}

/**
 * Move every edge label of `layout` to a free spot, or to null where there is none.
 * @param measure width in px of a label's text in the edge font
 * @example placeEdgeLabels(layout, (text) => ctx.measureText(text).width);
 */
export function placeEdgeLabels(layout: GraphLayout, measure: (text: string) => number): void {
  const taken = createIndex();
  for (const r of textRects(layout)) taken.add(r);
  // Short edges first: they have the fewest spots to choose from.
  const edges = [...layout.edges].sort((a, b) => a.bounds.w + a.bounds.h - (b.bounds.w + b.bounds.h));
  for (const e of edges) e.label = spot(e, measure(edgeLabelText(e.edge)), taken);
}

function spot(e: PlacedEdge, w: number, taken: ReturnType<typeof createIndex>): PlacedEdge['label'] {
  if (edgeLabelText(e.edge) === '') return null;
  for (const f of ALONG) {
    const p = pointAlong(e.points, f);
    // Right of the line, then left of it (the text ends LABEL_DX before the line).
    for (const x of [p.x, p.x - w - 2 * LABEL_DX]) {
      const r = labelRect(x, p.y, w);
      if (taken.hits(r)) continue;
      taken.add(r);
      return { x, y: p.y };
    }
  }
  return null;
}
