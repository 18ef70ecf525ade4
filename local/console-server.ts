import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { WEB_DIST } from '../lib/console-build';
import { type ConsoleRuntimeConfig, consoleContentSecurityPolicy } from '../lib/console-runtime';
import { listenOnLoopback } from './listen';

export interface ConsoleServerOptions {
  readonly port?: number;
  /** The built console; `web/dist` when absent. */
  readonly distDir?: string;
  /** Served as `/config.json`; read per request, since the API's URL is known only after this listens. */
  readonly runtimeConfig: () => ConsoleRuntimeConfig;
  /** Where the browser posts upload files (the S3 endpoint's origin), for the CSP's connect-src. */
  readonly uploadOrigin: () => string;
  /** Why there is no console to serve (no build yet), shown instead of the app. */
  readonly unavailable?: string;
}

export interface ConsoleServer {
  readonly url: string;
  readonly server: Server;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built console on its own origin, as CloudFront does in AWS: static files, `/config.json`, any
 * unknown path without a file extension answered with `index.html` (the app's own routes), and the same
 * security headers (CSP, no framing).
 */
export const startConsoleServer = async (options: ConsoleServerOptions): Promise<ConsoleServer> => {
  const distDir = path.resolve(options.distDir ?? WEB_DIST);
  const securityHeaders = () => {
    const config = options.runtimeConfig();
    return {
      'Content-Security-Policy': consoleContentSecurityPolicy({
        apiOrigin: new URL(config.apiUrl).origin,
        issuer: config.oidc.issuer,
        uploadOrigin: options.uploadOrigin(),
      }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
  };

  const server = createServer(async (request, response) => {
    const send = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      response.writeHead(status, { ...securityHeaders(), ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method not allowed\n');
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/config.json')
        return send(
          200,
          { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
          JSON.stringify(options.runtimeConfig()),
        );
      if (options.unavailable)
        return send(
          503,
          { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
          notBuiltPage(options.unavailable),
        );

      const file = resolveFile(distDir, url.pathname);
      if (file === 'outside') return send(400, { 'Content-Type': 'text/plain' }, 'Bad path\n');
      if (file) {
        const immutable = url.pathname.startsWith('/assets/');
        return send(
          200,
          {
            'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
            'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          },
          await readFile(file),
        );
      }
      if (path.extname(url.pathname) !== '')
        return send(404, { 'Content-Type': 'text/plain' }, `Not found: ${url.pathname}\n`);
      return send(
        200,
        { 'Content-Type': CONTENT_TYPES['.html'] as string, 'Cache-Control': 'no-cache' },
        await readFile(path.join(distDir, 'index.html')),
      );
    } catch (error) {
      console.error(
        JSON.stringify({ level: 'ERROR', message: 'console server failure', error: String(error) }),
      );
      if (!response.headersSent) send(500, { 'Content-Type': 'text/plain' }, 'Console server failure\n');
      else response.end();
    }
  });
  return { url: await listenOnLoopback(server, options.port), server };
};

/** The file a path names inside `distDir`, undefined when there is none, 'outside' for a traversal attempt. */
const resolveFile = (distDir: string, pathname: string): string | undefined | 'outside' => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return 'outside';
  }
  const file = path.resolve(distDir, `.${path.posix.normalize(decoded)}`);
  if (file !== distDir && !file.startsWith(`${distDir}${path.sep}`)) return 'outside';
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char,
  );

const notBuiltPage = (reason: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Proleads console not built</title></head>
<body><main><h1>The console is not built</h1>
<pre>${escapeHtml(reason)}</pre>
<p>Build it with <code>npm run build:web</code> and restart <code>npm start</code>. The API answers meanwhile.</p>
</main></body></html>
`;
