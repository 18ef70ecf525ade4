import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ulid } from 'ulid';
import { dynamoDistributionStores } from '../../distribution/adapters/dynamo-stores';
import { previewDistribution } from '../../distribution/run/plan';
import { distributionSettingsFromEnv } from '../../distribution/settings';
import { MemberStore } from '../../members/member-store';
import { ScheduleStore } from '../../schedules/schedule-admin';
import { awsClientConfig } from '../../shared/aws';
import { realSleep } from '../../shared/backoff';
import type { DocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import type { RouteHandler } from '../../shared/http';
import * as z from '../../shared/zod';
import { distributionRoutes } from './distributions';
import { memberRoutes } from './members';
import { scheduleRoutes } from './schedules';

const DistributionAdminEnvSchema = z.object({
  SCHEDULE_GROUP_NAME: z.string().check(z.minLength(1)),
  SCHEDULER_ROLE_ARN: z.string().check(z.startsWith('arn:')),
  DISTRIBUTION_FUNCTION_ARN: z.string().check(z.startsWith('arn:')),
  SCHEDULER_DLQ_ARN: z.string().check(z.startsWith('arn:')),
});

/** The admin routes of members, schedules and runs, wired from the admin API's env to the same use cases the functions run. */
export const createDistributionAdminRoutes = (
  env: Env,
  doc: DocumentClient,
): Record<string, RouteHandler> => {
  const config = readEnv(DistributionAdminEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'members', 'control');
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
    membersTable: tables.members,
    controlTable: tables.control,
    tiers: settings.tiers,
    now,
  });
  const { supply, assignments, suppression } = dynamoDistributionStores(doc, tables, realSleep);
  const planning = { supply, assignments, members, suppression, now };
  return {
    ...memberRoutes({
      store: members,
      tiers: settings.tiers,
      doc,
      membersTable: tables.members,
      timeZone: settings.defaultTimeZone,
      now,
    }),
    ...scheduleRoutes({
      store: new ScheduleStore({
        doc,
        controlTable: tables.control,
        scheduler,
        target,
        now,
        newId: ulid,
      }),
      now,
    }),
    ...distributionRoutes({
      preview: (options) => previewDistribution(planning, settings, options),
      scheduler,
      target,
      doc,
      controlTable: tables.control,
      defaultTimeZone: settings.defaultTimeZone,
      now,
      newId: ulid,
    }),
  };
};
