import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import createClient from 'openapi-fetch';
import type { ReactNode } from 'react';
import { afterEach } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { setApiClient } from '@/lib/api-client';
import type { paths } from '@/lib/api-schema';

afterEach(cleanup);

/** A fake API answer as the real one comes: JSON with a status. */
export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export type FakeRoutes = Record<string, (request: Request) => Response | Promise<Response>>;

/**
 * Renders a console page or component with the API answered by `routes` (keyed `METHOD /path`), in a router
 * at `path`. Returns the requests the page made and where it navigated to.
 */
export const renderWithApi = (
  ui: ReactNode,
  { routes, path = '/' }: { routes: FakeRoutes; path?: string },
) => {
  const requests: Request[] = [];
  const fakeFetch = async (request: Request) => {
    requests.push(request.clone());
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const answer = routes[key];
    return answer ? answer(request) : json(404, { error: 'NotFound', message: `No fake answer for ${key}` });
  };
  setApiClient(createClient<paths>({ baseUrl: 'http://api.test', fetch: fakeFetch }));
  const location = memoryLocation({ path, record: true });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <Router hook={location.hook}>{ui}</Router>
    </QueryClientProvider>,
  );
  return { requests, history: location.history ?? [] };
};
