import type { LocalResources } from './resources';
import type { SecretsStandIn } from './secrets-stand-in';
import { type CfnTemplate, resourcesOfType } from './template';

/** `{{resolve:secretsmanager:<secret id>:SecretString:<json key>:<stage>:<version>}}` (CloudFormation). */
const SECRET_REFERENCE = /^\{\{resolve:secretsmanager:(.+):SecretString:([^:]*):([^:]*):([^:]*)\}\}$/;

/**
 * Resolves a CloudFormation dynamic reference to a local secret the way CloudFormation does at deploy time
 * (whole string, or one JSON key of it); a plain value is returned as it is.
 */
export const resolveSecretReference = (value: string, secrets: Pick<SecretsStandIn, 'get'>): string => {
  const match = SECRET_REFERENCE.exec(value);
  if (!match) return value;
  const [, secretId = '', jsonKey] = match;
  const secretString = secrets.get(secretId);
  if (secretString === undefined) throw new Error(`No local secret ${secretId} for a dynamic reference`);
  if (!jsonKey) return secretString;
  const field = (JSON.parse(secretString) as Record<string, unknown>)[jsonKey];
  if (typeof field !== 'string') throw new Error(`Local secret ${secretId} has no string field ${jsonKey}`);
  return field;
};

/**
 * The API keys API Gateway would accept: every enabled `AWS::ApiGateway::ApiKey` that a usage plan of the
 * template holds (`AWS::ApiGateway::UsagePlanKey`), with its value resolved as at deploy time. So the local
 * key is the one the stack holds: the generated secret's value.
 */
export const apiKeysFromTemplate = (
  template: CfnTemplate,
  resources: LocalResources,
  secrets: Pick<SecretsStandIn, 'get'>,
): string[] => {
  const planned = new Set(
    resourcesOfType(template, 'AWS::ApiGateway::UsagePlanKey').map(([, resource]) =>
      resources.resolve((resource.Properties as { KeyId: unknown }).KeyId),
    ),
  );
  return resourcesOfType(template, 'AWS::ApiGateway::ApiKey')
    .filter(([id, resource]) => planned.has(id) && resource.Properties?.Enabled !== false)
    .map(([, resource]) => resolveSecretReference(resources.resolve(resource.Properties?.Value), secrets));
};
