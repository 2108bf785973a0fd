/**
 * A model's id is the SHA-256 of its bytes, so the server can say whether it
 * has the model already before anything is uploaded.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * @example const id = await computeModelId(new Uint8Array(await file.arrayBuffer()));
 */
export async function computeModelId(bytes: Uint8Array): Promise<string> {
  // Web Crypto exists only in secure contexts (https, localhost): a page on http://10.x hashes with @noble/hashes.
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) : sha256(bytes);
  return bytesToHex(digest);
}
