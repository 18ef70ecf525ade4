import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Phone numbers in E.164 (`+442079460018`), read by libphonenumber-js with its small ("min") metadata: a
 * number written without a country code is read in the configured default region. A number counts as
 * readable when its length is possible for its country (`isPossible`): the full pattern check (`isValid`)
 * would reject real numbers on a stale metadata release and costs more per row. An unreadable phone never
 * costs the row its lead: the caller keeps the text as written and flags it.
 */
export type PhoneNormaliser = (raw: string) => string | undefined;

export const isPhoneRegion = (region: string): region is CountryCode => isSupportedCountry(region);

export function createPhoneNormaliser(defaultRegion: string): PhoneNormaliser {
  if (!isPhoneRegion(defaultRegion)) {
    throw new Error(
      `"${defaultRegion}" is not a region libphonenumber-js knows (ISO 3166-1 alpha-2, e.g. GB)`,
    );
  }
  const options = { defaultCountry: defaultRegion, extract: false } as const;
  return (raw) => {
    const parsed = parsePhoneNumberFromString(raw, options);
    return parsed?.isPossible() ? parsed.number : undefined;
  };
}

/**
 * The lead-hash table key of a phone: its own namespace, so a phone key can never equal an email's (an
 * email always holds an `@`, this never does).
 */
export const phoneDedupeKey = (e164: string): string => `tel:${e164}`;
