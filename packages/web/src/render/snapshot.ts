/**
 * An element drawn into a canvas, scrolled-away parts included: backgrounds, canvases, images
 * and text. Enough for our own panels; not a general HTML renderer.
 * @module
 */

/** Where a client rect lands in the snapshot: scroll containers are unrolled. */
type Place = (r: DOMRect) => { x: number; y: number };

const visible = (s: CSSStyleDeclaration) => s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0;
const opaque = (c: string) => c !== '' && c !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(c);

/** `linear-gradient(90deg, rgb(…), …)` as evenly spaced colours, or null. */
function gradientStops(image: string): string[] | null {
  if (!image.startsWith('linear-gradient(90deg')) return null;
  const stops = image.match(/rgba?\([^)]*\)/g);
  return stops && stops.length >= 2 ? stops : null;
}

function paintBox(ctx: CanvasRenderingContext2D, el: Element, s: CSSStyleDeclaration, at: { x: number; y: number }, r: DOMRect): void {
  if (opaque(s.backgroundColor)) {
    ctx.fillStyle = s.backgroundColor;
    ctx.fillRect(at.x, at.y, r.width, r.height);
  }
  const stops = gradientStops(s.backgroundImage);
  if (stops) {
    const g = ctx.createLinearGradient(at.x, 0, at.x + r.width, 0);
    stops.forEach((c, i) => g.addColorStop(i / (stops.length - 1), c));
    ctx.fillStyle = g;
    ctx.fillRect(at.x, at.y, r.width, r.height);
  }
  const border = parseFloat(s.borderTopWidth);
  if (border > 0 && opaque(s.borderTopColor) && s.borderTopStyle !== 'none') {
    ctx.strokeStyle = s.borderTopColor;
    ctx.lineWidth = border;
    ctx.strokeRect(at.x + border / 2, at.y + border / 2, r.width - border, r.height - border);
  }
  if (el instanceof HTMLCanvasElement || el instanceof HTMLImageElement) {
    try {
      ctx.drawImage(el, at.x, at.y, r.width, r.height);
    } catch {
      // An image not loaded yet, or a canvas of size 0: nothing to draw.
    }
  }
  if (el instanceof HTMLInputElement && el.type === 'range') {
    // A slider as a track and its knob at the value.
    const t = (Number(el.value) - Number(el.min)) / (Number(el.max) - Number(el.min) || 1);
    ctx.fillStyle = '#cbd5e1';
    ctx.fillRect(at.x, at.y + r.height / 2 - 2, r.width, 4);
    ctx.fillStyle = '#3b82f6';
    ctx.beginPath();
    ctx.arc(at.x + t * r.width, at.y + r.height / 2, Math.min(7, r.height / 2), 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** A text node, word by word where the browser placed each word. */
function paintText(ctx: CanvasRenderingContext2D, node: Text, place: Place): void {
  const parent = node.parentElement;
  if (parent === null || parent instanceof HTMLSelectElement || parent instanceof HTMLOptionElement) return;
  const s = getComputedStyle(parent);
  ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  ctx.fillStyle = s.color;
  ctx.textBaseline = 'alphabetic';
  ctx.letterSpacing = s.letterSpacing === 'normal' ? '0px' : s.letterSpacing;
  const cased = (w: string) => (s.textTransform === 'uppercase' ? w.toUpperCase() : w);
  const range = document.createRange();
  const text = node.data;
  for (const m of text.matchAll(/\S+/g)) {
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const rects = range.getClientRects();
    const r = rects[0];
    if (r === undefined || r.width === 0) continue; // cut off by an ellipsis, or not laid out
    const at = place(r);
    // The baseline sits about a fifth of the line box above its bottom.
    ctx.fillText(cased(m[0]), at.x, at.y + r.height * 0.78);
  }
}

function paintTree(ctx: CanvasRenderingContext2D, el: Element, place: (el: Element, r: DOMRect) => { x: number; y: number }): void {
  const s = getComputedStyle(el);
  if (!visible(s) || (el as HTMLElement).hidden || (el as HTMLElement).dataset?.['snapshot'] === 'skip') return;
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) paintBox(ctx, el, s, place(el, r), r);
  if (el instanceof HTMLSelectElement) {
    // The chosen option's text, as the closed menu shows it.
    const at = place(el, r);
    ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    ctx.fillStyle = s.color;
    ctx.fillText(el.selectedOptions[0]?.text ?? '', at.x + 6, at.y + r.height * 0.7);
    return;
  }
  for (const child of el.childNodes) {
    if (child instanceof Text) paintText(ctx, child, (tr) => place(el, tr));
    else if (child instanceof Element) paintTree(ctx, child, place);
  }
}

/**
 * `root` drawn whole into a new canvas (white background): the parts of its
 * scroll containers scrolled out of view are laid out below as if unrolled.
 * @example const canvas = snapshotElement(panel.el); await downloadCanvas(canvas, 'panel.png');
 */
export function snapshotElement(root: HTMLElement, scale = Math.min(2, window.devicePixelRatio || 1)): HTMLCanvasElement {
  const origin = root.getBoundingClientRect();
  // Each scroll container inside grows by what it hides; what lies below it moves down as much.
  const scrollers = [...root.querySelectorAll<HTMLElement>('*')].filter((e) => e.scrollHeight > e.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(e).overflowY));
  const extra = (e: HTMLElement) => e.scrollHeight - e.clientHeight;
  const place = (el: Element, r: DOMRect) => {
    let y = r.top - origin.top;
    for (const sc of scrollers) {
      const sr = sc.getBoundingClientRect();
      if (sc.contains(el) && sc !== el) y += sc.scrollTop;
      else if (r.top >= sr.bottom - 0.5) y += extra(sc);
    }
    return { x: r.left - origin.left, y };
  };
  const height = root.getBoundingClientRect().height + scrollers.reduce((n, sc) => n + extra(sc), 0);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(origin.width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  // Scroll containers clip nothing here: everything they hold is drawn.
  paintTree(ctx, root, place);
  return canvas;
}
