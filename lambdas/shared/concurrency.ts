/**
 * Runs `work` over `items` with at most `limit` in flight; results keep the input order. After the first
 * failure no new item starts, the ones in flight finish, and that failure is thrown.
 */
export const mapWithConcurrency = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  const outcomes = await Promise.allSettled(Array.from({ length: workers }, worker));
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
  if (rejected) throw (rejected as PromiseRejectedResult).reason;
  return results;
};
