/**
 * Edges as one batched path (one stroke for hundreds of edges), the edges of
 * the selected or hovered layer drawn again on top in the accent colour, an
 * arrowhead at each end, and the tensor shape beside each edge when zoomed in.
 * @module
 */
import { edgeLabelText, LABEL_DX } from '../../graph/edge-labels';
import type { PlacedEdge, Rect } from '../../graph/layout-result';
import { intersects } from '../../graph/viewport';
import { COLORS, FONTS, LOD } from './graph-style';
import type { Scene } from './scene';

const ARROW = 6;

function trace(ctx: CanvasRenderingContext2D, e: PlacedEdge): void {
  const p = e.points;
  ctx.moveTo(p[0] ?? 0, p[1] ?? 0);
  for (let i = 2; i < p.length; i += 2) ctx.lineTo(p[i] ?? 0, p[i + 1] ?? 0);
}

function arrow(ctx: CanvasRenderingContext2D, e: PlacedEdge): void {
  const p = e.points;
  const n = p.length;
  const [x0, y0, x1, y1] = [p[n - 4] ?? 0, p[n - 3] ?? 0, p[n - 2] ?? 0, p[n - 1] ?? 0];
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const [ux, uy] = [(x1 - x0) / len, (y1 - y0) / len];
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - ux * ARROW * 1.4 - uy * ARROW * 0.7, y1 - uy * ARROW * 1.4 + ux * ARROW * 0.7);
  ctx.lineTo(x1 - ux * ARROW * 1.4 + uy * ARROW * 0.7, y1 - uy * ARROW * 1.4 - ux * ARROW * 0.7);
  ctx.closePath();
}

function stroke(ctx: CanvasRenderingContext2D, edges: readonly PlacedEdge[], color: string, width: number, k: number): void {
  if (edges.length === 0) return;
  ctx.beginPath();
  for (const e of edges) trace(ctx, e);
  ctx.strokeStyle = color;
  ctx.lineWidth = width / Math.min(1, Math.max(k, 0.3));
  ctx.lineJoin = 'round';
  ctx.stroke();
  if (k < LOD.arrow) return;
  ctx.beginPath();
  for (const e of edges) arrow(ctx, e);
  ctx.fillStyle = color;
  ctx.fill();
}

function labels(ctx: CanvasRenderingContext2D, edges: readonly PlacedEdge[]): void {
  ctx.font = FONTS.edge;
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = COLORS.background;
  ctx.fillStyle = COLORS.label;
  for (const e of edges) {
    const text = edgeLabelText(e.edge);
    if (text === '' || e.label === null) continue; // no spot that covers no text
    // A halo in the background colour keeps the text readable over crossing edges.
    ctx.strokeText(text, e.label.x + LABEL_DX, e.label.y);
    ctx.fillText(text, e.label.x + LABEL_DX, e.label.y);
  }
}

/** Draw the edges of `scene` that touch `area`. */
export function paintEdges(ctx: CanvasRenderingContext2D, scene: Scene, area: Rect, k: number): void {
  const hot = scene.selected ?? scene.hovered;
  const normal: PlacedEdge[] = [];
  const lit: PlacedEdge[] = [];
  for (const e of scene.layout.edges) {
    if (!intersects(e.bounds, area)) continue;
    (hot !== null && (e.edge.from === hot || e.edge.to === hot) ? lit : normal).push(e);
  }
  stroke(ctx, normal, COLORS.edge, 1.2, k);
  stroke(ctx, lit, COLORS.edgeHot, 2, k);
  if (k >= LOD.edgeLabel) labels(ctx, [...normal, ...lit]);
}
