/**
 * Requests of `viz.text`.
 * @module
 */
import { CnnvisClientError } from './client-error';
import type { TextOptions } from './options';
import { createRequest, updateOrCreate, type WritePlan } from './request-common';

/**
 * Plan a text pane: create or replace it, or (with `append`) add to its end.
 * @example
 * planText('epoch 3<br>', { win: 'log', append: true }, 'main');
 * // { update: { env: 'main', win: 'log', op: { type: 'appendText', text: 'epoch 3<br>' }, orCreate: { content: … } } }
 */
export function planText(text: string, opts: TextOptions, defaultEnv: string): WritePlan {
  if (typeof text !== 'string') {
    throw CnnvisClientError.badRequest([{ path: 'text', message: `must be a string, got ${typeof text}` }]);
  }
  const create = createRequest(opts, defaultEnv, { kind: 'text', text });
  if (opts.append !== true) return { create };
  return updateOrCreate(create, { type: 'appendText', text }, 'append');
}
