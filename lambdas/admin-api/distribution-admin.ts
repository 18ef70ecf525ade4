import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { z } from 'zod';
import { MemberStore } from '../distribution/members';
import { realSleep } from '../distribution/ports';
import { DistributionRepository } from '../distribution/repository';
import { Distributor } from '../distribution/run';
import { ScheduleStore } from '../distribution/schedules';
import { distributionSettingsFromEnv } from '../distribution/settings';
import { awsClientConfig } from '../shared/aws';
import { type Env, readEnv } from '../shared/env';
import type { RouteHandler } from '../shared/http';
import type { Logger } from '../shared/logger';
import { distributionRoutes } from './distributions';
import { memberRoutes } from './members';
import { scheduleRoutes } from './schedules';

const DistributionAdminEnvSchema = z.object({
  TABLE_UPLOADS: z.string().min(3),
  TABLE_MEMBERS: z.string().min(3),
  TABLE_CONTROL: z.string().min(3),
  SCHEDULE_GROUP_NAME: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  DISTRIBUTION_FUNCTION_ARN: z.string().startsWith('arn:'),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
});

/** The admin routes of the distribution issue (members, schedules, runs), wired from the admin API's env. */
export const createDistributionAdminRoutes = (
  env: Env,
  logger: Logger,
  doc: DynamoDBDocumentClient,
): Record<string, RouteHandler> => {
  const config = readEnv(DistributionAdminEnvSchema, env);
  const settings = distributionSettingsFromEnv(env);
  const scheduler = new SchedulerClient(awsClientConfig(env, 'SCHEDULER'));
  const now = () => new Date();
  const target = {
    groupName: config.SCHEDULE_GROUP_NAME,
    functionArn: config.DISTRIBUTION_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULER_DLQ_ARN,
  };
  const members = new MemberStore({
    doc,
    membersTable: config.TABLE_MEMBERS,
    controlTable: config.TABLE_CONTROL,
    tiers: settings.tiers,
    now,
  });
  const tables = {
    uploads: config.TABLE_UPLOADS,
    members: config.TABLE_MEMBERS,
    control: config.TABLE_CONTROL,
  };
  // Only dry runs are planned here; they send nothing and record nothing.
  const distributor = new Distributor(
    {
      repo: new DistributionRepository(doc, tables, realSleep),
      members,
      notifier: {
        notify: () => Promise.reject(new Error('the admin API plans dry runs only; it sends no email')),
      },
      metrics: { record: () => undefined },
      logger,
      now,
      sleep: realSleep,
      newId: ulid,
    },
    settings,
  );
  return {
    ...memberRoutes({
      store: members,
      tiers: settings.tiers,
      doc,
      membersTable: config.TABLE_MEMBERS,
      timeZone: settings.defaultTimeZone,
      now,
    }),
    ...scheduleRoutes({
      store: new ScheduleStore({
        doc,
        controlTable: config.TABLE_CONTROL,
        scheduler,
        target,
        now,
        newId: ulid,
      }),
      now,
    }),
    ...distributionRoutes({
      distributor,
      scheduler,
      target,
      doc,
      controlTable: config.TABLE_CONTROL,
      defaultTimeZone: settings.defaultTimeZone,
      now,
      newId: ulid,
    }),
  };
};
