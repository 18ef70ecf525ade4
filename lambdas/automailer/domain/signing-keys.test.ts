import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientAssertionError, verifyClientAssertion } from './client-assertion';
import {
  activeSigningKey,
  dropPreviousKey,
  generateSigningKey,
  IDENTITY_TOKEN_TYPE,
  type IdentityClaims,
  type KeySet,
  parseKeySet,
  previousKeyDroppableAt,
  publicJwks,
  rotate,
  serializeKeySet,
  signIdentityToken,
  verifyIdentityToken,
} from './signing-keys';

const issuer = 'https://api.proleads.example';
const audience = 'automailer';
const now = new Date('2025-03-10T12:00:00.000Z');
const claims: IdentityClaims = {
  sub: 'member-42',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  tier: 'pro',
  subscriptionStatus: 'active',
};

let keySet: KeySet;
beforeAll(async () => {
  keySet = { current: await generateSigningKey(now) };
});

const verifyWith = (set: KeySet, token: string, at = now) =>
  verifyIdentityToken(token, { keys: createLocalJWKSet(publicJwks(set)), issuer, audience, now: at });

describe('generateSigningKey', () => {
  it('makes a P-256 private key whose kid is the thumbprint of its public half', async () => {
    const key = await generateSigningKey(now);

    const { kty, crv, x, y } = key.privateJwk;
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256'));
    expect(key.privateJwk.d).toEqual(expect.any(String));
    expect(key.createdAt).toBe(now.toISOString());
  });
});

describe('key set secret', () => {
  it('round-trips through the Secrets Manager string', () => {
    expect(parseKeySet(serializeKeySet(keySet))).toEqual(keySet);
  });

  it('names the bad field of a malformed secret without echoing key material', () => {
    const broken = JSON.stringify({
      current: { ...keySet.current, privateJwk: { ...keySet.current.privateJwk, crv: 'P-384' } },
    });

    const attempt = () => parseKeySet(broken);

    expect(attempt).toThrow(/current\.privateJwk\.crv/);
    expect(attempt).not.toThrow(keySet.current.privateJwk.d);
  });

  it('refuses a secret that is not JSON', () => {
    expect(() => parseKeySet('not json')).toThrow(/not JSON/);
  });
});

describe('publicJwks', () => {
  it('publishes only public members of the current key', () => {
    const { keys } = publicJwks(keySet);

    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: keySet.current.privateJwk.x,
      y: keySet.current.privateJwk.y,
      kid: keySet.current.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(JSON.stringify(keys)).not.toContain(keySet.current.privateJwk.d);
  });

  it('publishes both keys, current first, during a rotation', async () => {
    const rotated = await rotate(keySet);

    expect(publicJwks(rotated).keys.map((key) => key.kid)).toEqual([rotated.current.kid, keySet.current.kid]);
    expect(publicJwks(rotated).keys.every((key) => !('d' in key))).toBe(true);
  });
});

describe('signIdentityToken', () => {
  it('signs an ES256 token with kid, its own typ, iss, aud, sub, jti and the member claims for five minutes', async () => {
    // Act
    const { token, jti, expiresIn } = await signIdentityToken(keySet, claims, { issuer, audience, now });

    // Assert
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      kid: keySet.current.kid,
      typ: IDENTITY_TOKEN_TYPE,
    });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      iss: issuer,
      aud: audience,
      sub: 'member-42',
      jti,
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 300,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      tier: 'pro',
      subscriptionStatus: 'active',
    });
    expect(jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(expiresIn).toBe(300);
  });

  it('gives every token its own jti', async () => {
    const first = await signIdentityToken(keySet, claims, { issuer, audience, now });
    const second = await signIdentityToken(keySet, claims, { issuer, audience, now });

    expect(first.jti).not.toBe(second.jti);
  });

  it('refuses a lifetime above five minutes', async () => {
    await expect(
      signIdentityToken(keySet, claims, { issuer, audience, now, ttlSeconds: 301 }),
    ).rejects.toThrow(RangeError);
  });

  it('refuses claims without a valid email', async () => {
    await expect(
      signIdentityToken(keySet, { ...claims, email: 'not-an-email' }, { issuer, audience, now }),
    ).rejects.toThrow();
  });
});

