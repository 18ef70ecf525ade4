import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { SCHEDULE_MAX_EVENT_AGE_SECONDS, SCHEDULE_RETRY_ATTEMPTS } from '../../contracts/limits';
import { type ScheduleSpec, toSchedulerExpression } from '../domain/schedule';

/**
 * What EventBridge Scheduler is asked to create: the recurring schedule of a stored one, and the one-time
 * schedule behind "run now". Both target the distribution function with the same retry policy and
 * dead-letter queue.
 */

export interface SchedulerTarget {
  readonly groupName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly deadLetterArn: string;
}

/** The placeholders Scheduler fills in per invocation; schedule ARN + scheduled time key the run. */
const CONTEXT = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

const targetOf = (target: SchedulerTarget, input: Record<string, string>) => ({
  Arn: target.functionArn,
  RoleArn: target.roleArn,
  Input: JSON.stringify(input),
  RetryPolicy: {
    MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
    MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE_SECONDS,
  },
  DeadLetterConfig: { Arn: target.deadLetterArn },
});

/**
 * The Scheduler schedule for a stored one: named by its id, cron in its own zone, no flexible window (a
 * run belongs at the time the admin chose), the distribution function as target with the schedule id and
 * Scheduler's context attributes as input, an explicit retry policy and a dead-letter queue.
 */
export const scheduleCommandInput = (
  scheduleId: string,
  spec: ScheduleSpec,
  target: SchedulerTarget,
): Omit<CreateScheduleCommandInput, 'ClientToken'> => ({
  Name: scheduleId,
  GroupName: target.groupName,
  Description: `Proleads distribution: ${spec.name}`,
  ScheduleExpression: toSchedulerExpression(spec),
  ScheduleExpressionTimezone: spec.timeZone,
  State: spec.enabled ? 'ENABLED' : 'DISABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'NONE',
  Target: targetOf(target, {
    trigger: 'schedule',
    scheduleId,
    scheduleArn: CONTEXT.scheduleArn,
    scheduledTime: CONTEXT.scheduledTime,
    executionId: CONTEXT.executionId,
    attemptNumber: CONTEXT.attemptNumber,
  }),
});

/** `at(...)` wants a local date-time without zone or fraction. */
const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

/**
 * A run-now request as a one-time schedule: the same target, retry policy and dead-letter queue as the
 * recurring ones, deleted by Scheduler once it has fired. The run id travels in the input, so a retried
 * invocation joins the same run.
 */
export const oneTimeRunCommandInput = (
  run: { runId: string; requestedAt: string; requestedBy: string; timeZone: string },
  at: Date,
  target: SchedulerTarget,
): CreateScheduleCommandInput => ({
  Name: `run-${run.runId}`,
  GroupName: target.groupName,
  Description: 'Proleads distribution: run now',
  ScheduleExpression: atExpression(at),
  ScheduleExpressionTimezone: 'UTC',
  State: 'ENABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  ClientToken: run.runId,
  Target: targetOf(target, {
    trigger: 'manual',
    runId: run.runId,
    requestedAt: run.requestedAt,
    requestedBy: run.requestedBy,
    timeZone: run.timeZone,
    executionId: CONTEXT.executionId,
    attemptNumber: CONTEXT.attemptNumber,
  }),
});
