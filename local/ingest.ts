import path from 'node:path';
import { TABLE_ENV } from '../lambdas/contracts/env';
import { UploadRecord } from '../lambdas/ingest/adapters/upload-record';
import { createDocumentClient } from '../lambdas/shared/dynamo';
import type { Emulators } from './emulators';
import type { LambdaHost } from './lambda-host';
import type { LocalResources } from './resources';
import { startS3Notifications } from './s3-notifications';
import { type CfnTemplate, resourcesOfType } from './template';

/**
 * The lead-hash pepper of local runs: fixed, so leads persisted in `.local-data/` still dedupe after a
 * restart (a new random pepper would make every earlier email look new). Not a secret: local only.
 */
export const DEV_LEAD_HASH_PEPPER = 'proleads-local-dev-pepper-0123456789abcdef';

export interface LocalIngest {
  /** Resolves when no ingest invocation is running or waiting for a retry. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The ingest's event wiring on the emulators: a fixed dev pepper in the Secrets Manager stand-in, S3
 * notifications from s3rver to the ingest function (async invocation with retries and its on-failure
 * destination). Its continuation queue is polled with every other SQS event source.
 *
 * With a data folder, a restart loses nothing: the async invocations not yet done are journalled there and
 * replayed, and since no invocation of the previous process can still be running, their leases on uploads
 * are ended first, so the replay resumes each upload from its checkpoint at once.
 */
export const startLocalIngest = async (
  template: CfnTemplate,
  resources: LocalResources,
  emulators: Emulators,
  lambdas: LambdaHost,
  dataDir?: string,
): Promise<LocalIngest> => {
  for (const [id] of resourcesOfType(template, 'AWS::SecretsManager::Secret')) {
    const secret = resources.byLogicalId.get(id);
    if (id.startsWith('StorageLeadHashPepper') && secret)
      emulators.secrets.set(secret.arn, DEV_LEAD_HASH_PEPPER);
  }
  if (dataDir) {
    for (const ingestFunction of lambdas.functionsOf('ingest')) {
      const table = resources.functionEnv(ingestFunction)[TABLE_ENV.uploads];
      if (table)
        await new UploadRecord(createDocumentClient(resources.baseEnv), table).endLeasesOfDeadInvocations();
    }
  }
  const notifications = startS3Notifications(template, resources, emulators.s3rver, lambdas.invoke, {
    ...(dataDir ? { journalDir: path.join(dataDir, 'async-invocations') } : {}),
  });
  return {
    idle: () => notifications.idle(),
    async stop() {
      notifications.stop();
    },
  };
};
