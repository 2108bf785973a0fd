/**
 * `/api/runs/:runId/…`: a run's feature maps and filters, fetched by the browser one layer at a
 * time (a 200-layer model must not flood the socket).
 * @module
 */
import { Router, type NextFunction, type Response } from 'express';
import type { CompareResult, FeatureMapMeta, FilterMeta, KeptAttribution, RunDetail } from '@cnnvis/protocol';
import { readMapBytes } from '@cnnvis/worker/pool';
import { CnnvisError } from '../errors';
import { encodePng } from '../images/png-encode';
import type { AnalysisStore, StoredFilter, StoredMapRef } from '../store/analysis-store';
import { mapPage } from './map-page';

function base(runId: string, kind: 'maps' | 'filters', name: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/${kind}/${encodeURIComponent(name)}`;
}

function sendBytes(res: Response, data: Uint8Array): void {
  res.set('Cache-Control', 'public, max-age=31536000, immutable').type('application/octet-stream').send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** `a` and `b` of `GET /api/runs/:a/compare/:b`: a run id, or with `?win=` a step number. */
const refOf = (ref: string, win: unknown): string | number => (typeof win === 'string' && /^-?\d+(\.\d+)?$/.test(ref) ? Number(ref) : ref);

export function createRunRouter(store: AnalysisStore, compare: (payload: unknown) => Promise<CompareResult>): Router {
  const r = Router({ caseSensitive: true });
  const notFound = async (runId: string, what: string): Promise<CnnvisError> =>
    CnnvisError.notFound((await store.hasRun(runId)) ? `run '${runId}' has no ${what}` : `run '${runId}' not found (it may have been replaced or its env deleted)`);
  const map = async (runId: string, tensor: string): Promise<StoredMapRef> => {
    const m = await store.getMap(runId, tensor);
    if (m === undefined) throw await notFound(runId, `feature map for tensor '${tensor}'`);
    return m;
  };
  const filter = async (runId: string, node: string): Promise<StoredFilter> => {
    const f = await store.getFilter(runId, node);
    if (f === undefined) throw await notFound(runId, `filters for node '${node}' (only conv layers have filters)`);
    return f;
  };

  r.get('/:runId', async (req, res) => {
    const { runId = '' } = req.params;
    const run = await store.getRun(runId);
    if (run === undefined) throw await notFound(runId, 'record');
    res.json(run satisfies RunDetail);
  });
  r.get('/:runId/attributions', async (req, res) => {
    const { runId = '' } = req.params;
    if (!(await store.hasRun(runId))) throw await notFound(runId, 'record');
    res.json((await store.listAttributions(runId)) satisfies KeptAttribution[]);
  });
  r.get('/:runId/thumbnail', async (req, res) => {
    const { runId = '' } = req.params;
    const t = await store.getThumbnail(runId);
    if (t === undefined) throw await notFound(runId, 'thumbnail (its input was not a 1- or 3-channel image)');
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type('image/png').send(encodePng(t.data, t.width, t.height, t.channels));
  });
  r.get('/:a/compare/:b', (req, res, next: NextFunction) => {
    const { a = '', b = '' } = req.params;
    const { win, env, top } = req.query;
    const payload = { a: refOf(a, win), b: refOf(b, win), win, env, topChannels: typeof top === 'string' ? Number(top) : undefined };
    compare(payload).then((result) => res.json(result), next);
  });
  r.get('/:runId/maps/:tensor', async (req, res) => {
    const { runId = '', tensor = '' } = req.params;
    const m = await map(runId, tensor);
    const meta: FeatureMapMeta = {
      tensor: m.tensor,
      shape: m.shape,
      channelMin: Array.from(m.channelMin),
      channelMax: Array.from(m.channelMax),
      url: `${base(runId, 'maps', tensor)}/data`,
    };
    res.json(meta);
  });
  r.get('/:runId/maps/:tensor/data', async (req, res) => {
    const { runId = '', tensor = '' } = req.params;
    const m = await map(runId, tensor);
    const page = mapPage(m.shape, req.query);
    if ('issues' in page) throw CnnvisError.badRequest(page.issues);
    // The run may be dropped (its window replaced) between the lookup and the read.
    try {
      // The maps file's layout is the worker's: its reader finds the bytes.
      sendBytes(res, await readMapBytes(m.file, { tensor, offset: m.offset + page.offset, length: page.length }));
    } catch (err) {
      throw (err as { code?: string }).code === 'ENOENT' ? await notFound(runId, `feature map for tensor '${tensor}'`) : err;
    }
  });
  r.get('/:runId/filters/:node', async (req, res) => {
    const { runId = '', node = '' } = req.params;
    const { data: _bytes, ...f } = await filter(runId, node);
    const meta: FilterMeta = { ...f, url: `${base(runId, 'filters', node)}/data` };
    res.json(meta);
  });
  r.get('/:runId/filters/:node/data', async (req, res) => {
    sendBytes(res, (await filter(req.params.runId ?? '', req.params.node ?? '')).data);
  });
  return r;
}
