import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorSampleBody, mixedSampleAnswers } from '../../fixtures/verifier-samples';
import { verifierBatchAnswerSchema } from '../../lambdas/verification/domain/verifier-schema';
import { startVerifierStandIn, type VerifierStandIn } from './stand-in';

/** A batch answer's results, checked against the contract's shape. */
const resultsOf = async (response: Response) =>
  verifierBatchAnswerSchema.parse(await response.json()).results;

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('verifier stand-in over HTTP', () => {
  let standIn: VerifierStandIn;

  beforeAll(async () => {
    standIn = await startVerifierStandIn();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  beforeEach(() => {
    standIn.reset();
  });

  it('answers a batch in request order with the same results as the service sample', async () => {
    // Arrange
    const sample = mixedSampleAnswers();

    // Act
    const response = await postJson(`${standIn.url}/validate/batch`, { emails: sample.map((a) => a.email) });

    // Assert
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ results: sample });
  });

  it('answers the single route by POST and by GET', async () => {
    // Act
    const posted = await (await postJson(`${standIn.url}/validate`, { email: 'info@example.org' })).json();
    const got = await (
      await fetch(`${standIn.url}/validate?email=${encodeURIComponent('jane@gmial.com')}`)
    ).json();

    // Assert
    expect(posted).toMatchObject({ email: 'info@example.org', status: 'VALID', score: 90 });
    expect(got).toMatchObject({ status: 'PROBABLY_VALID', typoSuggestion: 'jane@gmail.com' });
  });

  it('reports its status', async () => {
    const response = await fetch(`${standIn.url}/status`);
    expect(response.status).toBe(200);
  });

  it('refuses a body that is not the contract with 400 and an error object', async () => {
    // Act
    const response = await postJson(`${standIn.url}/validate/batch`, { email: 'not-a-list' });

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(errorSampleBody(400));
  });

  it('refuses more than 100 emails in one batch', async () => {
    // Arrange
    const emails = Array.from({ length: 101 }, (_, i) => `user${i}@example.com`);

    // Act
    const response = await postJson(`${standIn.url}/validate/batch`, { emails });

    // Assert
    expect(response.status).toBe(400);
  });

  it('answers 404 outside its routes and 405 for the wrong method', async () => {
    expect((await fetch(`${standIn.origin}/validate/batch`)).status).toBe(404);
    expect((await fetch(`${standIn.url}/validate/batch`)).status).toBe(405);
  });

  it('plays the queued faults in order, one per verification request, then answers normally', async () => {
    // Arrange
    standIn.failNext('rate-limit', 1, { retryAfterSeconds: 3 });
    standIn.failNext('server-error', 2);
    const call = () => postJson(`${standIn.url}/validate/batch`, { emails: ['jane.doe@example.com'] });

    // Act
    const first = await call();
    const second = await call();
    const third = await call();
    const fourth = await call();

    // Assert
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await first.json()).toEqual(errorSampleBody(429));
    expect([second.status, third.status, fourth.status]).toEqual([500, 500, 200]);
  });

  it('can drop a result, add an extra one, contradict a status, reorder or invent a status', async () => {
    // Arrange
    const emails = ['jane.doe@example.com', 'info@example.org'];
    const batch = async () => resultsOf(await postJson(`${standIn.url}/validate/batch`, { emails }));
    for (const kind of [
      'drop-result',
      'extra-result',
      'contradict-status',
      'reorder',
      'unknown-status',
    ] as const) {
      standIn.failNext(kind);
    }

    // Act
    const dropped = await batch();
    const extra = await batch();
    const contradicted = await batch();
    const reordered = await batch();
    const unknown = await batch();

    // Assert
    expect(dropped.map((r) => r.email)).toEqual(['jane.doe@example.com']);
    expect(extra).toHaveLength(3);
    expect(extra[2]?.email).not.toBe('jane.doe@example.com');
    expect(contradicted[0]).toMatchObject({ status: 'VALID', validations: { mx_records: false } });
    expect(reordered.map((r) => r.email)).toEqual(['info@example.org', 'jane.doe@example.com']);
    expect(unknown[0]?.status).toBe('CATCH_ALL');
  });

  it('answers NO_MX_RECORDS for every address while told that DNS times out', async () => {
    // Arrange
    standIn.failNext('dns-timeout');

    // Act
    const results = await resultsOf(
      await postJson(`${standIn.url}/validate/batch`, { emails: ['jane.doe@example.com'] }),
    );

    // Assert
    expect(results[0]).toMatchObject({ status: 'NO_MX_RECORDS', score: 40 });
  });

  it('takes faults over its admin route too, and does not count admin calls', async () => {
    // Act
    const admin = await postJson(`${standIn.origin}/__admin/fail-next`, { kind: 'server-error', count: 1 });
    const failed = await postJson(`${standIn.url}/validate`, { email: 'jane.doe@example.com' });
    const stats = await (await fetch(`${standIn.origin}/__admin/stats`)).json();

    // Assert
    expect(admin.status).toBe(200);
    expect(failed.status).toBe(500);
    expect(stats).toMatchObject({ requests: 1 });
    expect(standIn.requestCount()).toBe(1);
  });

  it('refuses an unknown fault kind on the admin route', async () => {
    const response = await postJson(`${standIn.origin}/__admin/fail-next`, { kind: 'explode' });
    expect(response.status).toBe(400);
  });

  it('counts requests, batch sizes and emails until reset', async () => {
    // Arrange
    await postJson(`${standIn.url}/validate/batch`, { emails: ['a@example.com', 'b@example.com'] });
    await fetch(`${standIn.url}/validate?email=c@example.com`);

    // Act
    const before = standIn.stats();
    standIn.reset();

    // Assert
    expect(before).toEqual({ requests: 2, batchRequests: 1, emailsChecked: 3, batchSizes: [2] });
    expect(standIn.requestCount()).toBe(0);
  });

  it('forgets pending faults on reset', async () => {
    // Arrange
    standIn.failNext('server-error', 3);

    // Act
    standIn.reset();
    const response = await postJson(`${standIn.url}/validate`, { email: 'a@example.com' });

    // Assert
    expect(response.status).toBe(200);
  });
});

