import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';
import { FUNCTION_METADATA_KEY, XRAY_ACTIONS } from '../../lib/constructs/lambda-function';
import { actionsReachableFrom, functionEntry } from '../support/sdk-actions';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Every optional grant switched on: the keyed verifier reads its API key secret.
const fullConfig = () =>
  devConfig({
    verifier: { apiKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verifier-key-AbCdEf' },
  });

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

interface FunctionGrants {
  readonly logicalId: string;
  readonly folder: string;
  /** Every action its role is granted, with the resources of each statement. */
  readonly statements: readonly Statement[];
  /** What Lambda itself does with the role for this function (logs, traces, queue polling, failure destination). */
  readonly platform: ReadonlySet<string>;
  readonly managedPolicies: readonly unknown[];
}

const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`"${logicalId}"`);

/** Our functions (tagged with their folder) and what their roles are granted in the template. */
const functionGrants = (template: Template): FunctionGrants[] => {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const all = Object.entries(resources);
  return all
    .filter(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.[FUNCTION_METADATA_KEY] === 'string',
    )
    .map(([logicalId, fn]) => {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = resources[roleId];
      const statements = all
        .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && refersTo(r.Properties.Roles, roleId))
        .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const inline = (
        (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((policy) => policy.PolicyDocument.Statement);
      const platform = new Set<string>(['logs:CreateLogStream', 'logs:PutLogEvents', ...XRAY_ACTIONS]);
      const ofThisFunction = (type: string) =>
        all.filter(([, r]) => r.Type === type && refersTo(r.Properties.FunctionName, logicalId));
      if (ofThisFunction('AWS::Lambda::EventSourceMapping').length > 0)
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
          platform.add(action);
      if (
        ofThisFunction('AWS::Lambda::EventInvokeConfig').some(([, r]) =>
          JSON.stringify(r.Properties).includes('OnFailure'),
        )
      )
        platform.add('sqs:SendMessage');
      return {
        logicalId,
        folder: fn.Metadata?.[FUNCTION_METADATA_KEY] as string,
        statements: [...statements, ...inline],
        platform,
        managedPolicies: (role?.Properties.ManagedPolicyArns ?? []) as unknown[],
      };
    });
};

const actionsOf = (statements: readonly Statement[]) =>
  new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()));

/** The granted actions its code never calls, and the calls its code makes that are not granted. */
const compare = (grants: FunctionGrants, used: ReadonlySet<string>) => {
  const granted = actionsOf(grants.statements);
  const needed = new Set([...used, ...grants.platform]);
  return {
    unused: [...granted].filter((action) => !needed.has(action)).sort(),
    missing: [...used].filter((action) => !granted.has(action)).sort(),
  };
};

describe('every function is granted exactly the AWS actions its code calls', () => {
  let functions: FunctionGrants[];
  const usedByFolder = new Map<string, Set<string>>();
  const usedBy = async (folder: string) => {
    const known = usedByFolder.get(folder);
    if (known) return known;
    const used = await actionsReachableFrom(functionEntry(repoRoot, folder));
    usedByFolder.set(folder, used);
    return used;
  };

  beforeAll(() => {
    const { stack } = buildApp({ config: fullConfig(), skipBundling: true });
    functions = functionGrants(Template.fromStack(stack));
  });

  it('covers every function of the stack, none with a managed policy', () => {
    expect(functions.length).toBeGreaterThanOrEqual(12);
    for (const fn of functions)
      expect({ fn: fn.logicalId, managed: fn.managedPolicies }).toEqual({ fn: fn.logicalId, managed: [] });
  });

  it('grants no action a function does not use, and every action it does', { timeout: 60_000 }, async () => {
    const findings: Record<string, ReturnType<typeof compare>> = {};
    for (const fn of functions) {
      const result = compare(fn, await usedBy(fn.folder));
      if (result.unused.length > 0 || result.missing.length > 0) findings[fn.logicalId] = result;
    }
    expect(findings).toEqual({});
  });

  it('grants on each table only actions the function calls, never Scan or stream reads', {
    timeout: 60_000,
  }, async () => {
    for (const fn of functions) {
      const used = await usedBy(fn.folder);
      for (const statement of fn.statements) {
        const actions = [statement.Action].flat().filter((action) => action.startsWith('dynamodb:'));
        for (const action of actions)
          expect({ fn: fn.logicalId, action, used: used.has(action) }).toEqual({
            fn: fn.logicalId,
            action,
            used: true,
          });
      }
    }
  });

  it('gives the internet-facing functions only what they call on the control table', () => {
    const controlActions = (folder: string) =>
      [
        ...actionsOf(
          functions
            .filter((fn) => fn.folder === folder)
            .flatMap((fn) => fn.statements.filter((s) => refersTo(s.Resource, controlTableId()))),
        ),
      ].sort();
    expect(controlActions('partner-authorizer')).toEqual(['dynamodb:PutItem']);
    expect(controlActions('partner-api')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(controlActions('member-api')).toEqual([
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(controlActions('public-api')).toEqual([]);
  });

  it('keeps the public JWKS route read-only on the signing keys', async () => {
    const publicApi = functions.find((fn) => fn.folder === 'public-api');
    expect(
      publicApi && [...actionsOf(publicApi.statements)].filter((a) => a.startsWith('secretsmanager:')),
    ).toEqual(['secretsmanager:GetSecretValue']);
    expect(await usedBy('public-api')).not.toContain('secretsmanager:PutSecretValue');
  });

  it('fails when a function is granted an action its code never calls (the comparison is live)', async () => {
    const { stack } = buildApp({ config: fullConfig(), skipBundling: true });
    stack.watchdog.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [stack.storage.control.tableArn] }),
    );
    const watchdog = functionGrants(Template.fromStack(stack)).find(
      (fn) => fn.folder === 'scheduler-watchdog',
    );
    expect(watchdog && compare(watchdog, await usedBy('scheduler-watchdog'))).toEqual({
      unused: ['dynamodb:Scan'],
      missing: [],
    });
  });

  it('fails when code calls an action that is not granted', async () => {
    const watchdog = functions.find((fn) => fn.folder === 'scheduler-watchdog');
    const used = new Set([...(await usedBy('scheduler-watchdog')), 'dynamodb:PutItem']);
    expect(watchdog && compare(watchdog, used).missing).toEqual(['dynamodb:PutItem']);
  });

  let controlId: string | undefined;
  const controlTableId = () => {
    if (!controlId) {
      const { stack } = buildApp({ config: fullConfig(), skipBundling: true });
      const template = Template.fromStack(stack);
      controlId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable')).find((id) =>
        id.startsWith('StorageControlTable'),
      );
    }
    return controlId ?? 'missing';
  };
});

describe('the X-Ray acknowledgement of Resource::* covers X-Ray alone', () => {
  it('fails synthesis when a function is granted any other action on every resource', () => {
    const { app, stack } = buildApp({ config: devConfig(), skipBundling: true });
    stack.watchdog.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] }),
    );
    expect(() => app.synth()).toThrow(/s3:ListAllMyBuckets is granted on every resource/);
  });
});

describe('analysis of the code', () => {
  it('maps each SDK call the code reaches to its IAM actions', async () => {
    expect([...(await actionsReachableFrom(functionEntry(repoRoot, 'partner-authorizer')))]).toEqual([
      'dynamodb:PutItem',
    ]);
    expect([...(await actionsReachableFrom(functionEntry(repoRoot, 'authorizer')))]).toEqual([]);
  });
});
