/**
 * An image pane: one image or an `nrow` grid fit to the pane (small images pixelated), or a
 * history with a slider; a click emits a `Click` in image pixels.
 * @module
 */
import type { ImageContent, ImageRef, Window } from '@cnnvis/protocol';
import { downloadCanvas, whiteCanvas } from './download';
import type { PaneView, ViewHooks } from './pane-view';
import { element } from '../dom';

export interface ImageFitInput {
  /** Pane body size in CSS pixels. */
  width: number;
  height: number;
  /** Largest image size in pixels. */
  cellWidth: number;
  cellHeight: number;
  count: number;
  /** Images per row. */
  nrow: number;
  /** Gap between cells in pixels. */
  padding: number;
  /** Height taken under each row by captions, and under the grid by the pane caption. */
  rowCaption: number;
  gridCaption: number;
}

/** Below this a cell is unreadable; the grid scrolls instead of shrinking further. */
const MIN_CELL_PX = 12;

/**
 * How big to draw each cell of an image grid so the whole grid fits its pane: small images
 * (MNIST's 28×28) are scaled up, big ones down.
 * @example
 * fitImages({ width: 400, height: 300, cellWidth: 28, cellHeight: 28, count: 1, nrow: 8,
 *   padding: 2, rowCaption: 0, gridCaption: 0 }) // { columns: 1, rows: 1, scale: ~10.4 }
 */
export function fitImages(f: ImageFitInput): { columns: number; rows: number; scale: number } {
  const columns = Math.max(1, Math.min(f.nrow, f.count));
  const rows = Math.max(1, Math.ceil(f.count / columns));
  const freeW = f.width - (columns - 1) * f.padding;
  const freeH = f.height - (rows - 1) * f.padding - rows * f.rowCaption - f.gridCaption;
  const scale = Math.min(freeW / (columns * f.cellWidth), freeH / (rows * f.cellHeight));
  const floor = MIN_CELL_PX / Math.max(1, Math.min(f.cellWidth, f.cellHeight));
  return { columns, rows, scale: Math.max(floor, Number.isFinite(scale) ? scale : 1) };
}

const CAPTION_PX = 18;
/** Space the view keeps around the grid, in px (matches `.image-view` padding in CSS). */
const INSET_PX = 8;
/** Height of the history slider row, in px. */
const SLIDER_PX = 28;

/**
 * Which image of a history to show after a render: `selected` at first; the
 * newest when images were added; otherwise the one shown, unless the client
 * moved `selected`.
 */
export function historyIndex(
  next: { count: number; selected: number },
  prev: { count: number; selected: number; shown: number } | undefined,
): number {
  const clamp = (i: number) => Math.max(0, Math.min(next.count - 1, i));
  if (prev === undefined) return clamp(next.selected);
  if (next.count > prev.count) return next.count - 1;
  if (next.selected !== prev.selected) return clamp(next.selected);
  return clamp(prev.shown);
}

/** The image pixel under a click at (`offsetX`, `offsetY`) CSS px on an image drawn `shownWidth` × `shownHeight`. */
export function imagePixel(
  offsetX: number,
  offsetY: number,
  shown: { width: number; height: number },
  natural: { width: number; height: number },
): { x: number; y: number } {
  const x = Math.floor((offsetX * natural.width) / Math.max(1, shown.width));
  const y = Math.floor((offsetY * natural.height) / Math.max(1, shown.height));
  return { x: Math.max(0, Math.min(natural.width - 1, x)), y: Math.max(0, Math.min(natural.height - 1, y)) };
}

