import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleRuntimeConfig } from '../lib/console-runtime';
import { startConsoleServer } from './console-server';

const runtimeConfig: ConsoleRuntimeConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  oidc: {
    issuer: 'http://127.0.0.1:3000/.dev/oidc',
    clientId: 'proleads-admin-console',
    scope: 'openid profile email',
  },
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe("npm start's console server", () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(tmpdir(), 'outside-console.txt'), 'secret');
  let url = '';
  let server: Server;

  beforeAll(async () => {
    ({ url, server } = await startConsoleServer({
      distDir: dist,
      runtimeConfig: () => runtimeConfig,
      uploadOrigin: () => 'http://127.0.0.1:4569',
    }));
  });
  afterAll(() => close(server));

  it('serves the runtime configuration, never cached', async () => {
    const response = await fetch(`${url}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(runtimeConfig);
  });

  it('serves built files, hashed assets as immutable', async () => {
    const response = await fetch(`${url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it("answers the app's own routes with index.html, and a missing file with 404", async () => {
    const page = await fetch(`${url}/members/m-1/leads`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
  });

  it('sends the strict policy: own origin, the API, the issuer and the upload store to connect to, no framing', async () => {
    const csp = (await fetch(`${url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:4569;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('never serves a file outside the build', async () => {
    const response = await fetch(`${url}/%2e%2e/outside-console.txt`);
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain('secret');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('explains, instead of crashing, when the console is not built', async () => {
    const unbuilt = await startConsoleServer({
      distDir: path.join(dist, 'nowhere'),
      runtimeConfig: () => runtimeConfig,
      uploadOrigin: () => 'http://127.0.0.1:4569',
      unavailable: 'package.json has no "build:web" script yet',
    });
    try {
      const response = await fetch(`${unbuilt.url}/uploads`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('package.json has no &quot;build:web&quot; script yet');
      expect((await fetch(`${unbuilt.url}/config.json`)).status).toBe(200);
    } finally {
      await close(unbuilt.server);
    }
  });
});
