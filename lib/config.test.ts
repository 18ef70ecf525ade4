import { describe, expect, it } from 'vitest';
import { ConfigError, devConfig, parseAppConfig } from './config';

describe('configuration', () => {
  it('fills defaults: four tiers, 50 MB uploads, one assignment per lead', () => {
    const config = devConfig();
    expect(config.tiers.map((tier) => tier.name)).toEqual(['starter', 'growth', 'pro', 'elite']);
    expect(config.uploads.maxBytes).toBe(50 * 1024 * 1024);
    expect(config.maxAssignmentsPerLead).toBe(1);
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

  it('refuses unknown keys, so a typo cannot silently fall back to a default', () => {
    expect(() => devConfig({ maxAssignmentPerLead: 2 } as never)).toThrow(/Unrecognized key/);
  });
});
