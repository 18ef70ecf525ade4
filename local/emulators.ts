import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sesLocal from 'aws-ses-v2-local';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import S3rver from 's3rver';
import { type InProcessEndpoint, serveEndpointInProcess } from '../lambdas/shared/aws';
import { dynaliteChannel } from './dynalite-channel';
import { listenOnLoopback } from './listen';
import { type SecretsStandIn, startSecretsStandIn } from './secrets-stand-in';

export interface Emulators {
  /** `AWS_ENDPOINT_URL_<SERVICE>` values for SDK clients and function environments. */
  readonly endpoints: Record<'DYNAMODB' | 'S3' | 'SQS' | 'SES' | 'SECRETS_MANAGER', string>;
  readonly s3rver: S3rver;
  /** The SQS emulator itself: its message spy records every message sent, even once consumed. */
  readonly fauxqs: FauxqsServer;
  readonly secrets: SecretsStandIn;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Keep DynamoDB and S3 data in this folder between runs; in memory when absent. */
  readonly dataDir?: string;
}

type PortName = 'dynamodb' | 's3' | 'sqs';

/**
 * The ports a persistent stack's emulators took, kept in its data folder and taken again at the next start,
 * so what a client was handed before a restart (a presigned POST to S3) still works after it. A port some
 * other process took meanwhile falls back to a free one.
 */
const portBook = (dataDir: string | undefined) => {
  const file = dataDir ? path.join(dataDir, 'emulator-ports.json') : undefined;
  let saved: Partial<Record<PortName, number>> = {};
  if (file) {
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<PortName, number>>;
    } catch {
      saved = {};
    }
  }
  const taken: Partial<Record<PortName, number>> = {};
  return {
    async start<T>(name: PortName, begin: (port: number) => Promise<T>, portOf: (started: T) => number) {
      const wanted = saved[name] ?? 0;
      let started: T;
      try {
        started = await begin(wanted);
      } catch (error) {
        if (wanted === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        started = await begin(0);
      }
      taken[name] = portOf(started);
      return started;
    },
    save() {
      if (file) writeFileSync(file, JSON.stringify(taken));
    },
  };
};

const portOfUrl = (url: string) => Number(new URL(url).port);

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

// aws-ses-v2-local is CommonJS; its default export arrives wrapped when imported from ESM.
const startSes = ((sesLocal as unknown as { default?: typeof sesLocal }).default ??
  sesLocal) as typeof sesLocal;

/**
 * Starts API-compatible stand-ins for every AWS service the functions call, each on a free loopback port:
 * dynalite (DynamoDB), s3rver (S3), fauxqs (SQS), aws-ses-v2-local (SES) and a Secrets Manager stand-in.
 */
export const startEmulators = async (options: EmulatorOptions = {}): Promise<Emulators> => {
  const { dataDir } = options;
  if (dataDir) mkdirSync(path.join(dataDir, 's3'), { recursive: true });

  const ports = portBook(dataDir);

  const dynamoOptions = {
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {}),
  };
  const s3Directory = dataDir ? path.join(dataDir, 's3') : path.join(await tempDir(), 's3');
  const ses = await startSes({ host: '127.0.0.1', port: 0 });

  // Each emulator waits on its own I/O (files, sockets) while starting, so they start together.
  const [dynamo, s3, sqs, sesUrl, secrets] = await Promise.all([
    ports.start(
      'dynamodb',
      (port) => startDynaliteWorker(dynamoOptions, port),
      (started) => started.port,
    ),
    ports.start(
      's3',
      async (port) => {
        const server = new S3rver({
          port,
          address: '127.0.0.1',
          silent: true,
          directory: s3Directory,
          allowMismatchedSignatures: true,
        });
        return { server, address: (await server.run()) as AddressInfo };
      },
      (started) => started.address.port,
    ),
    ports.start(
      'sqs',
      (port) =>
        startFauxqs({
          port,
          logger: false,
          host: '127.0.0.1',
          // Tests assert on what was sent, which a consumer may already have taken off the queue.
          messageSpies: { bufferSize: 20_000 },
          ...(dataDir ? { dataDir: path.join(dataDir, 'sqs') } : {}),
        }),
      (server) => portOfUrl(server.address.startsWith('http') ? server.address : `http://${server.address}`),
    ),
    listenOnLoopback(ses),
    startSecretsStandIn(),
  ]);
  ports.save();
  const s3rver = s3.server;
  const dynamoEndpoint = `http://127.0.0.1:${dynamo.port}`;
  const stopServingDynamoInProcess = serveEndpointInProcess(dynamoEndpoint, dynamo.clientSettings);

  return {
    endpoints: {
      DYNAMODB: dynamoEndpoint,
      S3: `http://127.0.0.1:${s3.address.port}`,
      SQS: sqs.address.startsWith('http') ? sqs.address : `http://${sqs.address}`,
      SES: sesUrl,
      SECRETS_MANAGER: secrets.url,
    },
    s3rver,
    fauxqs: sqs,
    secrets,
    async stop() {
      stopServingDynamoInProcess();
      await Promise.allSettled([dynamo.stop(), s3rver.close(), sqs.stop(), close(ses), secrets.stop()]);
    },
  };
};

/**
 * dynalite in a worker thread (`dynalite-worker.mjs`): on `npm start` the functions, the SDK clients and the
 * other emulators keep the main thread busy, and DynamoDB is the emulator they call most. It listens on a
 * port, and this process's own clients reach it through the worker's message channel.
 */
const startDynaliteWorker = (options: Record<string, unknown>, port: number) =>
  new Promise<{ port: number; clientSettings: InProcessEndpoint; stop(): Promise<void> }>(
    (resolve, reject) => {
      const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
        workerData: { options, port },
      });
      const channel = dynaliteChannel(worker);
      const exited = new Promise<void>((done) =>
        worker.once('exit', () => {
          channel.close();
          done();
        }),
      );
      worker.once('error', reject);
      worker.on('message', (message: WorkerMessage) => {
        if (message.answers) return channel.answer(message.answers);
        if (message.error) {
          void worker.terminate();
          return reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
        }
        resolve({
          port: message.port as number,
          clientSettings: channel.clientSettings,
          async stop() {
            worker.postMessage('close');
            const timer = setTimeout(() => void worker.terminate(), 5_000);
            await exited;
            clearTimeout(timer);
          },
        });
      });
    },
  );

type WorkerMessage = {
  port?: number;
  error?: { message: string; code?: string };
  answers?: Parameters<ReturnType<typeof dynaliteChannel>['answer']>[0];
};

const tempDir = async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(path.join(tmpdir(), 'proleads-'));
};
