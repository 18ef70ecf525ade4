import type { Worker } from 'node:worker_threads';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import type { RequestHandler } from '../lambdas/shared/aws';

interface ChannelAnswer {
  readonly id: number;
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly error?: string;
}

export interface DynaliteChannel {
  /** An SDK request handler that sends each request to the dynalite worker over its message channel. */
  readonly requestHandler: RequestHandler;
  /** Feeds the worker's answers back to the requests waiting for them. */
  answer(message: ChannelAnswer): void;
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
      worker.postMessage({
        request: {
          id,
          method: request.method,
          url: request.path,
          // As Node's HTTP server hands them to dynalite: lower-case names.
          headers: Object.fromEntries(
            Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
          ),
          body: bodyText(request.body),
        },
      });
    });

  return {
    requestHandler: {
      handle,
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
      // Shared by every client of the stack: a client's destroy() must not close it.
      destroy: () => undefined,
    },
    answer(message) {
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      request.resolve(message);
    },
    close() {
      closed = true;
      for (const request of waiting.values()) request.reject(new Error('the DynamoDB emulator has stopped'));
      waiting.clear();
    },
  };
};

/** DynamoDB's JSON body as text: the SDK hands it over as a string or as bytes. */
const bodyText = (body: unknown): string => {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  return '';
};

const abortError = () => Object.assign(new Error('Request aborted'), { name: 'AbortError' });
