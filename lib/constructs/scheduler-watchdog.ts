import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import { DLQ_ENV_PREFIX } from '../../lambdas/contracts/limits';
import type { AppConfig } from '../config';
import { ProleadsFunction } from './lambda-function';
import type { Storage } from './storage';

export interface SchedulerWatchdogProps {
  readonly config: AppConfig;
  readonly storage: Storage;
  /** Every dead-letter queue of the stack, by the name the health report gives it. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Other functions that assess the scheduler's health too (the admin API's health route). */
  readonly readers: readonly ProleadsFunction[];
}

/** How often the watchdog assesses the scheduler; the overdue alarm's period is built on it. */
export const WATCHDOG_INTERVAL = Duration.minutes(5);

/**
 * The scheduler watchdog: a function an EventBridge rule runs every WATCHDOG_INTERVAL to assess the
 * scheduler (overdue schedules, failed runs, dead letters, supply) and publish it as metrics the alarms
 * watch. It also grants every reader of the scheduler's health what the assessment reads.
 */
export class SchedulerWatchdog extends Construct {
  readonly function: ProleadsFunction;

  constructor(scope: Construct, id: string, props: SchedulerWatchdogProps) {
    super(scope, id);
    this.function = new ProleadsFunction(this, 'WatchdogFn', {
      folder: 'scheduler-watchdog',
      description:
        'Assesses the distribution scheduler every few minutes and publishes the verdict as metrics',
      timeout: Duration.seconds(60),
      memorySize: 256,
    });
    new Rule(this, 'EveryInterval', {
      description: 'Runs the scheduler watchdog',
      schedule: Schedule.rate(WATCHDOG_INTERVAL),
      // A missed assessment is replaced by the next one; retrying a stale one adds nothing.
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
    for (const reader of [this.function, ...props.readers]) grantHealthReading(reader, props);
  }
}

/** What assessing the scheduler's health reads: the control table, the DLQ depths, the overdue slack. */
const grantHealthReading = (reader: ProleadsFunction, props: SchedulerWatchdogProps) => {
  reader
    .bindTable(props.storage.control, TABLE_ENV.control, ['dynamodb:GetItem', 'dynamodb:Query'])
    .addEnvironment('SCHEDULE_OVERDUE_SLACK_MINUTES', String(props.config.distribution.overdueSlackMinutes));
  for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
    reader.addEnvironment(`${DLQ_ENV_PREFIX}${name.toUpperCase()}`, queue.queueUrl);
    queue.grant(reader, 'sqs:GetQueueAttributes');
  }
};
