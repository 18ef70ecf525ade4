import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { awsClientConfig } from '../shared/aws';
import { type Env, readEnv } from '../shared/env';
import { createRouter, json, type RouteHandler } from '../shared/http';
import { createLogger } from '../shared/logger';
import { createDistributionAdminRoutes } from './distribution-admin';
import { checkHealth } from './health';

const AdminApiEnvSchema = z.object({
  ADMIN_ORIGIN: z.url(),
  BUILD_VERSION: z.string().min(1),
  STAGE_NAME: z.string().min(1),
  TABLE_LEAD_HASHES: z.string().min(3),
  TABLE_UPLOADS: z.string().min(3),
  TABLE_MEMBERS: z.string().min(3),
  TABLE_CONTROL: z.string().min(3),
});

/** The admin API: every `/admin/*` route, behind the admin-role authorizer. */
export const createHandler = (env: Env) => {
  const config = readEnv(AdminApiEnvSchema, env);
  const logger = createLogger(env);
  const dynamodb = new DynamoDBClient(awsClientConfig(env, 'DYNAMODB'));

  const health: RouteHandler = async () => {
    const report = await checkHealth(
      dynamodb,
      {
        leadHashes: config.TABLE_LEAD_HASHES,
        uploads: config.TABLE_UPLOADS,
        members: config.TABLE_MEMBERS,
        control: config.TABLE_CONTROL,
      },
      { version: config.BUILD_VERSION, stage: config.STAGE_NAME, node: process.version },
    );
    return json(report.status === 'ok' ? 200 : 503, report);
  };

  return createRouter(
    {
      'GET /admin/health': health,
      ...createDistributionAdminRoutes(env, logger),
    },
    {
      logger,
      headers: { 'Access-Control-Allow-Origin': config.ADMIN_ORIGIN, Vary: 'Origin' },
    },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
