/**
 * What the admin console is told at run time, and the browser policy it runs under: shared by the CloudFront
 * construct (config.json from stack values, the response-headers policy) and `npm start`'s console server,
 * so the console meets the same policy locally as in AWS.
 */

/** `/config.json` on the console's own origin, fetched by the console at start-up. */
export interface ConsoleRuntimeConfig {
  readonly apiUrl: string;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly scope: string };
}

/** The origin (scheme, host, port) of a URL, or the value itself when it is a CDK token or not a URL. */
const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/**
 * A strict Content-Security-Policy: everything from the console's own origin only; `fetch` may also reach the
 * API, the OIDC issuer and the upload bucket (files go straight to it with their presigned POST); no inline
 * scripts, no plugins, no framing, no base or form retargeting.
 */
export const consoleContentSecurityPolicy = (connectTo: {
  apiOrigin: string;
  issuer: string;
  uploadOrigin: string;
}): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${[...new Set(["'self'", connectTo.apiOrigin, originOf(connectTo.issuer), connectTo.uploadOrigin])].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
