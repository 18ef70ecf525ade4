import { readFileSync } from 'node:fs';
import { startLocalStack } from './runtime';

/**
 * `npm run invoke -- <function> <event file>`: runs one function of the stack against fresh in-memory
 * emulators. <function> is a folder under lambdas/ (admin-api, authorizer, …) or a template logical id.
 */
const [target, eventFile] = process.argv.slice(2);
if (!target || !eventFile) {
  console.error('usage: npm run invoke -- <function folder or logical id> <event file>');
  process.exit(2);
}
const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
const stack = await startLocalStack();
try {
  const candidates = stack.template.Resources[target] ? [target] : stack.lambdas.functionsOf(target);
  const logicalId = candidates[0];
  if (!logicalId) throw new Error(`No function '${target}' in the stack`);
  if (candidates.length > 1)
    console.error(`'${target}' runs as ${candidates.join(', ')}; invoking ${logicalId}`);
  const result = await stack.lambdas.invoke(logicalId, event);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
}
