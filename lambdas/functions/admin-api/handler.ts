import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { monotonicFactory } from 'ulid';
import { distributionSettingsFromEnv } from '../../distribution/settings';
import { createLeadHasher } from '../../ingest/domain/lead-hash';
import { dedupeKey } from '../../ingest/domain/lead-row';
import { awsClientConfig } from '../../shared/aws';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createRouter, json, type RouteHandler } from '../../shared/http';
import { createLogger } from '../../shared/logger';
import { createSecretsClient, onceFromSecret } from '../../shared/secrets';
import * as z from '../../shared/zod';
import { ErasureStore } from '../../suppression/adapters/erasure-store';
import { DynamoSuppressionStore } from '../../suppression/adapters/suppression-store';
import { automailerLinkRoutes } from './automailer-links';
import { createDistributionAdminRoutes } from './distribution-admin';
import { checkHealth } from './health';
import { createStatusRoutes } from './pipeline-status';
import { createReturnRoutes } from './returns';
import { createSuppressionRoutes } from './suppressions';
import { createUploadControlRoutes } from './upload-control';
import { createUploadRoutes } from './uploads';

const AdminApiEnvSchema = z.object({
  ADMIN_ORIGIN: z.url(),
  BUILD_VERSION: z.string().check(z.minLength(1)),
  STAGE_NAME: z.string().check(z.minLength(1)),
  UPLOAD_BUCKET: z.string().check(z.minLength(3)),
  MAX_UPLOAD_BYTES: z.coerce.number().check(z.int(), z.positive()),
  /** The lead-hash pepper and dedupe-key setting: a suppressed address is kept as its lead hash. */
  LEAD_HASH_PEPPER_SECRET_ARN: z.string().check(z.startsWith('arn:')),
  FOLD_GMAIL_ALIASES: z._default(z.enum(['true', 'false']), 'false'),
});

/** The admin API: every `/admin/*` route, behind the admin-role authorizer. */
export const createHandler = (env: Env) => {
  const config = readEnv(AdminApiEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'leadHashes', 'members', 'control');
  const logger = createLogger(env);
  const dynamodb = new DynamoDBClient(awsClientConfig(env, 'DYNAMODB'));
  // One DynamoDB client for every route family, the health check's DescribeTable included: one connection
  // pool, one set-up at cold start.
  const doc = createDocumentClient(env, dynamodb);

  const health: RouteHandler = async () => {
    const report = await checkHealth(
      dynamodb,
      {
        leadHashes: tables.leadHashes,
        uploads: tables.uploads,
        members: tables.members,
        control: tables.control,
      },
      { version: config.BUILD_VERSION, stage: config.STAGE_NAME, node: process.version },
    );
    return json(report.status === 'ok' ? 200 : 503, report);
  };

  const { maxAssignmentsPerLead } = distributionSettingsFromEnv(env);
  const s3 = new S3Client(awsClientConfig(env, 'S3'));
  const uploads = createUploadRoutes({
    doc,
    s3,
    table: tables.uploads,
    bucket: config.UPLOAD_BUCKET,
    maxBytes: config.MAX_UPLOAD_BYTES,
    newUploadId: monotonicFactory(),
  });

  return createRouter(
    {
      'GET /admin/health': health,
      ...uploads,
      ...createUploadControlRoutes({
        doc,
        tables,
        maxAssignmentsPerLead,
      }),
      ...createReturnRoutes({
        doc,
        tables,
        maxAssignmentsPerLead,
      }),
      ...createDistributionAdminRoutes(env, doc),
      ...createStatusRoutes(env, doc),
      ...createSuppressionRoutes({
        store: new DynamoSuppressionStore(doc, tables.control),
        erasures: new ErasureStore(doc, s3, tables, config.UPLOAD_BUCKET),
        hashEmail: onceFromSecret(createSecretsClient(env), config.LEAD_HASH_PEPPER_SECRET_ARN, (pepper) => {
          const hash = createLeadHasher(pepper ?? '');
          const foldGmailAliases = config.FOLD_GMAIL_ALIASES === 'true';
          return (email: string) => hash(dedupeKey(email, { foldGmailAliases }));
        }),
        now: () => new Date(),
      }),
      ...automailerLinkRoutes({ doc, membersTable: tables.members }),
    },
    {
      logger,
      headers: { 'Access-Control-Allow-Origin': config.ADMIN_ORIGIN, Vary: 'Origin' },
    },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
