import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Cron } from 'croner';
import {
  civilDateTimeAt,
  firstInstantAtOrAfterCivil,
  isKnownTimeZone,
} from '../lambdas/schedules/domain/zoned-time';
import { awsClientConfig } from '../lambdas/shared/aws';
import { listenOnLoopback } from './listen';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalResources } from './resources';
import { type CfnTemplate, resourcesOfType } from './template';

/**
 * EventBridge Scheduler on localhost: no emulator exists on npm, so this adapter speaks the part of
 * Scheduler's REST-JSON API the admin API uses (Create/Update/Delete/GetSchedule, through the real
 * `@aws-sdk/client-scheduler` pointed here by AWS_ENDPOINT_URL_SCHEDULER) and fires targets the way
 * Scheduler does:
 *  - `cron(...)` in the schedule's time zone (croner), skipping a time a DST change removes, as Scheduler
 *    does; `at(...)` once, then deleted when ActionAfterCompletion is DELETE;
 *  - the input's context attributes (<aws.scheduler.schedule-arn>, scheduled-time, execution-id,
 *    attempt-number) substituted;
 *  - the target invoked like Lambda's async invocation: a function error is retried up to twice, then the
 *    event goes to the schedule's dead-letter queue.
 * Time moves by the wall clock (`start()`, used by `npm start`) or by `runDue(at)` (tests).
 * Not reproduced: flexible time windows (all ours are OFF), rate() expressions, StartDate/EndDate,
 * KMS keys, schedule-group CRUD (groups come from the template).
 */

export interface LocalSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: number;
  LastModificationDate: number;
  /** local bookkeeping: occurrences up to here were handled */
  cursor: number;
}

export interface Invocation {
  schedule: string;
  scheduledTime: string;
  attempts: number;
  outcome: 'succeeded' | 'failed';
  result?: unknown;
  error?: string;
}

