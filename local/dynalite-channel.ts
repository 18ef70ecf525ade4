import type { Worker } from 'node:worker_threads';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestSigningArguments } from '@smithy/types';
import type { InProcessEndpoint } from '../lambdas/shared/aws';

interface ChannelRequest {
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface ChannelAnswer {
  readonly id: number;
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly error?: string;
}

export interface DynaliteChannel {
  /**
   * SDK client settings: a request handler that sends each request to the dynalite worker over its message
   * channel, and a signer that only writes the headers dynalite checks.
   */
  readonly clientSettings: InProcessEndpoint;
  /** Feeds the worker's answers back to the requests waiting for them. */
  answer(answers: readonly ChannelAnswer[]): void;
  /** Fails whatever still waits (the worker stopped). */
  close(): void;
}

/**
 * The local runtime's SDK clients reach dynalite through the worker's message channel instead of HTTP: on
 * a two-core machine the sockets, HTTP framing and parsing of every DynamoDB request on both ends cost more
 * CPU than dynalite's own work. The request still goes through dynalite's HTTP request handler, so it is
 * checked and answered exactly as over the wire; the SDK parses the answer as it parses any response.
 */
export const dynaliteChannel = (worker: Worker): DynaliteChannel => {
  let nextId = 0;
  let closed = false;
  const waiting = new Map<number, { resolve(answer: ChannelAnswer): void; reject(error: Error): void }>();
  // Requests go over in one message per turn of the event loop: each message wakes the worker thread, and
  // those wake-ups, not the copying, are what a message costs on a busy machine.
  let outbox: ChannelRequest[] = [];
  const flush = () => {
    const requests = outbox;
    outbox = [];
    worker.postMessage({ requests });
  };

  const handle = (request: HttpRequest, options: HttpHandlerOptions = {}) =>
    new Promise<{ response: HttpResponse }>((resolve, reject) => {
      if (closed) return reject(new Error('the DynamoDB emulator has stopped'));
      // The SDK hands over the caller's signal: a standard AbortSignal in Node.
      const abortSignal = options.abortSignal as AbortSignal | undefined;
      if (abortSignal?.aborted) return reject(abortError());
      const id = nextId++;
      const onAbort = () => {
        waiting.delete(id);
        reject(abortError());
      };
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      waiting.set(id, {
        resolve: (answer) => {
          abortSignal?.removeEventListener('abort', onAbort);
          if (answer.error !== undefined) return reject(new Error(`DynamoDB emulator: ${answer.error}`));
          resolve({
            response: {
              statusCode: answer.statusCode ?? 500,
              headers: answer.headers ?? {},
              body: Buffer.from(answer.body ?? ''),
            },
          });
        },
        reject,
      });
      if (outbox.length === 0) setImmediate(flush);
      outbox.push({
        id,
        method: request.method,
        url: request.path,
        // As Node's HTTP server hands them to dynalite: lower-case names.
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
        ),
        body: bodyText(request.body),
      });
    });

  return {
    clientSettings: {
      requestHandler: {
        handle,
        updateHttpClientConfig: () => undefined,
        httpHandlerConfigs: () => ({}),
        // Shared by every client of the stack: a client's destroy() must not close it.
        destroy: () => undefined,
      },
      signer: { sign: emulatorSignature },
    },
    answer(answers) {
      for (const answer of answers) {
        const request = waiting.get(answer.id);
        if (!request) continue;
        waiting.delete(answer.id);
        request.resolve(answer);
      }
    },
    close() {
      closed = true;
      for (const request of waiting.values()) request.reject(new Error('the DynamoDB emulator has stopped'));
      waiting.clear();
    },
  };
};

/**
 * dynalite checks that a request carries a well-formed SigV4 `Authorization` header and an `X-Amz-Date`,
 * never the signature itself; computing one (a payload hash and HMACs per request) was a tenth of the local
 * pipeline's main thread.
 */
const emulatorSignature = async (request: HttpRequest, options: RequestSigningArguments = {}) => {
  const amzDate = new Date(options.signingDate ?? Date.now()).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const scope = [amzDate.slice(0, 8), options.signingRegion, options.signingService, 'aws4_request'];
  request.headers['x-amz-date'] = amzDate;
  request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${scope.join('/')}, SignedHeaders=host;x-amz-date, Signature=unsigned`;
  return request;
};

/** DynamoDB's JSON body as text: the SDK hands it over as a string or as bytes. */
const bodyText = (body: unknown): string => {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  return '';
};

const abortError = () => Object.assign(new Error('Request aborted'), { name: 'AbortError' });
