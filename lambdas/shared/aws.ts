import type { Env } from './env';

export type AwsService = 'DYNAMODB' | 'S3' | 'SQS' | 'SES' | 'SCHEDULER' | 'SECRETS_MANAGER' | 'CLOUDWATCH';

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

/**
 * SDK client settings from a function's environment. In Lambda this is just the region; the local runtime
 * and the tests pass `AWS_ENDPOINT_URL_<SERVICE>` (the SDK's own variable names) to point a client at an
 * emulator, together with static credentials, since those environments are not `process.env`.
 */
export const awsClientConfig = (env: Env, service: AwsService): AwsClientConfig => {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`];
  if (!endpoint) return { region };
  return {
    region,
    endpoint,
    forcePathStyle: service === 'S3' ? true : undefined,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
};
