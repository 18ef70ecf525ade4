import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { newestRuns, readHeartbeat, readRunById } from '../../distribution/adapters/run-store';
import type { previewDistribution } from '../../distribution/run/plan';
import { oneTimeRunCommandInput, type SchedulerTarget } from '../../schedules/adapters/scheduler-commands';
import type { DocumentClient } from '../../shared/dynamo';
import { HttpError, NotFoundError } from '../../shared/errors';
import { json, parseJsonBody, parsePathParameters, parseQuery, type RouteHandler } from '../../shared/http';
import { RUN_PK, type RunItem } from '../../shared/model';
import * as z from '../../shared/zod';
import type { RunViewSchema } from './answers';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import {
  type Heartbeat,
  HeartbeatSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunNowBodySchema,
} from './schemas';

export interface DistributionRoutesDeps {
  /** The distribution's own planning, writing nothing (a dry run). */
  readonly preview: (options: { timeZone: string }) => ReturnType<typeof previewDistribution>;
  readonly scheduler: Pick<SchedulerClient, 'send'>;
  readonly target: SchedulerTarget;
  readonly doc: DocumentClient;
  readonly controlTable: string;
  readonly defaultTimeZone: string;
  readonly now: () => Date;
  readonly newId: () => string;
}

const cursorKeySchema = z.strictObject({ pk: z.literal(RUN_PK), sk: keyPart() });

/** A run starts this long after "run now": Scheduler's one-time schedules have one-minute precision. */
const RUN_NOW_DELAY_MS = 30_000;

export const runView = (
  run: RunItem & { uploadsTouched?: Set<string> | string[]; stats?: { shortfall?: number } },
): z.infer<typeof RunViewSchema> => ({
  runId: run.runId,
  trigger: run.trigger,
  state: run.state,
  ...(run.scheduleId ? { scheduleId: run.scheduleId } : {}),
  ...(run.requestedBy ? { requestedBy: run.requestedBy } : {}),
  runAt: run.runAt,
  weekKey: run.weekKey,
  timeZone: run.timeZone,
  startedAt: run.startedAt,
  endedAt: run.endedAt ?? null,
  attempts: run.attempts,
  leadsAssigned: run.leadsAssigned ?? 0,
  membersServed: run.membersServed ?? 0,
  membersShort: run.membersShort ?? 0,
  leadsShort: run.stats?.shortfall ?? 0,
  membersNotified: run.membersNotified ?? 0,
  notifiedUnknown: run.notifiedUnknown ?? 0,
  membersNotMailed: run.membersNotMailed ?? 0,
  uploadsTouched: [...(run.uploadsTouched ?? [])].sort(),
  uploadsExhausted: run.uploadsExhausted ?? [],
  ...(run.skippedReason ? { skippedReason: run.skippedReason } : {}),
  ...(run.error ? { error: run.error } : {}),
});

/** The heartbeat item as the API shows it: its own fields only (no keys), checked against the contract. */
export const heartbeatView = (item: object): Heartbeat =>
  HeartbeatSchema.parse(
    Object.fromEntries(Object.entries(item).filter(([name]) => Object.hasOwn(HeartbeatSchema.shape, name))),
  );

/**
 * Run now, or plan without running (dry run), and the run history. A real run goes through Scheduler as a
 * one-time schedule on the same target, retry policy and dead-letter queue as the recurring ones, so it
 * takes exactly the scheduled code path; a dry run is computed here and writes nothing.
 */
export const distributionRoutes = (deps: DistributionRoutesDeps): Record<string, RouteHandler> => ({
  'POST /admin/distributions': async ({ event, principal }) => {
    const body = event.body ? parseJsonBody(RunNowBodySchema, event) : RunNowBodySchema.parse({});
    const timeZone = body.timeZone ?? deps.defaultTimeZone;
    if (body.dryRun) return json(200, await deps.preview({ timeZone }));
    const now = deps.now();
    const runId = deps.newId();
    const requestedAt = now.toISOString();
    const startsAt = new Date(Math.ceil((now.getTime() + RUN_NOW_DELAY_MS) / 1000) * 1000);
    try {
      await deps.scheduler.send(
        new CreateScheduleCommand(
          oneTimeRunCommandInput(
            { runId, requestedAt, requestedBy: principal?.sub ?? 'unknown', timeZone },
            startsAt,
            deps.target,
          ),
        ),
      );
    } catch (error) {
      throw new HttpError(
        503,
        'SchedulerUnavailable',
        `The run could not be handed to EventBridge Scheduler (${(error as Error).name}); nothing was started, try again`,
      );
    }
    return json(202, { runId, requestedAt, startsAt: startsAt.toISOString(), timeZone });
  },

  'GET /admin/distributions': async ({ event }) => {
    const query = parseQuery(RunListQuerySchema, event);
    const [page, heartbeat] = await Promise.all([
      newestRuns(deps.doc, deps.controlTable, {
        limit: query.limit,
        cursor: decodeCursor(query.cursor, cursorKeySchema),
      }),
      readHeartbeat(deps.doc, deps.controlTable),
    ]);
    return json(200, {
      runs: page.runs.map(runView),
      heartbeat: heartbeat ? heartbeatView(heartbeat) : null,
      nextCursor: encodeCursor(page.nextKey),
    });
  },

  'GET /admin/distributions/{id}': async ({ event }) => {
    const { id } = parsePathParameters(RunIdParamsSchema, event);
    const run = await readRunById(deps.doc, deps.controlTable, id);
    if (!run) throw new NotFoundError(`No distribution run ${id}`);
    return json(200, { run: runView(run) });
  },
});
