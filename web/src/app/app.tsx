import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConsoleConfig } from '@/lib/config';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { AppRoutes } from './routes';

export const App = ({ config }: { config: ConsoleConfig }) => {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Layout config={config}>
        <AppRoutes />
      </Layout>
    </QueryClientProvider>
  );
};
