import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { noticeEmail, SesNotifier } from './ses-notifier';

const notice = { memberId: 'm-1', email: 'ann@members.example', name: 'Ann <3', leads: 12, replacements: 0 };

/** A stopped clock whose sleeps return at once: the waits the notifier asks for are what is checked. */
const fakeTime = () => {
  const clock = { nowMs: 1_000_000, slept: [] as number[] };
  return {
    clock,
    nowMs: () => clock.nowMs,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
    },
  };
};

const silent = { warn: () => undefined, error: () => undefined };
const throttled = () =>
  Object.assign(new Error('Maximum sending rate exceeded.'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });

describe('SesNotifier', () => {
  const ses = mockClient(SESv2Client);
  beforeEach(() => ses.reset());

  const notifier = (time = fakeTime(), maxSendRatePerSecond = 10) =>
    new SesNotifier({
      ses: new SESv2Client({ region: 'eu-west-1' }),
      sender: 'leads@proleads.example',
      configurationSet: 'proleads-test',
      leadsUrl: 'https://app.proleads.example/leads',
      maxSendRatePerSecond,
      sleep: time.sleep,
      nowMs: time.nowMs,
      logger: silent,
    });

  it('sends one email that says how many leads and links to the download page', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'x' });
    expect(await notifier().notify(notice)).toBe('sent');
    const [call] = ses.commandCalls(SendEmailCommand);
    expect(call?.args[0].input).toMatchObject({
      FromEmailAddress: 'leads@proleads.example',
      Destination: { ToAddresses: ['ann@members.example'] },
      ConfigurationSetName: 'proleads-test',
      EmailTags: [{ Name: 'member', Value: Buffer.from('m-1').toString('base64url') }],
      Content: { Simple: { Subject: { Data: 'Your 12 new leads from Proleads are ready' } } },
    });
    const body = call?.args[0].input.Content?.Simple?.Body;
    expect(body?.Text?.Data).toContain('https://app.proleads.example/leads');
    expect(body?.Html?.Data).toContain('Ann &#60;3');
    expect(noticeEmail({ ...notice, leads: 1 }, 'https://x.example').subject).toContain('1 new lead ');
    expect(body?.Text?.Data).not.toContain('returned');
  });

  it('says how many of the leads replace leads the member returned', () => {
    expect(noticeEmail({ ...notice, replacements: 1 }, 'https://x.example').text).toContain(
      '12 new leads arrived in your Proleads account in this distribution. One of them replaces a lead you returned.',
    );
    expect(noticeEmail({ ...notice, replacements: 2 }, 'https://x.example').html).toContain(
      '2 of them replace leads you returned.',
    );
  });

  it('paces sends to the configured rate', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'x' });
    const time = fakeTime();
    const paced = notifier(time, 4);
    await Promise.all(Array.from({ length: 5 }, () => paced.notify(notice)));
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(5);
    // Five sends asked for at the same instant, at 4 per second: each waits a quarter second longer.
    expect(time.clock.slept).toEqual([250, 500, 750, 1000]);
  });

  it('retries a throttled send with backoff, then sends it once', async () => {
    ses.on(SendEmailCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'x' });
    const time = fakeTime();
    expect(await notifier(time).notify(notice)).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    expect(time.clock.slept.length).toBeGreaterThanOrEqual(2);
  });

  it('does not retry a refusal, and gives up on endless throttling', async () => {
    ses.on(SendEmailCommand).rejects(
      Object.assign(new Error('Email address is not verified.'), {
        name: 'MessageRejected',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect(await notifier().notify(notice)).toBe('failed');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    ses.reset();
    ses.on(SendEmailCommand).rejects(throttled());
    expect(await notifier().notify(notice)).toBe('failed');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(6);
  });

  it('never retries a send whose outcome is unknown: no answer, a timeout or a server error', async () => {
    const unanswered = [
      Object.assign(new Error('socket hang up'), { name: 'Error', $metadata: {} }),
      Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }),
      Object.assign(new Error('Internal failure'), {
        name: 'InternalFailure',
        $metadata: { httpStatusCode: 500 },
      }),
    ];
    for (const error of unanswered) {
      ses.reset();
      ses.on(SendEmailCommand).rejects(error);
      expect(await notifier().notify(notice)).toBe('unknown');
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    }
  });
});