export interface LocalScheduler {
  readonly url: string;
  /** Every schedule Scheduler holds, keyed `group/name`. */
  list(): LocalSchedule[];
  /** Fires every occurrence due up to `at`, oldest first; `deliveries` > 1 delivers each one that often at once. */
  runDue(at: Date, options?: { deliveries?: number }): Promise<Invocation[]>;
  /** The next `count` API calls answer this error (for repair tests). */
  failNextCalls(count: number, errorName?: string): void;
  /** API calls received, in order: operation and schedule name. */
  readonly calls: { operation: string; name: string }[];
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

export interface LocalSchedulerOptions {
  readonly template: CfnTemplate;
  readonly resources: LocalResources;
  readonly invoke: (logicalId: string, event: unknown) => Promise<unknown>;
  /** Keep schedules here across restarts (`npm start` without --in-memory). */
  readonly dataDir?: string;
  /** Pause between async-invocation retries; Lambda waits about a minute, tests need not. */
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

class SchedulerApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Scheduler's cron (six fields, `?`, 1-7 = SUN-SAT) as croner's five fields (0-6 = SUN-SAT). */
export const toCronerPattern = (expression: string): string => {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = match?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6)
    throw new SchedulerApiError(400, 'ValidationException', `Invalid Schedule Expression ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (year !== '*')
    throw new SchedulerApiError(
      400,
      'ValidationException',
      `The local scheduler supports only year '*' (${expression})`,
    );
  const weekdayWithoutNames = dayOfWeek.replace(/MON|TUE|WED|THU|FRI|SAT|SUN/gi, '');
  if (/[LW]/.test(dayOfMonth) || /[L#]/.test(weekdayWithoutNames))
    throw new SchedulerApiError(
      400,
      'ValidationException',
      `The local scheduler does not support L, W or # (${expression})`,
    );
  const weekday = dayOfWeek.replace(/\d+/g, (day) => String(Number(day) - 1));
  return [minute, hour, dayOfMonth, month, weekday].map((field) => (field === '?' ? '*' : field)).join(' ');
};

/** The instant of `at(yyyy-mm-ddThh:mm:ss)` in the zone. */
const atInstant = (expression: string, timeZone: string): number => {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression.trim());
  if (!match)
    throw new SchedulerApiError(400, 'ValidationException', `Invalid Schedule Expression ${expression}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return firstInstantAtOrAfterCivil({ year, month, day, hour, minute, second }, timeZone).getTime();
};

/** Occurrences of a schedule in (after, until], oldest first, as Scheduler would fire them. */
export const occurrences = (
  schedule: Pick<LocalSchedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>,
  after: number,
  until: number,
): number[] => {
  const zone = schedule.ScheduleExpressionTimezone;
  if (schedule.ScheduleExpression.startsWith('at(')) {
    const at = atInstant(schedule.ScheduleExpression, zone);
    return at > after && at <= until ? [at] : [];
  }
  const pattern = toCronerPattern(schedule.ScheduleExpression);
  const [minuteField, hourField] = pattern.split(' ');
  const fixedTime = /^\d+$/.test(minuteField ?? '') && /^\d+$/.test(hourField ?? '');
  const cron = new Cron(pattern, { timezone: zone });
  const found: number[] = [];
  let cursor: Date | null = new Date(after);
  for (;;) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor.getTime() > until) break;
    // Croner moves a wall-clock time a DST change removes to the end of the gap; Scheduler skips it.
    if (fixedTime) {
      const local = civilDateTimeAt(cursor, zone);
      if (local.hour !== Number(hourField) || local.minute !== Number(minuteField)) continue;
    }
    found.push(cursor.getTime());
  }
  return found;
};

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
};

export const startLocalScheduler = async (options: LocalSchedulerOptions): Promise<LocalScheduler> => {
  const now = options.now ?? (() => new Date());
  const stateFile = options.dataDir ? path.join(options.dataDir, 'scheduler.json') : undefined;
  const schedules = new Map<string, LocalSchedule>();
  if (stateFile && existsSync(stateFile)) {
    // Occurrences missed while stopped are not fired: the cursor starts now.
    for (const schedule of JSON.parse(readFileSync(stateFile, 'utf8')) as LocalSchedule[])
      schedules.set(`${schedule.GroupName}/${schedule.Name}`, { ...schedule, cursor: now().getTime() });
  }
  const save = () => {
    if (stateFile) writeFileSync(stateFile, JSON.stringify([...schedules.values()], null, 2));
  };
  const groups = new Set([
    'default',
    ...resourcesOfType(options.template, 'AWS::Scheduler::ScheduleGroup').map(([, resource]) =>
      String(resource.Properties?.Name),
    ),
  ]);
  const sqs = new SQSClient(awsClientConfig(options.resources.baseEnv, 'SQS'));
  const calls: { operation: string; name: string }[] = [];
  let failures: { count: number; errorName: string } = { count: 0, errorName: 'InternalServerException' };

  const validate = (body: Record<string, unknown>, name: string, group: string): LocalSchedule => {
    if (!/^[0-9A-Za-z._-]{1,64}$/.test(name))
      throw new SchedulerApiError(400, 'ValidationException', `Invalid name ${name}`);
    if (!groups.has(group))
      throw new SchedulerApiError(
        404,
        'ResourceNotFoundException',
        `Schedule group ${group} does not exist.`,
      );
    const zone = String(body.ScheduleExpressionTimezone ?? 'UTC');
    if (!isKnownTimeZone(zone))
      throw new SchedulerApiError(400, 'ValidationException', `Invalid time zone ${zone}`);
    const expression = String(body.ScheduleExpression ?? '');
    occurrences({ ScheduleExpression: expression, ScheduleExpressionTimezone: zone }, 0, 0);
    const target = body.Target as LocalSchedule['Target'] | undefined;
    if (!target?.Arn || !target.RoleArn)
      throw new SchedulerApiError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required');
    const window = body.FlexibleTimeWindow as LocalSchedule['FlexibleTimeWindow'] | undefined;
    if (!window?.Mode)
      throw new SchedulerApiError(400, 'ValidationException', 'FlexibleTimeWindow is required');
    const at = now().getTime();
    return {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${group}/${name}`,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: zone,
      State: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      Description: body.Description as string | undefined,
      FlexibleTimeWindow: window,
      ActionAfterCompletion: body.ActionAfterCompletion as string | undefined,
      Target: target,
      CreationDate: Math.floor(at / 1000),
      LastModificationDate: Math.floor(at / 1000),
      cursor: at,
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    if (!match)
      throw new SchedulerApiError(404, 'ResourceNotFoundException', `No operation at ${url.pathname}`);
    const name = decodeURIComponent(match[1] ?? '');
    const method = request.method ?? 'GET';
    const body = method === 'POST' || method === 'PUT' ? await readBody(request) : {};
    const group = String(body.GroupName ?? url.searchParams.get('groupName') ?? 'default');
    const key = `${group}/${name}`;
    const operation = {
      POST: 'CreateSchedule',
      PUT: 'UpdateSchedule',
      DELETE: 'DeleteSchedule',
      GET: 'GetSchedule',
    }[method];
    if (!operation) throw new SchedulerApiError(405, 'ValidationException', `${method} is not supported`);
    calls.push({ operation, name });
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      throw new SchedulerApiError(500, failures.errorName, 'Injected failure (local scheduler)');
    }
    const existing = schedules.get(key);
    if (operation === 'CreateSchedule') {
      if (existing) throw new SchedulerApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      const schedule = validate(body, name, group);
      schedules.set(key, schedule);
      save();
      return send(response, 200, { ScheduleArn: schedule.Arn });
    }
    if (!existing)
      throw new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (operation === 'UpdateSchedule') {
      const schedule = {
        ...validate(body, name, group),
        CreationDate: existing.CreationDate,
        cursor: Math.max(existing.cursor, now().getTime()),
      };
      schedules.set(key, schedule);
      save();
      return send(response, 200, { ScheduleArn: schedule.Arn });
    }
    if (operation === 'DeleteSchedule') {
      schedules.delete(key);
      save();
      return send(response, 200, {});
    }
    const { cursor: _cursor, ...view } = existing;
    return send(response, 200, view);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof SchedulerApiError)
        send(response, error.status, { Message: error.message }, error.type);
      else send(response, 500, { Message: String(error) }, 'InternalServerException');
    });
  });
  const url = await listenOnLoopback(server);

  const targetLogicalId = (arn: string) =>
    [...options.resources.byLogicalId.entries()].find(([, resource]) => resource.arn === arn)?.[0];
  const queueUrlOf = (arn: string | undefined) =>
    arn
      ? [...options.resources.byLogicalId.values()].find((resource) => resource.arn === arn)?.ref
      : undefined;

  /** One delivery of one occurrence, with Lambda's async retries and the dead-letter queue. */
  const deliver = async (schedule: LocalSchedule, scheduledTime: string): Promise<Invocation> => {
    const logicalId = targetLogicalId(schedule.Target.Arn);
    const maxAttempts = 3;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const input = (schedule.Target.Input ?? '{}')
        .replaceAll('<aws.scheduler.schedule-arn>', schedule.Arn)
        .replaceAll('<aws.scheduler.scheduled-time>', scheduledTime)
        .replaceAll('<aws.scheduler.execution-id>', randomUUID())
        .replaceAll('<aws.scheduler.attempt-number>', String(attempt));
      try {
        if (!logicalId) throw new Error(`No local function with ARN ${schedule.Target.Arn}`);
        const result = await options.invoke(logicalId, JSON.parse(input));
        return { schedule: schedule.Name, scheduledTime, attempts: attempt, outcome: 'succeeded', result };
      } catch (error) {
        lastError = (error as Error).message ?? String(error);
        if (attempt < maxAttempts && options.retryDelayMs)
          await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      }
    }
    const queueUrl = queueUrlOf(schedule.Target.DeadLetterConfig?.Arn);
    if (queueUrl) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ schedule: schedule.Arn, scheduledTime, error: lastError }),
        }),
      );
    }
    console.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'scheduled invocation failed',
        schedule: schedule.Name,
        scheduledTime,
        error: lastError,
      }),
    );
    return {
      schedule: schedule.Name,
      scheduledTime,
      attempts: maxAttempts,
      outcome: 'failed',
      error: lastError,
    };
  };

  let running: Promise<unknown> = Promise.resolve();
  const runDue = (at: Date, runOptions: { deliveries?: number } = {}): Promise<Invocation[]> => {
    // One sweep at a time, like a single scheduler.
    const sweep = running.then(async () => {
      const due: { schedule: LocalSchedule; at: number }[] = [];
      for (const schedule of schedules.values()) {
        const from = schedule.cursor;
        schedule.cursor = Math.max(schedule.cursor, at.getTime());
        if (schedule.State !== 'ENABLED') continue;
        for (const occurrence of occurrences(schedule, from, at.getTime()))
          due.push({ schedule, at: occurrence });
      }
      due.sort((a, b) => a.at - b.at);
      const invocations: Invocation[] = [];
      for (const { schedule, at: occurrence } of due) {
        const scheduledTime = new Date(occurrence).toISOString().replace('.000Z', 'Z');
        const deliveries = await Promise.all(
          Array.from({ length: runOptions.deliveries ?? 1 }, () => deliver(schedule, scheduledTime)),
        );
        invocations.push(...deliveries);
        if (schedule.ScheduleExpression.startsWith('at(') && schedule.ActionAfterCompletion === 'DELETE')
          schedules.delete(`${schedule.GroupName}/${schedule.Name}`);
      }
      save();
      return invocations;
    });
    running = sweep.catch(() => undefined);
    return sweep;
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    url,
    calls,
    list: () => [...schedules.values()],
    runDue,
    failNextCalls(count, errorName = 'InternalServerException') {
      failures = { count, errorName };
    },
    start(pollMs = 10_000) {
      timer = setInterval(() => {
        runDue(now()).catch((error) => console.error('local scheduler sweep failed', error));
      }, pollMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
};