describe('verifyIdentityToken', () => {
  it('returns the member claims of a good token', async () => {
    const { token, jti } = await signIdentityToken(keySet, claims, { issuer, audience, now });

    await expect(verifyWith(keySet, token, new Date(now.getTime() + 60_000))).resolves.toEqual({
      ...claims,
      jti,
    });
  });

  it('refuses the token once its five minutes and the clock tolerance have passed', async () => {
    const { token } = await signIdentityToken(keySet, claims, { issuer, audience, now });

    await expect(verifyWith(keySet, token, new Date(now.getTime() + 331_000))).rejects.toThrow(/exp/);
  });

  it('refuses a token made for another audience', async () => {
    const { token } = await signIdentityToken(keySet, claims, { issuer, audience: 'someone-else', now });

    await expect(verifyWith(keySet, token)).rejects.toThrow(/aud/);
  });

  it('refuses a platform access token (typ at+jwt) signed by the same key for the same audience', async () => {
    // Arrange: everything matches except the token kind.
    const key = await importJWK(keySet.current.privateJwk, 'ES256');
    const adminToken = await new SignJWT({ role: 'admin', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: keySet.current.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('member-42')
      .setJti('admin-1')
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 300)
      .sign(key);

    // Act / Assert
    await expect(verifyWith(keySet, adminToken)).rejects.toThrow(/typ/);
  });

  it('is refused where a platform access token is expected', async () => {
    // Arrange: a verifier configured like the admin API (typ at+jwt, its own audience), trusting our keys.
    const { token } = await signIdentityToken(keySet, claims, { issuer, audience, now });

    // Act
    const asAdmin = jwtVerify(token, createLocalJWKSet(publicJwks(keySet)), {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      issuer,
      audience: 'proleads-admin-api',
      currentDate: now,
    });

    // Assert
    await expect(asAdmin).rejects.toThrow(/typ/);
  });

  it('is refused where an AutoMailer client assertion is expected', async () => {
    const { token } = await signIdentityToken(keySet, claims, { issuer, audience, now });

    const asAssertion = verifyClientAssertion(token, {
      clientId: 'automailer',
      audience,
      keyOrJwks: publicJwks(keySet),
      now,
      replayCheck: async () => true,
    });

    await expect(asAssertion).rejects.toBeInstanceOf(ClientAssertionError);
  });
});

describe('rotation', () => {
  it('keeps tokens of the previous key valid during the rotation and refuses them once it is dropped', async () => {
    // Arrange
    const before = await signIdentityToken(keySet, claims, { issuer, audience, now });
    const rotated = await rotate(keySet);
    const after = await signIdentityToken(rotated, claims, { issuer, audience, now });

    // Act / Assert: both verify through the published JWKS during the rotation.
    expect(decodeProtectedHeader(after.token).kid).toBe(rotated.current.kid);
    expect(rotated.current.kid).not.toBe(keySet.current.kid);
    await expect(verifyWith(rotated, before.token)).resolves.toMatchObject({ sub: 'member-42' });
    await expect(verifyWith(rotated, after.token)).resolves.toMatchObject({ sub: 'member-42' });

    // Act / Assert: once previous is dropped, only the new key's tokens verify.
    const finished = dropPreviousKey(rotated);
    await expect(verifyWith(finished, before.token)).rejects.toThrow(/no applicable key/i);
    await expect(verifyWith(finished, after.token)).resolves.toMatchObject({ sub: 'member-42' });
  });

  it('drops the key before the previous one on the next rotation', async () => {
    const first = await rotate(keySet);
    const second = await rotate(first);

    expect(second.previous?.kid).toBe(first.current.kid);
    expect(publicJwks(second).keys.map((key) => key.kid)).not.toContain(keySet.current.kid);
  });
});

describe('publish before use', () => {
  const delay = 600;

  it('keeps signing with the previous key until the new one has been published for the activation delay', async () => {
    // Arrange: a rotation at `now`; the new key is in the JWKS from this moment.
    const rotated = await rotate(keySet, () => generateSigningKey(now));
    const justBefore = new Date(now.getTime() + delay * 1000 - 1);
    const atActivation = new Date(now.getTime() + delay * 1000);

    // Act
    const early = await signIdentityToken(rotated, claims, {
      issuer,
      audience,
      now: justBefore,
      activationDelaySeconds: delay,
    });
    const late = await signIdentityToken(rotated, claims, {
      issuer,
      audience,
      now: atActivation,
      activationDelaySeconds: delay,
    });

    // Assert
    expect(decodeProtectedHeader(early.token).kid).toBe(keySet.current.kid);
    expect(decodeProtectedHeader(late.token).kid).toBe(rotated.current.kid);
    expect(activeSigningKey(rotated, justBefore, delay).kid).toBe(keySet.current.kid);
  });

  it('signs with the only key of a first key set at once', () => {
    expect(activeSigningKey(keySet, now, delay).kid).toBe(keySet.current.kid);
  });

  it('lets the previous key go only after activation, token lifetime and the largest clock tolerance', async () => {
    const rotated = await rotate(keySet, () => generateSigningKey(now));

    expect(previousKeyDroppableAt(rotated, delay)).toEqual(new Date(now.getTime() + (600 + 300 + 60) * 1000));
    expect(previousKeyDroppableAt(keySet, delay)).toBeUndefined();
  });
});
