import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface ChunkInfo {
  readonly fileName: string;
  readonly code: string;
  readonly isEntry: boolean;
  readonly imports: readonly string[];
}

/**
 * The JavaScript a browser must load before the console can start: every entry chunk and, transitively, the
 * chunks they import statically. Lazily imported pages and charts are not counted; they load on demand.
 */
export const initialJsBytes = (chunks: readonly ChunkInfo[]): { gzipBytes: number; files: string[] } => {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    for (const imported of byName.get(fileName)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  const files = [...seen].filter((name) => byName.has(name));
  const gzipBytes = files.reduce(
    (sum, name) => sum + gzipSync(byName.get(name)?.code ?? '', { level: 9 }).length,
    0,
  );
  return { gzipBytes, files };
};

/** Fails the build when the initial JavaScript grows past the budget, and reports it otherwise. */
export const initialJsBudget = (budgetBytes: number): Plugin => ({
  name: 'proleads-initial-js-budget',
  apply: 'build',
  generateBundle(_options, bundle) {
    const chunks: ChunkInfo[] = [];
    for (const output of Object.values(bundle))
      if (output.type === 'chunk')
        chunks.push({
          fileName: output.fileName,
          code: output.code,
          isEntry: output.isEntry,
          imports: output.imports,
        });
    const { gzipBytes, files } = initialJsBytes(chunks);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    if (gzipBytes > budgetBytes)
      this.error(
        `initial JavaScript is ${kb(gzipBytes)} gzipped (${files.join(', ')}), over the ${kb(budgetBytes)} budget: lazy-load a page or drop a dependency`,
      );
    this.info(`initial JavaScript: ${kb(gzipBytes)} gzipped of ${kb(budgetBytes)} allowed`);
  },
});
