/**
 * The environment variables the CDK app sets and the functions read, named once. Import-free (see
 * `limits.ts`); `shared/env.ts` turns them into validated settings.
 */
export const TABLE_ENV = {
  uploads: 'TABLE_UPLOADS',
  leadHashes: 'TABLE_LEAD_HASHES',
  members: 'TABLE_MEMBERS',
  control: 'TABLE_CONTROL',
} as const;

export type TableName = keyof typeof TABLE_ENV;
