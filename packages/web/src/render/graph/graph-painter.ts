/**
 * Draws the laid-out graph on a canvas. Only what meets the view is drawn, and small things
 * drop out when zoomed out (`LOD`), so panning 1,000 nodes stays at frame rate.
 * @module
 */
import { colormapCss, isDarkAt } from '../../graph/colormap';
import { edgeLabelText, LABEL_DX } from '../../graph/edge-labels';
import type { GraphLayout, PlacedEdge, PlacedNode, Rect } from '../../graph/layout-result';
import { opFamily } from '../../graph/labels';
import { statLevel, type StatScale } from '../../graph/stat-scale';
import { intersects, visibleArea, type Transform } from '../../graph/viewport';
import { COLORS, FAMILY_COLORS, FONTS, LOD } from './graph-style';

/** One frame's input to `paintGraph`. */
export interface Scene {
  layout: GraphLayout;
  /** The layer whose panel is open. */
  selected: string | null;
  /** The current search hit (jumped to). */
  focused: string | null;
  hovered: string | null;
  matches: ReadonlySet<string>;
  scale: StatScale | null;
}

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
function paintEdges(ctx: CanvasRenderingContext2D, scene: Scene, area: Rect, k: number): void {
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

/** How a node is filled and lettered. */
export function nodeColors(p: PlacedNode, scale: StatScale | null): { fill: string; stripe: string; text: string; sub: string } {
  const family = p.node.kind === 'input' || p.node.kind === 'output' ? 'io' : p.node.layer ? opFamily(p.node.layer.op) : 'other';
  const base = FAMILY_COLORS[family];
  if (family === 'io') return { fill: base.fill, stripe: base.stripe, text: '#ffffff', sub: '#cbd5e1' };
  if (scale === null) return { fill: base.fill, stripe: base.stripe, text: COLORS.text, sub: COLORS.muted };
  const level = statLevel(scale, scale.values.get(p.node.id));
  if (level === null) return { fill: COLORS.noData, stripe: base.stripe, text: COLORS.muted, sub: COLORS.muted };
  if (scale.stat === 'nan') return level > 0 ? { fill: COLORS.alarm, stripe: base.stripe, text: '#ffffff', sub: '#fee2e2' } : { fill: base.fill, stripe: base.stripe, text: COLORS.text, sub: COLORS.muted };
  const dark = isDarkAt('viridis', level);
  return { fill: colormapCss('viridis', level), stripe: base.stripe, text: dark ? '#ffffff' : '#111827', sub: dark ? '#e5e7eb' : '#374151' };
}

function paintBoxes(ctx: CanvasRenderingContext2D, boxes: readonly PlacedNode[], area: ReturnType<typeof visibleArea>, k: number): void {
  for (const b of boxes) {
    if (!intersects(b, area)) continue;
    const depth = (b.node.group?.split('/').length ?? 1) - 1;
    ctx.beginPath();
    ctx.roundRect(b.x, b.y, b.w, b.h, 10);
    ctx.fillStyle = COLORS.groupFill[depth % 3] ?? COLORS.groupFill[0];
    ctx.fill();
    ctx.lineWidth = 1 / Math.max(k, 0.5);
    ctx.strokeStyle = COLORS.groupStroke[depth % 3] ?? COLORS.groupStroke[0];
    ctx.stroke();
    if (k < LOD.text) continue;
    ctx.font = FONTS.box;
    ctx.fillStyle = COLORS.muted;
    ctx.textBaseline = 'middle';
    ctx.fillText(`▾ ${b.node.title}`, b.x + 10, b.y + 13, b.w - 20);
  }
}

function paintNode(ctx: CanvasRenderingContext2D, p: PlacedNode, scene: Scene, k: number): void {
  const { fill, stripe, text, sub } = nodeColors(p, scene.scale);
  const io = p.node.kind === 'input' || p.node.kind === 'output';
  const group = p.node.kind === 'group';
  const r = io ? p.h / 2 : 6;
  if (group) {
    // A collapsed group looks like a small stack of cards.
    ctx.beginPath();
    ctx.roundRect(p.x + 4, p.y + 4, p.w, p.h, r);
    ctx.fillStyle = '#e2e8f0';
    ctx.fill();
  }
  ctx.beginPath();
  if (k < LOD.rounded) ctx.rect(p.x, p.y, p.w, p.h);
  else ctx.roundRect(p.x, p.y, p.w, p.h, r);
  ctx.fillStyle = fill;
  ctx.fill();
  const id = p.node.id;
  const ring = id === scene.selected ? COLORS.accent : id === scene.focused || scene.matches.has(id) ? COLORS.match : id === scene.hovered ? '#64748b' : io ? fill : COLORS.border;
  ctx.lineWidth = (id === scene.selected || id === scene.focused ? 2.5 : 1) / Math.min(1, Math.max(k, 0.4));
  ctx.strokeStyle = ring;
  ctx.stroke();
  if (!io && k >= LOD.rounded) {
    ctx.save();
    ctx.clip();
    ctx.fillStyle = stripe;
    ctx.fillRect(p.x, p.y, 4, p.h);
    ctx.restore();
  }
  if (k < LOD.text) return;
  ctx.textBaseline = 'middle';
  const left = p.x + 12;
  const width = p.w - (group ? 36 : 20);
  ctx.fillStyle = text;
  ctx.font = FONTS.title;
  ctx.fillText(p.node.title, left, p.y + (io ? p.h / 2 - 5 : 13), width);
  ctx.fillStyle = sub;
  ctx.font = FONTS.subtitle;
  ctx.fillText(p.node.subtitle, left, p.y + (io ? p.h / 2 + 7 : 27), width);
  if (group) {
    ctx.fillStyle = COLORS.muted;
    ctx.font = '600 14px Inter, system-ui, sans-serif';
    ctx.fillText('+', p.x + p.w - 20, p.y + p.h / 2);
  }
}

/**
 * Draw `scene` as seen through `t` on a canvas of w×h CSS px.
 * @returns how many nodes were drawn (the rest were off screen)
 */
export function paintGraph(ctx: CanvasRenderingContext2D, scene: Scene, t: Transform, w: number, h: number, dpr: number): number {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  const view = visibleArea(t, w, h);
  const area = { x: view.x - 40, y: view.y - 40, w: view.w + 80, h: view.h + 80 };
  paintBoxes(ctx, scene.layout.boxes, area, t.k);
  paintEdges(ctx, scene, area, t.k);
  let drawn = 0;
  for (const p of scene.layout.nodes) {
    if (!intersects(p, area)) continue;
    paintNode(ctx, p, scene, t.k);
    drawn++;
  }
  return drawn;
}
