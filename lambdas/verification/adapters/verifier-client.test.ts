import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mixedSampleAnswers } from '../../../fixtures/verifier-samples';
import { startVerifierStandIn, type VerifierStandIn } from '../../../local/verifier/stand-in';
import {
  backoffDelayMs,
  createVerifierClient,
  PermanentVerifierError,
  TransientVerifierError,
  type VerifierClientConfig,
  type VerifierClientDependencies,
} from './verifier-client';

// These tests talk HTTP to the local stand-in on 127.0.0.1. Backoff sleeps are recorded, not waited.
describe('verifier client against the stand-in', () => {
  let standIn: VerifierStandIn;
  let sleeps: number[];
  const plentyOfTime = { remainingMs: () => 60_000 };

  const client = (
    overrides: Partial<VerifierClientConfig> & Pick<VerifierClientDependencies, 'random' | 'clock'> = {},
  ) =>
    createVerifierClient({
      baseUrl: standIn.origin,
      pathPrefix: standIn.pathPrefix,
      timeoutMs: 2_000,
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      reserveMs: 1_000,
      minAttemptMs: 100,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...overrides,
    });

  const emails = (count: number) => Array.from({ length: count }, (_, i) => `lead${i}@example.com`);

  /** The rejection of a promise, for assertions on its fields; fails the test if the promise resolves. */
  const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => expect.fail('expected the call to fail'),
      (error: unknown) => error,
    );

  beforeAll(async () => {
    standIn = await startVerifierStandIn();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  beforeEach(() => {
    standIn.reset();
    sleeps = [];
  });

  describe('answers', () => {
    it('returns the service answer of every email, keyed by the email', async () => {
      // Arrange
      const sample = mixedSampleAnswers();

      // Act
      const answers = await client().verifyBatch(
        sample.map((a) => a.email),
        plentyOfTime,
      );

      // Assert
      expect(answers.size).toBe(sample.length);
      for (const expected of sample) expect(answers.get(expected.email)).toEqual(expected);
      expect(standIn.requestCount()).toBe(1);
    });

    it('matches answers by email when the service reorders them', async () => {
      // Arrange
      standIn.failNext('reorder');
      const asked = ['jane.doe@example.com', 'info@example.org', 'not-an-email'];

      // Act
      const answers = await client().verifyBatch(asked, plentyOfTime);

      // Assert
      expect(answers.get('jane.doe@example.com')?.status).toBe('VALID');
      expect(answers.get('info@example.org')?.validations.is_role_based).toBe(true);
      expect(answers.get('not-an-email')?.status).toBe('INVALID_FORMAT');
      expect(standIn.requestCount()).toBe(1);
    });

    it('asks once for the same address given several times, and answers each spelling', async () => {
      // Act
      const answers = await client().verifyBatch(
        ['jane.doe@example.com', 'jane.doe@example.com', 'Jane.Doe@Example.com'],
        plentyOfTime,
      );

      // Assert
      expect(standIn.stats().batchSizes).toEqual([1]);
      expect([...answers.keys()]).toEqual(['jane.doe@example.com', 'Jane.Doe@Example.com']);
      expect(answers.get('Jane.Doe@Example.com')?.status).toBe('VALID');
    });

    it.each([
      [1, [1]],
      [100, [100]],
      [101, [100, 1]],
      [250, [100, 100, 50]],
    ])('splits %i emails into ceil(n/100) requests', async (count, sizes) => {
      // Act
      const answers = await client().verifyBatch(emails(count), plentyOfTime);

      // Assert
      expect(standIn.stats().batchSizes).toEqual(sizes);
      expect(standIn.requestCount()).toBe(Math.ceil(count / 100));
      expect(answers.size).toBe(count);
    });

    it('makes no request for no emails', async () => {
      expect((await client().verifyBatch([], plentyOfTime)).size).toBe(0);
      expect(standIn.requestCount()).toBe(0);
    });

    it('passes an unknown status through for the policy to hold, rather than retrying it', async () => {
      // Arrange
      standIn.failNext('unknown-status');

      // Act
      const answers = await client().verifyBatch(['jane.doe@example.com'], plentyOfTime);

      // Assert
      expect(answers.get('jane.doe@example.com')?.status).toBe('CATCH_ALL');
      expect(standIn.requestCount()).toBe(1);
    });
  });

  describe('retries', () => {
    it('retries after a 429 and then succeeds', async () => {
      // Arrange
      standIn.failNext('rate-limit');

      // Act
      const answers = await client().verifyBatch(['jane.doe@example.com'], plentyOfTime);

      // Assert
      expect(answers.get('jane.doe@example.com')?.status).toBe('VALID');
      expect(standIn.requestCount()).toBe(2);
      expect(sleeps).toHaveLength(1);
    });

    it('waits at least what Retry-After asks, within the cap', async () => {
      // Arrange
      standIn.failNext('rate-limit', 1, { retryAfterSeconds: 2 });

      // Act
      await client({ maxDelayMs: 5_000 }).verifyBatch(['jane.doe@example.com'], plentyOfTime);

      // Assert
      expect(sleeps).toEqual([2_000]);
    });

    it('gives up with TransientVerifierError when every attempt answers 500', async () => {
      // Arrange
      standIn.failNext('server-error', 10);

      // Act
      const error = await rejectionOf(
        client({ maxAttempts: 4 }).verifyBatch(['jane.doe@example.com'], plentyOfTime),
      );

      // Assert
      expect(error).toBeInstanceOf(TransientVerifierError);
      expect(error).toMatchObject({ reason: 'server-error', attempts: 4 });
      expect(standIn.requestCount()).toBe(4);
      expect(sleeps).toHaveLength(3);
    });

    it.each(['contradict-status', 'drop-result', 'extra-result', 'not-json'] as const)(
      'treats a %s answer as malformed and retries it',
      async (kind) => {
        // Arrange
        standIn.failNext(kind);

        // Act
        const answers = await client().verifyBatch(
          ['jane.doe@example.com', 'info@example.org'],
          plentyOfTime,
        );

        // Assert: the second, sound answer is the one returned.
        expect(answers.get('jane.doe@example.com')).toMatchObject({
          status: 'VALID',
          validations: { mx_records: true },
        });
        expect(answers.size).toBe(2);
        expect(standIn.requestCount()).toBe(2);
      },
    );

    it.each(['contradict-status', 'drop-result', 'extra-result'] as const)(
      'gives up with TransientVerifierError (malformed) when every answer is %s',
      async (kind) => {
        // Arrange
        standIn.failNext(kind, 10);

        // Act
        const error = await rejectionOf(
          client({ maxAttempts: 3 }).verifyBatch(['jane.doe@example.com', 'info@example.org'], plentyOfTime),
        );

        // Assert
        expect(error).toBeInstanceOf(TransientVerifierError);
        expect(error).toMatchObject({ reason: 'malformed', attempts: 3 });
        expect(standIn.requestCount()).toBe(3);
      },
    );

    it('keeps emails out of the error message', async () => {
      // Arrange
      standIn.failNext('drop-result', 10);

      // Act
      const error = await rejectionOf(
        client({ maxAttempts: 2 }).verifyBatch(['jane.doe@example.com', 'info@example.org'], plentyOfTime),
      );

      // Assert
      expect(String((error as Error).message)).not.toMatch(/@/);
    });

    it('aborts a slow request at the timeout and retries it', async () => {
      // Arrange: the first answer would take 5 s, the client waits 200 ms.
      standIn.failNext('slow', 1, { delayMs: 5_000 });

      // Act
      const answers = await client({ timeoutMs: 200 }).verifyBatch(['jane.doe@example.com'], plentyOfTime);

      // Assert
      expect(answers.get('jane.doe@example.com')?.status).toBe('VALID');
      expect(standIn.requestCount()).toBe(2);
      expect(sleeps).toHaveLength(1);
    });

    it('reports a timeout when every attempt is too slow', async () => {
      // Arrange
      standIn.failNext('slow', 2, { delayMs: 5_000 });

      // Act
      const error = await rejectionOf(
        client({ timeoutMs: 150, maxAttempts: 2 }).verifyBatch(['a@example.com'], plentyOfTime),
      );

      // Assert
      expect(error).toMatchObject({ reason: 'timeout', attempts: 2 });
    });

    it('retries network errors', async () => {
      // Arrange: a port nobody listens on any more.
      const gone = await startVerifierStandIn();
      await gone.stop();
      const unreachable = createVerifierClient({
        baseUrl: gone.origin,
        pathPrefix: gone.pathPrefix,
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 20,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });

      // Act
      const error = await rejectionOf(unreachable.verifyBatch(['a@example.com'], plentyOfTime));

      // Assert
      expect(error).toMatchObject({ reason: 'network', attempts: 3 });
      expect(sleeps).toHaveLength(2);
    });

    it('does not retry a 400', async () => {
      // Arrange
      standIn.failNext('bad-request', 5);

      // Act
      const error = await rejectionOf(client().verifyBatch(['jane.doe@example.com'], plentyOfTime));

      // Assert
      expect(error).toBeInstanceOf(PermanentVerifierError);
      expect(error).toMatchObject({ status: 400, serviceMessage: 'Invalid request body' });
      expect(standIn.requestCount()).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('reports every attempt, retries included, with its outcome and latency', async () => {
      // Arrange: a 429, a 500, then an answer; a clock that advances 7 ms per reading.
      standIn.failNext('rate-limit');
      standIn.failNext('server-error');
      let ticks = 0;
      const attempts: unknown[] = [];

      // Act
      await client({ clock: () => (ticks += 7) }).verifyBatch(['jane.doe@example.com'], {
        ...plentyOfTime,
        onAttempt: (attempt) => attempts.push(attempt),
      });

      // Assert
      expect(attempts).toEqual([
        { outcome: 'rate-limited', latencyMs: 7 },
        { outcome: 'server-error', latencyMs: 7 },
        { outcome: 'answered', latencyMs: 7 },
      ]);
    });

    it('reports a refused request as such', async () => {
      // Arrange
      standIn.failNext('bad-request');
      const outcomes: string[] = [];

      // Act
      await rejectionOf(
        client().verifyBatch(['jane.doe@example.com'], {
          ...plentyOfTime,
          onAttempt: ({ outcome }) => outcomes.push(outcome),
        }),
      );

      // Assert
      expect(outcomes).toEqual(['refused']);
    });

    it('keeps the answers of the chunks that succeeded when a later chunk fails', async () => {
      // Arrange: the first request goes through (merely reordered), the second chunk never does.
      standIn.failNext('reorder');
      standIn.failNext('server-error', 10);

      // Act
      const error = await rejectionOf(client({ maxAttempts: 2 }).verifyBatch(emails(150), plentyOfTime));

      // Assert
      expect(error).toBeInstanceOf(TransientVerifierError);
      const answered = (error as TransientVerifierError).answered;
      expect(answered.size).toBe(100);
      expect(answered.has('lead0@example.com')).toBe(true);
      expect(answered.has('lead100@example.com')).toBe(false);
    });
  });

  describe('time budget', () => {
    it('clips the request timeout to the invocation time left', async () => {
      // Arrange: 10 s timeout, but only 300 ms left after the 1 s reserve; the answer would come in 3 s.
      standIn.failNext('slow', 1, { delayMs: 3_000 });

      // Act
      const error = await rejectionOf(
        client({ timeoutMs: 10_000, maxAttempts: 1 }).verifyBatch(['a@example.com'], {
          remainingMs: () => 1_300,
        }),
      );

      // Assert
      expect(error).toMatchObject({ reason: 'timeout', attempts: 1 });
    });

    it('makes no request when the invocation has no time left', async () => {
      // Act
      const error = await rejectionOf(client().verifyBatch(['a@example.com'], { remainingMs: () => 900 }));

      // Assert
      expect(error).toMatchObject({ reason: 'out-of-time', attempts: 0 });
      expect(standIn.requestCount()).toBe(0);
    });

    it('does not sleep into the reserve: it stops with the last failure instead', async () => {
      // Arrange: 150 ms above the reserve, the next retry would wait 50 ms and then have less than 100 ms.
      standIn.failNext('server-error', 5);

      // Act
      const error = await rejectionOf(client().verifyBatch(['a@example.com'], { remainingMs: () => 1_140 }));

      // Assert
      expect(error).toMatchObject({ reason: 'server-error', attempts: 1 });
      expect(sleeps).toEqual([]);
    });
  });

  describe('backoff', () => {
    it('grows the delays exponentially and caps them', async () => {
      // Arrange
      standIn.failNext('server-error', 6);

      // Act
      await client({ maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 }).verifyBatch(
        ['a@example.com'],
        plentyOfTime,
      );

      // Assert
      expect(sleeps).toEqual([99, 199, 399, 799, 999, 999]);
    });

    it('draws each delay between zero and its ceiling (full jitter)', () => {
      // Arrange
      const settings = { baseDelayMs: 100, maxDelayMs: 1_000 };

      // Act
      const lowest = [1, 2, 3].map((n) => backoffDelayMs(n, settings, () => 0));
      const halfway = [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, settings, () => 0.5));

      // Assert
      expect(lowest).toEqual([0, 0, 0]);
      expect(halfway).toEqual([50, 100, 200, 400, 500]);
    });

    it('never waits more than the cap, even when Retry-After asks for more', () => {
      expect(backoffDelayMs(1, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0.5, 60_000)).toBe(1_000);
    });
  });

  describe('configuration', () => {
    it('sends the API key in the configured header', async () => {
      // Arrange
      const keyed = await startVerifierStandIn({ apiKey: 'secret-key', pathPrefix: '' });
      try {
        const withKey = createVerifierClient({
          baseUrl: `${keyed.origin}/`,
          pathPrefix: '',
          apiKey: 'secret-key',
        });
        const withoutKey = createVerifierClient({ baseUrl: keyed.origin, pathPrefix: '' });

        // Act
        const answers = await withKey.verifyBatch(['a@example.com'], plentyOfTime);
        const error = await rejectionOf(withoutKey.verifyBatch(['a@example.com'], plentyOfTime));

        // Assert: a refused key is permanent, not retried.
        expect(answers.size).toBe(1);
        expect(error).toMatchObject({ status: 401 });
        expect(keyed.requestCount()).toBe(2);
      } finally {
        await keyed.stop();
      }
    });

    it('refuses a cap below the base delay', () => {
      expect(() =>
        createVerifierClient({ baseUrl: 'http://127.0.0.1', baseDelayMs: 500, maxDelayMs: 100 }),
      ).toThrow();
    });
  });
});
