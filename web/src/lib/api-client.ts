import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './api-schema';
import { currentAccessToken, signIn } from './auth';
import type { ConsoleConfig } from './config';

/** An answer the API refused, carrying its `{ error, message, details }` body as it came. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiClient = Client<paths>;

let client: ApiClient | undefined;

/** Creates the one API client of the console; every request goes through it with the admin's token. */
export const configureApi = (config: ConsoleConfig): ApiClient => {
  const authenticate: Middleware = {
    async onRequest({ request }) {
      const token = currentAccessToken();
      // An expired session: sign in again and come back here, rather than send a request bound to fail.
      if (!token) return signIn(config);
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) return signIn(config);
      return response;
    },
  };
  client = createClient<paths>({ baseUrl: config.apiUrl });
  client.use(authenticate);
  return client;
};

/** Lets tests put a client of their own (a fake fetch) behind every request. */
export const setApiClient = (replacement: ApiClient) => {
  client = replacement;
};

export const api = (): ApiClient => {
  if (!client) throw new Error('The API client is used before the console configured it');
  return client;
};

const errorOf = (response: Response, body: unknown): ApiError => {
  const record = (body ?? {}) as Record<string, unknown>;
  const message =
    typeof record.message === 'string' && record.message
      ? record.message
      : `The API answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(
    response.status,
    typeof record.error === 'string' ? record.error : 'Error',
    message,
    record.details,
  );
};

/**
 * The body of a successful answer, or an ApiError with the API's own message. `undefined` for an empty
 * answer (204). A request that never got an answer becomes an ApiError with status 0.
 */
export const unwrap = async <T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> => {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (cause) {
    throw new ApiError(0, 'NetworkError', `The API could not be reached (${String(cause)})`);
  }
  if (!result.response.ok) throw errorOf(result.response, result.error);
  return result.data as T;
};

/** Field errors of a 400, by field, from the two shapes `details` comes in (`path` or `field`). */
export const fieldErrorsOf = (error: unknown): Record<string, string> => {
  if (!(error instanceof ApiError)) return {};
  const details = error.details as { errors?: unknown } | unknown[] | undefined;
  const list = Array.isArray(details) ? details : Array.isArray(details?.errors) ? details.errors : [];
  const byField: Record<string, string> = {};
  for (const entry of list as { path?: unknown; field?: unknown; message?: unknown }[]) {
    const field = Array.isArray(entry.path) ? entry.path.join('.') : (entry.path ?? entry.field);
    if (typeof field === 'string' && field && typeof entry.message === 'string')
      byField[field] = byField[field] ? `${byField[field]}; ${entry.message}` : entry.message;
  }
  return byField;
};
