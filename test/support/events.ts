import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const eventsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../events');
const cache = new Map<string, unknown>();

/** A real-shaped sample event from `events/`, cloned so a test can change it freely. */
export const loadEvent = <T>(name: string): T => {
  let event = cache.get(name);
  if (event === undefined) {
    event = JSON.parse(readFileSync(path.join(eventsDir, name), 'utf8'));
    cache.set(name, event);
  }
  return structuredClone(event) as T;
};
