import { describe, expect, it } from 'vitest';
import { ConfigError, devConfig, parseAppConfig } from './config';

describe('configuration', () => {
  it('fills defaults: four tiers, 50 MB uploads, one assignment per lead', () => {
    const config = devConfig();
    expect(config.tiers.map((tier) => tier.name)).toEqual(['starter', 'growth', 'pro', 'elite']);
    expect(config.uploads.maxBytes).toBe(50 * 1024 * 1024);
    expect(config.maxAssignmentsPerLead).toBe(1);
  });

  it('reads phones in the US and dedupes on email alone unless configured, and refuses an unknown region', () => {
    expect(devConfig().uploads).toMatchObject({ defaultPhoneRegion: 'US', dedupeOn: ['email'] });
    const withUploads = (uploads: Record<string, unknown>) => () =>
      parseAppConfig({ ...devConfig(), uploads: { ...devConfig().uploads, ...uploads } });
    expect(withUploads({ defaultPhoneRegion: 'GB', dedupeOn: ['email', 'phone'] })).not.toThrow();
    expect(withUploads({ defaultPhoneRegion: 'XX' })).toThrow(/uploads\.defaultPhoneRegion:/);
    expect(withUploads({ dedupeOn: ['phone'] })).toThrow(/uploads\.dedupeOn/);
  });

  it('names every bad key in its error', () => {
    const attempt = () =>
      parseAppConfig({
        stage: 'Prod!',
        adminOrigin: 'not a url',
        jwt: { issuer: 'x', audience: 'y', jwksUrl: 'https://x/jwks', clockToleranceSeconds: 600 },
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/stage:/);
    expect(attempt).toThrow(/adminOrigin:/);
    expect(attempt).toThrow(/jwt\.clockToleranceSeconds:/);
  });

  it('fills the monitoring defaults: no alarm email, 2 weeks of supply, 10 % verifier errors, 5 API 5xx', () => {
    expect(devConfig().monitoring).toEqual({
      supplyWeeksAlarmBelow: 2,
      verifierErrorRateAlarmPercent: 10,
      api5xxAlarmCount: 5,
    });
    expect(() => devConfig({ monitoring: { alarmEmail: 'not an email' } })).toThrow(
      /monitoring\.alarmEmail:/,
    );
  });

  it('refuses unknown keys, so a typo cannot silently fall back to a default', () => {
    expect(() => devConfig({ maxAssignmentPerLead: 2 } as never)).toThrow(/Unrecognized key/);
  });

  it('fills the AutoMailer usage plan defaults and keeps the client id apart from the platform audience', () => {
    const { automailer, jwt } = devConfig();
    expect(automailer.clientId).toBe('automailer');
    expect(automailer.usagePlan).toEqual({ rateLimit: 2, burstLimit: 5, dailyQuota: 10_000 });
    expect(automailer.clientId).not.toBe(jwt.audience);
  });

  it.each([
    [
      'an identity-token audience equal to the platform audience',
      { clientId: 'proleads-pipeline' },
      /automailer\.clientId: must differ/,
    ],
    [
      'an identity-token issuer equal to the platform issuer',
      { issuer: 'https://platform.proleads.example' },
      /automailer\.issuer: must differ/,
    ],
    [
      'both a JWKS URL and a public key',
      { clientPublicJwk: { kty: 'EC' as const } },
      /exactly one of clientJwksUrl/,
    ],
    ['a burst below the rate', { usagePlan: { rateLimit: 10, burstLimit: 5 } }, /usagePlan\.burstLimit/],
  ])('refuses %s', (_name, overrides, message) => {
    const automailer = { ...devConfig().automailer, ...overrides };
    expect(() => devConfig({ automailer })).toThrow(message);
  });
});
