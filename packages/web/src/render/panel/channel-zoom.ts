/**
 * One channel enlarged, with the value under the cursor read back from the stored bytes
 * (within 1/255 of the channel's range, as the readout says).
 * @module
 */
import type { FeatureMap } from '../../client/run-data';
import { byteIndex, mapTiles } from '../../graph/channel-grid';
import { dequantize, layerRange } from '../../graph/dequantize';
import { formatNumber, formatShape } from '../../graph/labels';
import { channelBitmap } from './channel-grid-view';
import { createColorBar } from './color-bar';
import type { MapSettings } from './map-settings';
import { button, element } from '../../dom';

export interface ChannelZoom {
  readonly el: HTMLElement;
  show(map: FeatureMap, channel: number, role: string): void;
  /** Redraw with new settings (if showing). */
  redraw(): void;
  hide(): void;
}

/** Largest the enlarged channel is drawn, in CSS px. */
const MAX_PX = 256;

/**
 * `onPoint` hears the pixel under the cursor (null once it leaves), for receptive fields.
 * @example const zoom = createChannelZoom(settings); section.append(zoom.el); zoom.show(map, 3, 'output');
 */
export function createChannelZoom(settings: MapSettings, onPoint?: (map: FeatureMap, at: { x: number; y: number } | null) => void): ChannelZoom {
  const el = element('section', 'channel-zoom', { testid: 'channel-zoom' });
  el.hidden = true;
  const head = element('div', 'zoom-head');
  const title = document.createElement('span');
  const close = button('panel-close', '×', 'Close');
  head.append(title, close);
  const frame = element('div', 'zoom-frame');
  const marker = element('div', 'zoom-marker');
  marker.hidden = true;
  const readout = element('div', 'zoom-readout', { testid: 'channel-value' });
  const bar = createColorBar(settings);
  el.append(head, frame, readout, bar.el);
  let current: { map: FeatureMap; channel: number; role: string } | undefined;
  let canvas: HTMLCanvasElement | undefined;
  close.addEventListener('click', () => zoom.hide());

  const idle = () => {
    if (!current) return;
    const { map, channel } = current;
    const [min, max] = [map.meta.channelMin[channel] ?? 0, map.meta.channelMax[channel] ?? 0];
    readout.textContent = `range ${formatNumber(min)} … ${formatNumber(max)} · hover a pixel for its value`;
    delete readout.dataset['value'];
  };
  const point = (e: MouseEvent) => {
    if (!current || !canvas) return;
    const { map, channel } = current;
    const t = mapTiles(map.meta.shape);
    const scale = canvas.clientWidth / t.w;
    const [x, y] = [Math.floor(e.offsetX / scale), Math.floor(e.offsetY / scale)];
    const i = byteIndex(t, channel - map.first, x, y);
    const q = i === null ? undefined : map.bytes[i];
    if (q === undefined) {
      onPoint?.(map, null);
      return idle();
    }
    onPoint?.(map, { x, y });
    const [min, max] = [map.meta.channelMin[channel] ?? 0, map.meta.channelMax[channel] ?? 0];
    const value = dequantize(q, min, max);
    readout.dataset['value'] = String(value);
    const step = (max - min) / 255;
    readout.textContent = `(${x}, ${y}) = ${formatNumber(value)}${step > 0 ? `  ± ${formatNumber(step / 2)}` : ''}`;
    Object.assign(marker.style, { left: `${x * scale}px`, top: `${y * scale}px`, width: `${scale}px`, height: `${scale}px` });
    marker.hidden = scale < 4;
  };

  const zoom: ChannelZoom = {
    el,
    show(map, channel, role) {
      current = { map, channel, role };
      el.hidden = false;
      zoom.redraw();
      el.scrollIntoView({ block: 'nearest' });
    },
    redraw() {
      if (!current) return;
      const { map, channel, role } = current;
      const t = mapTiles(map.meta.shape);
      title.textContent = `${role} · ${map.meta.tensor} · channel ${channel} of ${t.channels} · ${formatShape(map.meta.shape.slice(-2))}`;
      canvas = channelBitmap(map, channel, settings);
      canvas.className = 'zoom-canvas';
      const scale = Math.max(1, Math.min(MAX_PX / t.w, MAX_PX / t.h, 24));
      canvas.style.width = `${Math.round(t.w * scale)}px`;
      canvas.style.height = `${Math.round(t.h * scale)}px`;
      canvas.addEventListener('mousemove', point);
      canvas.addEventListener('mouseleave', () => {
        marker.hidden = true;
        if (current) onPoint?.(current.map, null);
        idle();
      });
      frame.replaceChildren(canvas, marker);
      const own = { min: map.meta.channelMin[channel] ?? 0, max: map.meta.channelMax[channel] ?? 0 };
      const layer = settings.norm === 'layer' || t.h * t.w === 1;
      bar.set(layer ? layerRange(map.meta.channelMin, map.meta.channelMax) : own, layer ? 'colour = value, on the layer range' : `colour = value, on channel ${channel}'s range`);
      idle();
    },
    hide() {
      current = undefined;
      el.hidden = true;
      frame.replaceChildren();
    },
  };
  return zoom;
}
