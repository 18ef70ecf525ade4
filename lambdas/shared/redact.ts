import { createHash } from 'node:crypto';

/**
 * Logs must never carry a raw email address. A short, stable, non-reversible tag lets an operator
 * correlate log lines about the same address without learning it.
 */
export const emailTag = (email: string): string =>
  `email#${createHash('sha256').update(`log-tag:${email.trim().toLowerCase()}`).digest('hex').slice(0, 12)}`;
