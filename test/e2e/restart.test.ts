import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../local/listen';
import { leadFile, type Slot } from '../support/uploads';

/**
 * A persistent `npm start`, killed hard (SIGKILL: no shutdown code runs) in the middle of an upload's first
 * ingest invocation, then started again: nobody touches anything, and the upload finishes exactly, every row
 * once; a presigned POST handed out before the kill still works after the restart.
 */
const ROWS = 4_000;
const repoRoot = path.resolve(import.meta.dirname, '../..');

const startStack = (env: Record<string, string>) =>
  new Promise<ChildProcess>((resolve, reject) => {
    // tsx as a loader in this very process (not its CLI, which runs a second one): SIGKILL hits the stack.
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Stop: Ctrl-C')) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output.slice(-2000)}`)));
  });

const killed = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

describe('a persistent local stack killed mid-upload', () => {
  const children: ChildProcess[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const child of children) await killed(child, 'SIGTERM');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the upload exactly after a restart, and keeps presigned POSTs working', {
    timeout: 240_000,
  }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'proleads-restart-'));
    const port = await freeLoopbackPort();
    const env = { PORT: String(port), LOCAL_DATA_DIR: dataDir };
    const url = `http://127.0.0.1:${port}`;
    children.push(await startStack(env));

    // A restarted stack signs with a new dev key: the token is fetched again after each start.
    const freshToken = async () =>
      ((await (await fetch(`${url}/.dev/tokens?role=admin`)).json()) as { token: string }).token;
    let token = await freshToken();
    const api = async <T>(route: string, init: RequestInit = {}) =>
      (await (
        await fetch(`${url}${route}`, {
          ...init,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        })
      ).json()) as T;
    const slotFor = (content: string) =>
      api<Slot>('/admin/uploads', {
        method: 'POST',
        body: JSON.stringify({ fileName: 'restart.csv', sizeBytes: Buffer.byteLength(content) }),
      });
    const post = async (slot: Slot, content: string) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(slot.upload.fields)) form.append(name, value);
      form.append('file', new Blob([content], { type: 'text/csv' }), 'restart.csv');
      const response = await fetch(slot.upload.url, { method: 'POST', body: form });
      expect(response.status).toBeLessThan(300);
    };
    type View = { state: string; counts: Record<string, number> };
    const view = (uploadId: string) => api<View>(`/admin/uploads/${uploadId}`);
    const until = async (uploadId: string, done: (upload: View) => boolean) => {
      for (;;) {
        const upload = await view(uploadId);
        if (upload.counts && done(upload)) return upload;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    const big = leadFile(Array.from({ length: ROWS }, (_, index) => `restart-${index}@example.com`));
    const later = leadFile(['after-restart@example.com']);
    const bigSlot = await slotFor(big);
    const laterSlot = await slotFor(later);
    await post(bigSlot, big);
    const midway = await until(bigSlot.uploadId, (upload) => (upload.counts.rowsRead ?? 0) >= 1_000);
    await killed(children[0] as ChildProcess, 'SIGKILL');
    expect(midway.state).toBe('ingesting');
    expect(midway.counts.rowsRead).toBeLessThan(ROWS);

    children.push(await startStack(env));
    token = await freshToken();
    await post(laterSlot, later);

    const finished = await until(bigSlot.uploadId, (upload) => upload.state !== 'ingesting');
    expect(finished.counts).toMatchObject({
      rowsRead: ROWS,
      accepted: ROWS,
      duplicateInFile: 0,
      duplicateOfEarlier: 0,
      rejected: 0,
    });
    const afterRestart = await until(laterSlot.uploadId, (upload) => upload.counts.rowsRead === 1);
    expect(afterRestart.counts.accepted).toBe(1);
  });
});
