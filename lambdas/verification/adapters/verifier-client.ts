import { realSleep, backoffDelayMs as sharedBackoffDelayMs } from '../../shared/backoff';
import * as z from '../../shared/zod';
import {
  emailMatchKey,
  findContradiction,
  type VerifierAnswer,
  verifierBatchAnswerSchema,
  verifierErrorBodySchema,
} from '../domain/verifier-schema';

/** The service documents (but does not enforce) 100 emails per batch request. */
export const VERIFIER_BATCH_LIMIT = 100;

export type TransientFailureReason = 'rate-limited' | 'server-error' | 'network' | 'timeout' | 'malformed';

/** Base class, so a caller can catch "anything the verifier did" in one place. */
export class VerifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Retries are spent (or there is no time left for another attempt). The leads stay unsettled: the caller
 * fails their records so SQS redelivers them and, in the end, parks them in the DLQ. `answered` holds the
 * answers of the chunks that did succeed before the failure, so their leads need not wait.
 */
export class TransientVerifierError extends VerifierError {
  constructor(
    readonly reason: TransientFailureReason | 'out-of-time',
    readonly attempts: number,
    readonly detail: string,
    readonly answered: ReadonlyMap<string, VerifierAnswer> = new Map(),
  ) {
    super(`Verifier failed transiently after ${attempts} attempt(s): ${reason} (${detail})`);
  }
}

/** The service refused the request itself (400 and other 4xx but 408/429): sending it again cannot help. */
export class PermanentVerifierError extends VerifierError {
  constructor(
    readonly status: number,
    readonly serviceMessage: string,
  ) {
    super(`Verifier refused the request with HTTP ${status}: ${serviceMessage}`);
  }
}

/** Settings that come from configuration (environment); the handler parses them with this schema. */
export const verifierClientConfigSchema = z.object({
  baseUrl: z.url(),
  /** `/api` for the hosted service, empty for the RapidAPI variant. */
  pathPrefix: z._default(z.string(), '/api'),
  apiKey: z.optional(z.string().check(z.minLength(1))),
  apiKeyHeader: z._default(z.string().check(z.minLength(1)), 'X-RapidAPI-Key'),
  /** The hosted instance cuts responses off after 10 s: waiting longer is pointless. */
  timeoutMs: z._default(z.number().check(z.int(), z.positive()), 8_000),
  maxAttempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 4),
  baseDelayMs: z._default(z.number().check(z.int(), z.minimum(0)), 250),
  maxDelayMs: z._default(z.number().check(z.int(), z.minimum(0)), 4_000),
  /** Time kept back from the invocation's remaining time, to record results before Lambda stops us. */
  reserveMs: z._default(z.number().check(z.int(), z.minimum(0)), 1_000),
  /** No attempt starts with less time than this: it could not finish. */
  minAttemptMs: z._default(z.number().check(z.int(), z.positive()), 500),
});

export type VerifierClientConfig = z.input<typeof verifierClientConfigSchema>;

/** Injected for tests; production uses global fetch, setTimeout, Math.random and performance.now. */
export interface VerifierClientDependencies {
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1), like Math.random: the jitter. */
  random?: () => number;
  /** A monotonic clock in milliseconds, like performance.now: each attempt's latency. */
  clock?: () => number;
}

/** One HTTP attempt toward the verifier, as the caller's metrics see it. */
export interface VerifierAttempt {
  /** `answered`, the transient reason that makes it retried, or `refused` (a 4xx no retry can help). */
  outcome: 'answered' | TransientFailureReason | 'refused';
  latencyMs: number;
}

export interface VerifyBatchOptions {
  /** Milliseconds left in this invocation (Lambda's `context.getRemainingTimeInMillis`). */
  remainingMs: () => number;
  /** Told about every attempt, retries included (the verifier's health, which retries would hide). */
  onAttempt?: (attempt: VerifierAttempt) => void;
}

export interface VerifierClient {
  /**
   * Answers for every given email, keyed by the email exactly as given (duplicates share one answer).
   * Throws TransientVerifierError or PermanentVerifierError.
   */
  verifyBatch(emails: readonly string[], options: VerifyBatchOptions): Promise<Map<string, VerifierAnswer>>;
}

type AttemptResult =
  | { kind: 'answered'; answers: Map<string, VerifierAnswer> }
  | { kind: 'transient'; reason: TransientFailureReason; detail: string; retryAfterMs?: number }
  | { kind: 'permanent'; status: number; message: string };

