import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Env } from './env';

export type AwsService = 'DYNAMODB' | 'S3' | 'SQS' | 'SES' | 'SCHEDULER' | 'SECRETS_MANAGER' | 'CLOUDWATCH';

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  requestHandler?: RequestHandler;
  signer?: DynamoDBClientConfig['signer'];
}

/** What an SDK client sends its requests through (the same type for every client). */
export type RequestHandler = Exclude<
  NonNullable<DynamoDBClientConfig['requestHandler']>,
  Record<string, unknown>
>;

/** How clients of an endpoint answered inside this process send their requests, and sign them. */
export type InProcessEndpoint = Required<Pick<AwsClientConfig, 'requestHandler' | 'signer'>>;

/**
 * Endpoints answered inside this process instead of over HTTP, by endpoint URL. Only the local runtime
 * registers one (its DynamoDB emulator runs on a worker thread of the same process); in Lambda nothing is
 * registered and every client keeps the SDK's own HTTP handler and SigV4 signer.
 */
const inProcessEndpoints = new Map<string, InProcessEndpoint>();

/** Serves `endpoint` in-process for every client configured from now on; returns the undo. */
export const serveEndpointInProcess = (endpoint: string, settings: InProcessEndpoint): (() => void) => {
  inProcessEndpoints.set(endpoint, settings);
  return () => {
    if (inProcessEndpoints.get(endpoint) === settings) inProcessEndpoints.delete(endpoint);
  };
};

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
    ...inProcessEndpoints.get(endpoint),
    forcePathStyle: service === 'S3' ? true : undefined,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
};
