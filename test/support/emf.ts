import { vi } from 'vitest';

/** The CloudWatch EMF documents Powertools Metrics writes to stdout while `act` runs. */
export const emfDocumentsOf = (act: () => void): Record<string, unknown>[] => {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return chunks
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};
