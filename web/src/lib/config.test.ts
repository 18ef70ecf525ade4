import { describe, expect, it } from 'vitest';
import { parseConsoleConfig } from './config';

describe('the runtime configuration', () => {
  it('takes the API URL without a trailing slash and a default scope', () => {
    expect(
      parseConsoleConfig({
        apiUrl: 'https://api.example.com/prod/',
        oidc: { issuer: 'https://id.example.com', clientId: 'console' },
      }),
    ).toEqual({
      apiUrl: 'https://api.example.com/prod',
      oidc: { issuer: 'https://id.example.com', clientId: 'console', scope: 'openid profile email' },
    });
  });

  it('names the first setting a broken deployment left out', () => {
    expect(() => parseConsoleConfig({ apiUrl: 'https://api.example.com', oidc: { clientId: 'c' } })).toThrow(
      'config.json has no oidc.issuer',
    );
    expect(() => parseConsoleConfig(null)).toThrow('config.json has no apiUrl');
  });
});
