import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { backoffDelayMs, type Sleep } from '../../shared/backoff';
import { memberTag } from '../../shared/email-tags';
import type { Logger } from '../../shared/logger';
import { emailTag } from '../../shared/redact';
import type { LeadsNotice, Notifier, SendOutcome } from '../ports';

/**
 * The one email a member gets per run: how many leads arrived and where to download them. Sends are paced
 * to the account's SES send rate. Only a send SES refused before accepting it (throttling: a 4xx answer
 * saying so) is retried, with exponential backoff and jitter (the only retry layer: the SES client itself
 * is built with maxAttempts 1). A send whose outcome is unknown (no answer: network error or timeout after
 * the request left; or a 5xx, which SES may send after accepting) is reported `unknown` and never retried,
 * since SES may have accepted it: a member is mailed at most once. Any other refusal is `failed`.
 * Every send goes through the configuration set (its bounce and complaint events come back to the
 * email-feedback function) and carries the member's id as a message tag, so an event names its member.
 * Logs carry an email tag, never the address.
 */

export interface SesNotifierOptions {
  readonly ses: Pick<SESv2Client, 'send'>;
  readonly sender: string;
  readonly configurationSet: string;
  readonly leadsUrl: string;
  readonly maxSendRatePerSecond: number;
  readonly sleep: Sleep;
  readonly nowMs: () => number;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
  readonly maxAttempts?: number;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** What a failed send tells: refused before acceptance and worth retrying, refused for good, or unknown. */
export const classifySendError = (error: unknown): 'throttled' | 'refused' | 'unknown' => {
  const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = failure.$metadata?.httpStatusCode;
  // No answer (network error, timeout after the request left) or a server error: SES may have accepted it.
  if (status === undefined || status >= 500) return 'unknown';
  if (THROTTLING.has(failure.name ?? '')) return 'throttled';
  if (/maximum sending rate exceeded/i.test(failure.message ?? '')) return 'throttled';
  return 'refused';
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export const noticeEmail = (notice: LeadsNotice, leadsUrl: string) => {
  const leads = notice.leads === 1 ? '1 new lead' : `${notice.leads} new leads`;
  const replacements =
    notice.replacements === 0
      ? ''
      : ` ${notice.replacements === 1 ? 'One of them replaces' : `${notice.replacements} of them replace`} ${notice.replacements === 1 ? 'a lead' : 'leads'} you returned.`;
  return {
    subject: `Your ${leads} from Proleads are ready`,
    text: `Hello ${notice.name},\n\n${leads} arrived in your Proleads account in this distribution.${replacements}\nDownload them here: ${leadsUrl}\n\nProleads Network`,
    html: `<p>Hello ${escapeHtml(notice.name)},</p><p>${leads} arrived in your Proleads account in this distribution.${replacements}</p><p><a href="${escapeHtml(leadsUrl)}">Download your leads</a></p><p>Proleads Network</p>`,
  };
};

export class SesNotifier implements Notifier {
  private nextSlotMs = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: SesNotifierOptions) {
    this.intervalMs = 1000 / options.maxSendRatePerSecond;
  }

  async notify(notice: LeadsNotice): Promise<SendOutcome> {
    const email = noticeEmail(notice, this.options.leadsUrl);
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForSlot();
      try {
        await this.options.ses.send(
          new SendEmailCommand({
            FromEmailAddress: this.options.sender,
            Destination: { ToAddresses: [notice.email] },
            ConfigurationSetName: this.options.configurationSet,
            EmailTags: [memberTag(notice.memberId)],
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: email.text, Charset: 'UTF-8' },
                  Html: { Data: email.html, Charset: 'UTF-8' },
                },
              },
            },
          }),
        );
        return 'sent';
      } catch (error) {
        const kind = classifySendError(error);
        if (kind !== 'throttled' || attempt >= maxAttempts) {
          const outcome = kind === 'unknown' ? 'unknown' : 'failed';
          this.options.logger.error(
            outcome === 'unknown' ? 'notification outcome unknown, not retried' : 'notification not sent',
            {
              memberId: notice.memberId,
              to: emailTag(notice.email),
              attempts: attempt,
              reason: (error as Error).name,
            },
          );
          return outcome;
        }
        const backoffMs = backoffDelayMs(attempt, { baseMs: this.intervalMs * 2, capMs: 20_000 });
        this.options.logger.warn('notification throttled, retrying', {
          memberId: notice.memberId,
          attempt,
          reason: (error as Error).name,
          backoffMs: Math.round(backoffMs),
        });
        await this.options.sleep(backoffMs);
      }
    }
  }

  /** Spaces sends `1 / rate` apart, however many callers wait at once. */
  private async waitForSlot(): Promise<void> {
    const now = this.options.nowMs();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    if (slot > now) await this.options.sleep(slot - now);
  }
}
