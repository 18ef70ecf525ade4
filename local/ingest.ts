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
 */
export const startLocalIngest = (
  template: CfnTemplate,
  resources: LocalResources,
  emulators: Emulators,
  lambdas: LambdaHost,
): LocalIngest => {
  for (const [id] of resourcesOfType(template, 'AWS::SecretsManager::Secret')) {
    const secret = resources.byLogicalId.get(id);
    if (id.startsWith('StorageLeadHashPepper') && secret)
      emulators.secrets.set(secret.arn, DEV_LEAD_HASH_PEPPER);
  }
  const notifications = startS3Notifications(template, resources, emulators.s3rver, lambdas.invoke);
  return {
    idle: () => notifications.idle(),
    async stop() {
      notifications.stop();
    },
  };
};