/**
 * The app's backoff (exponential, full jitter, capped: the n-th retry waits random() x min(max, base x
 * 2^(n-1))), with a Retry-After from the service honoured up to the cap.
 */
export const backoffDelayMs = (
  retryNumber: number,
  settings: { baseDelayMs: number; maxDelayMs: number },
  random: () => number,
  retryAfterMs = 0,
): number => {
  const jittered = sharedBackoffDelayMs(
    retryNumber,
    { baseMs: settings.baseDelayMs, capMs: settings.maxDelayMs },
    random,
  );
  return Math.min(settings.maxDelayMs, Math.max(jittered, retryAfterMs));
};

/**
 * Builds the one retry layer around the verifier's batch endpoint.
 * verifyBatch steps: dedupe the emails by match key -> split into chunks of <= 100 -> for each chunk, POST it
 * with a timeout clipped to the invocation's remaining time, validate the answer (zod shape, one result per
 * email, no extras, no status its validations contradict) -> retry 429 / 5xx / network / timeout / malformed
 * with capped, jittered backoff; stop at once on another 4xx -> key the answers by the emails as given.
 */
export const createVerifierClient = (
  options: VerifierClientConfig & VerifierClientDependencies,
): VerifierClient => {
  const {
    fetch: injectedFetch,
    sleep: injectedSleep,
    random: injectedRandom,
    clock: injectedClock,
    ...config
  } = options;
  const settings = verifierClientConfigSchema.parse(config);
  if (settings.maxDelayMs < settings.baseDelayMs) throw new Error('maxDelayMs must be >= baseDelayMs');
  const fetchImpl = injectedFetch ?? globalThis.fetch;
  const sleep = injectedSleep ?? realSleep;
  const random = injectedRandom ?? Math.random;
  const clock = injectedClock ?? (() => performance.now());
  const endpoint = batchEndpoint(settings.baseUrl, settings.pathPrefix);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (settings.apiKey) headers[settings.apiKeyHeader] = settings.apiKey;

  const attempt = async (emails: readonly string[], timeoutMs: number): Promise<AttemptResult> => {
    let status: number;
    let bodyText: string;
    let retryAfterHeader: string | null;
    try {
      const response = await fetchImpl(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ emails }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfterHeader = response.headers.get('retry-after');
      // The timeout signal also covers reading the body: a response that stalls midway is a timeout.
      bodyText = await response.text();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return timedOut
        ? { kind: 'transient', reason: 'timeout', detail: `no answer within ${timeoutMs} ms` }
        : { kind: 'transient', reason: 'network', detail: errorSummary(error) };
    }
    if (status === 429) {
      return {
        kind: 'transient',
        reason: 'rate-limited',
        detail: 'HTTP 429',
        retryAfterMs: parseRetryAfter(retryAfterHeader),
      };
    }
    if (status >= 500) return { kind: 'transient', reason: 'server-error', detail: `HTTP ${status}` };
    if (status === 408) return { kind: 'transient', reason: 'timeout', detail: 'HTTP 408' };
    if (status >= 400) return { kind: 'permanent', status, message: serviceErrorMessage(bodyText) };
    if (status < 200 || status >= 300)
      return { kind: 'transient', reason: 'malformed', detail: `HTTP ${status}` };
    return matchAnswers(emails, bodyText);
  };

  const verifyChunk = async (
    emails: readonly string[],
    options: VerifyBatchOptions,
    answeredSoFar: ReadonlyMap<string, VerifierAnswer>,
  ): Promise<Map<string, VerifierAnswer>> => {
    let last: Extract<AttemptResult, { kind: 'transient' }> | undefined;
    for (let attemptNumber = 1; attemptNumber <= settings.maxAttempts; attemptNumber++) {
      if (last) {
        const delay = backoffDelayMs(attemptNumber - 1, settings, random, last.retryAfterMs);
        if (budgetMs(options) - delay < settings.minAttemptMs) {
          throw new TransientVerifierError(last.reason, attemptNumber - 1, last.detail, answeredSoFar);
        }
        await sleep(delay);
      }
      const budget = budgetMs(options);
      if (budget < settings.minAttemptMs) {
        throw new TransientVerifierError(
          'out-of-time',
          attemptNumber - 1,
          `${Math.max(0, Math.floor(budget))} ms left before the reserve`,
          answeredSoFar,
        );
      }
      const startedAt = clock();
      const result = await attempt(emails, Math.min(settings.timeoutMs, budget));
      options.onAttempt?.({
        outcome:
          result.kind === 'answered' ? 'answered' : result.kind === 'permanent' ? 'refused' : result.reason,
        latencyMs: clock() - startedAt,
      });
      if (result.kind === 'answered') return result.answers;
      if (result.kind === 'permanent') throw new PermanentVerifierError(result.status, result.message);
      last = result;
    }
    // maxAttempts >= 1, so `last` is set when the loop ends without an answer.
    const spent = last ?? { reason: 'malformed' as const, detail: 'no attempt made' };
    throw new TransientVerifierError(spent.reason, settings.maxAttempts, spent.detail, answeredSoFar);
  };

  const budgetMs = (options: VerifyBatchOptions) => options.remainingMs() - settings.reserveMs;

  return {
    async verifyBatch(emails, options) {
      const firstSpellingByKey = new Map<string, string>();
      for (const email of emails) {
        const key = emailMatchKey(email);
        if (!firstSpellingByKey.has(key)) firstSpellingByKey.set(key, email);
      }
      const unique = [...firstSpellingByKey.values()];
      const answersByKey = new Map<string, VerifierAnswer>();
      const answeredAsGiven = () => keyAsGiven(emails, answersByKey);
      // Chunks go one after another: concurrency towards the rate-limited service is capped by the event
      // source's MaximumConcurrency, not multiplied here.
      for (let start = 0; start < unique.length; start += VERIFIER_BATCH_LIMIT) {
        const chunk = unique.slice(start, start + VERIFIER_BATCH_LIMIT);
        const chunkAnswers = await verifyChunk(chunk, options, answeredAsGiven());
        for (const [key, answer] of chunkAnswers) answersByKey.set(key, answer);
      }
      return answeredAsGiven();
    },
  };
};

