/**
 * The local pipeline benchmark: `npm run bench -- local-pipeline [rows]` (default 50,000).
 *
 * Starts the local stack as `npm start -- --in-memory` does (emulators, functions, event sources, the
 * verifier stand-in), then, over HTTP as the console does, asks for an upload slot, posts a generated CSV
 * (unique addresses, 2% bad rows) to S3 with the presigned POST and polls the upload until it is `queued`
 * (every accepted lead verified). The figure is rows per second from the POST to S3 until `queued`.
 * Prints the figures, then one JSON line with `rowsPerSecond`.
 */
import { UploadDetailSchema, UploadSlotSchema } from '../lambdas/functions/admin-api/answers';
import { devTokenClaims } from '../local/dev-identity';
import { startLocalStack } from '../local/runtime';
import { apiClient, postToS3 } from '../local/scenario';

const POLL_MS = 250;
const TIMEOUT_MS = 30 * 60_000;

const leadFile = (rows: number, tag: string) => {
  const lines = ['Email,First Name,Last Name,Company,Phone,City'];
  for (let row = 0; row < rows; row++) {
    const email = row % 50 === 49 ? `not-an-email-${row}` : `lead.${tag}.${row}@example.com`;
    lines.push(
      `${email},First${row},Last${row},Company ${row % 1000},+1 555 ${String(row).padStart(7, '0')},City ${row % 300}`,
    );
  }
  return `${lines.join('\n')}\n`;
};

export const main = async (args: string[]) => {
  const rows = Number(args[0] ?? 50_000);
  const stack = await startLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  let result: Record<string, number | string>;
  try {
    const api = apiClient(stack.url);
    const token = await stack.identity.mint(devTokenClaims('admin'));
    const content = leadFile(rows, Date.now().toString(36));
    const slot = await api.json(UploadSlotSchema, 'POST', '/admin/uploads', {
      token,
      body: { fileName: `bench-${rows}.csv`, sizeBytes: Buffer.byteLength(content) },
      expect: [201],
    });
    const started = performance.now();
    await postToS3(slot.upload, content, `bench-${rows}.csv`);
    let upload = await api.json(UploadDetailSchema, 'GET', `/admin/uploads/${slot.uploadId}`, { token });
    let ingestedAt: number | undefined;
    while (upload.state !== 'queued') {
      if (upload.state === 'failed' || upload.state === 'duplicate_file')
        throw new Error(`the upload ended ${upload.state}: ${upload.failureReason ?? ''}`);
      if (performance.now() - started > TIMEOUT_MS)
        throw new Error(`not queued after ${TIMEOUT_MS / 1000} s`);
      if (ingestedAt === undefined && upload.state === 'verifying') ingestedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      upload = await api.json(UploadDetailSchema, 'GET', `/admin/uploads/${slot.uploadId}`, { token });
    }
    const seconds = (performance.now() - started) / 1000;
    const ingestSeconds = ((ingestedAt ?? performance.now()) - started) / 1000;
    result = {
      bench: 'local-pipeline',
      rows,
      accepted: upload.counts.accepted,
      seconds: Number(seconds.toFixed(1)),
      ingestSeconds: Number(ingestSeconds.toFixed(1)),
      rowsPerSecond: Math.round(rows / seconds),
    };
    console.log(
      `${rows} rows (${upload.counts.accepted} accepted) from the presigned POST to queued in ${seconds.toFixed(1)} s: ${(rows / seconds).toFixed(0)} rows/s (ingest done after ${ingestSeconds.toFixed(1)} s; target >= 700 rows/s)`,
    );
    // The functions' last metric lines are flushed before the figures, so the JSON line is the last one.
    await stack.eventSources.waitForIdle().catch(() => undefined);
  } finally {
    await stack.stop();
  }
  console.log(JSON.stringify(result));
  return result;
};
