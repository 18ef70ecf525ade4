import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from './runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inMemory = process.argv.includes('--in-memory');
const port = Number(process.env.PORT ?? 3000);

const stack = await startLocalStack({
  port,
  fireSchedules: true,
  ...(inMemory ? {} : { dataDir: path.join(repoRoot, '.local-data') }),
});
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
  AutoMailer key    ${stack.apiKey}

Try:  curl -H "Authorization: Bearer <admin token>" ${stack.url}/admin/health
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
