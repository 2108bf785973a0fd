/**
 * A `POST /api/dataset-stats` body read as it arrives: a multipart `request` part (the dataset
 * request's JSON without `inputs`; with `input: { dtype, shape }` when the inputs are float32
 * tensors of one input's shape), then one `input` part per input.
 * @module
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { DatasetRequestSchema, detectImageFormat, TensorInputSchema, type DatasetRequest } from '@cnnvis/protocol';
import type { SpooledInputs } from '@cnnvis/worker/pool';
import { badField, CnnvisError } from '../errors';
import { readPart, readParts } from '../http/multipart-parts';
import { parseJson } from '../http/read-body';
import { jpegSize, pngSize, type ImageSize } from '../images/image-header';
import { validate } from '../window-service';

/** The request part's fields: the dataset request less its inputs, and the inputs' tensor type when they are tensors. */
export const DatasetPartsRequestSchema = DatasetRequestSchema.omit({ inputs: true }).extend({ input: TensorInputSchema.omit({ data: true }).optional() });

/** The most inputs one request may hold (the socket form's limit). */
export const MAX_DATASET_INPUTS = 100_000;

export interface DatasetPartsLimits {
  /** Bytes one input may hold (`--max-payload`). */
  maxInputBytes: number;
  /** Bytes all inputs together may hold, on disk (`--max-model-size`). */
  maxTotalBytes: number;
  /** Refuses an image whose header names too many pixels. */
  checkImageSize(size: ImageSize, path: string): void;
  /** Refuses (throws, or rejects) a request naming a model the server does not have, before any input is read. */
  checkModel(modelId: string): unknown;
}

export interface DatasetParts {
  request: Omit<DatasetRequest, 'inputs'>;
  inputs: SpooledInputs;
}

const tooLarge = (message: string) => new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message });

function parseRequest(text: string): DatasetParts['request'] & { input?: { shape: number[] } } {
  return validate(DatasetPartsRequestSchema, parseJson(text, 'request'));
}

/**
 * Reads the parts of `req` into `file`; rejects with a 4xx CnnvisError naming the part at the first
 * fault.
 */
export async function readDatasetParts(req: IncomingMessage, file: string, limits: DatasetPartsLimits): Promise<DatasetParts> {
  const fh = await open(file, 'w');
  let request: ReturnType<typeof parseRequest> | undefined;
  let itemBytes: number | undefined;
  const lengths: number[] = [];
  let total = 0;
  const onRequest = async (text: string) => {
    if (request !== undefined) throw badField('request', 'is sent twice');
    request = parseRequest(text);
    await limits.checkModel(request.modelId);
    itemBytes = request.input && request.input.shape.reduce((n, d) => n * d, 4);
  };
  const onInput = async (stream: Readable, i: number) => {
    if (request === undefined) throw badField('request', 'must come first, before the "input" parts');
    const data = await readPart(stream, limits.maxInputBytes, () => tooLarge(`inputs[${i}]: larger than the limit of ${limits.maxInputBytes} bytes (see --max-payload)`));
    if (itemBytes !== undefined && data.length !== itemBytes) {
      throw badField(`inputs[${i}]`, `holds ${data.length} bytes but shape [${request.input?.shape.join(', ')}] needs ${itemBytes} (float32)`);
    }
    if (itemBytes === undefined) {
      if (detectImageFormat(data) === undefined) throw badField(`inputs[${i}]`, 'is neither a PNG nor a JPEG file; for float32 tensors, give the request an input: { dtype, shape }');
      const size = pngSize(data) ?? jpegSize(data);
      if (size !== undefined) limits.checkImageSize(size, `inputs[${i}]`);
    }
    total += data.length;
    if (total > limits.maxTotalBytes) throw tooLarge(`inputs: more than the limit of ${limits.maxTotalBytes} bytes in all (see --max-model-size)`);
    await fh.write(data);
    lengths.push(data.length);
  };
  try {
    await readParts(req, { request: onRequest, input: onInput }, { maxInputs: MAX_DATASET_INPUTS, drainBytes: limits.maxTotalBytes });
  } finally {
    await fh.close();
  }
  if (request === undefined) throw badField('request', 'is missing: send the request as a multipart part named "request" (JSON)');
  if (lengths.length === 0) throw badField('inputs', 'are missing: send each input as a multipart file part named "input"');
  const { input, ...rest } = request;
  return { request: rest, inputs: { file, lengths, ...(input === undefined ? {} : { shape: [...input.shape] }) } };
}
