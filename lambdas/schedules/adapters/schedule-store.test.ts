import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCHEDULE_MAX_EVENT_AGE_SECONDS, SCHEDULE_RETRY_ATTEMPTS } from '../../contracts/limits';
import type { ScheduleItem } from '../../shared/model';
import { parseScheduleInput } from '../domain/schedule';
import { localIso, toScheduleView } from '../domain/schedule-view';
import { ScheduleStore } from '../schedule-admin';
import { oneTimeRunCommandInput, scheduleCommandInput } from './scheduler-commands';

/**
 * Contract tests of what the admin API asks of EventBridge Scheduler (no Scheduler emulator exists): the
 * exact commands, and the order of table writes and Scheduler calls that keeps the two repairable.
 */

const target = {
  groupName: 'proleads-dev',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Proleads-dev-DistributionFn',
  roleArn: 'arn:aws:iam::123456789012:role/Proleads-dev-SchedulerRole',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:Proleads-dev-SchedulerDeadLetterQueue',
};
const weekly = parseScheduleInput({
  name: 'monday-morning',
  kind: 'weekly',
  dayOfWeek: 'mon',
  time: '09:30',
  timeZone: 'Europe/Berlin',
});
const SCHEDULE_ID = '01JDXZB5H2N4M6P8R0T2V4X6Z8';

const expectedScheduleInput = {
  Name: SCHEDULE_ID,
  GroupName: 'proleads-dev',
  Description: 'Proleads distribution: monday-morning',
  ScheduleExpression: 'cron(30 9 ? * MON *)',
  ScheduleExpressionTimezone: 'Europe/Berlin',
  State: 'ENABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'NONE',
  Target: {
    Arn: target.functionArn,
    RoleArn: target.roleArn,
    Input: JSON.stringify({
      trigger: 'schedule',
      scheduleId: SCHEDULE_ID,
      scheduleArn: '<aws.scheduler.schedule-arn>',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
      attemptNumber: '<aws.scheduler.attempt-number>',
    }),
    RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 21_600 },
    DeadLetterConfig: { Arn: target.deadLetterArn },
  },
};

