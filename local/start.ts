import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_AUTOMAILER_ASSERTION_PATH, DEV_AUTOMAILER_JWKS_PATH } from './dev-automailer';
import { startLocalStack } from './runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);

// A real verifier when one is named: `VERIFIER_BASE_URL=https://rapid-email-verifier.fly.dev npm start`.
const realVerifier = process.env.VERIFIER_BASE_URL;
const stack = await startLocalStack({
  port,
  fireSchedules: true,
  ...(inMemory ? {} : { dataDir: path.join(repoRoot, '.local-data') }),
  ...(realVerifier
    ? { verifier: { baseUrl: realVerifier, pathPrefix: process.env.VERIFIER_PATH_PREFIX ?? '/api' } }
    : {}),
});
const DEV_MEMBER_ID = 'dev-member';
const memberToken = await stack.identity.mint({ sub: DEV_MEMBER_ID, role: 'member' });
const adminToken = await stack.identity.mint({
  sub: 'dev-admin',
  role: 'admin',
  email: 'admin@proleads.example',
});

console.log(`
Proleads lead pipeline — running locally (${inMemory ? 'in memory' : 'data in .local-data/'})

  API               ${stack.url}
  SES mail viewer   ${stack.emulators.endpoints.SES}
  Email verifier    ${stack.verifier ? `local stand-in at ${stack.verifier.url}` : realVerifier}
  Admin token       ${adminToken}
  Member token      ${memberToken}   (member ${DEV_MEMBER_ID}; add it with PUT /admin/members/${DEV_MEMBER_ID})
  AutoMailer key    ${stack.apiKey}
  AutoMailer JWKS   ${stack.url}${DEV_AUTOMAILER_JWKS_PATH}   (the dev AutoMailer's registered keys)

Try:  curl -H "Authorization: Bearer <admin token>" ${stack.url}/admin/health
      curl ${stack.url}/.well-known/jwks.json
AutoMailer calls need the key and a fresh single-use client assertion each time (docs/automailer.md):
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