describe('verifier stand-in configuration', () => {
  it('requires the API key when given one, and serves without a path prefix when asked', async () => {
    // Arrange
    const standIn = await startVerifierStandIn({ apiKey: 'local-key', pathPrefix: '' });
    try {
      // Act
      const without = await postJson(`${standIn.origin}/validate`, { email: 'a@example.com' });
      const withKey = await postJson(
        `${standIn.origin}/validate`,
        { email: 'a@example.com' },
        { 'X-RapidAPI-Key': 'local-key' },
      );

      // Assert
      expect(standIn.url).toBe(standIn.origin);
      expect(without.status).toBe(401);
      expect(withKey.status).toBe(200);
    } finally {
      await standIn.stop();
    }
  });

  it('treats configured dead domains as such', async () => {
    // Arrange
    const standIn = await startVerifierStandIn({ deadDomains: { noMx: ['parked.org'] } });
    try {
      // Act
      const results = await resultsOf(
        await postJson(`${standIn.url}/validate/batch`, { emails: ['a@parked.org'] }),
      );

      // Assert
      expect(results[0]?.status).toBe('NO_MX_RECORDS');
    } finally {
      await standIn.stop();
    }
  });

  it('stops promptly while a slow answer is still pending', async () => {
    // Arrange
    const standIn = await startVerifierStandIn();
    standIn.failNext('slow', 1, { delayMs: 60_000 });
    const pending = postJson(`${standIn.url}/validate`, { email: 'a@example.com' }).catch(
      (error: unknown) => error,
    );

    // Act
    await vi.waitFor(() => expect(standIn.requestCount()).toBe(1)); // the request is being held
    await standIn.stop();

    // Assert: the client sees the connection end instead of waiting a minute.
    expect(await pending).toBeInstanceOf(Error);
  });
});
