import { createHash, randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import {
  generateClientKeyPair,
  signClientAssertion,
} from '../../lambdas/automailer/domain/client-assertion-signer';
import { issueHandoffCode } from '../../lambdas/automailer/domain/handoff-code';
import { IDENTITY_TOKEN_TYPE, verifyIdentityToken } from '../../lambdas/automailer/domain/signing-keys';
import {
  type AssignmentItem,
  assignmentKey,
  handoffCodeKey,
  type MemberProfileItem,
  memberKey,
} from '../../lambdas/shared/model';
import { rotateSecret } from '../../local/secret-rotation';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

/**
 * The AutoMailer integration through the local API Gateway front door, against the emulators: the member's
 * hand-off, AutoMailer's redemption with its usage-plan key and client assertion, the identity token
 * checked by a separate JWKS client, key rotation, and the leads CSV.
 */
describe('AutoMailer integration', () => {
  // No key-set cache and no activation delay, so a rotation shows at once (their effect is unit-tested).
  const stack = useLocalStack({
    env: {
      POWERTOOLS_LOG_LEVEL: 'INFO',
      SIGNING_KEY_CACHE_SECONDS: '0',
      SIGNING_KEY_ACTIVATION_SECONDS: '0',
    },
  });
  const url = (path: string) => `${stack.current.url}${path}`;
  const doc = () => documentClient(stack.current);
  const membersTable = () => localName(stack.current, 'StorageMembersTable');
  const controlTable = () => localName(stack.current, 'StorageControlTable');
  const config = () => stack.current.config.automailer;

  // Everything the functions print, so the last test can search it for secrets.
  // Powertools writes INFO to stdout and WARN/ERROR to stderr.
  const printed: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originalWrites = streams.map((stream) => stream.write);
  beforeAll(() => {
    // Kept, not echoed: the functions log at INFO here, which would bury the test report.
    for (const stream of streams) {
      stream.write = ((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      }) as typeof stream.write;
    }
  });
  afterAll(() => {
    streams.forEach((stream, index) => {
      stream.write = originalWrites[index] as typeof stream.write;
    });
  });
  const secretsSeen: string[] = [];

  const seedMember = async (overrides: Partial<MemberProfileItem> = {}): Promise<MemberProfileItem> => {
    const memberId = overrides.memberId ?? `m-${randomUUID()}`;
    const member: MemberProfileItem = {
      ...memberKey(memberId),
      sk: 'PROFILE',
      memberId,
      email: `${memberId}@members.example`,
      name: 'Ada Lovelace',
      tier: 'pro',
      subscriptionStatus: 'active',
      ...overrides,
    };
    await doc().send(new PutCommand({ TableName: membersTable(), Item: member }));
    return member;
  };

  const lead = (memberId: string, assignedAt: Date, row: number, fields: Partial<AssignmentItem> = {}) => {
    const at = assignedAt.toISOString();
    return {
      ...assignmentKey(memberId, at, 'upload-1', row),
      memberId,
      runId: 'run-1',
      assignedAt: at,
      uploadId: 'upload-1',
      row,
      email: `lead-${row}@leads.example`,
      firstName: `First${row}`,
      lastName: `Last${row}`,
      company: `Company ${row}`,
      ...fields,
    } satisfies AssignmentItem;
  };

  const seedLeads = async (items: AssignmentItem[]) => {
    for (let start = 0; start < items.length; start += 25) {
      await doc().send(
        new BatchWriteCommand({
          RequestItems: {
            [membersTable()]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
  };

  const memberToken = (sub: string) => stack.current.identity.mint({ sub, role: 'member' });

  const startHandoff = async (memberId: string, body?: unknown) =>
    fetch(url('/sso/automailer'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${await memberToken(memberId)}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const codeFor = async (memberId: string): Promise<string> => {
    const response = await startHandoff(memberId);
    expect(response.status).toBe(200);
    const { code } = (await response.json()) as { code: string };
    secretsSeen.push(code);
    return code;
  };

  /** AutoMailer's headers: the usage-plan key and a fresh single-use client assertion. */
  const partnerHeaders = async (overrides: Record<string, string | undefined> = {}) => {
    const assertion = await stack.current.automailer.assertion();
    secretsSeen.push(assertion);
    const headers: Record<string, string | undefined> = {
      'x-api-key': stack.current.apiKey,
      Authorization: `Bearer ${assertion}`,
      'Content-Type': 'application/json',
      ...overrides,
    };
    return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >;
  };

  const redeem = async (body: unknown, headers?: Record<string, string>) =>
    fetch(url('/automailer/sso/token'), {
      method: 'POST',
      headers: headers ?? (await partnerHeaders()),
      body: JSON.stringify(body),
    });

  const redeemedToken = async (code: string): Promise<string> => {
    const response = await redeem({ code });
    expect(response.status).toBe(200);
    const { identityToken } = (await response.json()) as { identityToken: string };
    secretsSeen.push(identityToken);
    return identityToken;
  };

  /** A member who signed in to AutoMailer: a real hand-off, redeemed, which links them. */
  const linkedMember = async (overrides: Partial<MemberProfileItem> = {}) => {
    const member = await seedMember(overrides);
    await redeemedToken(await codeFor(member.memberId));
    return member;
  };

  const leadsCsv = async (memberId: string, query = '', headers?: Record<string, string>) =>
    fetch(url(`/automailer/members/${memberId}/leads.csv${query}`), {
      headers: headers ?? (await partnerHeaders()),
    });

  /** A JWKS client that knows nothing of our code: only the published URL, as AutoMailer would use it. */
  const verifyAsAutomailer = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(url('/.well-known/jwks.json'))), {
      algorithms: ['ES256'],
      typ: IDENTITY_TOKEN_TYPE,
      issuer: config().issuer,
      audience: config().clientId,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });

  const refusalOf = async (response: Response) => {
    expect(response.status).toBe(400);
    return ((await response.json()) as { details: { error: string; reason: string } }).details;
  };

  describe('hand-off', () => {
    it('takes a member from their JWT to an identity token that a separate JWKS client verifies', async () => {
      // Arrange
      const member = await seedMember({
        name: 'Grace Hopper',
        tier: 'elite',
        subscriptionStatus: 'past_due',
      });

      // Act: the member's browser asks for the hand-off...
      const started = await startHandoff(member.memberId, { state: 'xyz-123' });
      const handoff = (await started.json()) as { redirectUrl: string; code: string; expiresIn: number };
      secretsSeen.push(handoff.code);
      // ...and AutoMailer's server redeems the code it received.
      const redeemed = await redeem({
        code: handoff.code,
        redirectUri: config().redirectUri,
        memberId: member.memberId,
      });
      const body = (await redeemed.json()) as { identityToken: string; tokenType: string; expiresIn: number };
      secretsSeen.push(body.identityToken);

      // Assert: the redirect carries only the opaque code and the state, never a token.
      expect(started.status).toBe(200);
      const redirect = new URL(handoff.redirectUrl);
      expect(`${redirect.origin}${redirect.pathname}`).toBe(config().redirectUri);
      expect([...redirect.searchParams.keys()]).toEqual(['code', 'state']);
      expect(redirect.searchParams.get('code')).toBe(handoff.code);
      expect(handoff.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(handoff.expiresIn).toBe(60);
      // Assert: the token verifies through the published JWKS and says who the member is.
      expect(redeemed.status).toBe(200);
      expect(body).toMatchObject({ tokenType: IDENTITY_TOKEN_TYPE, expiresIn: 300 });
      const { payload, protectedHeader } = await verifyAsAutomailer(body.identityToken);
      expect(protectedHeader).toMatchObject({
        alg: 'ES256',
        typ: IDENTITY_TOKEN_TYPE,
        kid: expect.any(String),
      });
      expect(payload).toMatchObject({
        iss: config().issuer,
        aud: config().clientId,
        sub: member.memberId,
        email: member.email,
        name: 'Grace Hopper',
        tier: 'elite',
        subscriptionStatus: 'past_due',
        jti: expect.any(String),
      });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    });

    it('answers both hand-off calls with no-referrer and no-store', async () => {
      const member = await seedMember();

      const started = await startHandoff(member.memberId);
      const code = ((await started.json()) as { code: string }).code;
      secretsSeen.push(code);
      const redeemed = await redeem({ code });
      secretsSeen.push(((await redeemed.json()) as { identityToken: string }).identityToken);

      for (const response of [started, redeemed]) {
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('stores the code only as its SHA-256, with a TTL a minute ahead', async () => {
      // Arrange
      const member = await seedMember();
      const before = Math.floor(Date.now() / 1000);

      // Act
      const code = await codeFor(member.memberId);

      // Assert: nowhere in the control table is the raw code.
      const { Items = [] } = await doc().send(new ScanCommand({ TableName: controlTable() }));
      expect(JSON.stringify(Items)).not.toContain(code);
      const codeHash = createHash('sha256').update(code).digest('hex');
      const stored = Items.find((item) => item.pk === handoffCodeKey(codeHash).pk);
      expect(stored).toMatchObject({ memberId: member.memberId, clientId: config().clientId, codeHash });
      expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + 60);
      expect(stored?.expiresAt).toBeLessThanOrEqual(before + 62);
    });

    it('refuses a second redemption of the same code', async () => {
      const code = await codeFor((await seedMember()).memberId);
      await redeemedToken(code);

      const details = await refusalOf(await redeem({ code }));

      expect(details).toEqual({ error: 'invalid_grant', reason: 'already_used' });
    });

    it('lets exactly one of two simultaneous redemptions win', async () => {
      const code = await codeFor((await seedMember()).memberId);

      const statuses = await Promise.all([redeem({ code }), redeem({ code })]).then((responses) =>
        Promise.all(
          responses.map(async (response) => {
            const body = (await response.json()) as { identityToken?: string };
            if (body.identityToken) secretsSeen.push(body.identityToken);
            return response.status;
          }),
        ),
      );

      expect(statuses.sort()).toEqual([200, 400]);
    });

    it('refuses an expired code', async () => {
      // Arrange: a code issued 61 seconds ago, stored the way the hand-off route stores it.
      const member = await seedMember();
      const { code, record } = issueHandoffCode({
        memberId: member.memberId,
        clientId: config().clientId,
        redirectUri: config().redirectUri,
        now: new Date(Date.now() - 61_000),
      });
      secretsSeen.push(code);
      await doc().send(
        new PutCommand({
          TableName: controlTable(),
          Item: { ...handoffCodeKey(record.codeHash), ...record },
        }),
      );

      // Act / Assert
      expect(await refusalOf(await redeem({ code }))).toEqual({ error: 'invalid_grant', reason: 'expired' });
    });

    it('refuses a code issued for another member than the one AutoMailer names', async () => {
      const [ada, bob] = [await seedMember(), await seedMember()];
      const code = await codeFor(ada.memberId);

      const details = await refusalOf(await redeem({ code, memberId: bob.memberId }));

      expect(details).toEqual({ error: 'invalid_grant', reason: 'member_mismatch' });
    });

    it('refuses a code sent back with another redirect URI, an unknown code and a malformed one', async () => {
      const code = await codeFor((await seedMember()).memberId);

      expect(
        await refusalOf(await redeem({ code, redirectUri: 'https://evil.example/callback' })),
      ).toMatchObject({
        reason: 'redirect_mismatch',
      });
      expect(await refusalOf(await redeem({ code: 'A'.repeat(43) }))).toMatchObject({
        reason: 'unknown_code',
      });
      const malformed = await redeem({ code: 'eyJhbGciOiJub25lIn0.e30.' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({
        error: 'BadRequest',
        message: expect.stringMatching(/code/),
      });
    });

    it('answers 404 to a member the pipeline has no profile for, and 401 without a member token', async () => {
      expect((await startHandoff(`m-${randomUUID()}`)).status).toBe(404);
      expect((await fetch(url('/sso/automailer'), { method: 'POST' })).status).toBe(401);
    });
  });

  describe('partner credentials', () => {
    it("accepts the stack's own key: the value of the generated key secret the ApiKey resource references", () => {
      const secretArn = localName(stack.current, 'AutomailerApiKeyValue');

      expect(stack.current.apiKey).toBe(stack.current.emulators.secrets.get(secretArn));
      expect(stack.current.apiKey.length).toBeGreaterThanOrEqual(20);
    });

    it('refuses a missing or wrong API key with 403 even with a valid assertion', async () => {
      const code = await codeFor((await seedMember()).memberId);

      const missing = await redeem({ code }, await partnerHeaders({ 'x-api-key': undefined }));
      const wrong = await redeem({ code }, await partnerHeaders({ 'x-api-key': 'not-the-key-0123456789' }));

      expect([missing.status, wrong.status]).toEqual([403, 403]);
      expect(await missing.json()).toMatchObject({ error: 'Forbidden' });
    });

    it('refuses a valid API key with no, a forged, an expired or a replayed client assertion with 401', async () => {
      // Arrange
      const memberId = (await linkedMember()).memberId;
      const stranger = await generateClientKeyPair('ES256');
      const forged = await signClientAssertion({
        privateJwk: stranger.privateJwk,
        clientId: config().clientId,
        audience: config().issuer,
        now: new Date(),
      });
      const expired = await stack.current.automailer.assertion({ now: new Date(Date.now() - 5 * 60_000) });
      const once = await stack.current.automailer.assertion();
      secretsSeen.push(forged, expired, once);
      expect(
        (await leadsCsv(memberId, '', await partnerHeaders({ Authorization: `Bearer ${once}` }))).status,
      ).toBe(200);

      // Act
      const statuses = [];
      for (const authorization of [undefined, `Bearer ${forged}`, `Bearer ${expired}`, `Bearer ${once}`]) {
        const response = await leadsCsv(memberId, '', await partnerHeaders({ Authorization: authorization }));
        statuses.push(response.status);
        expect(await response.json()).toMatchObject({ error: 'Unauthorized' });
      }

      // Assert
      expect(statuses).toEqual([401, 401, 401, 401]);
    });

    it('refuses a platform admin token at the partner routes and the identity token at the admin and member routes', async () => {
      // Arrange
      const member = await seedMember();
      const adminToken = await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
      const identityToken = await redeemedToken(await codeFor(member.memberId));

      // Act
      const adminAtPartner = await leadsCsv(
        member.memberId,
        '',
        await partnerHeaders({ Authorization: `Bearer ${adminToken}` }),
      );
      const identityAtPartner = await leadsCsv(
        member.memberId,
        '',
        await partnerHeaders({ Authorization: `Bearer ${identityToken}` }),
      );
      const identityAtAdmin = await fetch(url('/admin/health'), {
        headers: { Authorization: `Bearer ${identityToken}` },
      });
      const identityAtMember = await fetch(url('/members/me/leads.csv'), {
        headers: { Authorization: `Bearer ${identityToken}` },
      });

      // Assert
      expect([
        adminAtPartner.status,
        identityAtPartner.status,
        identityAtAdmin.status,
        identityAtMember.status,
      ]).toEqual([401, 401, 401, 401]);
      expect(decodeProtectedHeader(identityToken).typ).not.toBe(stack.current.config.jwt.typ);
      expect(decodeJwt(identityToken).aud).not.toBe(stack.current.config.jwt.audience);
    });
  });

  describe('signing key rotation', () => {
    it('publishes both keys during a rotation, so tokens signed by either verify, and refuses an early drop', async () => {
      // Arrange: a token signed before the rotation.
      const member = await seedMember();
      const before = await redeemedToken(await codeFor(member.memberId));

      // Act
      await rotateSecret(stack.current, 'AutomailerSigningKeys');
      const after = await redeemedToken(await codeFor(member.memberId));
      const jwks = (await (await fetch(url('/.well-known/jwks.json'))).json()) as { keys: { kid: string }[] };

      // Assert
      const [oldKid, newKid] = [decodeProtectedHeader(before).kid, decodeProtectedHeader(after).kid];
      expect(newKid).not.toBe(oldKid);
      expect(jwks.keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
      await expect(verifyAsAutomailer(before)).resolves.toBeDefined();
      await expect(verifyAsAutomailer(after)).resolves.toBeDefined();
      const keys = createRemoteJWKSet(new URL(url('/.well-known/jwks.json')));
      const asAutomailer = { keys, issuer: config().issuer, audience: config().clientId, now: new Date() };
      await expect(verifyIdentityToken(before, asAutomailer)).resolves.toMatchObject({
        sub: member.memberId,
      });

      // Assert: the old key cannot leave while its tokens may still be valid.
      const [rotationFn] = stack.current.lambdas.functionsOf('signing-key-rotation');
      await expect(
        stack.current.lambdas.invoke(rotationFn ?? '', { action: 'dropPreviousKey' }),
      ).rejects.toThrow(/may still be valid/);
    });
  });

  describe('leads CSV', () => {
    const csvRows = (text: string) =>
      parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];

    it('returns the newest leads first as a UTF-8 attachment that reads back to what was assigned', async () => {
      // Arrange
      const { memberId } = await linkedMember();
      const t0 = new Date('2025-03-10T08:00:00.000Z');
      const items = [
        lead(memberId, t0, 1, { city: 'Zürich', fullName: 'Émile Zola', phone: '+41 44 000 00 00' }),
        lead(memberId, new Date(t0.getTime() + 60_000), 2, { title: 'Head of "Growth", EMEA', state: 'ZH' }),
        lead(memberId, new Date(t0.getTime() + 120_000), 3, {
          website: 'https://example.com',
          country: 'CH',
        }),
      ];
      await seedLeads(items);

      // Act
      const response = await leadsCsv(memberId);
      const text = await response.text();

      // Assert
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="proleads-leads-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      const rows = csvRows(text);
      expect(rows.map((row) => row.email)).toEqual([
        'lead-3@leads.example',
        'lead-2@leads.example',
        'lead-1@leads.example',
      ]);
      expect(rows[2]).toEqual({
        email: 'lead-1@leads.example',
        first_name: 'First1',
        last_name: 'Last1',
        full_name: 'Émile Zola',
        // A leading + is a formula trigger too: escaped with a quote mark, the rest intact.
        phone: "'+41 44 000 00 00",
        company: 'Company 1',
        title: '',
        website: '',
        city: 'Zürich',
        state: '',
        country: '',
        received_at: t0.toISOString(),
      });
      expect(rows[1]?.title).toBe('Head of "Growth", EMEA');
    });

    it('escapes every formula-leading cell, LF and NUL included', async () => {
      const { memberId } = await linkedMember();
      const hostile = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '\0=1'];
      const t0 = Date.parse('2025-03-11T00:00:00.000Z');
      await seedLeads(
        hostile.map((company, index) => lead(memberId, new Date(t0 + index * 1000), index + 1, { company })),
      );

      const rows = csvRows(await (await leadsCsv(memberId)).text());

      expect(rows.map((row) => row.company).reverse()).toEqual(hostile.map((cell) => `'${cell}`));
    });

    it('returns 500 of 501 assigned leads, the newest', async () => {
      const { memberId } = await linkedMember();
      const t0 = Date.parse('2025-01-01T00:00:00.000Z');
      await seedLeads(
        Array.from({ length: 501 }, (_, index) => lead(memberId, new Date(t0 + index * 1000), index + 1)),
      );

      const rows = csvRows(await (await leadsCsv(memberId, '?limit=500')).text());

      expect(rows).toHaveLength(500);
      expect(rows[0]?.email).toBe('lead-501@leads.example');
      expect(rows.at(-1)?.email).toBe('lead-2@leads.example');
    });

    it('returns only leads assigned after `since`, and at most `limit`', async () => {
      const { memberId } = await linkedMember();
      const times = ['2025-02-01T10:00:00.000Z', '2025-02-01T11:00:00.000Z', '2025-02-01T12:00:00.000Z'];
      await seedLeads(times.map((time, index) => lead(memberId, new Date(time), index + 1)));

      const since = await leadsCsv(memberId, `?since=${encodeURIComponent('2025-02-01T12:00:00+01:00')}`);
      const limited = await leadsCsv(memberId, '?limit=1');

      // 12:00+01:00 is 11:00Z: the 11:00 lead itself is not "after".
      expect(csvRows(await since.text()).map((row) => row.email)).toEqual(['lead-3@leads.example']);
      expect(csvRows(await limited.text()).map((row) => row.email)).toEqual(['lead-3@leads.example']);
    });

    it.each([
      ['a since that is not a date-time', '?since=yesterday'],
      ['a limit of 0', '?limit=0'],
      ['a limit above 500', '?limit=501'],
      ['a limit that is not a number', '?limit=ten'],
      ['an unknown parameter', '?sinse=2025-01-01T00:00:00Z'],
    ])('answers 400 to %s', async (_name, query) => {
      const { memberId } = await linkedMember();

      const response = await leadsCsv(memberId, query);

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
    });

    it('answers 400 to a malformed member id and 403 not_linked to an unknown member', async () => {
      expect((await leadsCsv('bad%23id')).status).toBe(400);
      const unknown = await leadsCsv(`m-${randomUUID()}`);
      expect(unknown.status).toBe(403);
      expect(await unknown.json()).toMatchObject({ error: 'not_linked' });
    });

    it("lets a member download their own leads, with a BOM for spreadsheets, and nobody else's", async () => {
      // Arrange
      const [ada, bob] = [await seedMember(), await seedMember()];
      await seedLeads([lead(ada.memberId, new Date('2025-03-01T00:00:00.000Z'), 1, { city: 'Genève' })]);
      await seedLeads([lead(bob.memberId, new Date('2025-03-01T00:00:00.000Z'), 2)]);

      // Act
      const response = await fetch(url('/members/me/leads.csv'), {
        headers: { Authorization: `Bearer ${await memberToken(ada.memberId)}` },
      });
      const bytes = new Uint8Array(await response.arrayBuffer());

      // Assert
      expect(response.status).toBe(200);
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = csvRows(new TextDecoder().decode(bytes));
      expect(rows.map((row) => [row.email, row.city])).toEqual([['lead-1@leads.example', 'Genève']]);
    });
  });

  describe('AutoMailer link', () => {
    const memberCall = async (memberId: string, method: 'GET' | 'DELETE') =>
      fetch(url('/members/me/automailer-link'), {
        method,
        headers: { Authorization: `Bearer ${await memberToken(memberId)}` },
      });
    const adminCall = async (memberId: string, method: 'GET' | 'DELETE') =>
      fetch(url(`/admin/members/${memberId}/automailer-link`), {
        method,
        headers: {
          Authorization: `Bearer ${await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' })}`,
        },
      });

    it('refuses an unlinked member with 403 not_linked and serves a linked one, counting each read', async () => {
      // Arrange
      const unlinked = await seedMember();
      await seedLeads([lead(unlinked.memberId, new Date('2025-04-01T00:00:00.000Z'), 1)]);
      const linked = await linkedMember();
      await seedLeads([lead(linked.memberId, new Date('2025-04-01T00:00:00.000Z'), 2)]);

      // Act
      const refused = await leadsCsv(unlinked.memberId);
      const served = [await leadsCsv(linked.memberId), await leadsCsv(linked.memberId)];

      // Assert
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'not_linked', message: expect.any(String) });
      expect(served.map((response) => response.status)).toEqual([200, 200]);
      const seen = (await (await adminCall(linked.memberId, 'GET')).json()) as {
        linked: boolean;
        link: { clientId: string; readCount: number; lastReadAt: string | null };
      };
      expect(seen).toMatchObject({ linked: true, link: { clientId: config().clientId, readCount: 2 } });
      expect(Date.parse(seen.link.lastReadAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
      expect(await (await adminCall(unlinked.memberId, 'GET')).json()).toEqual({
        memberId: unlinked.memberId,
        linked: false,
        link: null,
      });
    });

    it('lets the member see and revoke their link; AutoMailer is refused afterwards until a new hand-off', async () => {
      const { memberId } = await linkedMember();
      await seedLeads([lead(memberId, new Date('2025-04-02T00:00:00.000Z'), 1)]);

      const shown = (await (await memberCall(memberId, 'GET')).json()) as { linked: boolean };
      const revoked = await memberCall(memberId, 'DELETE');

      expect(shown.linked).toBe(true);
      expect(revoked.status).toBe(204);
      expect(await (await memberCall(memberId, 'GET')).json()).toMatchObject({ linked: false, link: null });
      expect((await leadsCsv(memberId)).status).toBe(403);
      expect((await memberCall(memberId, 'DELETE')).status).toBe(204);
      await redeemedToken(await codeFor(memberId));
      expect((await leadsCsv(memberId)).status).toBe(200);
    });

    it('lets an admin revoke a link, and answers bad input with 4xx', async () => {
      const { memberId } = await linkedMember();

      expect((await adminCall(memberId, 'DELETE')).status).toBe(204);
      expect((await leadsCsv(memberId)).status).toBe(403);
      expect((await adminCall('bad%23id', 'GET')).status).toBe(400);
      const unknown = await adminCall(`m-${randomUUID()}`, 'GET');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: 'NotFound' });
      expect((await adminCall(`m-${randomUUID()}`, 'DELETE')).status).toBe(404);
      const anonymous = await fetch(url('/members/me/automailer-link'));
      expect(anonymous.status).toBe(401);
    });
  });

  describe('sample events in events/', () => {
    it('drive the member and partner functions as API Gateway would', async () => {
      // Arrange
      await seedMember({ memberId: 'member-42' });
      const [memberApi] = stack.current.lambdas.functionsOf('member-api');
      const [partnerApi] = stack.current.lambdas.functionsOf('partner-api');
      const invoke = (id: string | undefined, event: unknown) =>
        stack.current.lambdas.invoke(id ?? '', event) as Promise<APIGatewayProxyResult>;

      // Act
      const handoff = await invoke(memberApi, loadEvent('api-gateway/member-sso-automailer.json'));
      const token = await invoke(partnerApi, loadEvent('api-gateway/automailer-sso-token.json'));

      // Assert: the hand-off passes AutoMailer's state through; the sample code was never issued.
      expect(handoff.statusCode).toBe(200);
      const started = JSON.parse(handoff.body) as { redirectUrl: string; code: string };
      secretsSeen.push(started.code);
      expect(new URL(started.redirectUrl).searchParams.get('state')).toBe('am-7f3c2a');
      expect(token.statusCode).toBe(400);
      expect(JSON.parse(token.body)).toMatchObject({ details: { reason: 'unknown_code' } });
    });
  });

  describe('logs', () => {
    it('carry security events with their reasons, and never a code, a token, an assertion or the API key', () => {
      const logs = printed.join('');

      const missing = [
        'already_used',
        'expired',
        'member_mismatch',
        'unknown_code',
        'replayed',
        'unknown_key',
      ].filter((reason) => !logs.includes(`"reason":"${reason}"`));
      expect(missing).toEqual([]);
      expect(logs).toContain('"securityEvent":"client_assertion_missing"');
      expect(secretsSeen.length).toBeGreaterThan(10);
      for (const secret of [...secretsSeen, stack.current.apiKey]) expect(logs).not.toContain(secret);
      expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    });
  });
});
