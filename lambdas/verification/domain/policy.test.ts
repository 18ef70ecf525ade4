import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixedSampleAnswer, mixedSampleAnswers } from '../../../fixtures/verifier-samples';
import { classify, DEFAULT_POLICY, policyFromJson, type VerificationPolicy } from './policy';
import { KNOWN_VERIFIER_STATUSES, type VerifierAnswer } from './verifier-schema';

const withPolicy = (override: Partial<VerificationPolicy>): VerificationPolicy => ({
  ...DEFAULT_POLICY,
  ...override,
});

/** A VALID answer to start from; each test changes the fields it is about. */
const validAnswer = (change: (answer: VerifierAnswer) => void = () => {}): VerifierAnswer => {
  const answer = mixedSampleAnswer('jane.doe@example.com');
  change(answer);
  return answer;
};

describe('classify with the default policy: every sample of the mixed batch', () => {
  it.each([
    ['jane.doe@example.com', 'deliverable', 'valid'],
    ['info@example.org', 'deliverable', 'role-account'],
    ['jane@gmial.com', 'rejected', 'possible-typo'],
    ['someone@mailinator.com', 'rejected', 'disposable'],
    ['nobody@no-such-domain-here.invalid', 'recheck', 'invalid-domain'],
    ['user@parked-domain.example', 'recheck', 'no-mx-records'],
    ['not-an-email', 'rejected', 'invalid-format'],
  ])('%s -> %s (%s)', (email, outcome, reason) => {
    // Arrange
    const answer = mixedSampleAnswer(email);

    // Act
    const verdict = classify(answer, DEFAULT_POLICY, { expectedEmail: email });

    // Assert
    expect(verdict).toMatchObject({ outcome, reason, rawClass: answer.status, score: answer.score });
  });

  it('covers every answer of the sample file (none left untested above)', () => {
    expect(mixedSampleAnswers()).toHaveLength(7);
  });

  it('flags a kept role account and keeps a rejected typo suggestion for the admin', () => {
    // Act
    const role = classify(mixedSampleAnswer('info@example.org'));
    const typo = classify(mixedSampleAnswer('jane@gmial.com'));

    // Assert
    expect(role.flags).toEqual({ roleBased: true, disposable: false });
    expect(typo.flags).toEqual({ roleBased: false, disposable: false, typoSuggestion: 'jane@gmail.com' });
  });

  it('asks for a re-check after the configured delay', () => {
    // Act
    const verdict = classify(
      mixedSampleAnswer('user@parked-domain.example'),
      withPolicy({ recheckDelaySeconds: 600 }),
    );

    // Assert
    expect(verdict.recheckAfterSeconds).toBe(600);
  });
});

describe('classify: the other statuses', () => {
  it('rejects MISSING_EMAIL', () => {
    // Arrange
    const answer: VerifierAnswer = {
      ...mixedSampleAnswer('not-an-email'),
      email: '',
      status: 'MISSING_EMAIL',
    };

    // Act + Assert
    expect(classify(answer)).toMatchObject({ outcome: 'rejected', reason: 'missing-email' });
  });

  it('rejects INVALID even when its validations look fine', () => {
    const answer = validAnswer((a) => {
      a.status = 'INVALID';
      a.score = 60;
    });
    expect(classify(answer)).toMatchObject({ outcome: 'rejected', reason: 'invalid', rawClass: 'INVALID' });
  });

  it('rejects a VALID answer that carries a typo suggestion', () => {
    const answer = validAnswer((a) => {
      a.typoSuggestion = 'jane.doe@example.org';
    });
    expect(classify(answer)).toMatchObject({ outcome: 'rejected', reason: 'possible-typo' });
  });

  it('holds an unknown status as transient, keeping the raw status', () => {
    const answer = validAnswer((a) => {
      a.status = 'CATCH_ALL';
    });
    expect(classify(answer)).toMatchObject({
      outcome: 'transient',
      reason: 'unknown-status',
      rawClass: 'CATCH_ALL',
    });
  });

  it('keeps an alias hint on the verdict', () => {
    const answer = validAnswer((a) => {
      a.aliasOf = 'jane@example.com';
    });
    expect(classify(answer).flags.aliasOf).toBe('jane@example.com');
  });
});