/** Checks the body and pairs each requested email with its answer by email, never by position. */
const matchAnswers = (requested: readonly string[], bodyText: string): AttemptResult => {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { kind: 'transient', reason: 'malformed', detail: 'body is not JSON' };
  }
  const parsed = verifierBatchAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    return {
      kind: 'transient',
      reason: 'malformed',
      detail: `unexpected shape at ${[...new Set(fields)].slice(0, 5).join(', ')}`,
    };
  }
  const expected = new Set(requested.map(emailMatchKey));
  const seen = new Set<string>();
  const answers = new Map<string, VerifierAnswer>();
  let extra = 0;
  let repeated = 0;
  let contradictory = 0;
  for (const answer of parsed.data.results) {
    const key = emailMatchKey(answer.email);
    if (!expected.has(key)) {
      extra++;
    } else if (seen.has(key)) {
      repeated++;
    } else {
      seen.add(key);
      if (findContradiction(answer)) contradictory++;
      else answers.set(key, answer);
    }
  }
  const missing = expected.size - seen.size;
  if (extra || repeated || contradictory || missing) {
    return {
      kind: 'transient',
      reason: 'malformed',
      // Counts only: the detail ends up in logs, and emails must not.
      detail: `${missing} missing, ${extra} extra, ${repeated} repeated, ${contradictory} contradictory result(s)`,
    };
  }
  return { kind: 'answered', answers };
};

const keyAsGiven = (emails: readonly string[], answersByKey: ReadonlyMap<string, VerifierAnswer>) => {
  const result = new Map<string, VerifierAnswer>();
  for (const email of emails) {
    const answer = answersByKey.get(emailMatchKey(email));
    if (answer) result.set(email, answer);
  }
  return result;
};

const batchEndpoint = (baseUrl: string, pathPrefix: string): string => {
  const base = baseUrl.replace(/\/+$/, '');
  const prefix = pathPrefix.replace(/^\/*/, '/').replace(/\/+$/, '');
  return `${base}${prefix === '/' ? '' : prefix}/validate/batch`;
};

const parseRetryAfter = (header: string | null): number | undefined => {
  if (!header) return undefined;
  // Only the delta-seconds form: an HTTP-date would need a clock, and the service is not known to send one.
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

const serviceErrorMessage = (bodyText: string): string => {
  try {
    const parsed = verifierErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) return parsed.data.error.slice(0, 200);
  } catch {
    // Not JSON: fall through to a generic message rather than echo an arbitrary body into logs.
  }
  return 'no error message';
};

const errorSummary = (error: unknown): string => {
  if (!(error instanceof Error)) return 'request failed';
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`.slice(0, 200);
};
