/**
 * The whole graph small in a corner with the view as a rectangle; click or drag to move there.
 * Nodes are painted once per layout into a bitmap, so a frame only blits it.
 * @module
 */
import type { GraphLayout } from '../../graph/layout-result';
import type { StatScale } from '../../graph/stat-scale';
import { visibleArea, type Transform } from '../../graph/viewport';
import { nodeColors } from './graph-painter';
import { element } from '../../dom';

/** The most room the minimap takes; it shrinks to the graph's shape (a deep CNN is a tall strip). */
const MAX = { w: 168, h: 140, min: 56, pad: 6 };

export interface Minimap {
  readonly el: HTMLCanvasElement;
  /** New layout or colours: repaint the bitmap. */
  setLayout(layout: GraphLayout, scale: StatScale | null): void;
  /** Draw the view rectangle for transform `t` over a w×h view. */
  draw(t: Transform, w: number, h: number): void;
}

/** @param goTo centre the main view on this graph point */
export function createMinimap(goTo: (x: number, y: number) => void): Minimap {
  const el = element('canvas', 'graph-minimap', { testid: 'graph-minimap' });
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const bitmap = document.createElement('canvas');
  const size = { w: MAX.w, h: MAX.h };
  let layout: GraphLayout | undefined;
  let scale = 1;
  let off = { x: 0, y: 0 };

  const go = (e: PointerEvent) => {
    const r = el.getBoundingClientRect();
    goTo((e.clientX - r.left - off.x) / scale, (e.clientY - r.top - off.y) / scale);
  };
  el.addEventListener('pointerdown', (e) => {
    el.setPointerCapture(e.pointerId);
    go(e);
  });
  el.addEventListener('pointermove', (e) => el.hasPointerCapture(e.pointerId) && go(e));

  return {
    el,
    setLayout(next, stats) {
      layout = next;
      const aspect = Math.max(1, next.width) / Math.max(1, next.height);
      size.w = Math.round(Math.min(MAX.w, Math.max(MAX.min, MAX.h * aspect)));
      size.h = Math.round(Math.min(MAX.h, Math.max(MAX.min, size.w / aspect)));
      for (const c of [el, bitmap]) {
        c.width = size.w * dpr;
        c.height = size.h * dpr;
      }
      el.style.width = `${size.w}px`;
      el.style.height = `${size.h}px`;
      scale = Math.min((size.w - 2 * MAX.pad) / Math.max(1, next.width), (size.h - 2 * MAX.pad) / Math.max(1, next.height));
      off = { x: (size.w - next.width * scale) / 2, y: (size.h - next.height * scale) / 2 };
      const ctx = bitmap.getContext('2d');
      if (ctx === null) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, size.w, size.h);
      for (const p of next.nodes) {
        const c = nodeColors(p, stats);
        ctx.fillStyle = stats === null ? c.stripe : c.fill;
        ctx.fillRect(off.x + p.x * scale, off.y + p.y * scale, Math.max(1, p.w * scale), Math.max(1, p.h * scale));
      }
    },
    draw(t, w, h) {
      const ctx = el.getContext('2d');
      if (ctx === null || layout === undefined) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, el.width, el.height);
      ctx.drawImage(bitmap, 0, 0);
      const v = visibleArea(t, w, h);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = 'rgba(37, 99, 235, 0.08)';
      ctx.strokeStyle = '#2563eb';
      ctx.lineWidth = 1.5;
      const [x, y, rw, rh] = [off.x + v.x * scale, off.y + v.y * scale, v.w * scale, v.h * scale];
      ctx.fillRect(x, y, rw, rh);
      ctx.strokeRect(x, y, rw, rh);
    },
  };
}
