import { describe, expect, it } from 'vitest';
import { headerKey, mapHeader } from './header-mapping';

const mapped = (header: string[]) => {
  const result = mapHeader(header);
  if (!result.ok) throw new Error(result.reason);
  return result.mapping;
};

describe('headerKey', () => {
  it('keeps letters and digits only, lower case, accents folded', () => {
    expect(headerKey(' E-Mail_Address ')).toBe('emailaddress');
    expect(headerKey('Téléphone')).toBe('telephone');
    expect(headerKey('Address 1')).toBe('address1');
  });
});

describe('mapHeader', () => {
  it.each(['email', 'Email', 'E-mail', 'Email Address', 'EMAIL_ADDRESS', 'e.mail', 'Work Email'])(
    'finds the email column under %j',
    (name) => {
      expect(mapped(['Name', name, 'Phone']).emailIndex).toBe(1);
    },
  );

  it('maps common spellings of the other fields', () => {
    const mapping = mapped([
      'E-mail',
      'First Name',
      'last_name',
      'Phone Number',
      'Company Name',
      'Job Title',
      'Web Site',
      'Town',
      'Province',
      'Zip Code',
      'Country',
    ]);

    expect(mapping.fields).toEqual([
      { field: 'firstName', index: 1 },
      { field: 'lastName', index: 2 },
      { field: 'phone', index: 3 },
      { field: 'company', index: 4 },
      { field: 'title', index: 5 },
      { field: 'website', index: 6 },
      { field: 'city', index: 7 },
      { field: 'state', index: 8 },
      { field: 'postalCode', index: 9 },
      { field: 'country', index: 10 },
    ]);
    expect(mapping.extras).toEqual([]);
  });

  it('keeps unknown columns as extras under their own header text', () => {
    const mapping = mapped(['email', 'Lead Source', 'Budget (USD)']);

    expect(mapping.extras).toEqual([
      { name: 'Lead Source', index: 1 },
      { name: 'Budget (USD)', index: 2 },
    ]);
  });

  it('lets the first column win a field and keeps a second candidate as an extra', () => {
    const mapping = mapped(['Email', 'E-mail', 'Phone', 'Mobile']);

    expect(mapping.emailIndex).toBe(0);
    expect(mapping.fields).toEqual([{ field: 'phone', index: 2 }]);
    expect(mapping.extras).toEqual([
      { name: 'E-mail', index: 1 },
      { name: 'Mobile', index: 3 },
    ]);
  });

  it('gives unnamed and repeated extra columns unique names', () => {
    const mapping = mapped(['email', '', 'notes', 'notes', '']);

    expect(mapping.extras.map((extra) => extra.name)).toEqual(['column 2', 'notes', 'notes (2)', 'column 5']);
  });

  it('says the header line is missing when the first line holds an address, without repeating it', () => {
    const result = mapHeader(['ann@example.com', 'Ann', 'Acme']);

    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toContain('seems to lack a header line');
    expect(result.ok === false && result.reason).not.toContain('ann@example.com');
  });

  it('fails the file when no column is an email column, listing what it found', () => {
    const result = mapHeader(['Name', 'Phone', 'Mail Stop Code']);

    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toContain('No email column');
    expect(result.ok === false && result.reason).toContain('"Mail Stop Code"');
  });
});
