import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OverviewSchema } from '../lambdas/functions/admin-api/answers';
import { DEV_AUTOMAILER_ASSERTION_PATH, DEV_AUTOMAILER_JWKS_PATH } from './dev-automailer';
import { DEV_SUBJECTS, devTokenClaims } from './dev-identity';
import { DEMO_DEFAULT_API_URL, DEV_TOKENS_PATH } from './dev-paths';
import { startLocalStack } from './runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);
const consolePort = Number(process.env.CONSOLE_PORT ?? port + 1);
/** Local only: how long a console session lasts before the console must sign in again. */
const accessTokenSeconds = process.env.DEV_OIDC_ACCESS_TOKEN_SECONDS
  ? Number(process.env.DEV_OIDC_ACCESS_TOKEN_SECONDS)
  : undefined;
if (accessTokenSeconds !== undefined && !(Number.isInteger(accessTokenSeconds) && accessTokenSeconds > 0)) {
  console.error('DEV_OIDC_ACCESS_TOKEN_SECONDS must be a whole number of seconds above 0, such as 60');
  process.exit(1);
}
// Where a persistent stack keeps its data; `.local-data/` unless LOCAL_DATA_DIR names another folder.
const dataDir = process.env.LOCAL_DATA_DIR ?? path.join(repoRoot, '.local-data');

// A real verifier when one is named: `VERIFIER_BASE_URL=https://rapid-email-verifier.fly.dev npm start`.
const realVerifier = process.env.VERIFIER_BASE_URL;
const stack = await startLocalStack({
  port,
  fireSchedules: true,
  console: { port: consolePort },
  oidc: { accessTokenSeconds },
  ...(inMemory ? {} : { dataDir }),
  ...(realVerifier
    ? { verifier: { baseUrl: realVerifier, pathPrefix: process.env.VERIFIER_PATH_PREFIX ?? '/api' } }
    : {}),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(
    `Port ${(error as NodeJS.ErrnoException & { port?: number }).port ?? port} is in use (another npm start?). ` +
      'Stop that process, or pick other ports: PORT=4000 CONSOLE_PORT=4001 npm start',
  );
  process.exit(1);
});
const memberToken = await stack.identity.mint(devTokenClaims('member'));
const adminToken = await stack.identity.mint(devTokenClaims('admin'));
const DEV_MEMBER_ID = DEV_SUBJECTS.member;

/** How the console came to be served: signs the dev admin in, or why it cannot be shown yet. */
const consoleNote = () => {
  const build = stack.consoleBuild;
  if (!build || build.state === 'unavailable')
    return `(not built: ${build?.reason.split('\n')[0]?.replace(/:$/, '') ?? 'unknown'}; the page says what to do)`;
  return `(signs the dev admin in through ${stack.oidcIssuer}${build.state === 'built' ? `; built in ${(build.ms / 1000).toFixed(1)} s` : ''})`;
};

/** The next scheduled run, as the admin overview tells an admin console. */
const nextScheduledRun = async () => {
  const response = await fetch(`${stack.url}/admin/overview`, {
    headers: { Authorization: `Bearer ${adminToken}` },
  });
  if (!response.ok) return `unknown (GET /admin/overview answered ${response.status})`;
  const { nextRun } = OverviewSchema.parse(await response.json());
  return nextRun
    ? `${nextRun.at} (${nextRun.name})`
    : 'none yet — create one with POST /admin/schedules, or run npm run demo';
};

console.log(`
Proleads lead pipeline — running locally (${inMemory ? 'in memory' : 'data in .local-data/'}; ${stack.templateSource === 'reused' ? 'stack template reused: lib/, config and the rest unchanged' : 'stack synthesized'})

  Console           ${stack.consoleUrl}   ${consoleNote()}
  API               ${stack.url}
  SES mail viewer   ${stack.emulators.endpoints.SES}
  Email verifier    ${stack.verifier ? `local stand-in at ${stack.verifier.url}` : realVerifier}
  Admin token       ${adminToken}
  Member token      ${memberToken}   (member ${DEV_MEMBER_ID}; add it with PUT /admin/members/${DEV_MEMBER_ID})
  AutoMailer key    ${stack.apiKey}
  AutoMailer JWKS   ${stack.url}${DEV_AUTOMAILER_JWKS_PATH}   (the dev AutoMailer's registered keys)
  Next run          ${await nextScheduledRun()}

Try:  ${stack.url === DEMO_DEFAULT_API_URL ? '' : `DEMO_API_URL=${stack.url} `}npm run demo   (in a second terminal: the whole scenario against this stack)
      curl -H "Authorization: Bearer <admin token>" ${stack.url}/admin/health
      curl "${stack.url}${DEV_TOKENS_PATH}?role=member&sub=<member id>"   a fresh dev token (local only)
      curl ${stack.url}/.well-known/jwks.json
AutoMailer calls need the key and a fresh single-use client assertion each time, and AutoMailer reads only a
member linked by a redeemed hand-off (POST /sso/automailer as the member, then POST /automailer/sso/token;
docs/automailer.md); until then this answers 403 not_linked:
      curl -H "x-api-key: ${stack.apiKey}" \\
           -H "Authorization: Bearer $(curl -s ${stack.url}${DEV_AUTOMAILER_ASSERTION_PATH})" \\
           ${stack.url}/automailer/members/${DEV_MEMBER_ID}/leads.csv
Stop: Ctrl-C
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
