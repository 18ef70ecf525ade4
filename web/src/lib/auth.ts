import * as oauth from 'oauth4webapi';
import type { ConsoleConfig } from './config';

/**
 * Signs the admin in with OAuth 2.0 authorization code + PKCE (S256) against the configured OIDC issuer.
 * The access token lives in this module's memory only: never in a URL, storage or a log. Only the PKCE
 * verifier, the state and the page to return to sit in sessionStorage, for the redirect round trip.
 */

export const CALLBACK_PATH = '/auth/callback';
const PENDING_KEY = 'proleads.signIn';
/** Sign in again a little before the token expires rather than have a request refused mid-way. */
const EXPIRY_MARGIN_MS = 10_000;

interface PendingSignIn {
  readonly state: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
}

interface Session {
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly name: string | undefined;
}

let session: Session | undefined;

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost';

/** Plain http is allowed only for an issuer on this machine (the local stack's dev provider). */
const requestOptions = (issuer: URL) => (isLoopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {});

const discover = async (config: ConsoleConfig): Promise<oauth.AuthorizationServer> => {
  const issuer = new URL(config.oidc.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
};

const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

const currentPage = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

/** The page to come back to: only a path on this origin, never the callback itself. */
const safeReturnPath = (path: string) =>
  path.startsWith('/') && !path.startsWith('//') && !path.startsWith(CALLBACK_PATH) ? path : '/';

/** Leaves for the issuer's sign-in page; the browser comes back to the callback, then to `returnTo`. */
export const signIn = async (config: ConsoleConfig, returnTo: string = currentPage()): Promise<never> => {
  session = undefined;
  const server = await discover(config);
  if (!server.authorization_endpoint) throw new Error('the sign-in provider has no authorization endpoint');
  const pending: PendingSignIn = {
    state: oauth.generateRandomState(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    returnTo: safeReturnPath(returnTo),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.oidc.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: config.oidc.scope,
    state: pending.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.href);
  // The page is leaving; nothing after this should run.
  return new Promise<never>(() => {});
};

const takePendingSignIn = (): PendingSignIn | undefined => {
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as PendingSignIn;
  } catch {
    return undefined;
  }
};

/** Finishes a sign-in on the callback page: checks state, redeems the code with the verifier. */
export const completeSignIn = async (config: ConsoleConfig, callbackUrl: URL): Promise<string> => {
  const pending = takePendingSignIn();
  if (!pending)
    throw new Error('This sign-in was not started here (or was already finished); sign in again.');
  const server = await discover(config);
  const client: oauth.Client = { client_id: config.oidc.clientId };
  const parameters = oauth.validateAuthResponse(server, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    parameters,
    redirectUri(),
    pending.codeVerifier,
    requestOptions(new URL(config.oidc.issuer)),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  session = {
    accessToken: tokens.access_token,
    expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
    name:
      typeof claims?.name === 'string'
        ? claims.name
        : typeof claims?.sub === 'string'
          ? claims.sub
          : undefined,
  };
  return pending.returnTo;
};

/** The access token while it is still good for a while; undefined when the admin must sign in again. */
export const currentAccessToken = (): string | undefined =>
  session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session.accessToken : undefined;

export const signedInName = (): string | undefined => session?.name;

/** Forgets the session (sign out of this console; the issuer's session is its own). */
export const forgetSession = () => {
  session = undefined;
};
