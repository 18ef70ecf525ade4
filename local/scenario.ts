import { parse } from 'csv-parse/sync';
import {
  MemberUpsertResultSchema,
  type Overview,
  OverviewSchema,
  RunPageSchema,
  RunStartedSchema,
  type RunViewSchema,
  SchedulePageSchema,
  ScheduleResultSchema,
  SchedulerHealthSchema,
  type ScheduleViewSchema,
  UploadDetailSchema,
  UploadSlotSchema,
} from '../lambdas/functions/admin-api/answers';
import * as z from '../lambdas/shared/zod';
import type { DevRole } from './dev-identity';
import { DEV_SENT_EMAILS_PATH, DEV_TOKENS_PATH } from './dev-paths';
import { generateScenarioFiles } from './scenario-data';

/**
 * The demo scenario, as a real client runs it: over HTTP only, against a local stack's API origin. Both
 * `npm run demo` and the end-to-end test run this one function; every figure it returns is read back from
 * the API, none is computed here.
 * Steps: dev tokens -> each file through a presigned POST, waiting for its ingest -> every lead verified ->
 * members of each tier -> a weekly schedule -> a distribution now, waited for -> each member's CSV, the
 * emails sent, the uploads and the overview, read back.
 */

/** The members the scenario adds: a few of each tier, so each tier's quota shows in the run. */
export const SCENARIO_MEMBERS: Readonly<Record<string, number>> = { starter: 4, growth: 3, pro: 2, elite: 2 };
export const SCENARIO_SCHEDULE = {
  name: 'demo-weekly-top-up',
  kind: 'weekly',
  dayOfWeek: 'MON',
  time: '07:00',
  timeZone: 'Europe/London',
  enabled: true,
} as const;

export type ScenarioProgress =
  | { phase: 'ingest'; fileName: string; rowsRead: number; rows: number }
  | { phase: 'verification'; verified: number; accepted: number }
  | { phase: 'distribution'; startsAt: string; state: string }
  | { phase: 'step'; message: string };

export interface ScenarioOptions {
  readonly apiUrl: string;
  readonly seed: number;
  readonly onProgress?: (progress: ScenarioProgress) => void;
  /**
   * Until a requested run has started. By default, nothing: the stack's scheduler fires it on the wall
   * clock (about 30-40 s). Tests move the local scheduler's time to `startsAt` instead.
   */
  readonly untilRunStarts?: (startsAt: Date) => Promise<unknown>;
  /** How long to wait for each long step before giving up. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

type UploadDetail = z.infer<typeof UploadDetailSchema>;
type RunView = z.infer<typeof RunViewSchema>;
type ScheduleView = z.infer<typeof ScheduleViewSchema>;
type SchedulerHealth = z.infer<typeof SchedulerHealthSchema>;

const DevTokenSchema = z.object({ token: z.string() });
/** The part of aws-ses-v2-local's store the scenario reads. */
const SentEmailsSchema = z.object({
  emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }), subject: z.string() })),
});

export interface MemberOutcome {
  memberId: string;
  tier: string;
  weeklyQuota: number;
  /** Data rows of the member's own `GET /members/me/leads.csv`. */
  leadsInCsv: number;
  /** Mails the SES emulator holds for the member's address. */
  emailsReceived: number;
  emailSubjects: string[];
}

export interface ScenarioReport {
  seed: number;
  uploads: UploadDetail[];
  members: MemberOutcome[];
  schedule: ScheduleView;
  run: RunView;
  /** One member's CSV as the member downloads it. */
  sampleCsv: { memberId: string; tier: string; text: string };
  overview: Overview;
  schedulerHealth: SchedulerHealth;
}

export class ScenarioError extends Error {}

