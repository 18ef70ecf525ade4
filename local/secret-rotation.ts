import { randomUUID } from 'node:crypto';
import type { LocalStack } from './runtime';
import { resourcesOfType } from './template';

const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/**
 * What Secrets Manager's RotateSecret does, locally: find the template's rotation schedule for the secret,
 * stage a new version id AWSPENDING, then invoke the rotation function once per step, in order. A step that
 * throws stops the rotation, leaving AWSCURRENT where it was (as in AWS).
 */
export const rotateSecret = async (stack: LocalStack, secretLogicalIdPrefix: string): Promise<string> => {
  const schedule = resourcesOfType(stack.template, 'AWS::SecretsManager::RotationSchedule')
    .map(([, resource]) => resource.Properties as { SecretId: unknown; RotationLambdaARN: unknown })
    .find((properties) => JSON.stringify(properties.SecretId).includes(`"${secretLogicalIdPrefix}`));
  if (!schedule) throw new Error(`No rotation schedule for a secret ${secretLogicalIdPrefix}*`);
  const secretId = stack.resources.resolve(schedule.SecretId);
  const functionArn = stack.resources.resolve(schedule.RotationLambdaARN);
  const functionId = functionArn.split(':').pop() ?? '';
  const token = randomUUID();
  stack.emulators.secrets.beginRotation(secretId, token);
  for (const step of ROTATION_STEPS) {
    await stack.lambdas.invoke(functionId, { Step: step, SecretId: secretId, ClientRequestToken: token });
  }
  return token;
};
