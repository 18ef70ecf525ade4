import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';

/** A refused request (4xx) will be refused again: only transient failures are retried, once. */
const shouldRetry = (failureCount: number, error: unknown) =>
  failureCount < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
