import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADMIN_CONSOLE_CLIENT_ID, ADMIN_CONSOLE_SCOPE } from '../../local/dev-oidc';
import { useLocalStack } from '../support/local-stack';

/**
 * The console's sign-in on the local stack, over HTTP as the browser does it: the runtime configuration on
 * the console's origin, the local OpenID provider's discovery, authorization and token endpoints, and the
 * access token it issues passing the admin authorizer, with CORS for the console's origin only.
 */
describe('signing in to the console on the local stack', () => {
  const stack = useLocalStack({ console: {} });
  const origin = () => stack.current.consoleUrl ?? '';

  /** The authorization code + PKCE flow; returns the token endpoint's answer. */
  const signIn = async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const discovery = await fetch(`${stack.current.oidcIssuer}/.well-known/openid-configuration`, {
      headers: { Origin: origin() },
    });
    expect(discovery.headers.get('access-control-allow-origin')).toBe(origin());
    const metadata = (await discovery.json()) as { authorization_endpoint: string; token_endpoint: string };
    const authorize = new URL(metadata.authorization_endpoint);
    const redirectUri = `${origin()}/auth/callback`;
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: ADMIN_CONSOLE_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: ADMIN_CONSOLE_SCOPE,
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(back.origin).toBe(origin());
    const code = back.searchParams.get('code') ?? '';
    const exchange = (form: Record<string, string>) =>
      fetch(metadata.token_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin() },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: ADMIN_CONSOLE_CLIENT_ID,
          code_verifier: verifier,
          ...form,
        }),
      });
    return { exchange };
  };

  it("serves the console's runtime configuration naming this API and the local provider", async () => {
    const response = await fetch(`${origin()}/config.json`);
    expect(await response.json()).toEqual({
      apiUrl: stack.current.url,
      oidc: {
        issuer: `${stack.current.url}/.dev/oidc`,
        clientId: ADMIN_CONSOLE_CLIENT_ID,
        scope: ADMIN_CONSOLE_SCOPE,
      },
    });
  });

  it('issues an access token that the admin authorizer accepts, readable by the console origin', async () => {
    const { exchange } = await signIn();
    const answer = await exchange({});
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin());
    const { access_token: accessToken } = (await answer.json()) as { access_token: string };

    const overview = await fetch(`${stack.current.url}/admin/overview`, {
      headers: { Authorization: `Bearer ${accessToken}`, Origin: origin() },
    });
    expect(overview.status).toBe(200);
    expect(overview.headers.get('access-control-allow-origin')).toBe(origin());
  });

  it('refuses the code a second time, a wrong verifier and a wrong redirect_uri', async () => {
    const first = await signIn();
    expect((await first.exchange({})).status).toBe(200);
    expect(await (await first.exchange({})).json()).toMatchObject({ error: 'invalid_grant' });

    const second = await signIn();
    const wrongVerifier = await second.exchange({ code_verifier: randomBytes(32).toString('base64url') });
    expect(wrongVerifier.status).toBe(400);

    const third = await signIn();
    const wrongRedirect = await third.exchange({ redirect_uri: `${origin()}/other` });
    expect(await wrongRedirect.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets the console post an upload file straight to the bucket (S3 CORS for its origin only)', async () => {
    const token = await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
    const slot = await fetch(`${stack.current.url}/admin/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: 'leads.csv', sizeBytes: 100 }),
    });
    const { upload } = (await slot.json()) as { upload: { url: string } };
    const preflight = (from: string) =>
      fetch(upload.url, {
        method: 'OPTIONS',
        headers: { Origin: from, 'Access-Control-Request-Method': 'POST' },
      });
    const allowed = await preflight(origin());
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await preflight('https://evil.example')).status).toBe(403);
  });

  it("names the console's origin in the API's CORS preflight answers", async () => {
    const preflight = await fetch(`${stack.current.url}/admin/uploads`, {
      method: 'OPTIONS',
      headers: { Origin: origin(), 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin());
  });
});