describe('classify: the re-check of a domain failure', () => {
  it.each(['nobody@no-such-domain-here.invalid', 'user@parked-domain.example'])(
    'rejects %s when the re-check fails on the domain again',
    (email) => {
      // Act
      const verdict = classify(mixedSampleAnswer(email), DEFAULT_POLICY, { isRecheck: true });

      // Assert
      expect(verdict.outcome).toBe('rejected');
      expect(verdict.recheckAfterSeconds).toBeUndefined();
    },
  );

  it('accepts the address when the re-check comes back VALID', () => {
    expect(classify(validAnswer(), DEFAULT_POLICY, { isRecheck: true }).outcome).toBe('deliverable');
  });

  it('rejects a domain failure at once when the policy says so', () => {
    const policy = withPolicy({ invalidDomain: 'rejected' });
    expect(classify(mixedSampleAnswer('nobody@no-such-domain-here.invalid'), policy).outcome).toBe(
      'rejected',
    );
  });
});

describe('classify: the switches', () => {
  it('rejects role accounts when the switch says so', () => {
    const verdict = classify(mixedSampleAnswer('info@example.org'), withPolicy({ roleAccount: 'rejected' }));
    expect(verdict).toMatchObject({ outcome: 'rejected', reason: 'role-account' });
  });

  it('keeps disposable addresses when the switch allows them, flagged', () => {
    const verdict = classify(
      mixedSampleAnswer('someone@mailinator.com'),
      withPolicy({ disposable: 'deliverable' }),
    );
    expect(verdict).toMatchObject({
      outcome: 'deliverable',
      reason: 'disposable',
      flags: { disposable: true },
    });
  });

  it('keeps possible typos when the switch allows them', () => {
    const verdict = classify(
      mixedSampleAnswer('jane@gmial.com'),
      withPolicy({ possibleTypo: 'deliverable' }),
    );
    expect(verdict).toMatchObject({ outcome: 'deliverable', reason: 'possible-typo' });
  });

  it('still refuses an allowed disposable address whose domain has no MX', () => {
    // Arrange: DISPOSABLE does not itself promise a mail server.
    const answer = mixedSampleAnswer('someone@mailinator.com');
    answer.validations.mx_records = false;
    answer.validations.mailbox_exists = false;

    // Act
    const verdict = classify(answer, withPolicy({ disposable: 'deliverable' }));

    // Assert
    expect(verdict).toMatchObject({ outcome: 'recheck', reason: 'no-mx-records' });
  });

  it('names the disposable reason first when an answer is disposable, a typo and a role account at once', () => {
    const answer = mixedSampleAnswer('someone@mailinator.com');
    answer.validations.is_role_based = true;
    answer.typoSuggestion = 'someone@mailinator.net';
    expect(classify(answer).reason).toBe('disposable');
  });
});

