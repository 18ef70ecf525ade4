import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';

/**
 * The configured tiers' names, in the order the API lists them: the overview counts eligible members under
 * every configured tier (zero included), so its keys are the tier list. Tiers change only with a deployment.
 */
export const useTierNames = () =>
  useQuery({
    queryKey: ['tier-names'],
    queryFn: async () => Object.keys((await unwrap(api().GET('/admin/overview'))).members.eligibleByTier),
    staleTime: Number.POSITIVE_INFINITY,
  });
