import { ulid } from 'ulid';
import type { RunSummary } from '../../lambdas/distribution/domain/run';
import type { LocalStack } from '../../local/runtime';

/** Who calls: the platform token's subject and role. */
export interface Caller {
  readonly sub: string;
  readonly role: 'admin' | 'member';
}

export const ADMIN: Caller = { sub: 'admin-1', role: 'admin' };

/**
 * Calls the local front door as `caller`, with a fresh platform token. A string body goes as it is, with
 * `contentType`; any other body as JSON. Answers the status and the JSON body (`{}` when there is none).
 */
export const callApi = async <T = Record<string, unknown>>(
  stack: LocalStack,
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: T }> => {
  const token = await stack.identity.mint(caller);
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
};

/** The admin's `callApi`, for a test file's stack. */
export const adminApi =
  (stack: () => LocalStack) =>
  <T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType?: string) =>
    callApi<T>(stack(), ADMIN, method, path, body, contentType);

/** The id of the stack's distribution function. */
export const distributionFunctionOf = (stack: LocalStack): string => {
  const [id] = stack.lambdas.functionsOf('distribution');
  if (!id) throw new Error('the template has no distribution function');
  return id;
};

/** Invokes the stack's distribution function with `event` (manual, scheduled, or a sample). */
export const invokeDistribution = async (stack: LocalStack, event: unknown): Promise<RunSummary> =>
  (await stack.lambdas.invoke(distributionFunctionOf(stack), event)) as RunSummary;

/** A manual distribution run, as "Run now" starts one. */
export const runDistributionNow = (
  stack: LocalStack,
  { runId = ulid(), requestedAt = new Date().toISOString() }: { runId?: string; requestedAt?: string } = {},
): Promise<RunSummary> =>
  invokeDistribution(stack, { trigger: 'manual', runId, requestedAt, requestedBy: ADMIN.sub });
