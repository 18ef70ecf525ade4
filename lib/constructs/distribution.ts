import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import { SCHEDULE_MAX_EVENT_AGE_SECONDS } from '../../lambdas/contracts/limits';
import type { AppConfig } from '../config';
import { DeadLetterQueue } from './dead-letter-queue';
import { ProleadsFunction } from './lambda-function';
import type { Storage } from './storage';

export interface DistributionProps {
  readonly config: AppConfig;
  readonly storage: Storage;
  /** The admin API function: it manages schedules (Scheduler), members and run-now requests. */
  readonly adminApi?: ProleadsFunction;
}

/** What distributing does on the members table; the admin API's dry runs and member edits do the same. */
const DISTRIBUTION_MEMBER_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** The distribution function's timeout: the longest a run attempt may take before a retry resumes it. */
export const DISTRIBUTION_FUNCTION_TIMEOUT = Duration.minutes(15);

/**
 * Schedules and distribution: the distribution function, the EventBridge Scheduler schedule group the admin
 * API creates schedules in, the role Scheduler assumes (it may invoke the distribution function and nothing
 * else, and park failed events in the dead-letter queue), that dead-letter queue (alarmed by the monitoring
 * construct, like the run failures the function publishes), and the grants the admin API needs to manage
 * schedules and members.
 */
export class Distribution extends Construct {
  readonly function: ProleadsFunction;
  readonly scheduleGroupName: string;
  readonly scheduleGroup: CfnScheduleGroup;
  readonly schedulerRole: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DistributionProps) {
    super(scope, id);
    const { config, storage } = props;
    const stack = Stack.of(this);
    this.scheduleGroupName = `proleads-${config.stage}`;

    this.deadLetterQueue = new DeadLetterQueue(this, 'SchedulerDeadLetterQueue', {
      deadLetterQueueOf: 'the Scheduler targets and of the distribution function’s async invocations',
    });
    const distributionEnv = {
      TIERS: JSON.stringify(config.tiers),
      MAX_ASSIGNMENTS_PER_LEAD: String(config.maxAssignmentsPerLead),
      DEFAULT_TIME_ZONE: config.distribution.timeZone,
      CARRY_OVER_WEEKS: String(config.distribution.carryOverWeeks),
      SHORTFALL_POLICY: config.distribution.shortfallPolicy,
    };
    this.function = new ProleadsFunction(this, 'DistributionFn', {
      folder: 'distribution',
      description: 'Tops eligible members up to their weekly quota from queued uploads, oldest first',
      timeout: DISTRIBUTION_FUNCTION_TIMEOUT,
      memorySize: 1024,
      environment: {
        ...distributionEnv,
        SES_SENDER: config.ses.sender,
        SES_MAX_SEND_RATE: String(config.ses.maxSendRatePerSecond),
        LEADS_URL: config.distribution.leadsUrl,
      },
    });
    this.function
      // The supply: queued uploads and their leads, claimed with conditional updates.
      .bindTable(storage.uploads, TABLE_ENV.uploads, [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ])
      // Eligible members, their week tallies and the assignments written in batches.
      .bindTable(storage.members, TABLE_ENV.members, DISTRIBUTION_MEMBER_ACTIONS)
      // Runs, the run lock, the notification log and the counters.
      .bindTable(storage.control, TABLE_ENV.control, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
    const senderDomain = config.ses.sender.split('@')[1] ?? config.ses.sender;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: config.ses.sender }),
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': config.ses.sender } },
      }),
    );
    // Scheduler invokes asynchronously: Lambda's own retries are bounded and a final failure is parked.
    this.function.failsTo(this.deadLetterQueue, {
      retryAttempts: 2,
      maxEventAge: Duration.seconds(SCHEDULE_MAX_EVENT_AGE_SECONDS),
    });

    this.scheduleGroup = new CfnScheduleGroup(this, 'ScheduleGroup', { name: this.scheduleGroupName });

    // The role Scheduler assumes for our schedules: invoke the distribution function, park failed events.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${this.scheduleGroupName}/*`,
            }),
          },
        },
      }),
      description: 'Assumed by EventBridge Scheduler to start Proleads distribution runs',
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    if (props.adminApi) this.grantAdminApi(props.adminApi, storage, distributionEnv);
  }

  private grantAdminApi(
    adminApi: ProleadsFunction,
    storage: Storage,
    distributionEnv: Record<string, string>,
  ) {
    const stack = Stack.of(this);
    for (const [name, value] of Object.entries({
      ...distributionEnv,
      SCHEDULE_GROUP_NAME: this.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      DISTRIBUTION_FUNCTION_ARN: this.function.functionArn,
      SCHEDULER_DLQ_ARN: this.deadLetterQueue.queueArn,
    }))
      adminApi.addEnvironment(name, value);
    adminApi
      // Member import and edits, links, and the dry-run plans (which read what a run would write).
      .bindTable(storage.members, TABLE_ENV.members, [...DISTRIBUTION_MEMBER_ACTIONS, 'dynamodb:DeleteItem'])
      // Schedules, runs, run-now requests, counters and the overview's batch read of them.
      .bindTable(storage.control, TABLE_ENV.control, [
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupName}/*`,
    });
    adminApi.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    adminApi.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // cdk-nag names the finding by the ARN as synthesized: pseudo parameters where the stack has no fixed env.
    const nagPart = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    const findingArn = `arn:${nagPart(stack.partition, 'Partition')}:scheduler:${nagPart(stack.region, 'Region')}:${nagPart(stack.account, 'AccountId')}:schedule/${this.scheduleGroupName}/*`;
    if (adminApi.role) {
      Validations.of(adminApi.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${findingArn}]`,
        reason:
          'Schedules are created at run time, one per admin-defined schedule; the grant covers only the schedules of this stack’s own group.',
      });
    }
  }
}
