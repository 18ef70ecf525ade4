/**
 * Maps a lead file's header to our canonical lead fields. Names are compared by their letters and digits
 * only (accents folded, case ignored), so `E-mail`, `Email Address` and `EMAIL_ADDRESS` all find `email`.
 * The first column that maps to a field wins; any other column (unknown, or a second candidate for a field
 * already taken) is kept as an extra attribute under its own header text.
 */

export const LEAD_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'phone',
  'company',
  'title',
  'website',
  'linkedin',
  'industry',
  'address',
  'city',
  'state',
  'postalCode',
  'country',
] as const;

export type LeadField = (typeof LEAD_FIELDS)[number];
export type CanonicalField = 'email' | LeadField;

const ALIASES: Record<CanonicalField, readonly string[]> = {
  email: [
    'email',
    'emailaddress',
    'mail',
    'mailaddress',
    'emailaddr',
    'emailid',
    'workemail',
    'businessemail',
    'contactemail',
    'primaryemail',
  ],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  fullName: ['name', 'fullname', 'contactname', 'contact'],
  phone: [
    'phone',
    'phonenumber',
    'phoneno',
    'telephone',
    'tel',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
  ],
  company: ['company', 'companyname', 'organization', 'organisation', 'org', 'business', 'businessname'],
  title: ['title', 'jobtitle', 'position', 'role'],
  website: ['website', 'web', 'url', 'site', 'homepage', 'companywebsite'],
  linkedin: ['linkedin', 'linkedinurl', 'linkedinprofile'],
  industry: ['industry', 'sector'],
  address: ['address', 'streetaddress', 'street', 'address1'],
  city: ['city', 'town'],
  state: ['state', 'province', 'region', 'stateprovince'],
  postalCode: ['zip', 'zipcode', 'postalcode', 'postcode'],
  country: ['country', 'countrycode'],
};

const FIELD_BY_KEY: ReadonlyMap<string, CanonicalField> = new Map(
  (Object.entries(ALIASES) as [CanonicalField, readonly string[]][]).flatMap(([field, keys]) =>
    keys.map((key) => [key, field] as const),
  ),
);

export interface HeaderMapping {
  /** The header as it was in the file (trimmed). */
  header: readonly string[];
  emailIndex: number;
  /** Canonical fields other than email, with the column each is read from. */
  fields: readonly { field: LeadField; index: number }[];
  /** Columns kept as extra attributes, under a unique name derived from their header text. */
  extras: readonly { name: string; index: number }[];
}

export type HeaderMappingResult = { ok: true; mapping: HeaderMapping } | { ok: false; reason: string };

/** `E-mail Address` -> `emailaddress`: letters and digits only, accents folded, lower case. */
export function headerKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export function mapHeader(header: readonly string[]): HeaderMappingResult {
  const taken = new Set<CanonicalField>();
  const usedExtraNames = new Set<string>();
  let emailIndex = -1;
  const fields: { field: LeadField; index: number }[] = [];
  const extras: { name: string; index: number }[] = [];

  header.forEach((name, index) => {
    const field = FIELD_BY_KEY.get(headerKey(name));
    if (field !== undefined && !taken.has(field)) {
      taken.add(field);
      if (field === 'email') emailIndex = index;
      else fields.push({ field, index });
      return;
    }
    extras.push({ name: uniqueName(name === '' ? `column ${index + 1}` : name, usedExtraNames), index });
  });

  if (emailIndex === -1) {
    // A first line holding an address is data, not a header; and the reason must not repeat the address.
    if (header.some((name) => name.includes('@'))) {
      return {
        ok: false,
        reason:
          'No email column: the first line holds an email address, so the file seems to lack a header line; ' +
          'add one such as "email,first name,last name"',
      };
    }
    return {
      ok: false,
      reason: `No email column: expected a header such as "email", "e-mail" or "Email Address" (found: ${describe(header)})`,
    };
  }
  return { ok: true, mapping: { header, emailIndex, fields, extras } };
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let suffix = 2; used.has(candidate); suffix++) candidate = `${name} (${suffix})`;
  used.add(candidate);
  return candidate;
}

function describe(header: readonly string[]): string {
  const shown = header.slice(0, 10).map((name) => JSON.stringify(name.slice(0, 40)));
  return header.length > 10 ? `${shown.join(', ')}, ...` : shown.join(', ');
}
