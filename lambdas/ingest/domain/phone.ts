import {
  type CountryCode,
  isSupportedCountry,
  PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

/**
 * Phone numbers in E.164 (`+442079460018`), read by libphonenumber-js with its small ("min") metadata: a
 * number written without a country code is read in the configured default region. A number counts as
 * readable when its length is possible for its country (`isPossible`): the full pattern check (`isValid`)
 * would reject real numbers on a stale metadata release and costs more per row. An unreadable phone never
 * costs the row its lead: the caller keeps the text as written and flags it.
 *
 * Cost per row: the library's general parser finds the number's country by testing it against each
 * candidate country's patterns (about 30 to 80 µs a number on the bench machine, 25 countries share +1).
 * E.164 needs no country, so a number written in international form (`+`, or `00`, then digits, spaces,
 * dashes, dots or brackets) goes straight to the library's E.164 reader (`new PhoneNumber(e164)`: the
 * calling code and the possible lengths of its numbering plan), remembered per shape (below). Anything else (national
 * numbers, a trunk `(0)`, extensions, letters) takes the general parser.
 */
export type PhoneNormaliser = (raw: string) => string | undefined;

export const isPhoneRegion = (region: string): region is CountryCode => isSupportedCountry(region);

const SEPARATORS = /[\s().-]/g;
const INTERNATIONAL = /^(?:\+|00)(\d{2,17})$/;

export function createPhoneNormaliser(defaultRegion: string): PhoneNormaliser {
  if (!isPhoneRegion(defaultRegion)) {
    throw new Error(
      `"${defaultRegion}" is not a region libphonenumber-js knows (ISO 3166-1 alpha-2, e.g. GB)`,
    );
  }
  const options = { defaultCountry: defaultRegion, extract: false } as const;
  return (raw) => {
    if (!raw.includes('(0)')) {
      const digits = INTERNATIONAL.exec(raw.replace(SEPARATORS, ''))?.[1];
      if (digits !== undefined) return possibleE164(`+${digits}`);
    }
    const parsed = parsePhoneNumberFromString(raw, options);
    return parsed?.isPossible() ? parsed.number : undefined;
  };
}

/**
 * Whether `+<digits>` is a possible number: the library's E.164 reader takes the calling code from the
 * first one to three digits and checks the rest's length against that numbering plan's possible lengths,
 * so its answer depends on nothing else. It is kept per (first three digits, length): a file's numbers
 * share a few hundred such pairs, and each costs the library's work once.
 */
const possibleByShape = new Map<string, boolean>();

const possibleE164 = (e164: string): string | undefined => {
  const shape = `${e164.slice(0, 4)}/${e164.length}`;
  let possible = possibleByShape.get(shape);
  if (possible === undefined) {
    try {
      possible = new PhoneNumber(e164 as `+${string}`).isPossible();
    } catch {
      // An unknown calling code or no digits after it: the library refuses to build the number.
      possible = false;
    }
    possibleByShape.set(shape, possible);
  }
  return possible ? e164 : undefined;
};

/**
 * The lead-hash table key of a phone: its own namespace, so a phone key can never equal an email's (an
 * email always holds an `@`, this never does).
 */
export const phoneDedupeKey = (e164: string): string => `tel:${e164}`;
