import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS } from '../members/domain/tiers';
import { distributionSettingsFromEnv } from './settings';

const env = (zone: string) => ({
  TIERS: JSON.stringify(DEFAULT_TIERS),
  MAX_ASSIGNMENTS_PER_LEAD: '1',
  DEFAULT_TIME_ZONE: zone,
});

describe('distributionSettingsFromEnv', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'takes the IANA-shaped zone %s',
    (zone) => {
      expect(distributionSettingsFromEnv(env(zone)).defaultTimeZone).toBe(zone);
    },
  );

  it.each(['', '+01:00', 'Europe/', 'Europe/Berlin; rm', '/UTC'])(
    'refuses %j at start-up, naming the variable',
    (zone) => {
      expect(() => distributionSettingsFromEnv(env(zone))).toThrow(
        /DEFAULT_TIME_ZONE: must be an IANA time zone name/,
      );
    },
  );
});
