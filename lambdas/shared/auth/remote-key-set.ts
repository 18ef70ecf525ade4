import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface RemoteKeySetOptions {
  /** A fetch that takes longer fails with `JWKSTimeout` (an outage of ours, not the caller's fault). */
  readonly timeoutMs: number;
  /** A token naming a key the cached set lacks refetches it, at most once per this many ms. */
  readonly cooldownMs: number;
  /** The cached set is fetched again once it is this old. */
  readonly maxAgeMs: number;
  /** A larger answer is refused: a key set is a few KB. */
  readonly maxBytes?: number;
  readonly now?: () => number;
}

/** What the authorizers use: a key set trusted for ten minutes, refetched for an unknown key at most twice a minute. */
export const JWKS_CACHING: RemoteKeySetOptions = {
  timeoutMs: 3_000,
  cooldownMs: 30_000,
  maxAgeMs: 10 * 60_000,
};

const DEFAULT_MAX_BYTES = 256 * 1024;

const readBody = (response: IncomingMessage, maxBytes: number) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(new errors.JOSEError(`The JSON Web Key Set HTTP response is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });

/** GET the key set: 200 only (a redirect is not followed), JSON, within the timeout and the size limit. */
const fetchKeySet = (url: URL, timeoutMs: number, maxBytes: number): Promise<unknown> => {
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const request = send(url, {
      method: 'GET',
      headers: { accept: 'application/json, application/jwk-set+json' },
      signal,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'));
        return;
      }
      readBody(response, maxBytes).then((text) => {
        try {
          resolve(JSON.parse(text));
        } catch (cause) {
          reject(
            new errors.JOSEError('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause }),
          );
        }
      }, reject);
    });
    request.end();
  }).catch((error: unknown) => {
    // The timeout aborts the request or its body, whichever it reaches: either is the same outage.
    if (signal.aborted && !(error instanceof errors.JOSEError))
      throw new errors.JWKSTimeout(undefined, { cause: error });
    throw error;
  });
};

/**
 * A JSON Web Key Set fetched from a URL, for `jwtVerify`: what `jose`'s `createRemoteJWKSet` does (the set is
 * cached for `maxAgeMs`; a token naming an unknown key refetches it at most once per `cooldownMs`; concurrent
 * verifications share one fetch; a slow fetch is a `JWKSTimeout`; a non-200, non-JSON or non-JWKS answer is a
 * `JOSEError`), fetched with `node:http(s)` instead of `fetch`. jose's version builds a `Headers` object when it
 * is created, which loads Node's fetch implementation (undici): about 25 ms of CPU on every cold start of an
 * authorizer, against about 7 ms for `node:https`.
 */
export const createRemoteKeySet = (url: URL, options: RemoteKeySetOptions): JWTVerifyGetKey => {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`a key set URL must be http(s), not ${url.protocol}`);
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  const reload = (): Promise<void> => {
    pending ??= fetchKeySet(url, options.timeoutMs, maxBytes)
      .then((json) => {
        local = createLocalJWKSet(json as JSONWebKeySet);
        fetchedAt = now();
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return async (protectedHeader, token) => {
    if (!local || now() >= fetchedAt + options.maxAgeMs) await reload();
    const keys = local as NonNullable<typeof local>;
    try {
      return await keys(protectedHeader, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() < fetchedAt + options.cooldownMs) throw error;
      await reload();
      return (local as NonNullable<typeof local>)(protectedHeader, token);
    }
  };
};