describe('classify: answers that cannot be trusted', () => {
  it.each<[string, (answer: VerifierAnswer) => void]>([
    [
      'VALID with mx_records false',
      (a) => {
        a.validations.mx_records = false;
        a.validations.mailbox_exists = false;
      },
    ],
    [
      'VALID with domain_exists false',
      (a) => {
        a.validations.domain_exists = false;
      },
    ],
    [
      'VALID with syntax false',
      (a) => {
        a.validations.syntax = false;
      },
    ],
    [
      'VALID with mailbox_exists false',
      (a) => {
        a.validations.mailbox_exists = false;
      },
    ],
    [
      'VALID with is_disposable true',
      (a) => {
        a.validations.is_disposable = true;
      },
    ],
    [
      'PROBABLY_VALID with mx_records false',
      (a) => {
        a.status = 'PROBABLY_VALID';
        a.validations.mx_records = false;
        a.validations.mailbox_exists = false;
      },
    ],
    [
      'NO_MX_RECORDS with mx_records true',
      (a) => {
        a.status = 'NO_MX_RECORDS';
      },
    ],
    [
      'INVALID_DOMAIN with domain_exists true',
      (a) => {
        a.status = 'INVALID_DOMAIN';
      },
    ],
    [
      'INVALID_FORMAT with syntax true',
      (a) => {
        a.status = 'INVALID_FORMAT';
      },
    ],
    [
      'DISPOSABLE with is_disposable false',
      (a) => {
        a.status = 'DISPOSABLE';
      },
    ],
    [
      'MISSING_EMAIL for a present email',
      (a) => {
        a.status = 'MISSING_EMAIL';
        a.validations.syntax = false;
      },
    ],
  ])('holds %s as a transient, contradictory answer', (_, contradict) => {
    // Arrange
    const answer = validAnswer(contradict);

    // Act
    const verdict = classify(answer);

    // Assert
    expect(verdict).toMatchObject({ outcome: 'transient', reason: 'contradictory-answer' });
  });

  it('holds an answer about another email', () => {
    const verdict = classify(validAnswer(), DEFAULT_POLICY, { expectedEmail: 'someone.else@example.com' });
    expect(verdict).toMatchObject({ outcome: 'transient', reason: 'answer-for-another-email' });
  });

  it('matches the answer to the lead ignoring case and blanks', () => {
    const verdict = classify(validAnswer(), DEFAULT_POLICY, { expectedEmail: ' Jane.Doe@Example.COM ' });
    expect(verdict.outcome).toBe('deliverable');
  });

  it('never calls an answer deliverable unless it is VALID with syntax, domain and MX, not disposable, no typo', () => {
    // Arrange: any combination of fields the service could send, or garble.
    const status = fc.oneof(fc.constantFrom(...KNOWN_VERIFIER_STATUSES), fc.string({ maxLength: 12 }));
    const answers = fc.record({
      email: fc.constant('jane.doe@example.com'),
      validations: fc.record({
        syntax: fc.boolean(),
        domain_exists: fc.boolean(),
        mx_records: fc.boolean(),
        mailbox_exists: fc.boolean(),
        is_disposable: fc.boolean(),
        is_role_based: fc.boolean(),
      }),
      score: fc.integer({ min: 0, max: 100 }),
      status,
      typoSuggestion: fc.option(fc.constant('jane.doe@example.org'), { nil: undefined }),
    });
    // Half the runs near a deliverable answer (status, syntax, domain, MX and disposable as it needs them,
    // the other fields random): uniform garble alone reaches a deliverable answer about once in 2,000, so
    // some runs saw none and the vacuity check below failed at random.
    const nearlyValid = answers.map((answer) => ({
      ...answer,
      status: answer.status === 'INVALID' ? answer.status : 'VALID',
      validations: {
        ...answer.validations,
        syntax: true,
        domain_exists: true,
        mx_records: true,
        is_disposable: false,
      },
      score: 90 + (answer.score % 11),
    }));

    let deliverableSeen = 0;

    // Act + Assert
    fc.assert(
      fc.property(fc.oneof(answers, nearlyValid), (answer) => {
        if (answer.typoSuggestion === undefined) delete answer.typoSuggestion;
        const verdict = classify(answer);
        if (verdict.outcome !== 'deliverable') return;
        deliverableSeen++;
        const v = answer.validations;
        expect(answer.status).toBe('VALID');
        expect(v.syntax && v.domain_exists && v.mx_records && !v.is_disposable).toBe(true);
        expect(answer.typoSuggestion).toBeUndefined();
      }),
      { numRuns: 5_000 },
    );
    // The property was really exercised, not passed vacuously.
    expect(deliverableSeen).toBeGreaterThan(0);
  });
});

describe('policyFromJson', () => {
  it('gives the defaults when nothing is configured', () => {
    expect(policyFromJson(undefined)).toEqual(DEFAULT_POLICY);
    expect(policyFromJson('  ')).toEqual(DEFAULT_POLICY);
  });

  it('overrides only the keys given', () => {
    // Act
    const policy = policyFromJson('{"roleAccount":"rejected","recheckDelaySeconds":300}');

    // Assert
    expect(policy).toEqual({ ...DEFAULT_POLICY, roleAccount: 'rejected', recheckDelaySeconds: 300 });
  });

  it.each([
    ['not JSON', '{roleAccount: rejected}'],
    ['an unknown key (a typo must not be ignored)', '{"roleAcount":"rejected"}'],
    ['accepting what can only be rejected', '{"invalidFormat":"deliverable"}'],
    ['re-checking a role account', '{"roleAccount":"recheck"}'],
    ['a negative delay', '{"recheckDelaySeconds":-1}'],
  ])('refuses %s', (_, json) => {
    expect(() => policyFromJson(json)).toThrow(/Verification policy override/);
  });
});
