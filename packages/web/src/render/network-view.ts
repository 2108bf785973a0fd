/**
 * A network pane (Visdom's `viz.graph`): nodes coloured by `club`, edges (arrows when
 * `directed`) and labels; laid out once per change and scaled on resize.
 * @module
 */
import type { NetworkContent, Window } from '@cnnvis/protocol';
import { downloadCanvas, whiteCanvas } from './download';
import { clubColors, layoutLayered, layoutNetwork, type Point } from './network-layout';
import type { PaneView, ViewHooks } from './pane-view';

const NS = 'http://www.w3.org/2000/svg';
const RADIUS = 7;
/** Room around the drawing for labels, in px. */
const MARGIN = 28;
const STRETCH = 1.6;
const LABEL = { 'font-size': 11, 'font-family': 'Inter, system-ui, sans-serif', fill: '#374151' };
/** Marker ids are document-wide: one per view. */
let views = 0;

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Map unit-square points onto a `w`×`h` box offset by `inset`: the drawing
 * keeps its shape, but may stretch by up to {@link STRETCH} on one axis to
 * fill a wide or tall pane (a layered chain is long and thin).
 */
export function fitToPane(unit: readonly Point[], w: number, h: number, inset: number): (i: number) => Point {
  const range = (vs: number[]) => (vs.length === 0 ? [0.5, 0.5] : [Math.min(...vs), Math.max(...vs)]) as [number, number];
  const [x0, x1] = range(unit.map((p) => p.x));
  const [y0, y1] = range(unit.map((p) => p.y));
  const spanX = x1 - x0;
  const spanY = y1 - y0;
  const keep = Math.min(spanX > 0 ? w / spanX : Infinity, spanY > 0 ? h / spanY : Infinity);
  const base = Number.isFinite(keep) ? keep : Math.min(w, h);
  const sx = spanX > 0 ? Math.min(w / spanX, base * STRETCH) : 0;
  const sy = spanY > 0 ? Math.min(h / spanY, base * STRETCH) : 0;
  const ox = inset + (w - spanX * sx) / 2;
  const oy = inset + (h - spanY * sy) / 2;
  return (i) => {
    const p = unit[i] ?? { x: 0.5, y: 0.5 };
    return { x: ox + (p.x - x0) * sx, y: oy + (p.y - y0) * sy };
  };
}

/** Whether segment a–b runs through a node other than its ends (so it would hide behind it). */
function passesNode(a: Point, b: Point, points: readonly Point[], from: number, to: number): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy || 1;
  return points.some((p, i) => {
    if (i === from || i === to) return false;
    const t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
    if (t <= 0 || t >= 1) return false;
    return Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) < RADIUS * 1.5;
  });
}

/**
 * An edge from rim to rim (so arrowheads touch the circles): straight, or
 * bowed `bow` px to the right of its direction (below a left-to-right edge, away from
 * the node labels); `mid` is where its label goes.
 */
