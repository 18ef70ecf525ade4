import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sesLocal from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import S3rver from 's3rver';
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

const listen = async (server: Server): Promise<string> => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

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

  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {}),
  });
  const dynamoUrl = await listen(dynamo);

  const s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dataDir ? path.join(dataDir, 's3') : path.join(await tempDir(), 's3'),
    allowMismatchedSignatures: true,
  });
  const s3Address = (await s3rver.run()) as AddressInfo;

  const sqs = await startFauxqs({
    port: 0,
    logger: false,
    host: '127.0.0.1',
    // Tests assert on what was sent, which a consumer may already have taken off the queue.
    messageSpies: { bufferSize: 20_000 },
    ...(dataDir ? { dataDir: path.join(dataDir, 'sqs') } : {}),
  });
  const ses = await startSes({ host: '127.0.0.1', port: 0 });
  const secrets = await startSecretsStandIn();

  return {
    endpoints: {
      DYNAMODB: dynamoUrl,
      S3: `http://127.0.0.1:${s3Address.port}`,
      SQS: sqs.address.startsWith('http') ? sqs.address : `http://${sqs.address}`,
      SES: await listen(ses),
      SECRETS_MANAGER: secrets.url,
    },
    s3rver,
    fauxqs: sqs,
    secrets,
    async stop() {
      await Promise.allSettled([close(dynamo), s3rver.close(), sqs.stop(), close(ses), secrets.stop()]);
    },
  };
};

const tempDir = async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(path.join(tmpdir(), 'proleads-'));
};
