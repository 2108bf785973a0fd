/**
 * The graph's canvas, its pan/zoom transform and minimap; changes repaint once per frame.
 * @module
 */
import type { Rect } from '../../graph/layout-result';
import { centerOn, fitRect, hitTest, toGraph, zoomAt, type Hit, type Transform } from '../../graph/viewport';
import { attachGestures } from './gestures';
import { paintGraph } from './graph-painter';
import { createMinimap } from './minimap';
import type { Scene } from './graph-painter';
import { element } from '../../dom';

export interface StageHooks {
  click(hit: Hit | null): void;
  hover(hit: Hit | null, at: { x: number; y: number } | null): void;
}

export interface GraphStage {
  readonly el: HTMLElement;
  /** A new scene; the minimap is redrawn when the layout or colours changed. */
  setScene(scene: Scene, layoutChanged: boolean): void;
  readonly transform: Transform;
  setTransform(t: Transform): void;
  /** Show the whole graph, or its top at a readable zoom when it is too tall for that. */
  fit(): void;
  /** Show the whole graph, however small that makes it (the toolbar's Fit). */
  fitAll(): void;
  /** Centre on graph rect `r`, zooming in to at least `minK`. */
  reveal(r: Rect, minK: number): void;
  /** Centre on `r` only if it is not already wholly in view. */
  ensureVisible(r: Rect): void;
  /** A node's box in client (page) px, for tests and tooltips. */
  clientRect(id: string): DOMRect | null;
  resize(): void;
  dispose(): void;
}

/** Past this, a whole-graph view is mostly smudge: show the top at this zoom instead. */
const MIN_FIT_K = 0.7;

export function createGraphStage(hooks: StageHooks): GraphStage {
  const el = element('div', 'graph-stage');
  const canvas = element('canvas', 'graph-canvas', { testid: 'graph-canvas' });
  const minimap = createMinimap((x, y) => setTransform(centerOn(x, y, size.w, size.h, t.k)));
  el.append(canvas, minimap.el);
  let scene: Scene | undefined;
  let t: Transform = { x: 0, y: 0, k: 1 };
  let size = { w: 1, h: 1, dpr: 1 };
  let frame = 0;

  const paint = () => {
    frame = 0;
    const ctx = canvas.getContext('2d');
    if (ctx === null || scene === undefined) return;
    const started = performance.now();
    const drawn = paintGraph(ctx, scene, t, size.w, size.h, size.dpr);
    // For tests and the curious: what the last frame drew and how long it took.
    el.dataset['drawnNodes'] = String(drawn);
    el.dataset['paintMs'] = (performance.now() - started).toFixed(2);
    const big = scene.layout.width * t.k > size.w * 1.2 || scene.layout.height * t.k > size.h * 1.2;
    minimap.el.hidden = !big;
    if (big) minimap.draw(t, size.w, size.h);
    // The dot grid moves with the graph, so a pan on an empty area still shows motion.
    const step = 22 * t.k;
    el.style.backgroundSize = `${step}px ${step}px`;
    el.style.backgroundPosition = `${t.x}px ${t.y}px`;
  };
  const invalidate = () => {
    if (frame === 0) frame = requestAnimationFrame(paint);
  };
  const setTransform = (next: Transform) => {
    t = next;
    invalidate();
  };
  const hitAt = (x: number, y: number) => {
    if (scene === undefined) return null;
    const g = toGraph(t, x, y);
    return hitTest(scene.layout, g.x, g.y);
  };
  const detach = attachGestures(canvas, {
    pan: (dx, dy) => setTransform({ ...t, x: t.x + dx, y: t.y + dy }),
    zoom: (f, x, y) => setTransform(zoomAt(t, f, x, y)),
    click: (x, y) => hooks.click(hitAt(x, y)),
    hover: (at) => hooks.hover(at === null ? null : hitAt(at.x, at.y), at),
  });
  const observer = new ResizeObserver(() => resize());
  observer.observe(el);
  const resize = () => {
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = Math.max(1, el.clientWidth);
    const h = Math.max(1, el.clientHeight);
    if (w === size.w && h === size.h && dpr === size.dpr) return;
    // Keep what was in the middle in the middle (a panel opening takes width from the right).
    if (size.w > 1) t = { ...t, x: t.x + (w - size.w) / 2, y: t.y + (h - size.h) / 2 };
    size = { w, h, dpr };
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    invalidate();
  };

  return {
    el,
    setScene(next, layoutChanged) {
      scene = next;
      if (layoutChanged) minimap.setLayout(next.layout, next.scale);
      invalidate();
    },
    get transform() {
      return t;
    },
    setTransform,
    fit() {
      resize();
      if (scene === undefined) return;
      const { width, height } = scene.layout;
      const all = fitRect({ x: 0, y: 0, w: width, h: height }, size.w, size.h, 24, 1);
      if (all.k >= MIN_FIT_K) return setTransform(all);
      const k = Math.max(MIN_FIT_K, Math.min(1, (size.w - 48) / Math.max(1, width)));
      setTransform({ k, x: (size.w - width * k) / 2, y: 16 });
    },
    fitAll() {
      resize();
      if (scene !== undefined) setTransform(fitRect({ x: 0, y: 0, w: scene.layout.width, h: scene.layout.height }, size.w, size.h, 24, 1));
    },
    reveal(r, minK) {
      resize();
      setTransform(centerOn(r.x + r.w / 2, r.y + r.h / 2, size.w, size.h, Math.max(t.k, minK)));
    },
    ensureVisible(r) {
      resize();
      const [x, y] = [r.x * t.k + t.x, r.y * t.k + t.y];
      const inside = x >= 0 && y >= 0 && x + r.w * t.k <= size.w && y + r.h * t.k <= size.h;
      if (!inside) setTransform(centerOn(r.x + r.w / 2, r.y + r.h / 2, size.w, size.h, t.k));
    },
    clientRect(id) {
      const p = scene?.layout.byId.get(id);
      if (p === undefined) return null;
      const box = canvas.getBoundingClientRect();
      return new DOMRect(box.left + p.x * t.k + t.x, box.top + p.y * t.k + t.y, p.w * t.k, p.h * t.k);
    },
    resize,
    dispose() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      detach();
    },
  };
}