describe('the Scheduler schedule of a stored schedule', () => {
  it('is exactly this: cron in its own zone, no flexible window, retries, event age, DLQ, context input', () => {
    expect(scheduleCommandInput(SCHEDULE_ID, weekly, target)).toEqual(expectedScheduleInput);
    expect(SCHEDULE_RETRY_ATTEMPTS).toBe(20);
    expect(SCHEDULE_MAX_EVENT_AGE_SECONDS).toBe(6 * 3600);
  });

  it('is disabled, not deleted, when the schedule is', () => {
    const input = scheduleCommandInput(SCHEDULE_ID, { ...weekly, enabled: false }, target);
    expect(input.State).toBe('DISABLED');
  });

  it('runs a monthly schedule on its day of the month', () => {
    const monthly = parseScheduleInput({
      name: 'mid-month',
      kind: 'monthly',
      dayOfMonth: 15,
      time: '06:05',
      timeZone: 'America/New_York',
    });
    expect(scheduleCommandInput(SCHEDULE_ID, monthly, target)).toMatchObject({
      ScheduleExpression: 'cron(5 6 15 * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
  });

  it('makes "run now" a one-time schedule on the same target that deletes itself', () => {
    const input = oneTimeRunCommandInput(
      {
        runId: '01JDY0000000000000000000AA',
        requestedAt: '2026-11-25T10:00:00.000Z',
        requestedBy: 'admin-1',
        timeZone: 'UTC',
      },
      new Date('2026-11-25T10:00:30.000Z'),
      target,
    );
    expect(input).toEqual({
      Name: 'run-01JDY0000000000000000000AA',
      GroupName: 'proleads-dev',
      Description: 'Proleads distribution: run now',
      ScheduleExpression: 'at(2026-11-25T10:00:30)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: '01JDY0000000000000000000AA',
      Target: {
        ...expectedScheduleInput.Target,
        Input: JSON.stringify({
          trigger: 'manual',
          runId: '01JDY0000000000000000000AA',
          requestedAt: '2026-11-25T10:00:00.000Z',
          requestedBy: 'admin-1',
          timeZone: 'UTC',
          executionId: '<aws.scheduler.execution-id>',
          attemptNumber: '<aws.scheduler.attempt-number>',
        }),
      },
    });
  });
});

describe('ScheduleStore', () => {
  const scheduler = mockClient(SchedulerClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const now = new Date('2026-11-25T10:00:00Z');
  const store = () =>
    new ScheduleStore({
      doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
      controlTable: 'Control',
      scheduler: new SchedulerClient({ region: 'eu-west-1' }),
      target,
      now: () => now,
      newId: () => SCHEDULE_ID,
    });
  /** What was written to the table, in order, and what Scheduler was asked, interleaved. */
  const journal: string[] = [];
  /** Errors the next Scheduler calls throw, in order. */
  const schedulerFailures: Error[] = [];
  const failIfAsked = () => {
    const failure = schedulerFailures.shift();
    if (failure) throw failure;
  };

  beforeEach(() => {
    scheduler.reset();
    dynamo.reset();
    journal.length = 0;
    schedulerFailures.length = 0;
    dynamo.on(PutCommand).callsFake((input) => {
      journal.push(`put ${input.Item.sync}${input.Item.pendingOp ? ` ${input.Item.pendingOp}` : ''}`);
      return {};
    });
    dynamo.on(UpdateCommand).callsFake((input) => {
      journal.push(`update ${String(input.UpdateExpression).split(' ')[1]}`);
      return {};
    });
    dynamo.on(DeleteCommand).callsFake(() => {
      journal.push('delete item');
      return {};
    });
    scheduler.on(UpdateScheduleCommand).callsFake(() => {
      journal.push('scheduler update');
      throw new ResourceNotFoundException({
        message: 'Schedule does not exist.',
        Message: 'Schedule does not exist.',
        $metadata: {},
      });
    });
    scheduler.on(CreateScheduleCommand).callsFake(() => {
      journal.push('scheduler create');
      failIfAsked();
      return { ScheduleArn: `arn:aws:scheduler:eu-west-1:123456789012:schedule/proleads-dev/${SCHEDULE_ID}` };
    });
    scheduler.on(DeleteScheduleCommand).callsFake(() => {
      journal.push('scheduler delete');
      failIfAsked();
      return {};
    });
  });

  it('writes the item pending, then creates the schedule, then marks it synced', async () => {
    const { item } = await store().create(weekly);

    expect(journal).toEqual(['put pending upsert', 'scheduler update', 'scheduler create', 'update #sync']);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      ...expectedScheduleInput,
      ClientToken: `${SCHEDULE_ID}-v1`,
    });
    expect(item).toMatchObject({ sync: 'synced', version: 1 });
  });

  it('updates a schedule Scheduler already holds (a retried create finds it there)', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));

    await store().create(weekly);

    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toEqual({
      ...expectedScheduleInput,
      ClientToken: `${SCHEDULE_ID}-v1`,
    });
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('leaves the item pending with the reason when Scheduler fails, and a later read repairs it', async () => {
    schedulerFailures.push(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const { item } = await store().create(weekly);

    expect(item).toMatchObject({ sync: 'pending', syncError: 'ThrottlingException: Rate exceeded' });
    expect(journal).toEqual([
      'put pending upsert',
      'scheduler update',
      'scheduler create',
      'update syncError',
    ]);

    const pending: ScheduleItem = { ...item };
    dynamo.on(GetCommand).resolves({ Item: pending });
    journal.length = 0;
    const repaired = await store().get(SCHEDULE_ID);

    expect(journal).toEqual(['scheduler update', 'scheduler create', 'update #sync']);
    expect(repaired).toMatchObject({ sync: 'synced' });
  });

  it('deletes in Scheduler before removing the item, and finishes a delete Scheduler refused at first', async () => {
    const synced: ScheduleItem = {
      pk: 'SCHEDULE',
      sk: SCHEDULE_ID,
      scheduleId: SCHEDULE_ID,
      name: 'monday-morning',
      kind: 'weekly',
      dayOfWeek: 'MON',
      time: '09:30',
      timeZone: 'Europe/Berlin',
      enabled: true,
      version: 3,
      sync: 'synced',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    dynamo.on(GetCommand).resolves({ Item: synced });
    schedulerFailures.push(Object.assign(new Error('down'), { name: 'InternalServerException' }));

    const first = await store().remove(SCHEDULE_ID);

    expect(first.deleted).toBe(false);
    expect(first.item).toMatchObject({ sync: 'pending', pendingOp: 'delete', version: 4 });
    expect(journal).toEqual(['put pending delete', 'scheduler delete', 'update syncError']);

    dynamo.on(GetCommand).resolves({ Item: first.item });
    journal.length = 0;
    await expect(store().get(SCHEDULE_ID)).rejects.toThrow(`No schedule ${SCHEDULE_ID}`);
    expect(journal).toEqual(['scheduler delete', 'delete item']);
    expect(scheduler.commandCalls(DeleteScheduleCommand)[1]?.args[0].input).toEqual({
      Name: SCHEDULE_ID,
      GroupName: 'proleads-dev',
      ClientToken: `${SCHEDULE_ID}-v4`,
    });
  });

  it('shows the next three runs in the schedule zone, across the March change in Berlin', () => {
    const view = toScheduleView(
      {
        pk: 'SCHEDULE',
        sk: SCHEDULE_ID,
        scheduleId: SCHEDULE_ID,
        name: 'sunday',
        kind: 'weekly',
        dayOfWeek: 'SUN',
        time: '09:00',
        timeZone: 'Europe/Berlin',
        enabled: true,
        version: 1,
        sync: 'synced',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      new Date('2027-03-20T12:00:00Z'),
    );
    expect(view.nextRuns).toEqual([
      { at: '2027-03-21T08:00:00.000Z', local: '2027-03-21T09:00:00+01:00' },
      { at: '2027-03-28T07:00:00.000Z', local: '2027-03-28T09:00:00+02:00' },
      { at: '2027-04-04T07:00:00.000Z', local: '2027-04-04T09:00:00+02:00' },
    ]);
    expect(localIso(new Date('2027-01-01T00:00:00Z'), 'America/St_Johns')).toBe('2026-12-31T20:30:00-03:30');
  });
});
