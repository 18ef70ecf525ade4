import { createHmac, createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ClientAssertionError,
  clientKeyResolver,
  type ReplayCheck,
  type VerifyClientAssertionOptions,
  verifyClientAssertion,
} from './client-assertion';
import { type ClientKeyPair, generateClientKeyPair, signClientAssertion } from './client-assertion-signer';

const clientId = 'automailer';
const audience = 'https://api.proleads.example/automailer/sso/token';
const now = new Date('2025-03-10T12:00:00.000Z');
const nowSeconds = now.getTime() / 1000;

let ecKeys: ClientKeyPair;
let rsaKeys: ClientKeyPair;
beforeAll(async () => {
  [ecKeys, rsaKeys] = await Promise.all([generateClientKeyPair('ES256'), generateClientKeyPair('RS256')]);
});

/** An in-memory replay store with the adapter's contract: true on first use, false after. */
const memoryReplayCheck = (): ReplayCheck => {
  const seen = new Set<string>();
  return vi.fn(async ({ clientId: client, jti }) => {
    const key = `${client}#${jti}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const options = (overrides: Partial<VerifyClientAssertionOptions> = {}): VerifyClientAssertionOptions => ({
  clientId,
  audience,
  keyOrJwks: ecKeys.publicJwk,
  now,
  replayCheck: memoryReplayCheck(),
  ...overrides,
});

const sign = (overrides: Partial<Parameters<typeof signClientAssertion>[0]> = {}) =>
  signClientAssertion({ privateJwk: ecKeys.privateJwk, clientId, audience, now, ...overrides });

/** Signs arbitrary claims with AutoMailer's registered EC key, for the shapes the signer helper won't make. */
const signRaw = async (claims: JWTPayload) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(await importJWK(ecKeys.privateJwk, 'ES256'));

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const validClaims = () => ({
  iss: clientId,
  sub: clientId,
  aud: audience,
  jti: 'j-1',
  iat: nowSeconds,
  exp: nowSeconds + 60,
});

const refusal = async (assertion: Promise<unknown>): Promise<ClientAssertionError> => {
  const error = await assertion.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ statusCode: 401, name: 'ClientAssertionError' });
  return error as ClientAssertionError;
};

describe('verifyClientAssertion accepts', () => {
  it('a fresh ES256 assertion and consumes its jti once', async () => {
    // Arrange
    const replayCheck = memoryReplayCheck();
    const jwt = await sign({ jti: 'call-1' });

    // Act
    const verified = await verifyClientAssertion(jwt, options({ replayCheck }));

    // Assert
    expect(verified).toEqual({ clientId, jti: 'call-1', expiresAt: new Date((nowSeconds + 60) * 1000) });
    expect(replayCheck).toHaveBeenCalledExactlyOnceWith({
      clientId,
      jti: 'call-1',
      expiresAt: verified.expiresAt,
    });
  });

  it('an RS256 assertion checked against a registered JWKS', async () => {
    const jwt = await sign({ privateJwk: rsaKeys.privateJwk });

    const verified = verifyClientAssertion(
      jwt,
      options({ keyOrJwks: { keys: [ecKeys.publicJwk, rsaKeys.publicJwk] } }),
    );

    await expect(verified).resolves.toMatchObject({ clientId });
  });

  it('an assertion without kid against a single registered key', async () => {
    const { kid: _kid, ...withoutKid } = ecKeys.privateJwk;
    const jwt = await sign({ privateJwk: withoutKid });

    await expect(verifyClientAssertion(jwt, options())).resolves.toMatchObject({ clientId });
  });

  it('an assertion expired by less than the clock tolerance', async () => {
    const jwt = await sign({ now: new Date(now.getTime() - 80_000) });

    await expect(verifyClientAssertion(jwt, options({ clockToleranceSeconds: 30 }))).resolves.toMatchObject({
      clientId,
    });
  });

  it('one of several listed audiences', async () => {
    const jwt = await sign({ audience: 'proleads-partner-api' });

    await expect(
      verifyClientAssertion(jwt, options({ audience: [audience, 'proleads-partner-api'] })),
    ).resolves.toBeDefined();
  });
});

describe('verifyClientAssertion refuses with 401', () => {
  it('an expired assertion', async () => {
    const jwt = await sign({ now: new Date(now.getTime() - 120_000) });

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('expired');
  });

  it('an expired assertion even when asked for a clock tolerance above 60 seconds', async () => {
    const jwt = await sign({ now: new Date(now.getTime() - 150_000) });

    expect((await refusal(verifyClientAssertion(jwt, options({ clockToleranceSeconds: 600 })))).reason).toBe(
      'expired',
    );
  });

  it('an assertion for another audience', async () => {
    const jwt = await sign({ audience: 'https://elsewhere.example/token' });

    const error = await refusal(verifyClientAssertion(jwt, options()));

    expect([error.reason, error.message]).toEqual([
      'wrong_claim',
      'Client assertion refused: wrong claim (aud)',
    ]);
  });

  it('an assertion issued by another client', async () => {
    const jwt = await sign({ clientId: 'other-partner' });

    expect((await refusal(verifyClientAssertion(jwt, options()))).message).toMatch(/\(iss\)/);
  });

  it('an assertion whose sub is not the client id', async () => {
    const jwt = await signRaw({ ...validClaims(), sub: 'member-42' });

    expect((await refusal(verifyClientAssertion(jwt, options()))).message).toMatch(/\(sub\)/);
  });

  it('an unsigned alg none assertion', async () => {
    const jwt = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(validClaims())}.`;

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('algorithm_not_allowed');
  });

  it.each([
    [
      'the PEM of the registered RSA public key',
      () =>
        createPublicKey({ key: rsaKeys.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
    ],
    ['the JSON of the registered RSA public key', () => JSON.stringify(rsaKeys.publicJwk)],
  ])('an HS256 assertion keyed with %s', async (_name, secretOf) => {
    // Arrange: the classic algorithm-confusion forgery.
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(validClaims())}`;
    const signature = createHmac('sha256', secretOf()).update(signingInput).digest('base64url');
    const jwt = `${signingInput}.${signature}`;

    // Act / Assert: refused whether the key is registered alone or in a JWKS.
    for (const keyOrJwks of [rsaKeys.publicJwk, { keys: [rsaKeys.publicJwk] }]) {
      expect((await refusal(verifyClientAssertion(jwt, options({ keyOrJwks })))).reason).toBe(
        'algorithm_not_allowed',
      );
    }
  });

  it('an assertion without exp', async () => {
    const { exp: _exp, ...claims } = validClaims();
    const jwt = await signRaw(claims);

    const error = await refusal(verifyClientAssertion(jwt, options()));

    expect([error.reason, error.message]).toEqual([
      'missing_claim',
      'Client assertion refused: missing claim (exp)',
    ]);
  });

  it('an assertion without jti', async () => {
    const { jti: _jti, ...claims } = validClaims();
    const jwt = await signRaw(claims);

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('missing_claim');
  });

  it('an assertion that lives longer than five minutes', async () => {
    const jwt = await sign({ ttlSeconds: 600 });

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('lifetime_too_long');
  });

  it('an assertion without iat that expires more than five minutes from now', async () => {
    const { iat: _iat, ...claims } = validClaims();

    const jwt = await signRaw({ ...claims, exp: nowSeconds + 600 });

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('lifetime_too_long');
  });

  it('an assertion whose iat-to-exp span exceeds five minutes even though it expires soon', async () => {
    const claims = { ...validClaims(), iat: nowSeconds - 400, exp: nowSeconds + 100 };
    const jwt = await signRaw(claims);

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('lifetime_too_long');
  });

  it('an assertion not valid before a future nbf', async () => {
    const claims = { ...validClaims(), nbf: nowSeconds + 120 };
    const jwt = await signRaw(claims);

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('not_yet_valid');
  });

  it('an assertion issued in the future', async () => {
    const jwt = await signRaw({ ...validClaims(), iat: nowSeconds + 300, exp: nowSeconds + 310 });

    expect((await refusal(verifyClientAssertion(jwt, options()))).message).toMatch(/\(iat\)/);
  });

  it('a replayed jti', async () => {
    // Arrange
    const replayCheck = memoryReplayCheck();
    const jwt = await sign({ jti: 'once-only' });
    await verifyClientAssertion(jwt, options({ replayCheck }));

    // Act
    const error = await refusal(verifyClientAssertion(jwt, options({ replayCheck })));

    // Assert
    expect(error.reason).toBe('replayed');
  });

  it('an assertion signed by a key AutoMailer did not register, without touching the replay store', async () => {
    // Arrange
    const stranger = await generateClientKeyPair('ES256');
    const replayCheck = memoryReplayCheck();
    const jwt = await sign({ privateJwk: { ...stranger.privateJwk, kid: undefined } });

    // Act
    const error = await refusal(verifyClientAssertion(jwt, options({ replayCheck })));

    // Assert
    expect(error.reason).toBe('bad_signature');
    expect(replayCheck).not.toHaveBeenCalled();
  });

  it('an assertion whose kid is not in the registered JWKS', async () => {
    const stranger = await generateClientKeyPair('ES256');
    const jwt = await sign({ privateJwk: stranger.privateJwk });

    const error = await refusal(
      verifyClientAssertion(jwt, options({ keyOrJwks: { keys: [ecKeys.publicJwk] } })),
    );

    expect(error.reason).toBe('unknown_key');
  });

  it('an RS256 assertion against a registered EC key', async () => {
    const jwt = await sign({ privateJwk: { ...rsaKeys.privateJwk, kid: undefined } });

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('unknown_key');
  });

  it('an assertion typed as another kind of token', async () => {
    const jwt = await sign({ typ: 'automailer-id+jwt' });

    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('wrong_type');
  });

  it.each(['', 'not-a-jwt', 'a.b.c', 'x'.repeat(9000)])('the malformed input %#', async (jwt) => {
    expect((await refusal(verifyClientAssertion(jwt, options()))).reason).toBe('malformed');
  });
});

describe('clientKeyResolver', () => {
  it('refuses to register a symmetric key', () => {
    const secretKey: JWK = { kty: 'oct', k: 'c2VjcmV0' };

    expect(() => clientKeyResolver(secretKey)).toThrow(/EC P-256 or RSA/);
  });

  it('uses only the public members of a registered key that was pasted with its private part', async () => {
    // Arrange: an operator mistake; the private key must not turn into the verification key.
    const jwt = await sign();

    // Act / Assert
    await expect(
      verifyClientAssertion(jwt, options({ keyOrJwks: ecKeys.privateJwk })),
    ).resolves.toMatchObject({ clientId });
  });
});

describe('signClientAssertion', () => {
  it('makes iss = sub = client id, the audience, a jti and a one-minute lifetime by default', async () => {
    const jwt = await sign({ jti: 'fixed' });

    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: ecKeys.privateJwk.kid });
    expect(decodeJwt(jwt)).toEqual({
      iss: clientId,
      sub: clientId,
      aud: audience,
      jti: 'fixed',
      iat: nowSeconds,
      exp: nowSeconds + 60,
    });
  });
});
