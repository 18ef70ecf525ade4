import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteKeySet } from './remote-key-set';

/** A key set server whose answer each test sets, counting the GETs it serves. */
let answer: (response: ServerResponse) => void;
let requests: { accept: string | undefined }[] = [];
const server = createServer((request, response) => {
  requests.push({ accept: request.headers.accept });
  answer(response);
});
let url: URL;

const signingKey = async (kid: string) => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = () =>
    new SignJWT({ sub: 'someone' }).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
  return { jwk, sign };
};

const serveKeys = (...keys: JWK[]) => {
  answer = (response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  };
};

/** A clock the test moves by hand. */
const clock = () => {
  let at = 1_000_000;
  return { now: () => at, advance: (ms: number) => (at += ms) };
};

const options = { timeoutMs: 1_000, cooldownMs: 30_000, maxAgeMs: 600_000 };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
});

describe('a remote key set', () => {
  it('verifies a token with a key of the fetched set, asking for JSON', async () => {
    const key = await signingKey('k1');
    serveKeys(key.jwk);
    const keys = createRemoteKeySet(url, options);

    const { payload } = await jwtVerify(await key.sign(), keys);

    expect(payload.sub).toBe('someone');
    expect(requests).toEqual([{ accept: 'application/json, application/jwk-set+json' }]);
  });

  it('fetches once for many verifications within its maximum age, and again once the set is that old', async () => {
    const key = await signingKey('k1');
    serveKeys(key.jwk);
    const time = clock();
    const keys = createRemoteKeySet(url, { ...options, now: time.now });

    await Promise.all([jwtVerify(await key.sign(), keys), jwtVerify(await key.sign(), keys)]);
    time.advance(options.maxAgeMs - 1);
    await jwtVerify(await key.sign(), keys);
    expect(requests).toHaveLength(1);

    time.advance(1);
    await jwtVerify(await key.sign(), keys);
    expect(requests).toHaveLength(2);
  });

  it('refetches for a key it does not know (a rotation), but at most once per cooldown', async () => {
    const [oldKey, newKey, strangerKey] = await Promise.all([
      signingKey('old'),
      signingKey('new'),
      signingKey('x'),
    ]);
    serveKeys(oldKey.jwk);
    const time = clock();
    const keys = createRemoteKeySet(url, { ...options, now: time.now });
    await jwtVerify(await oldKey.sign(), keys);

    // Within the cooldown a token naming an unknown key is refused without a fetch.
    serveKeys(oldKey.jwk, newKey.jwk);
    await expect(jwtVerify(await newKey.sign(), keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(requests).toHaveLength(1);

    time.advance(options.cooldownMs);
    await expect(jwtVerify(await newKey.sign(), keys)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);

    // The refetch just happened: a key nobody published is refused without another.
    await expect(jwtVerify(await strangerKey.sign(), keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(requests).toHaveLength(2);
  });

  it('refuses an answer that is not 200 (a redirect is not followed) as a JOSE error', async () => {
    const key = await signingKey('k1');
    answer = (response) => {
      response.writeHead(302, { location: 'https://elsewhere.example/jwks.json' });
      response.end();
    };
    const keys = createRemoteKeySet(url, options);

    const refusal = await jwtVerify(await key.sign(), keys).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(errors.JOSEError);
    expect(refusal).not.toBeInstanceOf(errors.JWKSTimeout);
    expect((refusal as Error).message).toMatch(/Expected 200 OK/);
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['not JSON', '<html>down for maintenance</html>', /as JSON/],
    ['not a key set', '{"keys": "none"}', /JSON Web Key Set malformed/],
  ])('refuses an answer that is %s as a JOSE error', async (_case, body, message) => {
    const key = await signingKey('k1');
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    };
    const refusal = await jwtVerify(await key.sign(), createRemoteKeySet(url, options)).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(errors.JOSEError);
    expect((refusal as Error).message).toMatch(message);
  });

  it('refuses an answer larger than its limit', async () => {
    const key = await signingKey('k1');
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [key.jwk], padding: 'x'.repeat(4_096) }));
    };
    const refusal = await jwtVerify(
      await key.sign(),
      createRemoteKeySet(url, { ...options, maxBytes: 1_024 }),
    ).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(errors.JOSEError);
    expect((refusal as Error).message).toMatch(/larger than 1024 bytes/);
  });

  it('fails with JWKSTimeout when the key set does not answer in time, and fetches afresh next time', async () => {
    const key = await signingKey('k1');
    answer = () => {}; // never answers
    const keys = createRemoteKeySet(url, { ...options, timeoutMs: 50 });

    await expect(jwtVerify(await key.sign(), keys)).rejects.toBeInstanceOf(errors.JWKSTimeout);

    serveKeys(key.jwk);
    await expect(jwtVerify(await key.sign(), keys)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it('refuses a URL that is not http(s) when it is created', () => {
    expect(() => createRemoteKeySet(new URL('file:///etc/jwks.json'), options)).toThrow(/must be http\(s\)/);
  });
});
