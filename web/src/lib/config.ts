/** The console's runtime settings, served beside it as `/config.json` (written from stack values in AWS). */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly scope: string };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks the shape of `/config.json`, naming the first missing setting so a broken deployment says why. */
export const parseConsoleConfig = (value: unknown): ConsoleConfig => {
  const record = (value ?? {}) as Record<string, unknown>;
  const oidc = (record.oidc ?? {}) as Record<string, unknown>;
  const missing = [
    ['apiUrl', record.apiUrl],
    ['oidc.issuer', oidc.issuer],
    ['oidc.clientId', oidc.clientId],
  ].find(([, setting]) => !isText(setting));
  if (missing) throw new Error(`config.json has no ${missing[0]}`);
  return {
    apiUrl: String(record.apiUrl).replace(/\/+$/, ''),
    oidc: {
      issuer: String(oidc.issuer),
      clientId: String(oidc.clientId),
      scope: isText(oidc.scope) ? oidc.scope : 'openid profile email',
    },
  };
};

export const loadConsoleConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  return parseConsoleConfig(await response.json());
};
