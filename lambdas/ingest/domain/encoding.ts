/**
 * Which text encoding a lead file is in, decided once from its first bytes.
 *
 * Choice: UTF-8 is the contract. A file whose first sample is not valid UTF-8 *and* shows no UTF-8
 * multi-byte sequence at all *and* uses only bytes that Windows-1252 defines is taken as Windows-1252 (the
 * default "CSV" of Excel on Windows in Western Europe) and transcoded. Anything else that is not UTF-8 stays
 * UTF-8: the rows holding bad bytes are rejected one by one ("not valid UTF-8"), never silently mangled.
 * UTF-16/UTF-32 (byte order marks) and a sample dense with NUL bytes (UTF-16 without a mark puts one in every
 * other byte of Latin text; binary files are full of them) refuse the file. A stray NUL in a text file is the
 * row's problem, not the file's: the reader rejects the row holding it, wherever it sits.
 */

export type TextEncodingName = 'utf-8' | 'windows-1252';

export type EncodingVerdict =
  | { ok: true; encoding: TextEncodingName; bomLength: number }
  | { ok: false; reason: string };

/** How many leading bytes the sniff looks at (the reader collects at least this much before deciding). */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

const SAVE_AS_UTF8 = 'save it as "CSV UTF-8" and upload it again';

/** Bytes Windows-1252 leaves undefined: seeing one means the file is not Windows-1252 either. */
const WINDOWS_1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Decides the encoding from the first bytes of the file. `sampleIsWholeFile` says whether the sample ends
 * where the file ends: if not, a multi-byte sequence cut by the sample's end is not held against the file.
 */
export function sniffEncoding(sample: Uint8Array, sampleIsWholeFile: boolean): EncodingVerdict {
  if (startsWith(sample, [0x00, 0x00, 0xfe, 0xff]) || startsWith(sample, [0xff, 0xfe, 0x00, 0x00])) {
    return { ok: false, reason: `The file is UTF-32 encoded; ${SAVE_AS_UTF8}` };
  }
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) {
    return { ok: false, reason: `The file is UTF-16 encoded; ${SAVE_AS_UTF8}` };
  }
  if (looksBinary(sample)) {
    return {
      ok: false,
      reason: `The file contains NUL bytes: it is binary, or UTF-16 without a byte order mark; ${SAVE_AS_UTF8}`,
    };
  }
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return { ok: true, encoding: 'utf-8', bomLength: 3 };

  const scan = scanUtf8(sample, sampleIsWholeFile);
  const looksLikeWindows1252 =
    scan.invalidSequences > 0 && scan.multiByteSequences === 0 && !hasWindows1252UndefinedByte(sample);
  return { ok: true, encoding: looksLikeWindows1252 ? 'windows-1252' : 'utf-8', bomLength: 0 };
}

/**
 * The per-row check for text that did not decode: returns the reason a row must be rejected, or undefined.
 * Decoding never throws (bad bytes become U+FFFD in UTF-8 mode; undefined Windows-1252 bytes become the
 * matching C1 control), so the row is caught here.
 */
export function textProblem(value: string, encoding: TextEncodingName): string | undefined {
  const pattern = encoding === 'utf-8' ? UTF8_PROBLEM : WINDOWS_1252_PROBLEM;
  const found = pattern.exec(value);
  if (found === null) return undefined;
  if (found[0] === '\u0000') return 'contains a NUL character';
  return encoding === 'utf-8' ? 'is not valid UTF-8' : 'is not valid Windows-1252';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point of this pattern.
const UTF8_PROBLEM = /[\u0000\uFFFD]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and the C1 stand-ins for undefined bytes.
const WINDOWS_1252_PROBLEM = /[\u0000\u0081\u008D\u008F\u0090\u009D]/;

/** At least one byte in this many being NUL (and more than one NUL) marks binary or UTF-16 without a mark. */
const BINARY_NUL_RATIO = 16;

function looksBinary(sample: Uint8Array): boolean {
  let nuls = 0;
  for (const byte of sample) if (byte === 0) nuls += 1;
  return nuls > 1 && nuls * BINARY_NUL_RATIO >= sample.length;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, index) => bytes[index] === byte);
}

function hasWindows1252UndefinedByte(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (WINDOWS_1252_UNDEFINED.has(byte)) return true;
  return false;
}

interface Utf8Scan {
  invalidSequences: number;
  multiByteSequences: number;
}

/** Counts well-formed multi-byte sequences and ill-formed bytes (RFC 3629 table, no overlongs/surrogates). */
export function scanUtf8(bytes: Uint8Array, complete: boolean): Utf8Scan {
  let invalidSequences = 0;
  let multiByteSequences = 0;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0) {
      invalidSequences += 1;
      index += 1;
      continue;
    }
    if (index + length > bytes.length) {
      // Cut by the end of the sample: only a fault when the sample is the whole file.
      if (complete || !continuationsValid(bytes, index, bytes.length - index)) invalidSequences += 1;
      break;
    }
    if (continuationsValid(bytes, index, length)) {
      multiByteSequences += 1;
      index += length;
    } else {
      invalidSequences += 1;
      index += 1;
    }
  }
  return { invalidSequences, multiByteSequences };
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Checks the bytes after a lead byte, including the narrowed second-byte ranges of E0, ED, F0 and F4. */
function continuationsValid(bytes: Uint8Array, start: number, available: number): boolean {
  const lead = bytes[start] as number;
  for (let offset = 1; offset < available; offset++) {
    const byte = bytes[start + offset] as number;
    let low = 0x80;
    let high = 0xbf;
    if (offset === 1) {
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
      else if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    }
    if (byte < low || byte > high) return false;
  }
  return true;
}
