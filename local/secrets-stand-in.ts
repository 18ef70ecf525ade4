import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The slice of the Secrets Manager API the pipeline calls (GetSecretValue, PutSecretValue), spoken over
 * its real JSON protocol so functions use the ordinary SDK client. No npm emulator exists for it.
 */
export interface SecretsStandIn {
  readonly url: string;
  set(arn: string, value: string): void;
  get(arn: string): string | undefined;
  stop(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const reply = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
};

export const startSecretsStandIn = async (initial: Record<string, string> = {}): Promise<SecretsStandIn> => {
  const secrets = new Map<string, { value: string; versionId: string; created: number }>();
  const set = (arn: string, value: string) =>
    secrets.set(arn, { value, versionId: randomUUID(), created: Date.now() / 1000 });
  for (const [arn, value] of Object.entries(initial)) set(arn, value);

  const server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await readBody(request)) || '{}') as {
      SecretId?: string;
      SecretString?: string;
    };
    const secretId = body.SecretId ?? '';
    const secret = secrets.get(secretId);
    if (target.endsWith('.GetSecretValue')) {
      if (!secret) {
        return reply(response, 400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
      }
      return reply(response, 200, {
        ARN: secretId,
        Name: secretId.split(':').pop(),
        SecretString: secret.value,
        VersionId: secret.versionId,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.created,
      });
    }
    if (target.endsWith('.PutSecretValue') && body.SecretString !== undefined) {
      set(secretId, body.SecretString);
      return reply(response, 200, { ARN: secretId, VersionId: secrets.get(secretId)?.versionId });
    }
    return reply(response, 400, {
      __type: 'InvalidRequestException',
      message: `Unsupported operation ${target}`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set,
    get: (arn) => secrets.get(arn)?.value,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
