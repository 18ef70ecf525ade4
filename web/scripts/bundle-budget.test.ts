import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { initialJsBytes } from './bundle-budget';

const gz = (code: string) => gzipSync(code, { level: 9 }).length;

describe('the initial JavaScript', () => {
  it('counts the entry and what it imports statically, transitively, once each; not lazy chunks', () => {
    const chunks = [
      { fileName: 'index.js', code: 'entry();'.repeat(50), isEntry: true, imports: ['react.js', 'query.js'] },
      { fileName: 'react.js', code: 'react();'.repeat(80), isEntry: false, imports: ['shared.js'] },
      { fileName: 'query.js', code: 'query();'.repeat(30), isEntry: false, imports: ['shared.js'] },
      { fileName: 'shared.js', code: 'shared();'.repeat(20), isEntry: false, imports: [] },
      { fileName: 'chart.js', code: 'uplot();'.repeat(900), isEntry: false, imports: ['shared.js'] },
    ];

    const { gzipBytes, files } = initialJsBytes(chunks);

    expect(files.sort()).toEqual(['index.js', 'query.js', 'react.js', 'shared.js']);
    expect(gzipBytes).toBe(
      gz('entry();'.repeat(50)) +
        gz('react();'.repeat(80)) +
        gz('query();'.repeat(30)) +
        gz('shared();'.repeat(20)),
    );
  });
});
