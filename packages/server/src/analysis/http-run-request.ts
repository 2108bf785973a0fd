/**
 * `POST /api/runs` bodies as the analysis request the socket event carries, so the one schema
 * validates both.
 * @module
 */
import { detectImageFormat } from '@cnnvis/protocol';
import type { Request } from 'express';
import { badField } from '../errors';
import { isMultipart, readPart, readParts } from '../http/multipart-parts';
import { parseJson, payloadTooLarge } from '../http/read-body';

/** Query fields read as numbers, as booleans, or as comma-separated lists; the rest stay strings. */
const NUMBERS = new Set(['step', 'maxChannels', 'target', 'patch', 'stride', 'fill', 'batch', 'maxPasses']);
const BOOLEANS = new Set(['channelStats']);
const LISTS = new Set(['shape', 'layers']);

/** A query value as the schema expects it; a value that does not convert is left for the schema to name. */
function queryValue(key: string, value: string | string[]): unknown {
  const last = Array.isArray(value) ? (value.at(-1) ?? '') : value;
  if (LISTS.has(key)) {
    const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(','));
    return key === 'shape' ? items.map((v) => (/^\d+$/.test(v) ? Number(v) : v)) : items;
  }
  if (NUMBERS.has(key)) return /^-?\d+(\.\d+)?$/.test(last) ? Number(last) : last;
  if (BOOLEANS.has(key)) return last === 'true' ? true : last === 'false' ? false : last;
  if (key === 'preprocess') return parseJson(last, 'preprocess');
  return last;
}

/** The input with its bytes: a tensor when its shape is known, else an encoded image. */
function withData(input: unknown, data: Uint8Array): unknown {
  if (input !== undefined) return typeof input === 'object' && input !== null ? { ...input, data } : input;
  const encoding = detectImageFormat(data);
  if (encoding === undefined) throw badField('input', 'is neither a PNG nor a JPEG file; for a float32 tensor, send its shape (and dtype float32)');
  return { encoding, data };
}

function fromQuery(req: Request, body: Uint8Array): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, string | string[]>)) fields[key] = queryValue(key, value);
  const { shape, dtype, ...rest } = fields;
  const input = shape === undefined ? undefined : { dtype: dtype ?? 'float32', shape };
  // An attribution of a kept run (`runId`) has no input to send.
  if (input === undefined && body.length === 0 && rest['runId'] !== undefined) return rest;
  return { ...rest, input: withData(input, body) };
}

async function fromParts(req: Request, maxPayloadBytes: number): Promise<Record<string, unknown>> {
  let request: string | undefined;
  let data: Uint8Array | undefined;
  await readParts(
    req,
    {
      request: (text) => {
        if (request !== undefined) throw badField('request', 'is sent twice');
        request = text;
      },
      input: async (stream) => {
        data = await readPart(stream, maxPayloadBytes, () => payloadTooLarge(maxPayloadBytes));
      },
    },
    { maxInputs: 1, maxBodyBytes: maxPayloadBytes, drainBytes: maxPayloadBytes },
  );
  if (request === undefined) throw badField('request', 'is missing: send the request as a multipart part named "request" (JSON)');
  if (data === undefined) throw badField('input', 'is missing: send the input bytes as a multipart file part named "input"');
  const fields = parseJson(request, 'request');
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw badField('request', 'must be a JSON object');
  const { input, ...rest } = fields as Record<string, unknown>;
  return { ...rest, input: withData(input, data) };
}

/** The analysis request a `POST /api/runs` carries (not yet validated: the service does that). */
export async function runRequestOf(req: Request, maxPayloadBytes: number): Promise<Record<string, unknown>> {
  if (isMultipart(req)) return fromParts(req, maxPayloadBytes);
  const body: unknown = req.body;
  return fromQuery(req, body instanceof Uint8Array ? body : new Uint8Array());
}
