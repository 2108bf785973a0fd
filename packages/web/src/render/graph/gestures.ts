/**
 * Pointer input on the graph canvas: drag pans, wheel or pinch zooms about the cursor, a press
 * without movement clicks, moves hover.
 * @module
 */

export interface GestureHandlers {
  pan(dx: number, dy: number): void;
  zoom(factor: number, x: number, y: number): void;
  click(x: number, y: number): void;
  /** The pointer is at (x, y) in canvas px, or has left (null). */
  hover(at: { x: number; y: number } | null): void;
}

/** Movement under this many px between press and release is still a click. */
const CLICK_SLOP = 4;

/**
 * @returns a function that removes the listeners
 * @example const detach = attachGestures(canvas, { pan, zoom, click, hover });
 */
export function attachGestures(el: HTMLElement, h: GestureHandlers): () => void {
  let drag: { id: number; x: number; y: number; sx: number; sy: number; moved: boolean } | null = null;
  const local = (e: { clientX: number; clientY: number }) => {
    const r = el.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const { x, y } = local(e);
    // Lines and pages (Firefox, some mice) are bigger steps than pixels.
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const speed = e.ctrlKey ? 0.01 : 0.0015;
    h.zoom(Math.exp(-e.deltaY * unit * speed), x, y);
  };
  const down = (e: PointerEvent) => {
    if (e.button !== 0 || drag !== null) return;
    const p = local(e);
    drag = { id: e.pointerId, x: p.x, y: p.y, sx: p.x, sy: p.y, moved: false };
    el.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent) => {
    const p = local(e);
    if (drag === null || drag.id !== e.pointerId) return h.hover(p);
    if (!drag.moved && Math.hypot(p.x - drag.sx, p.y - drag.sy) < CLICK_SLOP) return;
    if (!drag.moved) el.classList.add('dragging');
    drag.moved = true;
    h.pan(p.x - drag.x, p.y - drag.y);
    drag.x = p.x;
    drag.y = p.y;
  };
  const up = (e: PointerEvent) => {
    if (drag === null || drag.id !== e.pointerId) return;
    const { moved, sx, sy } = drag;
    drag = null;
    el.classList.remove('dragging');
    if (!moved) h.click(sx, sy);
  };
  const cancel = (e: PointerEvent) => {
    if (drag?.id === e.pointerId) drag = null;
    el.classList.remove('dragging');
  };
  const leave = () => drag === null && h.hover(null);
  // One abort removes every listener.
  const listening = new AbortController();
  const { signal } = listening;
  el.addEventListener('wheel', wheel, { passive: false, signal });
  el.addEventListener('pointerdown', down, { signal });
  el.addEventListener('pointermove', move, { signal });
  el.addEventListener('pointerup', up, { signal });
  el.addEventListener('pointercancel', cancel, { signal });
  el.addEventListener('pointerleave', leave, { signal });
  return () => listening.abort();
}