export function edgePath(a: Point, b: Point, bow: number): { d: string; mid: Point } {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = -(b.y - a.y) / len;
  const ny = (b.x - a.x) / len;
  const c = { x: (a.x + b.x) / 2 + nx * bow, y: (a.y + b.y) / 2 + ny * bow };
  // Leave each circle towards the control point (the other end, when straight).
  const from = (p: Point, q: Point, r: number) => {
    const l = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    return { x: p.x + ((q.x - p.x) / l) * r, y: p.y + ((q.y - p.y) / l) * r };
  };
  const s = from(a, c, RADIUS);
  const e = from(b, c, RADIUS + 1);
  const f = (n: number) => Math.round(n * 10) / 10;
  if (bow === 0) return { d: `M${f(s.x)},${f(s.y)}L${f(e.x)},${f(e.y)}`, mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  return {
    d: `M${f(s.x)},${f(s.y)}Q${f(c.x)},${f(c.y)} ${f(e.x)},${f(e.y)}`,
    mid: { x: (s.x + 2 * c.x + e.x) / 4, y: (s.y + 2 * c.y + e.y) / 4 },
  };
}

export function createNetworkView(body: HTMLElement, hooks: ViewHooks): PaneView {
  const svg = svgEl('svg', { class: 'network-view', role: 'img' });
  body.append(svg);
  let content: NetworkContent | undefined;
  let unit: Point[] = [];
  const arrowId = `network-arrow-${++views}`;

  function draw(): void {
    if (content === undefined) return;
    const width = Math.max(80, body.clientWidth);
    const height = Math.max(80, body.clientHeight);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const at = fitToPane(unit, width - 2 * MARGIN, height - 2 * MARGIN, MARGIN);
    const { nodes, edges, directed, showEdgeLabels, showVertexLabels } = content;
    const colors = clubColors(nodes.map((n) => n.club));
    const defs = svgEl('defs', {});
    const arrow = svgEl('marker', {
      id: arrowId, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
    });
    arrow.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7280' }));
    defs.append(arrow);
    const edgeLayer = svgEl('g', { class: 'network-edges' });
    const labelLayer = svgEl('g', { class: 'network-labels' });
    const points = nodes.map((_, i) => at(i));
    // Checking every edge against every node costs E·N: past this, edges stay straight.
    const checkCrossings = edges.length * nodes.length <= 2_000_000;
    for (const edge of edges) {
      const a = points[edge.source];
      const b = points[edge.target];
      if (a === undefined || b === undefined) continue;
      const bow = checkCrossings && passesNode(a, b, points, edge.source, edge.target) ? Math.min(60, Math.hypot(b.x - a.x, b.y - a.y) * 0.2) : 0;
      const { d, mid } = edgePath(a, b, bow);
      const path = svgEl('path', { d, fill: 'none', stroke: '#9ca3af', 'stroke-width': 1.4 });
      if (directed) path.setAttribute('marker-end', `url(#${arrowId})`);
      edgeLayer.append(path);
      if (showEdgeLabels && edge.label) {
        const text = svgEl('text', { x: mid.x, y: mid.y - 3, class: 'network-edge-label', 'text-anchor': 'middle', ...LABEL, fill: '#6b7280' });
        text.textContent = edge.label;
        labelLayer.append(text);
      }
    }
    const nodeLayer = svgEl('g', { class: 'network-nodes' });
    nodes.forEach((node, i) => {
      const p = points[i] ?? at(i);
      const circle = svgEl('circle', { cx: p.x, cy: p.y, r: RADIUS, fill: colors[i] ?? '#2563eb', stroke: '#ffffff', 'stroke-width': 1.5 });
      const title = svgEl('title', {});
      title.textContent = node.label ?? String(node.name);
      circle.append(title);
      circle.dataset['index'] = String(i);
      nodeLayer.append(circle);
      if (showVertexLabels) {
        const text = svgEl('text', { x: p.x, y: p.y - RADIUS - 4, class: 'network-node-label', 'text-anchor': 'middle', ...LABEL });
        text.textContent = node.label ?? String(node.name);
        labelLayer.append(text);
      }
    });
    svg.replaceChildren(defs, edgeLayer, nodeLayer, labelLayer);
  }

  return {
    render(win: Window) {
      if (win.content.kind !== 'network') return;
      content = win.content;
      const { nodes, edges, directed } = content;
      unit = (directed ? layoutLayered(nodes.length, edges) : undefined) ?? layoutNetwork(nodes.length, edges);
      draw();
      hooks.ready(true);
    },
    resize: draw,
    async download(filename) {
      const xml = new XMLSerializer().serializeToString(svg);
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
      await img.decode();
      const { canvas, ctx } = whiteCanvas(img.naturalWidth || svg.clientWidth, img.naturalHeight || svg.clientHeight);
      ctx.drawImage(img, 0, 0);
      await downloadCanvas(canvas, filename);
    },
    dispose() {
      svg.remove();
    },
  };
}
