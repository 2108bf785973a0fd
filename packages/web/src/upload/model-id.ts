/**
 * A model's id is the SHA-256 of its bytes, so the server can say whether it
 * has the model already before anything is uploaded.
 * @module
 */
import { sha256Hex } from './sha256';

/**
 * @example const id = await computeModelId(new Uint8Array(await file.arrayBuffer()));
 */
export async function computeModelId(bytes: Uint8Array): Promise<string> {
  // Web Crypto is native and fast, but only exists in secure contexts (https, localhost).
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  if (subtle === undefined) return sha256Hex(bytes);
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
