import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LocalAnswer, LocalRequest } from './api-gateway';
import { type DevPlatformIdentity, devTokenClaims } from './dev-identity';

/** Where the front door plays the dev admin's OpenID provider; the issuer is `<API URL>` + this. */
export const DEV_OIDC_PATH = '/.dev/oidc';
/** The console's OAuth client id, locally and (by default) in AWS. */
export const ADMIN_CONSOLE_CLIENT_ID = 'proleads-admin-console';
/** What the console asks for; the local provider grants it whole. */
export const ADMIN_CONSOLE_SCOPE = 'openid profile email';

/** The console's one registered redirect URI is its origin + this (docs/console.md). */
export const CONSOLE_CALLBACK_PATH = '/auth/callback';

const CODE_LIFETIME_MS = 60_000;
const DEFAULT_ACCESS_TOKEN_SECONDS = 3600;
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface DevOidcProviderOptions {
  /** The front door's URL (known once it listens); the issuer is this + `/.dev/oidc`. */
  readonly baseUrl: () => string;
  /** The only origin whose pages may receive codes (redirect URIs) and read the provider's answers (CORS). */
  readonly consoleOrigin: () => string | undefined;
  readonly identity: DevPlatformIdentity;
  readonly clientId?: string;
  /** Lifetime of issued access tokens: short ones let tests see a session expire. */
  readonly accessTokenSeconds?: number;
  readonly now?: () => number;
}

interface PendingCode {
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  readonly scope: string;
  readonly expiresAt: number;
}

export type ExtraRoute = (url: URL, request: LocalRequest) => LocalAnswer | Promise<LocalAnswer>;

/**
 * A minimal OpenID provider for the dev admin, so the console signs in on `npm start` with the same
 * authorization code + PKCE (S256) flow as against the platform's identity provider in AWS. The authorization
 * endpoint signs the dev admin in without a password and redirects straight back; the token endpoint checks
 * the code (single use, one minute), client id, redirect URI and PKCE verifier, and answers with a platform
 * admin access token (the admin authorizer's kind) and an ID token. It exists only in the local front door.
 */
