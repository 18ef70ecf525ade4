import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { devConfig } from '../lib/config';
import type { LocalRequest } from './api-gateway';
import { createDevPlatformIdentity } from './dev-identity';
import {
  ADMIN_CONSOLE_CLIENT_ID,
  createDevOidcProvider,
  DEV_OIDC_PATH,
  type DevOidcProvider,
} from './dev-oidc';

const API = 'http://127.0.0.1:3000';
const CONSOLE = 'http://127.0.0.1:3001';
const REDIRECT = `${CONSOLE}/auth/callback`;
const ISSUER = `${API}${DEV_OIDC_PATH}`;

const request = (
  method: string,
  body = '',
  headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' },
): LocalRequest => ({ method, headers: { origin: CONSOLE, ...headers }, body: async () => body });

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('the local OpenID provider of the dev admin', () => {
  let clock = Date.parse('2026-12-04T12:00:00Z');
  let provider: DevOidcProvider;
  const config = devConfig();

  beforeEach(async () => {
    clock = Date.parse('2026-12-04T12:00:00Z');
    provider = createDevOidcProvider({
      baseUrl: () => API,
      consoleOrigin: () => CONSOLE,
      identity: await createDevPlatformIdentity(config.jwt),
      accessTokenSeconds: 120,
      now: () => clock,
    });
  });

  const route = (name: string) => {
    const handler = provider.routes[`${DEV_OIDC_PATH}${name}` as keyof typeof provider.routes];
    if (!handler) throw new Error(`no route ${name}`);
    return handler;
  };

  const authorize = async (params: Record<string, string>) => {
    const url = new URL(`${ISSUER}/authorize`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return route('/authorize')(url, request('GET'));
  };

  /** A code for the dev admin, as the console's redirect receives it. */
  const codeFor = async (challenge: string, extra: Record<string, string> = {}) => {
    const answer = await authorize({
      response_type: 'code',
      client_id: ADMIN_CONSOLE_CLIENT_ID,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      state: 'return-to-uploads',
      ...extra,
    });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers?.Location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('return-to-uploads');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    return location.searchParams.get('code') ?? '';
  };

  const redeem = async (fields: Record<string, string>) => {
    const answer = await route('/token')(
      new URL(`${ISSUER}/token`),
      request('POST', new URLSearchParams(fields).toString()),
    );
    return { status: answer.status, headers: answer.headers ?? {}, body: JSON.parse(answer.body) };
  };

  const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
    redeem({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: ADMIN_CONSOLE_CLIENT_ID,
      code_verifier: verifier,
      ...overrides,
    });

  it('publishes its discovery document, with PKCE S256 and public clients', async () => {
    const answer = await route('/.well-known/openid-configuration')(new URL(ISSUER), request('GET'));
    const document = JSON.parse(answer.body);
    expect(document).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(answer.headers?.['Access-Control-Allow-Origin']).toBe(CONSOLE);
  });

  it('exchanges a code for a platform admin access token and an ID token for the console', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge, { nonce: 'n-123' });
    const answer = await exchange(code, verifier);
    expect(answer.status).toBe(200);
    expect(answer.headers['Cache-Control']).toBe('no-store');
    expect(answer.headers['Access-Control-Allow-Origin']).toBe(CONSOLE);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 120 });

    const access = decodeJwt(answer.body.access_token);
    expect(access).toMatchObject({ iss: config.jwt.issuer, aud: config.jwt.audience, role: 'admin' });
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(120);
    const jwks = JSON.parse((await route('/jwks.json')(new URL(ISSUER), request('GET'))).body);
    const { payload, protectedHeader } = await jwtVerify(answer.body.id_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: ADMIN_CONSOLE_CLIENT_ID,
      currentDate: new Date(clock),
    });
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload).toMatchObject({ sub: 'dev-admin', nonce: 'n-123' });
  });

  it('refuses a code verifier that does not match the challenge', async () => {
    const { challenge } = pkce();
    const code = await codeFor(challenge);
    const answer = await exchange(code, pkce().verifier);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'invalid_grant',
      error_description: 'the PKCE code_verifier does not match the challenge',
    });
  });

  it('refuses a code used a second time, even after a failed first try', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect((await exchange(code, verifier)).status).toBe(200);
    expect((await exchange(code, verifier)).body.error).toBe('invalid_grant');

    const other = pkce();
    const second = await codeFor(other.challenge);
    expect((await exchange(second, 'x'.repeat(43))).status).toBe(400);
    expect((await exchange(second, other.verifier)).body.error_description).toBe(
      'the code is unknown, used or expired',
    );
  });

  it('refuses a code older than a minute', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    clock += 61_000;
    expect((await exchange(code, verifier)).body.error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri at the token endpoint that differs from the authorization request', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const answer = await exchange(code, verifier, { redirect_uri: `${CONSOLE}/elsewhere` });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toBe('redirect_uri differs from the authorization request');
  });

  it('refuses another client at the token endpoint', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const answer = await exchange(code, verifier, { client_id: 'someone-else' });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('never redirects to a page outside the console, nor for an unknown client', async () => {
    const { challenge } = pkce();
    const base = {
      response_type: 'code',
      client_id: ADMIN_CONSOLE_CLIENT_ID,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'openid',
    };
    for (const redirectUri of [
      'https://evil.example/auth/callback',
      'http://127.0.0.1:3002/auth/callback',
      `${CONSOLE}/uploads`,
      'not a url',
    ]) {
      const answer = await authorize({ ...base, redirect_uri: redirectUri });
      expect(answer.status).toBe(400);
      expect(answer.headers?.Location).toBeUndefined();
    }
    const unknownClient = await authorize({ ...base, redirect_uri: REDIRECT, client_id: 'other' });
    expect(unknownClient.status).toBe(400);
  });

  it('sends the console back an error without a code when PKCE is missing or plain', async () => {
    for (const method of [undefined, 'plain']) {
      const answer = await authorize({
        response_type: 'code',
        client_id: ADMIN_CONSOLE_CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 's',
        code_challenge: pkce().challenge,
        ...(method ? { code_challenge_method: method } : {}),
      });
      const location = new URL(answer.headers?.Location ?? '');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
      expect(location.searchParams.get('state')).toBe('s');
    }
  });

  it('takes only form-encoded POSTs at the token endpoint', async () => {
    const json = await route('/token')(
      new URL(`${ISSUER}/token`),
      request('POST', '{}', { 'content-type': 'application/json' }),
    );
    expect(json.status).toBe(400);
    const get = await route('/token')(new URL(`${ISSUER}/token`), request('GET'));
    expect(get.status).toBe(405);
    const grant = await redeem({ grant_type: 'password', client_id: ADMIN_CONSOLE_CLIENT_ID });
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('lets only the console origin read its answers, and answers its preflights', async () => {
    const foreign = await route('/token')(new URL(`${ISSUER}/token`), {
      ...request('OPTIONS'),
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    const preflight = await route('/token')(new URL(`${ISSUER}/token`), request('OPTIONS'));
    expect(preflight.status).toBe(204);
    expect(preflight.headers?.['Access-Control-Allow-Origin']).toBe(CONSOLE);
    expect(preflight.headers?.['Access-Control-Allow-Methods']).toContain('POST');
  });
});
