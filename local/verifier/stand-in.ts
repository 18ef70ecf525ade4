import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from '../../lambdas/shared/zod';
import type { VerifierAnswer } from '../../lambdas/verification/domain/verifier-schema';
import { createDecideConfig, type DeadDomains, decide } from './decide';

/**
 * A local Rapid Email Verifier that speaks the contract in docs/verifier/README.md: POST {base}/validate/batch,
 * POST and GET {base}/validate, GET {base}/status, errors as {"error": "..."}. It decides with `decide`
 * (syntax, disposable list, role accounts, typo table, configurable dead domains) and can be told to
 * misbehave for the next N verification requests, programmatically or over HTTP:
 *   POST {origin}/__admin/fail-next {"kind": "rate-limit", "count": 2, "delayMs"?: n, "retryAfterSeconds"?: n}
 *   POST {origin}/__admin/reset      GET {origin}/__admin/stats
 * Admin calls are not counted as requests.
 */

export const FAULT_KINDS = [
  /** 429 {"error": ...}, with Retry-After when `retryAfterSeconds` is given. */
  'rate-limit',
  /** 500 {"error": ...}. */
  'server-error',
  /** 400 {"error": ...}, whatever the request. */
  'bad-request',
  /** Waits `delayMs` (default 3000) before answering normally. */
  'slow',
  /** 200 with a body that is not JSON. */
  'not-json',
  /** Leaves the last result out (single route: answers an empty object). */
  'drop-result',
  /** Adds a result for an email nobody asked about. */
  'extra-result',
  /** The first result says VALID while its validations say no MX. */
  'contradict-status',
  /** The first result carries a status outside the contract. */
  'unknown-status',
  /** Results in reverse order: correct answers, wrong positions. */
  'reorder',
  /** Every MX lookup "times out", as the hosted service's 2-second DNS limit does: NO_MX_RECORDS. */
  'dns-timeout',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  delayMs?: number;
  retryAfterSeconds?: number;
}

export interface VerifierStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** `/api` by default, like the hosted service; '' for the RapidAPI layout. */
  pathPrefix?: string;
  deadDomains?: Partial<DeadDomains>;
  /** When set, requests without this `X-RapidAPI-Key` get 401. */
  apiKey?: string;
  /**
   * The real server documents 100 but does not enforce it; the stand-in does (400) by default, so that a
   * client that forgets to split is caught here rather than in production.
   */
  maxBatchSize?: number;
}

export interface VerifierStandInStats {
  /** Every non-admin request, whatever its answer. */
  requests: number;
  batchRequests: number;
  emailsChecked: number;
  /** The number of emails in each batch request, in arrival order. */
  batchSizes: number[];
}

export interface VerifierStandIn {
  /** The `{base}` of the contract: origin + path prefix. */
  url: string;
  origin: string;
  pathPrefix: string;
  failNext(kind: FaultKind, count?: number, options?: FaultOptions): void;
  requestCount(): number;
  stats(): VerifierStandInStats;
  /** Forgets pending faults and counters. */
  reset(): void;
  stop(): Promise<void>;
}

interface Fault extends FaultOptions {
  kind: FaultKind;
}

const DEFAULT_SLOW_MS = 3_000;
const MAX_BODY_BYTES = 1_000_000;

