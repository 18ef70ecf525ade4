import { beforeAll, describe, expect, it } from 'vitest';
import { mixedSampleAnswers } from '../../fixtures/verifier-samples';
import { createDecideConfig, type DecideConfig, decide, hasValidSyntax } from './decide';

describe('decide (the stand-in verifier judgement)', () => {
  let config: DecideConfig;

  beforeAll(() => {
    config = createDecideConfig();
  });

  it.each(mixedSampleAnswers().map((answer) => [answer.email, answer] as const))(
    'answers %s exactly as the service sample does',
    (email, expected) => {
      // Act
      const answer = decide(email, config);

      // Assert: same status, score, validations and suggestion as the real service's sample answer.
      expect(answer).toEqual(expected);
    },
  );

  it('answers MISSING_EMAIL with score 0 for an empty or blank email', () => {
    expect(decide('', config)).toMatchObject({ email: '', status: 'MISSING_EMAIL', score: 0 });
    expect(decide('   ', config).status).toBe('MISSING_EMAIL');
  });

  it.each([
    'a@@example.com',
    'a@b@example.com',
    'no-at-sign.example.com',
    '@example.com',
    'a@',
    'a@localhost',
    'a b@example.com',
    'a..b@example.com',
    'a@-bad-.com',
    'a@example.c0m',
  ])('answers INVALID_FORMAT with every validation false for %s', (email) => {
    // Act
    const answer = decide(email, config);

    // Assert
    expect(answer.status).toBe('INVALID_FORMAT');
    expect(answer.score).toBe(0);
    expect(Object.values(answer.validations).every((value) => value === false)).toBe(true);
  });

  it.each(['jane.doe@example.com', "o'brien+leads@sub.example.co.uk", 'x@a-b.io'])(
    'accepts the syntax of %s',
    (email) => {
      expect(hasValidSyntax(email)).toBe(true);
    },
  );

  it.each(['admin', 'info', 'sales', 'support', 'Info'])(
    'flags %s@ as a role account that still scores 90 VALID',
    (local) => {
      // Act
      const answer = decide(`${local}@acme.com`, config);

      // Assert
      expect(answer.validations.is_role_based).toBe(true);
      expect(answer).toMatchObject({ status: 'VALID', score: 90 });
    },
  );

  it.each([
    ['jane@gmial.com', 'jane@gmail.com'],
    ['jane@gmal.com', 'jane@gmail.com'],
    ['Jane@HOTMIAL.COM', 'Jane@hotmail.com'],
    ['jane@yaho.com', 'jane@yahoo.com'],
  ])('suggests a correction for %s and scores it PROBABLY_VALID', (email, suggestion) => {
    // Act
    const answer = decide(email, config);

    // Assert
    expect(answer).toMatchObject({ status: 'PROBABLY_VALID', score: 80, typoSuggestion: suggestion });
  });

  it('scores a role account with a typo 70, still PROBABLY_VALID', () => {
    expect(decide('info@gmial.com', config)).toMatchObject({ status: 'PROBABLY_VALID', score: 70 });
  });

  it('does not suggest anything for a correctly spelled provider', () => {
    expect(decide('jane@gmail.com', config)).not.toHaveProperty('typoSuggestion');
  });

  it('recognises disposable domains from the package list, including wildcard subdomains', () => {
    expect(decide('x@mailinator.com', config).status).toBe('DISPOSABLE');
    expect(decide('x@anything.33mail.com', config).status).toBe('DISPOSABLE');
    expect(decide('x@acme.com', config).status).toBe('VALID');
  });

  it('treats .invalid and .test domains as non-existent by default', () => {
    expect(decide('a@shop.test', config)).toMatchObject({ status: 'INVALID_DOMAIN', score: 40 });
    expect(decide('a@nowhere.invalid', config).validations).toMatchObject({
      domain_exists: false,
      mx_records: false,
    });
  });

  it('uses configured dead domains, for the domain itself and every name under it', () => {
    // Arrange
    const custom = createDecideConfig({ deadDomains: { noDomain: ['gone.com'], noMx: ['parked.org'] } });

    // Act + Assert
    expect(decide('a@gone.com', custom).status).toBe('INVALID_DOMAIN');
    expect(decide('a@mail.gone.com', custom).status).toBe('INVALID_DOMAIN');
    expect(decide('a@notgone.com', custom).status).toBe('VALID');
    expect(decide('a@parked.org', custom)).toMatchObject({
      status: 'NO_MX_RECORDS',
      score: 40,
      validations: { domain_exists: true, mx_records: false, mailbox_exists: false },
    });
  });

  it('answers NO_MX_RECORDS for a good address when the MX lookup times out', () => {
    expect(decide('jane@gmail.com', config, { mxLookupTimesOut: true })).toMatchObject({
      status: 'NO_MX_RECORDS',
      score: 40,
    });
  });

  it('echoes the email exactly as asked', () => {
    expect(decide('Jane.Doe@Example.com', config).email).toBe('Jane.Doe@Example.com');
  });
});
