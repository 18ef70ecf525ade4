import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen';

/**
 * The slice of the Secrets Manager API the pipeline calls, spoken over its real JSON protocol so functions
 * use the ordinary SDK client. No npm emulator exists for it. Versions and staging labels behave as in
 * Secrets Manager: GetSecretValue by stage (AWSCURRENT by default) or version id; PutSecretValue is
 * idempotent per ClientRequestToken and refuses another value for an existing version
 * (ResourceExistsException); moving AWSCURRENT leaves AWSPREVIOUS on the old version; DescribeSecret lists
 * VersionIdsToStages; UpdateSecretVersionStage moves a label. `beginRotation` does what RotateSecret does
 * before it calls the rotation function: a version id staged AWSPENDING, with no value yet.
 */
export interface SecretsStandIn {
  readonly url: string;
  /** A new AWSCURRENT version with this value. */
  set(arn: string, value: string): void;
  /** The AWSCURRENT value. */
  get(arn: string): string | undefined;
  /** Marks rotation on and stages `token` AWSPENDING, as RotateSecret does before invoking the function. */
  beginRotation(arn: string, token: string): void;
  stop(): Promise<void>;
}

interface SecretVersion {
  value?: string;
  stages: Set<string>;
  created: number;
}

interface StoredSecret {
  versions: Map<string, SecretVersion>;
  rotationEnabled: boolean;
}

interface SecretsRequest {
  SecretId?: string;
  SecretString?: string;
  ClientRequestToken?: string;
  VersionId?: string;
  VersionStage?: string;
  VersionStages?: string[];
  MoveToVersionId?: string;
  RemoveFromVersionId?: string;
}

class SecretsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
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

const notFound = () =>
  new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const startSecretsStandIn = async (initial: Record<string, string> = {}): Promise<SecretsStandIn> => {
  const secrets = new Map<string, StoredSecret>();

  const secretOf = (arn: string, create = false): StoredSecret => {
    let secret = secrets.get(arn);
    if (!secret && create) {
      secret = { versions: new Map(), rotationEnabled: false };
      secrets.set(arn, secret);
    }
    if (!secret) throw notFound();
    return secret;
  };

  /** Puts a label on one version; AWSCURRENT leaving a version leaves AWSPREVIOUS behind, as in AWS. */
  const stage = (secret: StoredSecret, label: string, versionId: string) => {
    for (const [id, version] of secret.versions) {
      if (id === versionId || !version.stages.has(label)) continue;
      version.stages.delete(label);
      if (label === 'AWSCURRENT') {
        for (const other of secret.versions.values()) other.stages.delete('AWSPREVIOUS');
        version.stages.add('AWSPREVIOUS');
      }
    }
    secret.versions.get(versionId)?.stages.add(label);
  };

  const putValue = (arn: string, value: string, token: string = randomUUID(), stages = ['AWSCURRENT']) => {
    const secret = secretOf(arn, true);
    const existing = secret.versions.get(token);
    if (existing?.value !== undefined) {
      if (existing.value !== value) {
        throw new SecretsError(
          'ResourceExistsException',
          `A resource with the ID you requested already exists: version ${token} holds another value`,
        );
      }
      return token;
    }
    secret.versions.set(token, { value, stages: existing?.stages ?? new Set(), created: Date.now() / 1000 });
    for (const label of stages) stage(secret, label, token);
    return token;
  };

  const findVersion = (arn: string, versionId?: string, versionStage?: string) => {
    const secret = secretOf(arn);
    const label = versionStage ?? (versionId ? undefined : 'AWSCURRENT');
    for (const [id, version] of secret.versions) {
      if (versionId !== undefined && id !== versionId) continue;
      if (label !== undefined && !version.stages.has(label)) continue;
      if (version.value === undefined) continue;
      return { id, version };
    }
    throw new SecretsError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label or version",
    );
  };

  const operations: Record<string, (body: SecretsRequest) => unknown> = {
    GetSecretValue: ({ SecretId = '', VersionId, VersionStage }) => {
      const { id, version } = findVersion(SecretId, VersionId, VersionStage);
      return {
        ARN: SecretId,
        Name: SecretId.split(':').pop(),
        SecretString: version.value,
        VersionId: id,
        VersionStages: [...version.stages],
        CreatedDate: version.created,
      };
    },
    PutSecretValue: ({ SecretId = '', SecretString, ClientRequestToken, VersionStages }) => {
      if (SecretString === undefined)
        throw new SecretsError('InvalidParameterException', 'SecretString is required');
      secretOf(SecretId);
      const id = putValue(SecretId, SecretString, ClientRequestToken, VersionStages);
      return {
        ARN: SecretId,
        Name: SecretId.split(':').pop(),
        VersionId: id,
        VersionStages: [...(secretOf(SecretId).versions.get(id)?.stages ?? [])],
      };
    },
    DescribeSecret: ({ SecretId = '' }) => {
      const secret = secretOf(SecretId);
      return {
        ARN: SecretId,
        Name: SecretId.split(':').pop(),
        RotationEnabled: secret.rotationEnabled,
        VersionIdsToStages: Object.fromEntries(
          [...secret.versions]
            .filter(([, version]) => version.stages.size > 0)
            .map(([id, version]) => [id, [...version.stages]]),
        ),
      };
    },
    UpdateSecretVersionStage: ({
      SecretId = '',
      VersionStage = '',
      MoveToVersionId,
      RemoveFromVersionId,
    }) => {
      const secret = secretOf(SecretId);
      const holder = [...secret.versions].find(([, version]) => version.stages.has(VersionStage))?.[0];
      if (holder !== undefined && holder !== MoveToVersionId && holder !== RemoveFromVersionId) {
        throw new SecretsError(
          'InvalidParameterException',
          `The staging label ${VersionStage} is attached to version ${holder}; name it in RemoveFromVersionId`,
        );
      }
      if (MoveToVersionId === undefined) {
        if (RemoveFromVersionId) secret.versions.get(RemoveFromVersionId)?.stages.delete(VersionStage);
      } else {
        if (!secret.versions.has(MoveToVersionId)) throw notFound();
        stage(secret, VersionStage, MoveToVersionId);
      }
      return { ARN: SecretId, Name: SecretId.split(':').pop() };
    },
  };

  const server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = operations[target.split('.').pop() ?? ''];
    try {
      if (!operation) throw new SecretsError('InvalidRequestException', `Unsupported operation ${target}`);
      const body = JSON.parse((await readBody(request)) || '{}') as SecretsRequest;
      reply(response, 200, operation(body));
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      reply(response, 400, { __type: error.type, message: error.message });
    }
  });
  const url = await listenOnLoopback(server);

  for (const [arn, value] of Object.entries(initial)) putValue(arn, value);
  return {
    url,
    set: (arn, value) => {
      putValue(arn, value);
    },
    get: (arn) => {
      try {
        return findVersion(arn).version.value;
      } catch {
        return undefined;
      }
    },
    beginRotation: (arn, token) => {
      const secret = secretOf(arn);
      secret.rotationEnabled = true;
      secret.versions.set(token, { stages: new Set(), created: Date.now() / 1000 });
      stage(secret, 'AWSPENDING', token);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
