import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';

/**
 * The local front door answers as API Gateway does where API Gateway answers itself: with the stage's
 * gateway responses (so with the admin origin's CORS header, or a browser could not read them), 403
 * "Missing Authentication Token" for a route or method it does not have, 413 over 10 MB, 400 for a path
 * that does not percent-decode, and 401 for two Authorization headers.
 */
describe('the local API Gateway front door', () => {
  const stack = useLocalStack();
  const adminToken = () => stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
  const corsOrigin = async () => {
    const preflight = await fetch(`${stack.current.url}/admin/health`, { method: 'OPTIONS' });
    const origin = preflight.headers.get('access-control-allow-origin');
    expect(origin).toBeTruthy();
    return origin;
  };

  it('answers an unknown route, and a known path with a method it lacks, 403 Missing Authentication Token', async () => {
    const origin = await corsOrigin();
    for (const [method, path] of [
      ['GET', '/no/such/route'],
      ['PATCH', '/admin/health'],
      ['DELETE', '/admin/overview'],
    ]) {
      const response = await fetch(`${stack.current.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${await adminToken()}` },
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(await response.json()).toMatchObject({ message: 'Missing Authentication Token' });
    }
  });

  it('puts the CORS header on its 401 and 403 answers', async () => {
    const origin = await corsOrigin();
    const missing = await fetch(`${stack.current.url}/admin/health`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin);
    const member = await stack.current.identity.mint({ sub: 'member-1', role: 'member' });
    const wrongRole = await fetch(`${stack.current.url}/admin/health`, {
      headers: { Authorization: `Bearer ${member}` },
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('refuses a body over 10 MB with 413 before any function runs', async () => {
    const response = await fetch(`${stack.current.url}/admin/members/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await adminToken()}`, 'Content-Type': 'text/csv' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('access-control-allow-origin')).toBe(await corsOrigin());
  });

  it('answers a path that does not percent-decode 400, not 502', async () => {
    const response = await fetch(`${stack.current.url}/admin/members/%E0%A4%A`, {
      headers: { Authorization: `Bearer ${await adminToken()}` },
    });
    expect(response.status).toBe(400);
  });

  it('refuses two Authorization headers with 401, even when one of them is good', async () => {
    const token = await adminToken();
    const url = new URL(`${stack.current.url}/admin/health`);
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'GET' },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode ?? 0);
        },
      );
      sent.on('error', reject);
      // Two header lines, as a client may send them; Node would otherwise keep only the first.
      sent.setHeader('Authorization', [`Bearer ${token}`, 'Bearer someone-else']);
      sent.end();
    });
    expect(status).toBe(401);
    // One good header still works.
    const single = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(single.status).toBe(200);
  });
});
