import { type TableClient, tableStatus } from '../../shared/dynamo';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly build: { readonly version: string; readonly stage: string; readonly node: string };
  readonly tables: Record<string, { readonly reachable: boolean; readonly status?: string }>;
}

/**
 * Reports build info and whether each table answers. Steps: describe every bound table in parallel; a table
 * that errors is reported unreachable (never thrown), and any unreachable table makes the status `degraded`.
 */
export const checkHealth = async (
  dynamodb: TableClient,
  tables: Readonly<Record<string, string>>,
  build: HealthReport['build'],
): Promise<HealthReport> => {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, tableName]) => {
      try {
        return [name, { reachable: true, status: await tableStatus(dynamodb, tableName) }] as const;
      } catch {
        return [name, { reachable: false }] as const;
      }
    }),
  );
  const report = Object.fromEntries(entries);
  const status = entries.every(([, table]) => table.reachable) ? 'ok' : 'degraded';
  return { status, build, tables: report };
};
