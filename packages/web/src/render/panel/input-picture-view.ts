/**
 * The model's input as a picture, with any enlarged channel laid over it (bilinear, at a
 * slider's opacity) and a receptive field's outline.
 * @module
 */
import type { RunInput } from '@cnnvis/protocol';
import type { FeatureMap } from '../../client/run-data';
import { mapTiles } from '../../graph/channel-grid';
import { inputPicture } from '../../graph/input-picture';
import { sameBox, type MapBox } from '../../graph/receptive-field';
import { channelBitmap } from './channel-grid-view';
import type { MapSettings } from './map-settings';
import { element, imageCanvas, outlineRect, sizeCanvas } from '../../dom';

export interface InputPictureView {
  readonly el: HTMLElement;
  /** Draw the input from its stored map; false when it is no picture (not 1 or 3 channels). */
  setInput(map: FeatureMap, input: RunInput | undefined): boolean;
  /** Lay channel `c` of `map` over the picture (null: none). */
  overlay(map: FeatureMap | null, c?: number): void;
  outline(box: MapBox | null): void;
  redraw(): void;
}

/** Largest side the picture is drawn at, in CSS px. */
const MAX_PX = 240;

/** @example const pic = createInputPictureView(settings); pic.setInput(map, run.input); pic.overlay(conv, 3); */
export function createInputPictureView(settings: MapSettings): InputPictureView {
  const el = element('figure', 'input-picture', { testid: 'input-picture' });
  el.hidden = true;
  const canvas = document.createElement('canvas');
  const caption = document.createElement('figcaption');
  const slider = element('input', '', { testid: 'overlay-opacity' });
  slider.type = 'range'; // 0…100, starting at 50
  slider.setAttribute('aria-label', 'Overlay opacity');
  const label = element('label', 'overlay-opacity');
  label.append('overlay ', slider);
  el.append(canvas, caption, label);
  let base = document.createElement('canvas');
  let over: { map: FeatureMap; c: number } | null = null;
  let box: MapBox | null = null;

  const redraw = () => {
    if (base.width === 0) return;
    const scale = Math.min(MAX_PX / base.width, MAX_PX / base.height);
    const [w, h] = [Math.round(base.width * scale), Math.round(base.height * scale)];
    const ctx = sizeCanvas(canvas, w, h);
    if (ctx === null) return;
    ctx.imageSmoothingEnabled = scale < 1; // small inputs stay crisp, big ones shrink smooth
    ctx.drawImage(base, 0, 0, w, h);
    const alpha = Number(slider.value) / 100;
    if (over && alpha > 0) {
      ctx.globalAlpha = alpha;
      ctx.imageSmoothingEnabled = true; // the map upsampled bilinearly to the picture
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(channelBitmap(over.map, over.c, settings), 0, 0, w, h);
      ctx.globalAlpha = 1;
    }
    if (box) {
      const [sx, sy] = [w / base.width, h / base.height];
      outlineRect(ctx, box.x0 * sx, box.y0 * sy, (box.x1 - box.x0) * sx, (box.y1 - box.y0) * sy, 2);
    }
    el.dataset['opacity'] = String(alpha);
  };
  const describe = () => {
    // A one-channel map (an attribution's heatmap) is named by its tensor alone.
    const channel = over && over.map.meta.shape[0] !== 1 ? ` channel ${over.c}` : '';
    caption.textContent = over ? `input · overlay: ${over.map.meta.tensor}${channel}` : 'input (preprocessing undone) · click a channel to lay it over';
  };
  slider.addEventListener('input', redraw);

  return {
    el,
    setInput(map, input) {
      const pic = inputPicture(map.bytes, map.meta, input);
      el.hidden = pic === null;
      if (pic === null) return false;
      base = imageCanvas(pic.data, pic.width, pic.height);
      el.dataset['size'] = `${pic.width}x${pic.height}`;
      describe();
      redraw();
      return true;
    },
    overlay(map, c = 0) {
      // Flat outputs (logits) have no plane to lay over the picture.
      over = map && mapTiles(map.meta.shape).h > 1 && map.meta.shape.length === 3 ? { map, c } : null;
      el.dataset['overlay'] = over ? `${over.map.meta.tensor}#${over.c}` : '';
      describe();
      redraw();
    },
    outline(b) {
      if (sameBox(b, box)) return;
      box = b;
      el.dataset['outline'] = b ? `${b.x0},${b.y0},${b.x1},${b.y1}` : '';
      redraw();
    },
    redraw,
  };
}