const batchBodySchema = z.object({ emails: z.array(z.string()) });
const singleBodySchema = z.object({ email: z.optional(z.string()) });
const failNextBodySchema = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), 1),
  delayMs: z.optional(z.int().check(z.minimum(0), z.maximum(600_000))),
  retryAfterSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(3_600))),
});

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const startVerifierStandIn = async (
  options: VerifierStandInOptions = {},
): Promise<VerifierStandIn> => {
  const decideConfig = createDecideConfig({ deadDomains: options.deadDomains });
  const prefix = normalisePrefix(options.pathPrefix ?? '/api');
  const maxBatchSize = options.maxBatchSize ?? 100;
  const faults: Fault[] = [];
  const pendingDelays = new Set<() => void>();
  let stats: VerifierStandInStats = emptyStats();
  let extraCounter = 0;

  const failNext = (kind: FaultKind, count = 1, faultOptions: FaultOptions = {}) => {
    for (let i = 0; i < count; i++) faults.push({ kind, ...faultOptions });
  };
  const reset = () => {
    faults.length = 0;
    stats = emptyStats();
  };

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pendingDelays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingDelays.add(done);
    });

  const answerWithFaults = (emails: readonly string[], fault: Fault | undefined): VerifierAnswer[] => {
    const dns = { mxLookupTimesOut: fault?.kind === 'dns-timeout' };
    const answers = emails.map((email) => decide(email, decideConfig, dns));
    const [first] = answers;
    switch (fault?.kind) {
      case 'drop-result':
        answers.pop();
        break;
      case 'extra-result':
        extraCounter++;
        answers.push(decide(`extra-${extraCounter}@example.com`, decideConfig));
        break;
      case 'contradict-status':
        if (first) {
          first.status = 'VALID';
          first.validations.mx_records = false;
          first.validations.mailbox_exists = false;
        }
        break;
      case 'unknown-status':
        if (first) first.status = 'CATCH_ALL';
        break;
      case 'reorder':
        answers.reverse();
        break;
      default:
        break;
    }
    return answers;
  };

  /** Answers a verification request: faults first, then the decision. */
  const verify = async (res: ServerResponse, emails: readonly string[], single: boolean) => {
    const fault = faults.shift();
    switch (fault?.kind) {
      case 'rate-limit':
        if (fault.retryAfterSeconds !== undefined)
          res.setHeader('retry-after', String(fault.retryAfterSeconds));
        return sendJson(res, 429, { error: 'Too many requests' });
      case 'server-error':
        return sendJson(res, 500, { error: 'Internal server error' });
      case 'bad-request':
        return sendJson(res, 400, { error: 'Invalid request body' });
      case 'not-json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      case 'slow':
        await delay(fault.delayMs ?? DEFAULT_SLOW_MS);
        break;
      default:
        break;
    }
    if (clientGone(res)) return; // The client gave up waiting.
    stats.emailsChecked += emails.length;
    const answers = answerWithFaults(emails, fault);
    if (!single) return sendJson(res, 200, { results: answers });
    return sendJson(res, 200, fault?.kind === 'drop-result' ? {} : (answers[0] ?? {}));
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method === 'POST' && path === '/__admin/fail-next') {
      const body = failNextBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpFailure(400, z.prettifyError(body.error));
      const { kind, count, ...faultOptions } = body.data;
      failNext(kind, count, faultOptions);
      return sendJson(res, 200, { pendingFaults: faults.length });
    }
    if (req.method === 'POST' && path === '/__admin/reset') {
      reset();
      return sendJson(res, 200, { reset: true });
    }
    if (req.method === 'GET' && path === '/__admin/stats') return sendJson(res, 200, { ...stats });
    throw new HttpFailure(404, 'Not found');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/\/+$/, '');
    if (path.startsWith('/__admin/')) return handleAdmin(req, res, path);

    stats.requests++;
    if (options.apiKey !== undefined && req.headers['x-rapidapi-key'] !== options.apiKey) {
      throw new HttpFailure(401, 'Missing or invalid API key');
    }
    const route = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
    if (route === '/status' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (route === '/validate/batch' && req.method === 'POST') {
      const body = batchBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpFailure(400, 'Invalid request body');
      if (body.data.emails.length > maxBatchSize) {
        throw new HttpFailure(400, `At most ${maxBatchSize} emails per batch request`);
      }
      stats.batchRequests++;
      stats.batchSizes.push(body.data.emails.length);
      return verify(res, body.data.emails, false);
    }
    if (route === '/validate' && req.method === 'POST') {
      const body = singleBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpFailure(400, 'Invalid request body');
      return verify(res, [body.data.email ?? ''], true);
    }
    if (route === '/validate' && req.method === 'GET')
      return verify(res, [url.searchParams.get('email') ?? ''], true);
    if (route === '/status' || route === '/validate' || route === '/validate/batch') {
      throw new HttpFailure(405, 'Method not allowed');
    }
    throw new HttpFailure(404, 'Not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || clientGone(res)) return;
      if (error instanceof HttpFailure) sendJson(res, error.status, { error: error.message });
      else sendJson(res, 500, { error: 'Internal server error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  return {
    url: `${origin}${prefix}`,
    origin,
    pathPrefix: prefix,
    failNext,
    requestCount: () => stats.requests,
    stats: () => ({ ...stats, batchSizes: [...stats.batchSizes] }),
    reset,
    stop: async () => {
      for (const finish of [...pendingDelays]) finish();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

const emptyStats = (): VerifierStandInStats => ({
  requests: 0,
  batchRequests: 0,
  emailsChecked: 0,
  batchSizes: [],
});

const normalisePrefix = (prefix: string): string => {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
};

const clientGone = (res: ServerResponse): boolean => res.destroyed || !res.socket || res.socket.destroyed;

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  if (clientGone(res)) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpFailure(413, 'Request body too large');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpFailure(400, 'Invalid request body');
  }
};