/** `toUrl` puts the server's image paths under the UI's base path. */
export function createImageView(body: HTMLElement, hooks: ViewHooks, toUrl: (path: string) => string): PaneView {
  const root = element('div', 'image-view');
  body.append(root);
  let content: ImageContent | undefined;
  let imgs: HTMLImageElement[] = [];
  let grid: HTMLElement | undefined;
  let captionEl: HTMLElement | undefined;
  let win: Window | undefined;
  /** The history's state: which image is shown, out of how many. */
  let history: { count: number; selected: number; shown: number } | undefined;
  const sliderRow = element('div', 'image-history');
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.setAttribute('aria-label', 'image in history');
  const counter = element('span', 'image-history-count');
  sliderRow.append(slider, counter);
  slider.addEventListener('input', () => {
    if (history === undefined || win === undefined) return;
    history.shown = Number(slider.value);
    draw(win);
  });

  /** The images drawn now, with their index in the window. */
  function shownImages(): Array<{ ref: ImageRef; index: number }> {
    if (content === undefined) return [];
    if (history !== undefined) {
      const ref = content.images[history.shown];
      return ref === undefined ? [] : [{ ref, index: history.shown }];
    }
    return content.images.map((ref, index) => ({ ref, index }));
  }

  function layout(): void {
    if (content === undefined || grid === undefined) return;
    const { nrow, padding } = content;
    const images = shownImages().map((s) => s.ref);
    const cellWidth = Math.max(1, ...images.map((i) => i.width));
    const cellHeight = Math.max(1, ...images.map((i) => i.height));
    const fit = fitImages({
      width: body.clientWidth - 2 * INSET_PX,
      height: body.clientHeight - 2 * INSET_PX,
      cellWidth,
      cellHeight,
      count: images.length,
      nrow,
      padding,
      rowCaption: images.length > 1 && images.some((i) => i.caption) ? CAPTION_PX : 0,
      gridCaption: (captionEl ? CAPTION_PX + 4 : 0) + (history !== undefined ? SLIDER_PX : 0),
    });
    grid.style.gridTemplateColumns = `repeat(${fit.columns}, max-content)`;
    grid.style.gap = `${padding}px`;
    imgs.forEach((img, i) => {
      const ref = images[i];
      if (ref === undefined) return;
      img.style.width = `${Math.floor(ref.width * fit.scale)}px`;
      img.style.height = `${Math.floor(ref.height * fit.scale)}px`;
    });
    // Upscaled pixels should look like pixels, not blur: this is how CNN inputs are read.
    root.classList.toggle('pixelated', fit.scale >= 2);
  }

  function render(next: Window): void {
    if (next.content.kind !== 'image') return;
    content = next.content;
    win = next;
    const { selected } = content;
    history =
      selected === undefined
        ? undefined
        : { count: content.images.length, selected, shown: historyIndex({ count: content.images.length, selected }, history) };
    draw(next);
  }

  function draw(w: Window): void {
    if (content === undefined) return;
    const shown = shownImages();
    // One image: its caption and the pane's say the same thing; show it once, under the image.
    const single = shown.length === 1;
    const caption = (history !== undefined ? shown[0]?.ref.caption : undefined) ?? w.opts.caption ?? (single ? shown[0]?.ref.caption : undefined);
    hooks.ready(false);
    grid = element('div', 'image-grid');
    imgs = shown.map(({ ref, index }) => {
      const cell = document.createElement('figure');
      const img = document.createElement('img');
      img.alt = ref.caption ?? `image ${index}`;
      img.decoding = 'async';
      img.src = toUrl(ref.url);
      img.dataset['index'] = String(index);
      img.addEventListener('click', (e) => {
        const box = img.getBoundingClientRect();
        const imageCoord = imagePixel(e.clientX - box.left, e.clientY - box.top, box, { width: ref.width, height: ref.height });
        hooks.emit({ type: 'Click', imageCoord, image: index });
      });
      cell.append(img);
      if (ref.caption && !single) cell.append(element('figcaption', '', { text: ref.caption }));
      grid?.append(cell);
      return img;
    });
    captionEl = caption ? element('p', 'image-caption', { text: caption }) : undefined;
    if (history !== undefined) {
      slider.max = String(history.count - 1);
      slider.value = String(history.shown);
      counter.textContent = `${history.shown + 1} / ${history.count}`;
    }
    const parts = [grid, captionEl, history !== undefined ? sliderRow : undefined];
    root.replaceChildren(...parts.filter((e): e is HTMLElement => e !== undefined));
    layout();
    const mine = imgs;
    void Promise.all(mine.map((img) => img.decode().catch(() => undefined))).then(() => {
      // A newer render replaced these images; its own promise reports readiness.
      if (mine !== imgs) return;
      hooks.ready(mine.every((img) => img.complete && img.naturalWidth > 0));
    });
  }

  return {
    render,
    resize: layout,
    async download(filename) {
      if (content === undefined) return;
      const { nrow, padding } = content;
      const images = shownImages().map((s) => s.ref);
      const columns = Math.max(1, Math.min(nrow, images.length));
      const rows = Math.ceil(images.length / columns);
      const w = Math.max(1, ...images.map((i) => i.width));
      const h = Math.max(1, ...images.map((i) => i.height));
      // Like torchvision's make_grid: padding around and between the cells, at native size.
      const pad = images.length > 1 ? padding : 0;
      const { canvas, ctx } = whiteCanvas(columns * w + (columns + 1) * pad, rows * h + (rows + 1) * pad);
      imgs.forEach((img, i) => {
        const x = pad + (i % columns) * (w + pad);
        const y = pad + Math.floor(i / columns) * (h + pad);
        if (img.naturalWidth > 0) ctx.drawImage(img, x, y);
      });
      await downloadCanvas(canvas, filename);
    },
    dispose() {
      root.remove();
    },
  };
}