export const createDevOidcProvider = (options: DevOidcProviderOptions) => {
  const clientId = options.clientId ?? ADMIN_CONSOLE_CLIENT_ID;
  const accessTokenSeconds = options.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS;
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();
  const issuer = () => `${options.baseUrl()}${DEV_OIDC_PATH}`;

  const corsHeaders = (request: LocalRequest): Record<string, string> => {
    const allowed = options.consoleOrigin();
    return allowed && request.headers.origin === allowed
      ? { 'Access-Control-Allow-Origin': allowed, Vary: 'Origin' }
      : { Vary: 'Origin' };
  };
  const json = (request: LocalRequest, status: number, body: unknown): LocalAnswer => ({
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      ...corsHeaders(request),
    },
    body: JSON.stringify(body),
  });
  const preflight = (request: LocalRequest): LocalAnswer => ({
    status: 204,
    headers: {
      ...corsHeaders(request),
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Content-Type, Accept',
      'Access-Control-Max-Age': '600',
    },
    body: '',
  });
  /** OAuth's error answer (RFC 6749 5.2), which OAuth client libraries read. */
  const oauthError = (request: LocalRequest, status: number, error: string, description: string) =>
    json(request, status, { error, error_description: description });

  const isRegisteredRedirect = (redirectUri: string) => {
    const origin = options.consoleOrigin();
    return origin !== undefined && redirectUri === `${origin}${CONSOLE_CALLBACK_PATH}`;
  };

  const discovery: ExtraRoute = (_url, request) => {
    if (request.method === 'OPTIONS') return preflight(request);
    return json(request, 200, {
      issuer: issuer(),
      authorization_endpoint: `${issuer()}/authorize`,
      token_endpoint: `${issuer()}/token`,
      jwks_uri: `${issuer()}/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [
        ...new Set(options.identity.jwks.keys.flatMap((key) => (key.alg ? [key.alg] : []))),
      ],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      // The redirect back names the issuer (RFC 9207), against mix-up attacks.
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ADMIN_CONSOLE_SCOPE.split(' '),
      claims_supported: ['sub', 'email', 'name', 'role'],
    });
  };

  const authorize: ExtraRoute = (url) => {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    // A bad client or redirect URI is shown to the person, never redirected to: that would be an open redirect.
    if (query.get('client_id') !== clientId)
      return plainPage(400, `Unknown client_id: this provider serves only ${clientId}.`);
    if (!isRegisteredRedirect(redirectUri))
      return plainPage(
        400,
        `redirect_uri must be the console's ${options.consoleOrigin() ?? '(not served)'}${CONSOLE_CALLBACK_PATH}.`,
      );
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    back.searchParams.set('iss', issuer());
    const refuse = (error: string, description: string): LocalAnswer => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      return redirect(back);
    };
    if (query.get('response_type') !== 'code')
      return refuse('unsupported_response_type', 'only response_type=code is served');
    const codeChallenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      return refuse(
        'invalid_request',
        'PKCE is required: code_challenge (S256) and code_challenge_method=S256',
      );
    const scope = query.get('scope') ?? '';
    if (!scope.split(' ').includes('openid')) return refuse('invalid_scope', 'the scope must include openid');

    const code = randomBytes(32).toString('base64url');
    const nonce = query.get('nonce');
    codes.set(hashOf(code), {
      redirectUri,
      codeChallenge,
      scope,
      expiresAt: now() + CODE_LIFETIME_MS,
      ...(nonce ? { nonce } : {}),
    });
    back.searchParams.set('code', code);
    return redirect(back);
  };

  const token: ExtraRoute = async (_url, request) => {
    if (request.method === 'OPTIONS') return preflight(request);
    if (request.method !== 'POST')
      return oauthError(request, 405, 'invalid_request', 'the token endpoint takes POST');
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return oauthError(request, 400, 'invalid_request', 'send an application/x-www-form-urlencoded body');
    const form = new URLSearchParams(await request.body());
    if (form.get('grant_type') !== 'authorization_code')
      return oauthError(request, 400, 'unsupported_grant_type', 'only authorization_code is served');
    if (form.get('client_id') !== clientId)
      return oauthError(
        request,
        401,
        'invalid_client',
        `unknown client_id; this provider serves ${clientId}`,
      );
    const key = hashOf(form.get('code') ?? '');
    const pending = codes.get(key);
    // Single use: the code is gone after its first redemption, whether that succeeds or not.
    codes.delete(key);
    if (!pending || pending.expiresAt <= now())
      return oauthError(request, 400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.get('redirect_uri') !== pending.redirectUri)
      return oauthError(request, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!PKCE_VERIFIER.test(verifier) || !sameText(s256(verifier), pending.codeChallenge))
      return oauthError(request, 400, 'invalid_grant', 'the PKCE code_verifier does not match the challenge');

    const admin = { ...devTokenClaims('admin'), name: 'Dev Admin' };
    const accessToken = await options.identity.mint({ ...admin, expiresInSeconds: accessTokenSeconds });
    const idToken = await options.identity.mint({
      ...admin,
      issuer: issuer(),
      audience: clientId,
      typ: 'JWT',
      expiresInSeconds: accessTokenSeconds,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    });
    return json(request, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTokenSeconds,
      id_token: idToken,
      scope: pending.scope,
    });
  };

  const jwks: ExtraRoute = (_url, request) =>
    request.method === 'OPTIONS' ? preflight(request) : json(request, 200, options.identity.jwks);

  return {
    issuer,
    clientId,
    /** The provider's paths, for the front door's local-only routes. */
    routes: {
      [`${DEV_OIDC_PATH}/.well-known/openid-configuration`]: discovery,
      [`${DEV_OIDC_PATH}/authorize`]: authorize,
      [`${DEV_OIDC_PATH}/token`]: token,
      [`${DEV_OIDC_PATH}/jwks.json`]: jwks,
    } satisfies Record<string, ExtraRoute>,
  };
};

export type DevOidcProvider = ReturnType<typeof createDevOidcProvider>;

const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const redirect = (location: URL): LocalAnswer => ({
  status: 302,
  headers: { Location: location.href, 'Cache-Control': 'no-store' },
  body: '',
});

const plainPage = (status: number, message: string): LocalAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body: `Sign-in refused: ${message}\n`,
});
