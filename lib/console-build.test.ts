import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConsoleBuildFresh } from './console-build';

/** A console folder whose files carry the given modification times (seconds since the epoch). */
const consoleFolder = (files: Record<string, number>) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-web-'));
  for (const [name, mtime] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, name);
    utimesSync(file, mtime, mtime);
  }
  return dir;
};

describe('whether the console must be built again', () => {
  it('builds when there is no build yet', () => {
    expect(isConsoleBuildFresh(consoleFolder({ 'src/main.tsx': 100, 'index.html': 100 }))).toBe(false);
  });

  it('reuses a build newer than every source', () => {
    const dir = consoleFolder({ 'src/main.tsx': 100, 'index.html': 100, 'dist/index.html': 200 });
    expect(isConsoleBuildFresh(dir)).toBe(true);
  });

  it('builds again when a source, the page or the build config changed after the build', () => {
    for (const changed of ['src/features/uploads/page.tsx', 'index.html', 'vite.config.ts']) {
      const dir = consoleFolder({ 'src/main.tsx': 100, [changed]: 300, 'dist/index.html': 200 });
      expect(isConsoleBuildFresh(dir), changed).toBe(false);
    }
  });

  it('ignores tests and dependencies, which are not part of what the browser loads', () => {
    const dir = consoleFolder({
      'src/main.tsx': 100,
      'src/features/uploads/page.test.tsx': 300,
      'node_modules/x/index.js': 300,
      'dist/index.html': 200,
    });
    expect(isConsoleBuildFresh(dir)).toBe(true);
  });
});
