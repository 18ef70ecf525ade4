import { base64url, exportSPKI, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';

/**
 * The admin authorizer and the health route, through the local API Gateway front door, against the
 * emulators. Each refused token kind is one of RFC 8725's pitfalls.
 */
describe('GET /admin/health through the authorizer', () => {
  const stack = useLocalStack();
  const get = (token?: string) =>
    fetch(`${stack.current.url}/admin/health`, {
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });
  const adminToken = (overrides = {}) =>
    stack.current.identity.mint({ sub: 'admin-1', role: 'admin', ...overrides });

  it('answers 200 with every table reachable for an admin token', async () => {
    const response = await get(await adminToken());
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      tables: Record<string, { reachable: boolean }>;
    };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.tables).sort()).toEqual(['control', 'leadHashes', 'members', 'uploads']);
    expect(Object.values(body.tables).every((table) => table.reachable)).toBe(true);
  });

  it('answers 401 with a JSON error when no token is sent', async () => {
    const response = await get();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'Unauthorized' });
  });

  it('answers 403 to a valid token of another role', async () => {
    const response = await get(await stack.current.identity.mint({ sub: 'member-1', role: 'member' }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'Forbidden' });
  });

  it('answers 401 to a token whose payload was tampered with', async () => {
    const [header, , signature] = (await adminToken()).split('.');
    const forgedPayload = base64url.encode(JSON.stringify({ sub: 'x', role: 'admin', exp: 4102444800 }));
    expect((await get(`${header}.${forgedPayload}.${signature}`)).status).toBe(401);
  });

  it("answers 401 to an unsigned token (alg 'none')", async () => {
    const { jwt } = stack.current.config;
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: jwt.typ }));
    const payload = base64url.encode(
      JSON.stringify({
        iss: jwt.issuer,
        aud: jwt.audience,
        sub: 'x',
        role: 'admin',
        iat: 1,
        exp: 4102444800,
      }),
    );
    expect((await get(`${header}.${payload}.`)).status).toBe(401);
  });

  it('answers 401 to an HS256 token signed with the RSA public key (algorithm confusion)', async () => {
    const { jwt } = stack.current.config;
    const publicJwk = stack.current.identity.jwks.keys[0];
    if (!publicJwk) throw new Error('no dev key');
    const pem = await exportSPKI((await importJWK(publicJwk, 'RS256')) as Parameters<typeof exportSPKI>[0]);
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: jwt.typ, kid: publicJwk.kid })
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(pem));
    expect((await get(token)).status).toBe(401);
  });

  it.each([
    ['a wrong issuer', { issuer: 'https://evil.example' }],
    ['a wrong audience', { audience: 'someone-else' }],
    ['a wrong typ', { typ: 'JWT' }],
    ['an expiry in the past (beyond the clock tolerance)', { expiresInSeconds: -120 }],
    ['a not-before in the future (beyond the clock tolerance)', { notBeforeSeconds: 600 }],
    ['no expiry at all', { expiresInSeconds: null }],
    ['an issued-at in the future (beyond the clock tolerance)', { issuedAtSeconds: 600 }],
    [
      'an age beyond auth.maxTokenAgeSeconds, however far off its expiry',
      { issuedAtSeconds: -2 * 86_400, expiresInSeconds: 10 * 365 * 86_400 },
    ],
  ])('answers 401 to a token with %s', async (_, overrides) => {
    expect((await get(await adminToken(overrides))).status).toBe(401);
  });

  it('accepts an issued-at within the clock tolerance, and a token just younger than the maximum age', async () => {
    expect((await get(await adminToken({ issuedAtSeconds: 10 }))).status).toBe(200);
    const maxAge = stack.current.config.auth.maxTokenAgeSeconds;
    // Issued almost the maximum age ago, and still before its expiry.
    const old = await adminToken({ issuedAtSeconds: -(maxAge - 120), expiresInSeconds: maxAge });
    expect((await get(old)).status).toBe(200);
  });

  it('takes the Bearer scheme in any case', async () => {
    const token = await adminToken();
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const response = await fetch(`${stack.current.url}/admin/health`, {
        headers: { Authorization: `${scheme} ${token}` },
      });
      expect(response.status, scheme).toBe(200);
    }
  });
});
