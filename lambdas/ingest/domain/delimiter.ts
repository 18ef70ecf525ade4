export type CsvDelimiter = ',' | ';' | '\t';

const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export interface DelimiterGuess {
  delimiter: CsvDelimiter;
  /** Whether the header line ended within `bytes`; if not, the guess saw only part of it. */
  lineComplete: boolean;
}

/**
 * Picks the delimiter from the header line: the candidate seen most often outside quotes. Ties go to the
 * comma, then the semicolon (the order above); a line with none of them is a one-column comma file.
 * Reads bytes, which is safe for UTF-8 and Windows-1252 alike since all candidates are ASCII.
 */
export function detectDelimiter(bytes: Uint8Array, start = 0): DelimiterGuess {
  const counts = new Map<number, number>(CANDIDATES.map((candidate) => [candidate.charCodeAt(0), 0]));
  let index = start;
  while (index < bytes.length && (bytes[index] === CR || bytes[index] === LF)) index += 1; // leading blank lines
  let quoted = false;
  let lineComplete = false;
  for (; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && (byte === CR || byte === LF)) {
      lineComplete = true;
      break;
    } else if (!quoted) {
      const seen = counts.get(byte);
      if (seen !== undefined) counts.set(byte, seen + 1);
    }
  }
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = counts.get(candidate.charCodeAt(0)) ?? 0;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return { delimiter: best, lineComplete };
}
