import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppConfigSchema, devConfig } from './config';
import { EXAMPLE_CONFIG_FILE, placeholderKeys, readDeployConfig } from './deploy-config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examplePath = path.join(repoRoot, EXAMPLE_CONFIG_FILE);
const example = JSON.parse(readFileSync(examplePath, 'utf8')) as Record<string, unknown>;

/** Every key path of an object, arrays taken as values. */
const keyPaths = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, item]) => [
        `${prefix}${key}`,
        ...keyPaths(item, `${prefix}${key}.`),
      ])
    : [];

const context = (values: Record<string, unknown>) => (key: string) => values[key];

describe('the production configuration example', () => {
  it('validates against the configuration schema and deploys as it stands (no placeholder address)', () => {
    expect(AppConfigSchema.safeParse(example).error).toBeUndefined();
    expect(readDeployConfig(context({ config: examplePath })).stage).toBe('prod');
  });

  it('sets every key the schema has, so nothing is left to a default nobody saw', () => {
    const parsed = AppConfigSchema.parse(example);
    const missing = keyPaths(parsed).filter((key) => !keyPaths(example).includes(key));
    expect(missing).toEqual([]);
  });

  it('keeps production data: retained tables and buckets', () => {
    expect(AppConfigSchema.parse(example).retainData).toBe(true);
  });
});

describe('reading the deploy configuration', () => {
  it('refuses to deploy without one, naming the example to start from', () => {
    expect(() => readDeployConfig(context({}))).toThrow(/pass -c config=<file>.*config\/prod\.example\.json/);
  });

  it('refuses placeholder addresses, naming each key', () => {
    expect(() => readDeployConfig(context({ proleads: devConfig() }))).toThrow(
      /jwt\.jwksUrl: still a placeholder address/,
    );
    expect(
      placeholderKeys({ ses: { sender: 'leads@proleads.example' }, a: ['https://example.com/x'] }),
    ).toEqual(['ses.sender', 'a.0']);
    expect(
      placeholderKeys({ url: 'https://login.proleadsnetwork.com', mail: 'ops@proleadsnetwork.com' }),
    ).toEqual([]);
  });

  it('finds no placeholder deployment configuration in cdk.json', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    expect(placeholderKeys(cdkJson.context)).toEqual([]);
  });
});
