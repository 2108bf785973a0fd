/**
 * The layout as plain numbers in graph coordinates, for tests (`graphDebug.layout()`).
 * @module
 */
import { edgeLabelText, LABEL_DX } from '../../graph/edge-labels';
import type { GraphLayout, PlacedNode } from '../../graph/layout-result';

export interface LayoutDescription {
  width: number;
  height: number;
  nodes: Array<{ id: string; x: number; y: number; w: number; h: number }>;
  boxes: Array<{ id: string; x: number; y: number; w: number; h: number }>;
  /** Drawn labels: the text's left end and vertical middle. */
  labels: Array<{ x: number; y: number; text: string }>;
  /** Edges that have a label to show (drawn or not). */
  labelled: number;
}

/** @example (el as any).graphDebug.layout().labels[0] // { x: 120, y: 88, text: '1×8×16×16' } */
export function describeLayout(layout: GraphLayout | undefined): LayoutDescription | null {
  if (layout === undefined) return null;
  const rect = (p: PlacedNode) => ({ id: p.node.id, x: p.x, y: p.y, w: p.w, h: p.h });
  const labels: LayoutDescription['labels'] = [];
  let labelled = 0;
  for (const e of layout.edges) {
    const text = edgeLabelText(e.edge);
    if (text === '') continue;
    labelled++;
    if (e.label) labels.push({ x: e.label.x + LABEL_DX, y: e.label.y, text });
  }
  return { width: layout.width, height: layout.height, nodes: layout.nodes.map(rect), boxes: layout.boxes.map(rect), labels, labelled };
}
