import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import {
  MemberDetailSchema,
  MemberLeadPageSchema,
  MemberPageSchema,
  RunDetailSchema,
  RunPageSchema,
} from '../../lambdas/functions/admin-api/answers';
import { type LeadStatus, MEMBER_DIRECTORY_PK, memberKey } from '../../lambdas/shared/model';
import { ADMIN, callApi, runDistributionNow } from '../support/api';
import { seedQueuedUpload, tablesOf } from '../support/distribution';
import { useLocalStack } from '../support/local-stack';

/**
 * The routes the admin console reads a member's and a run's detail with, through the front door and the
 * admin authorizer against the emulators: a real distribution run makes the assignments and the run item
 * they show. Every answer is parsed with its strict schema, so it is exactly what the API document says.
 */
interface Body {
  [field: string]: unknown;
}

describe("the console's member and run routes", () => {
  // A run serves every eligible member from every queued upload: other files' members and leads would share it.
  const stack = useLocalStack({ fresh: true });
  const tag = randomBytes(3).toString('hex');
  const ids = {
    starter: `c-${tag}-starter`,
    elite: `c-${tag}-elite`,
    paused: `c-${tag}-paused`,
    neverServed: `c-${tag}-new`,
  };
  const runId = ulid();

  const request = (method: string, path: string, body?: unknown) =>
    callApi<Body>(stack.current, ADMIN, method, path, body);
  const get = (path: string) => request('GET', path);
  const putMember = (id: string, tier: string, subscriptionStatus = 'active') =>
    request('PUT', `/admin/members/${id}`, {
      email: `${id}@members.example`,
      name: `Member ${id}`,
      tier,
      subscriptionStatus,
    });

  beforeAll(async () => {
    const uploadId = ulid();
    await seedQueuedUpload(documentClient(stack.current), tablesOf(stack.current), {
      uploadId,
      createdAt: '2020-01-01T00:00:00.000Z',
      statuses: Array.from({ length: 120 }, (): LeadStatus => 'deliverable'),
    });
    expect((await putMember(ids.starter, 'starter')).status).toBe(201);
    expect((await putMember(ids.elite, 'elite')).status).toBe(201);
    expect((await putMember(ids.paused, 'elite', 'paused')).status).toBe(201);
    await runDistributionNow(stack.current, { runId });
    // Joins the roster after the run, so it is owed leads it has not had.
    expect((await putMember(ids.neverServed, 'starter')).status).toBe(201);
  }, 60_000);

  describe('GET /admin/members/{id}', () => {
    it("shows the member and this week's deliveries against the quota", async () => {
      const { status, body } = await get(`/admin/members/${ids.starter}`);
      expect(status).toBe(200);
      MemberDetailSchema.parse(body);
      expect(body.member).toMatchObject({
        id: ids.starter,
        tier: 'starter',
        eligible: true,
        weeklyQuota: 10,
      });
      expect(body.thisWeek).toMatchObject({ timeZone: 'UTC', received: 10, weeklyQuota: 10, owed: 0 });
      expect((body.thisWeek as { lastServedAt: string | null }).lastServedAt).not.toBeNull();
    });

    it('shows a member nothing was delivered to yet as owed the whole quota', async () => {
      const { body } = await get(`/admin/members/${ids.neverServed}`);
      expect(body.thisWeek).toMatchObject({ received: 0, owed: 10, lastServedAt: null });
    });

    it('answers 404 for an unknown member and 400 for a malformed id', async () => {
      const unknown = await get(`/admin/members/c-${tag}-nobody`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: 'NotFound', message: `No member c-${tag}-nobody` });
      const malformed = await get(`/admin/members/${'x'.repeat(65)}`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe('BadRequest');
    });
  });

  describe('GET /admin/members/{id}/leads', () => {
    it('pages through the delivered leads, newest first, each exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const { status, body }: { status: number; body: Body } = await get(
          `/admin/members/${ids.elite}/leads?limit=40${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(status).toBe(200);
        MemberLeadPageSchema.parse(body);
        const leads = body.leads as { uploadId: string; row: number; runId: string; assignedAt: string }[];
        for (const lead of leads) {
          expect(lead.runId).toBe(runId);
          seen.push(`${lead.uploadId}#${lead.row}`);
        }
        const times = leads.map((lead) => lead.assignedAt);
        expect(times).toEqual([...times].sort().reverse());
        cursor = body.nextCursor as string | null;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toHaveLength(100);
      expect(new Set(seen).size).toBe(100);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('gives a lead its contact fields as delivered', async () => {
      const { body } = await get(`/admin/members/${ids.starter}/leads?limit=1`);
      const [lead] = body.leads as Record<string, unknown>[];
      expect(lead).toMatchObject({ email: expect.stringContaining('@'), firstName: expect.any(String) });
      expect(Object.keys(lead ?? {})).not.toContain('pk');
    });

    it('lists nothing for a member who has received nothing', async () => {
      expect((await get(`/admin/members/${ids.paused}/leads`)).body).toEqual({ leads: [], nextCursor: null });
    });

    it("refuses another member's cursor, a bad limit and an unknown member", async () => {
      const { body } = await get(`/admin/members/${ids.elite}/leads?limit=1`);
      const foreign = await get(`/admin/members/${ids.starter}/leads?cursor=${body.nextCursor}`);
      expect(foreign.status).toBe(400);
      expect(foreign.body.message).toBe('Invalid query string: cursor: not a cursor this API issued');
      expect((await get(`/admin/members/${ids.elite}/leads?limit=0`)).status).toBe(400);
      expect((await get(`/admin/members/${ids.elite}/leads?sort=asc`)).status).toBe(400);
      expect((await get(`/admin/members/c-${tag}-nobody/leads`)).status).toBe(404);
    });
  });

  describe('GET /admin/members filtered by eligibility and tier', () => {
    const listed = async (query: string) => {
      const found: { id: string; tier: string; eligible: boolean }[] = [];
      let cursor: string | null = null;
      do {
        const { status, body }: { status: number; body: Body } = await get(
          `/admin/members?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(status).toBe(200);
        MemberPageSchema.parse(body);
        found.push(...(body.members as typeof found));
        cursor = body.nextCursor as string | null;
      } while (cursor);
      return found.filter((member) => member.id.startsWith(`c-${tag}-`)).map((member) => member.id);
    };

    it('lists a tier, its eligible members, its other members, and every member who is not eligible', async () => {
      expect((await listed('tier=elite')).sort()).toEqual([ids.elite, ids.paused].sort());
      expect(await listed('tier=elite&eligible=true')).toEqual([ids.elite]);
      expect(await listed('tier=elite&eligible=false')).toEqual([ids.paused]);
      expect(await listed('eligible=false')).toEqual([ids.paused]);
      expect((await listed('tier=starter')).sort()).toEqual([ids.neverServed, ids.starter].sort());
    });

    it('indexes a member written before the tier index existed at its next sync', async () => {
      const id = `c-${tag}-legacy`;
      const now = new Date().toISOString();
      await documentClient(stack.current).send(
        new PutCommand({
          TableName: tablesOf(stack.current).members,
          Item: {
            ...memberKey(id),
            memberId: id,
            email: `${id}@members.example`,
            name: `Member ${id}`,
            tier: 'growth',
            subscriptionStatus: 'paused',
            subscriptionEndsAt: null,
            weeklyQuotaOverride: null,
            version: 1,
            counted: { eligible: false, tier: 'growth', weeklyQuota: 25 },
            createdAt: now,
            updatedAt: now,
            gsi2pk: MEMBER_DIRECTORY_PK,
            gsi2sk: id,
          },
        }),
      );
      expect(await listed('tier=growth')).toEqual([]);
      // The platform's next sync sends the same content: written again once, with its index keys.
      expect((await putMember(id, 'growth', 'paused')).body.outcome).toBe('updated');
      expect((await putMember(id, 'growth', 'paused')).body.outcome).toBe('unchanged');
      expect(await listed('tier=growth&eligible=false')).toEqual([id]);
      expect(await listed('eligible=false')).toContain(id);
    });

    it('refuses an unknown tier, and a cursor of another filter', async () => {
      const unknown = await get('/admin/members?tier=platinum');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe("Invalid query string: tier: 'platinum' is not a configured tier");
      const { body } = await get('/admin/members?limit=1&tier=elite');
      const crossed = await get(`/admin/members?tier=starter&cursor=${body.nextCursor}`);
      expect(crossed.status).toBe(400);
    });
  });

  describe('GET /admin/distributions/{id}', () => {
    it("shows the run's trigger, times, counts and uploads", async () => {
      const { status, body } = await get(`/admin/distributions/${runId}`);
      expect(status).toBe(200);
      RunDetailSchema.parse(body);
      expect(body.run).toMatchObject({
        runId,
        trigger: 'manual',
        state: 'succeeded',
        requestedBy: 'admin-1',
        leadsAssigned: 110,
        membersServed: 2,
        membersShort: 0,
        leadsShort: 0,
      });
      expect((body.run as { uploadsTouched: string[] }).uploadsTouched).toHaveLength(1);
      expect((body.run as { endedAt: string | null }).endedAt).not.toBeNull();
    });

    it('lists the run with the heartbeat it left, both exactly as documented', async () => {
      const { body } = await get('/admin/distributions?limit=5');
      const page = RunPageSchema.parse(body);
      expect(page.runs.map((run) => run.runId)).toContain(runId);
      expect(page.heartbeat).toMatchObject({
        lastRunId: runId,
        lastRunState: 'succeeded',
        leadsAssigned: 110,
      });
    });

    it('answers 404 for an unknown run and 400 for a malformed id', async () => {
      const unknown = await get(`/admin/distributions/${ulid()}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('NotFound');
      expect((await get('/admin/distributions/short')).status).toBe(400);
      expect((await get(`/admin/distributions/${'a'.repeat(65)}`)).status).toBe(400);
    });
  });

  it('needs an admin: no token is 401, a member token 403', async () => {
    expect((await fetch(`${stack.current.url}/admin/members/${ids.starter}`)).status).toBe(401);
    const member = await stack.current.identity.mint({ sub: ids.starter, role: 'member' });
    const response = await fetch(`${stack.current.url}/admin/distributions/${runId}`, {
      headers: { Authorization: `Bearer ${member}` },
    });
    expect(response.status).toBe(403);
  });
});
