import * as crypto from 'node:crypto';

/**
 * The lead-hash table's key: HMAC-SHA256(pepper, dedupe key), hex. Keyed, never a plain SHA-256, so the
 * table cannot be reversed by hashing a list of known addresses without the secret.
 */
export type LeadHasher = (dedupeKey: string) => string;

const MIN_PEPPER_BYTES = 16;
const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
/** Keys up to this many UTF-8 bytes take the fast path; longer ones (none are valid emails) use createHmac. */
const FAST_PATH_MESSAGE_BYTES = 1024;

/**
 * Imports the pepper once; the returned function costs one HMAC per call.
 *
 * `createHmac` costs a native object and a key schedule per call, a quarter of the ingest's per-row CPU.
 * Where Node has the one-shot `crypto.hash` (20.12+, 21.7+; Lambda's 24 does), the same HMAC is computed
 * by its RFC 2104 definition, H((K ^ opad) || H((K ^ ipad) || m)): two native one-shot SHA-256 calls, no
 * per-call object. When every byte of the padded key is ASCII (a generated alphanumeric pepper is), the
 * inner block is kept as a string and hashed together with the key string, so V8 makes no Buffer view per
 * call (a `subarray` costs more than the hash itself); the inner digest comes back as latin1 text and is
 * written into a reused outer buffer. Other peppers take the buffer path. Tests prove both equal to
 * createHmac for any pepper and key.
 */
export function createLeadHasher(pepper: string | Uint8Array): LeadHasher {
  const pepperBytes = typeof pepper === 'string' ? Buffer.from(pepper, 'utf8') : Buffer.from(pepper);
  if (pepperBytes.length < MIN_PEPPER_BYTES) {
    throw new Error(`The lead-hash pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }
  const key = crypto.createSecretKey(pepperBytes);
  const viaCreateHmac: LeadHasher = (dedupeKey) =>
    crypto.createHmac('sha256', key).update(dedupeKey, 'utf8').digest('hex');
  const oneShot = crypto.hash;
  if (typeof oneShot !== 'function') return viaCreateHmac;

  // RFC 2104: a key longer than the block is hashed first; then it is zero-padded to the block.
  const block = Buffer.alloc(BLOCK_BYTES);
  (pepperBytes.length > BLOCK_BYTES
    ? crypto.createHash('sha256').update(pepperBytes).digest()
    : pepperBytes
  ).copy(block);
  const inner = Buffer.alloc(BLOCK_BYTES + FAST_PATH_MESSAGE_BYTES);
  const outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);
  for (let index = 0; index < BLOCK_BYTES; index++) {
    inner[index] = (block[index] as number) ^ 0x36;
    outer[index] = (block[index] as number) ^ 0x5c;
  }
  const asciiKey = block.every((byte) => byte < 0x80);
  // Latin1 and UTF-8 agree on ASCII: the string below encodes to exactly the inner pad's bytes.
  const innerPad = asciiKey ? inner.toString('latin1', 0, BLOCK_BYTES) : '';
  block.fill(0);

  if (asciiKey) {
    return (dedupeKey) => {
      outer.write(oneShot('sha256', innerPad + dedupeKey, 'binary'), BLOCK_BYTES, 'latin1');
      return oneShot('sha256', outer, 'hex');
    };
  }
  return (dedupeKey) => {
    // At most 3 UTF-8 bytes per UTF-16 unit: a key that might not fit is never written (write truncates).
    if (dedupeKey.length * 3 > FAST_PATH_MESSAGE_BYTES) return viaCreateHmac(dedupeKey);
    const length = inner.write(dedupeKey, BLOCK_BYTES, 'utf8');
    const innerDigest = oneShot('sha256', inner.subarray(0, BLOCK_BYTES + length), 'buffer');
    innerDigest.copy(outer, BLOCK_BYTES);
    return oneShot('sha256', outer, 'hex');
  };
}

export function leadHash(pepper: string | Uint8Array, dedupeKey: string): string {
  return createLeadHasher(pepper)(dedupeKey);
}
