import { readFileSync } from 'node:fs';
import { type AppConfig, ConfigError, parseAppConfig } from './config';

/** Where the deploy configuration's example lives; the README's deploy section walks through it. */
export const EXAMPLE_CONFIG_FILE = 'config/prod.example.json';

/** Hosts that are placeholders by definition (RFC 2606): never a deployable address. */
const PLACEHOLDER_HOST = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;

const hostOf = (value: string): string | undefined => {
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).hostname;
    } catch {
      return undefined;
    }
  }
  const at = value.lastIndexOf('@');
  return at > 0 && !value.includes(' ') ? value.slice(at + 1) : undefined;
};

/** Every key path whose value is a URL or address on a placeholder host. */
export const placeholderKeys = (value: unknown, path: string[] = []): string[] => {
  if (typeof value === 'string') {
    const host = hostOf(value);
    return host && PLACEHOLDER_HOST.test(host) ? [path.join('.')] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => placeholderKeys(item, [...path, String(index)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => placeholderKeys(item, [...path, key]));
  return [];
};

/**
 * The configuration a deployment uses: the JSON file named by `-c config=<file>`, or else the `proleads`
 * context key. Refused, with the keys named, when there is none, when it does not validate, or when it still
 * points at placeholder hosts (example.com, *.example, *.invalid, *.test, localhost).
 */
export const readDeployConfig = (fromContext: (key: string) => unknown): AppConfig => {
  const file = fromContext('config') as string | undefined;
  const raw: unknown = file ? JSON.parse(readFileSync(file, 'utf8')) : fromContext('proleads');
  if (raw === undefined) {
    throw new ConfigError(
      `No Proleads configuration: pass -c config=<file>, starting from a copy of ${EXAMPLE_CONFIG_FILE}.`,
    );
  }
  const placeholders = placeholderKeys(raw);
  if (placeholders.length > 0) {
    throw new ConfigError(
      `Invalid Proleads configuration:\n${placeholders
        .map((key) => `  ${key}: still a placeholder address; set the real one`)
        .join('\n')}`,
    );
  }
  return parseAppConfig(raw);
};
