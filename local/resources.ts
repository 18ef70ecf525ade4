import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { type CORSRule, CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../lambdas/shared/aws';
import type { Emulators } from './emulators';
import { type CfnTemplate, resourcesOfType } from './template';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/** What each template resource is called locally: the value `Ref` and `Fn::GetAtt` resolve to. */
export interface LocalResource {
  readonly ref: string;
  readonly arn: string;
  readonly attributes?: Record<string, string>;
}

export interface LocalResources {
  readonly byLogicalId: ReadonlyMap<string, LocalResource>;
  /** Environment shared by every function: region, emulator endpoints, static credentials. */
  readonly baseEnv: Record<string, string>;
  /** A function's environment as the template declares it, with every intrinsic resolved to local values. */
  functionEnv(logicalId: string, overrides?: Record<string, string>): Record<string, string>;
  resolve(value: unknown): string;
}

const props = <T>(template: CfnTemplate, id: string) => (template.Resources[id]?.Properties ?? {}) as T;

/** Local names: logical ids are unique, readable and valid table/queue names; buckets want lower case. */
const bucketName = (logicalId: string) => logicalId.toLowerCase().slice(0, 63);

interface CfnCorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

const toCorsRule = (rule: CfnCorsRule): CORSRule => ({
  AllowedOrigins: rule.AllowedOrigins,
  AllowedMethods: rule.AllowedMethods,
  ...(rule.AllowedHeaders ? { AllowedHeaders: rule.AllowedHeaders } : {}),
  ...(rule.ExposedHeaders ? { ExposeHeaders: rule.ExposedHeaders } : {}),
  ...(rule.MaxAge === undefined ? {} : { MaxAgeSeconds: rule.MaxAge }),
});

interface CfnTableProps {
  KeySchema: CreateTableCommandInput['KeySchema'];
  AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  GlobalSecondaryIndexes?: NonNullable<CreateTableCommandInput['GlobalSecondaryIndexes']>;
}

interface CfnQueueProps {
  VisibilityTimeout?: number;
  MessageRetentionPeriod?: number;
  DelaySeconds?: number;
  ReceiveMessageWaitTimeSeconds?: number;
  RedrivePolicy?: { deadLetterTargetArn: unknown; maxReceiveCount: number };
}

/**
 * Creates every table, queue, bucket and secret of the template in the emulators and returns how to resolve
 * the template's references to them. Idempotent: an existing table or queue (persisted data) is kept.
 * DynamoDB TTL is not set (dynalite has no TTL API): readers check `expiresAt` themselves.
 */
export const createLocalResources = async (
  template: CfnTemplate,
  emulators: Emulators,
  secretValues: Record<string, string> = {},
): Promise<LocalResources> => {
  const baseEnv: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    // s3rver checks signatures against its fixed key pair; the other emulators accept any key.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    ...Object.fromEntries(
      Object.entries(emulators.endpoints).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url]),
    ),
  };
  const byLogicalId = new Map<string, LocalResource>();
  const dynamodb = new DynamoDBClient(awsClientConfig(baseEnv, 'DYNAMODB'));
  const sqs = new SQSClient(awsClientConfig(baseEnv, 'SQS'));
  const s3 = new S3Client(awsClientConfig(baseEnv, 'S3'));

  for (const [id] of resourcesOfType(template, 'AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table')) {
    const table = props<CfnTableProps>(template, id);
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: id,
          KeySchema: table.KeySchema,
          AttributeDefinitions: table.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: table.GlobalSecondaryIndexes?.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection ?? { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    byLogicalId.set(id, {
      ref: id,
      arn: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${id}`,
      attributes: { StreamArn: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${id}/stream/local` },
    });
  }

  // Queues without a redrive policy first, so every dead-letter target exists before its source.
  const queues = resourcesOfType(template, 'AWS::SQS::Queue').sort(
    ([a], [b]) =>
      Number(Boolean(props<CfnQueueProps>(template, a).RedrivePolicy)) -
      Number(Boolean(props<CfnQueueProps>(template, b).RedrivePolicy)),
  );
  const resolve = intrinsicResolver((id) => byLogicalId.get(id));
  for (const [id] of queues) {
    const queue = props<CfnQueueProps>(template, id);
    const attributes: Record<string, string> = {};
    if (queue.VisibilityTimeout !== undefined) attributes.VisibilityTimeout = String(queue.VisibilityTimeout);
    if (queue.MessageRetentionPeriod !== undefined)
      attributes.MessageRetentionPeriod = String(queue.MessageRetentionPeriod);
    if (queue.DelaySeconds !== undefined) attributes.DelaySeconds = String(queue.DelaySeconds);
    if (queue.RedrivePolicy) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: resolve(queue.RedrivePolicy.deadLetterTargetArn),
        maxReceiveCount: queue.RedrivePolicy.maxReceiveCount,
      });
    }
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: id, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    byLogicalId.set(id, {
      ref: QueueUrl ?? '',
      arn: Attributes?.QueueArn ?? '',
      attributes: { QueueName: id, QueueUrl: QueueUrl ?? '' },
    });
  }

  for (const [id] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const name = bucketName(id);
    await s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    // The browser posts upload files straight to the bucket, so its CORS rules apply locally too.
    const cors = props<{ CorsConfiguration?: { CorsRules?: CfnCorsRule[] } }>(template, id).CorsConfiguration;
    if (cors?.CorsRules?.length)
      await s3.send(
        new PutBucketCorsCommand({
          Bucket: name,
          CORSConfiguration: { CORSRules: cors.CorsRules.map(toCorsRule) },
        }),
      );
    byLogicalId.set(id, {
      ref: name,
      arn: `arn:aws:s3:::${name}`,
      attributes: { DomainName: `${name}.local` },
    });
  }

  for (const [id] of resourcesOfType(template, 'AWS::SecretsManager::Secret')) {
    const arn = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
    if (emulators.secrets.get(arn) === undefined) {
      emulators.secrets.set(arn, secretValues[id] ?? randomBytes(32).toString('hex'));
    }
    byLogicalId.set(id, { ref: arn, arn });
  }

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (byLogicalId.has(id)) continue;
    if (resource.Type === 'AWS::Lambda::Function') {
      byLogicalId.set(id, { ref: id, arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}` });
    } else {
      byLogicalId.set(id, { ref: id, arn: `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}` });
    }
  }

  return {
    byLogicalId,
    baseEnv,
    resolve,
    functionEnv(logicalId, overrides = {}) {
      const variables =
        (props<{ Environment?: { Variables?: Record<string, unknown> } }>(template, logicalId).Environment
          ?.Variables as Record<string, unknown> | undefined) ?? {};
      const env: Record<string, string> = { ...baseEnv };
      for (const [name, value] of Object.entries(variables)) env[name] = resolve(value);
      return { ...env, AWS_LAMBDA_FUNCTION_NAME: logicalId, ...overrides };
    },
  };
};

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Proleads-local',
};

/**
 * Resolves the intrinsic functions CDK writes into environment variables and policies, with what each logical
 * id stands for (the local resources here; stand-in names in the cold-start bench).
 */
export const intrinsicResolver =
  (resourceOf: (logicalId: string) => LocalResource | undefined) =>
  (value: unknown): string => {
    const resolveValue = (node: unknown): string => {
      if (typeof node === 'string') return node;
      if (typeof node === 'number' || typeof node === 'boolean') return String(node);
      if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if ('Ref' in record) {
          const name = String(record.Ref);
          const pseudo = PSEUDO_PARAMETERS[name];
          if (pseudo) return pseudo;
          const resource = resourceOf(name);
          if (resource) return resource.ref;
          throw new Error(`Local runtime cannot resolve Ref ${name}`);
        }
        if ('Fn::GetAtt' in record) {
          const [id, attribute] = record['Fn::GetAtt'] as [string, string];
          const resource = resourceOf(id);
          if (!resource) throw new Error(`Local runtime cannot resolve Fn::GetAtt ${id}.${attribute}`);
          if (attribute === 'Arn') return resource.arn;
          const resolved = resource.attributes?.[attribute];
          if (resolved === undefined) throw new Error(`Local runtime has no attribute ${id}.${attribute}`);
          return resolved;
        }
        if ('Fn::Join' in record) {
          const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
          return parts.map(resolveValue).join(separator);
        }
        if ('Fn::Select' in record) {
          const [index, list] = record['Fn::Select'] as [number, unknown];
          const items = Array.isArray(list) ? list.map(resolveValue) : resolveValue(list).split(',');
          return items[Number(index)] ?? '';
        }
        if ('Fn::Split' in record) {
          const [separator, source] = record['Fn::Split'] as [string, unknown];
          return resolveValue(source).split(separator).join(',');
        }
      }
      throw new Error(`Local runtime cannot resolve ${JSON.stringify(node)}`);
    };
    return resolveValue(value);
  };

export const functionsByFolder = (template: CfnTemplate): Map<string, string[]> => {
  const byFolder = new Map<string, string[]>();
  for (const [id, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const folder = resource.Metadata?.['proleads:function'];
    if (typeof folder !== 'string') continue;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), id]);
  }
  return byFolder;
};
