/**
 * A cnnvis window as a Visdom pane object: what `/win_data` replies and what
 * events carry as `pane_data`. Images are inlined as data URIs, as Visdom
 * stores them, so `set_window_data(get_window_data(win))` round-trips.
 * @module
 */
import type { Window } from '@cnnvis/protocol';
import { encodeStoredImage } from '../images/png-encode';
import type { WindowService } from '../window-service';
import { toPlotlyTrace } from './plot-content';

async function imageSrc(service: WindowService, win: Window, index: number): Promise<string> {
  const { mime, bytes } = encodeStoredImage(await service.image(win.env, win.id, index));
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

/** The Visdom `type` and `content` (plus kind-specific top-level fields) of a window. */
async function body(service: WindowService, win: Window): Promise<Record<string, unknown>> {
  const c = win.content;
  switch (c.kind) {
    case 'plot':
      return { type: 'plot', content: { data: c.traces.map(toPlotlyTrace), layout: c.layout ?? {} } };
    case 'image': {
      const entries = await Promise.all(c.images.map(async (img, i) => ({ src: await imageSrc(service, win, i), caption: img.caption ?? '' })));
      if (c.selected !== undefined) return { type: 'image_history', content: entries, selected: c.selected, show_slider: true };
      return { type: 'image', content: entries[0] ?? { src: '', caption: '' } };
    }
    case 'text':
      return { type: 'text', content: c.text };
    case 'properties':
      return { type: 'properties', content: c.properties };
    case 'network':
      return {
        type: 'network',
        content: { nodes: c.nodes, edges: c.edges },
        directed: c.directed,
        showEdgeLabels: c.showEdgeLabels,
        showVertexLabels: c.showVertexLabels,
      };
    case 'graph':
      // A layer graph made by an analysis run: Visdom has no such pane; give its nodes as a network.
      return { type: 'graph', content: { nodes: c.graph.nodes.length } };
  }
}

/** @example (await toVisdomPane(service, await service.get({ env: 'main', win: 'loss' }))).content.data */
export async function toVisdomPane(service: WindowService, win: Window): Promise<Record<string, unknown>> {
  return {
    command: 'window',
    id: win.id,
    title: win.opts.title ?? '',
    inflate: true,
    width: win.opts.width,
    height: win.opts.height,
    contentID: `${win.id}:${win.rev}`,
    version: win.rev,
    i: win.position,
    opts: win.opts,
    ...(await body(service, win)),
  };
}