const INGESTED_STATES = ['verifying', 'queued'];
const FINISHED_RUN_STATES = ['succeeded', 'failed', 'skipped'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The API as a client sees it: JSON in and out, a clear error naming the call when it answers otherwise. */
export const apiClient = (apiUrl: string) => {
  const base = apiUrl.replace(/\/+$/, '');
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; expect?: number[] } = {},
  ) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new ScenarioError(`${method} ${base}${path} failed: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!(options.expect ?? [200]).includes(response.status))
      throw new ScenarioError(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return text;
  };
  return {
    text: call,
    /** The answer parsed with the route's own schema: a stack answering otherwise fails here, naming the field. */
    json: async <T>(schema: z.ZodMiniType<T>, ...args: Parameters<typeof call>): Promise<T> => {
      const parsed = schema.safeParse(JSON.parse(await call(...args)));
      if (!parsed.success)
        throw new ScenarioError(
          `${args[0]} ${args[1]} answered unexpectedly: ${z.prettifyError(parsed.error)}`,
        );
      return parsed.data;
    },
    token: async (role: DevRole, sub?: string) => {
      const query = new URLSearchParams({ role, ...(sub ? { sub } : {}) });
      return DevTokenSchema.parse(JSON.parse(await call('GET', `${DEV_TOKENS_PATH}?${query}`))).token;
    },
  };
};

export type ApiClient = ReturnType<typeof apiClient>;

/** Runs the whole scenario and returns what the API says about it. */
export const runScenario = async (options: ScenarioOptions): Promise<ScenarioReport> => {
  const api = apiClient(options.apiUrl);
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 250;
  const progress = options.onProgress ?? (() => undefined);
  const { tag, files } = generateScenarioFiles(options.seed);
  const admin = await api.token('admin', 'demo-admin');

  /** Polls `read` until `done` holds, or fails naming what it waited for. */
  const waitFor = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline)
        throw new ScenarioError(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
      await sleep(pollMs);
    }
  };
  const readUpload = (uploadId: string) =>
    api.json(UploadDetailSchema, 'GET', `/admin/uploads/${uploadId}`, { token: admin });

  const uploadIds: string[] = [];
  for (const file of files) {
    progress({ phase: 'step', message: `Uploading ${file.name} (${file.rows.length} rows)` });
    const slot = await api.json(UploadSlotSchema, 'POST', '/admin/uploads', {
      token: admin,
      body: { fileName: file.name, sizeBytes: Buffer.byteLength(file.content) },
      expect: [201],
    });
    await postToS3(slot.upload, file.content, file.name);
    // One file at a time: the second's repeats of the first are then "of an earlier upload", as in real use.
    await waitFor(
      `the ingest of ${file.name}`,
      () => readUpload(slot.uploadId),
      (upload) => {
        if (upload.state === 'failed' || upload.state === 'duplicate_file')
          throw new ScenarioError(`${file.name}: ${upload.state} ${upload.failureReason ?? ''}`.trim());
        progress({
          phase: 'ingest',
          fileName: file.name,
          rowsRead: upload.progress.rowsRead,
          rows: file.rows.length,
        });
        return INGESTED_STATES.includes(upload.state);
      },
    );
    uploadIds.push(slot.uploadId);
  }

  await waitFor(
    'every lead to be verified',
    () => Promise.all(uploadIds.map(readUpload)),
    (uploads) => {
      const sum = (pick: (upload: UploadDetail) => number) =>
        uploads.reduce((total, upload) => total + pick(upload), 0);
      progress({
        phase: 'verification',
        verified: sum((upload) => upload.progress.verified),
        accepted: sum((upload) => upload.counts.accepted),
      });
      return uploads.every((upload) => upload.state === 'queued');
    },
  );

  progress({ phase: 'step', message: 'Adding members of each tier' });
  const members: z.infer<typeof MemberUpsertResultSchema>['member'][] = [];
  for (const [tier, count] of Object.entries(SCENARIO_MEMBERS)) {
    for (let n = 1; n <= count; n++) {
      const id = `demo-${tag}-${tier}-${n}`;
      const { member } = await api.json(MemberUpsertResultSchema, 'PUT', `/admin/members/${id}`, {
        token: admin,
        body: {
          email: `${id}@members.example`,
          name: `Demo ${tier} ${n}`,
          tier,
          subscriptionStatus: 'active',
        },
        expect: [200, 201],
      });
      members.push(member);
    }
  }

  progress({ phase: 'step', message: 'Creating a weekly schedule' });
  const schedule = await ensureSchedule(api, admin);

  progress({ phase: 'step', message: 'Running a distribution now' });
  const requested = await api.json(RunStartedSchema, 'POST', '/admin/distributions', {
    token: admin,
    body: {},
    expect: [202],
  });
  await options.untilRunStarts?.(new Date(requested.startsAt));
  const run = await waitFor(
    `distribution run ${requested.runId}`,
    async () =>
      (await api.json(RunPageSchema, 'GET', '/admin/distributions?limit=20', { token: admin })).runs.find(
        (candidate) => candidate.runId === requested.runId,
      ),
    (found) => {
      progress({ phase: 'distribution', startsAt: requested.startsAt, state: found?.state ?? 'scheduled' });
      return found !== undefined && FINISHED_RUN_STATES.includes(found.state);
    },
  );
  if (run?.state !== 'succeeded')
    throw new ScenarioError(
      `run ${requested.runId} ${run?.state}: ${run?.error ?? run?.skippedReason ?? ''}`,
    );

  progress({ phase: 'step', message: "Reading back members' CSVs, emails and the overview" });
  const { emails } = await api.json(SentEmailsSchema, 'GET', DEV_SENT_EMAILS_PATH);
  const csvs = new Map<string, string>();
  const outcomes: MemberOutcome[] = [];
  for (const member of members) {
    const text = await api.text('GET', '/members/me/leads.csv', {
      token: await api.token('member', member.id),
    });
    csvs.set(member.id, text);
    const received = emails.filter((email) => email.destination.to.includes(member.email));
    outcomes.push({
      memberId: member.id,
      tier: member.tier,
      weeklyQuota: member.weeklyQuota,
      leadsInCsv: (parse(text, { columns: true, bom: true }) as unknown[]).length,
      emailsReceived: received.length,
      emailSubjects: received.map((email) => email.subject),
    });
  }
  const sample = outcomes.find((outcome) => outcome.tier === 'starter') ?? outcomes[0];
  if (!sample) throw new ScenarioError('the scenario added no members');

  return {
    seed: options.seed,
    uploads: await Promise.all(uploadIds.map(readUpload)),
    members: outcomes,
    schedule,
    run,
    sampleCsv: { memberId: sample.memberId, tier: sample.tier, text: csvs.get(sample.memberId) ?? '' },
    overview: await api.json(OverviewSchema, 'GET', '/admin/overview', { token: admin }),
    schedulerHealth: await api.json(SchedulerHealthSchema, 'GET', '/admin/scheduler/health', {
      token: admin,
    }),
  };
};

/** The browser's part of an upload: the presigned fields, then the file, as one multipart POST to S3. */
export const postToS3 = async (
  slot: { url: string; fields: Record<string, string> },
  content: string,
  name: string,
) => {
  const form = new FormData();
  for (const [field, value] of Object.entries(slot.fields)) form.append(field, value);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  const response = await fetch(slot.url, { method: 'POST', body: form });
  if (response.status >= 300)
    throw new ScenarioError(`S3 refused the upload of ${name}: ${response.status} ${await response.text()}`);
};

/** The demo's weekly schedule: created once, found by name on later runs against a stack that keeps data. */
const ensureSchedule = async (api: ApiClient, token: string): Promise<ScheduleView> => {
  const { schedules } = await api.json(SchedulePageSchema, 'GET', '/admin/schedules', { token });
  const existing = schedules.find((schedule) => schedule.name === SCENARIO_SCHEDULE.name);
  if (existing) return existing;
  const created = await api.json(ScheduleResultSchema, 'POST', '/admin/schedules', {
    token,
    body: SCENARIO_SCHEDULE,
    expect: [201, 202],
  });
  return created.schedule;
};
