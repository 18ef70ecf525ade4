import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '../lambdas/shared/dynamo';
import { DEV_AUTOMAILER_ASSERTION_PATH, DEV_AUTOMAILER_JWKS_PATH, seedDevMember } from './dev-automailer';
import { startLocalStack } from './runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);

const stack = await startLocalStack({
  port,
  ...(inMemory ? {} : { dataDir: path.join(repoRoot, '.local-data') }),
});
const DEV_MEMBER_ID = 'dev-member';
const doc = createDocumentClient(stack.resources.baseEnv);
const membersTable = [...stack.resources.byLogicalId.keys()].find((id) =>
  id.startsWith('StorageMembersTable'),
);
if (membersTable) await seedDevMember(doc, membersTable, DEV_MEMBER_ID);
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
  Admin token       ${adminToken}
  Member token      ${memberToken}   (member ${DEV_MEMBER_ID}, with three leads)
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
