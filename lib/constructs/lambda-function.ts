import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnFunction,
  type EventSourceMappingOptions,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What active tracing grants: the only actions a function's role may hold on `*`. */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

interface ResolvedStatement {
  Action?: string | string[];
  Resource?: unknown;
}

/** Every statement of the role's policies that grants on `*` an action other than X-Ray's, as messages. */
const wildcardGrantsBeyondXray = (role: Role): string[] => {
  const stack = Stack.of(role);
  const documents = role.node.children
    .filter((child): child is Policy => child instanceof Policy)
    .map(
      (policy) => stack.resolve(policy.document.toJSON()) as { Statement?: ResolvedStatement[] } | undefined,
    );
  return documents
    .flatMap((document) => document?.Statement ?? [])
    .filter((statement) => [statement.Resource].flat().includes('*'))
    .flatMap((statement) => [statement.Action ?? []].flat())
    .filter((action) => !(XRAY_ACTIONS as readonly string[]).includes(action))
    .map((action) => `${action} is granted on every resource (*): name the resources it needs`);
};

/** CloudFormation metadata key that tells the local runtime which `lambdas/functions/<folder>` a function runs. */
export const FUNCTION_METADATA_KEY = 'proleads:function';

export interface ProleadsFunctionProps {
  /** Folder under `lambdas/functions/`: its `index.ts` is the Lambda entry, its `handler.ts` the testable factory. */
  readonly folder: string;
  readonly description: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * How every function is bundled (the cold-start bench builds with the same options). The source map is
 * written next to the bundle and ships in the function's code package, but the runtime does not load it:
 * `--enable-source-maps` would parse it on every cold start (it nearly doubled the import time), so stack
 * traces in the logs name the bundle's lines, and `npm run map-stack` maps them back to the sources.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  externalModules: [] as string[],
  // The ES module build of every package that ships one (the AWS SDK's `dist-es`): esbuild's default for
  // Node picks `main`, the CommonJS build, which it cannot tree-shake. About a third less code per bundle,
  // 15-45 ms less of every cold start.
  mainFields: ['module', 'main'],
  // `node:http` through a CommonJS hand-over (see the file): the SDK's credential chain imports it at the top
  // of every bundle, and as an ES module import it would load Node's fetch (undici) at every cold start.
  alias: { http: './lib/bundling/node-http.cjs', 'node:http': './lib/bundling/node-http.cjs' },
  // Some bundled CommonJS packages call require(); give the ESM bundle one.
  banner:
    "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
} as const;

/**
 * Every function of the pipeline, with the defaults set once: the newest Node.js runtime on arm64, an ESM
 * bundle made by the local esbuild with the AWS SDK inside (no reliance on the runtime's copy), source maps
 * in the code package, JSON logs in a log group with retention, X-Ray tracing and the Powertools service name.
 */
export class ProleadsFunction extends NodejsFunction {
  /** Its folder under `lambdas/functions/`: the `service` of its logs and metrics is `proleads-<folder>`. */
  readonly folder: string;

  constructor(scope: Construct, id: string, props: ProleadsFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: path.join(repoRoot, 'lambdas', 'functions', props.folder, 'index.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(29),
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      projectRoot: repoRoot,
      environment: {
        POWERTOOLS_SERVICE_NAME: `proleads-${props.folder}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Proleads',
        STAGE_NAME: Stack.of(scope).stackName,
        ...props.environment,
      },
      bundling: {
        format: FUNCTION_BUNDLING.format,
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        banner: FUNCTION_BUNDLING.banner,
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        esbuildArgs: {
          '--alias': Object.entries(FUNCTION_BUNDLING.alias).map(([from, to]) => `${from}=${to}`),
        },
        forceDockerBundling: false,
      },
    });
    this.folder = props.folder;
    (this.node.defaultChild as CfnFunction).addMetadata(FUNCTION_METADATA_KEY, props.folder);
    // The one `Resource::*` finding a function's role may have is X-Ray's: the validation fails synthesis when
    // any other action is granted on every resource, so the acknowledgement can never cover more.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${XRAY_ACTIONS.join(' and ')} accept no resource but *; no other action is granted on *.`,
    });
    role.node.addValidation({ validate: () => wildcardGrantsBeyondXray(role) });
  }

  /**
   * Gives the function a table: the env var and the grant are set together. `access` lists the exact
   * actions its code calls on that table (granted on the table and its indexes), or `describe` for the
   * health report's DescribeTable alone. There is no broad read/write shorthand: a least-privilege test
   * compares every grant with the SDK calls the function's code can reach.
   */
  bindTable(table: ITable, envName: string, access: 'describe' | readonly `dynamodb:${string}`[]): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'describe') {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }),
      );
      return this;
    }
    table.grant(this, ...access);
    const stack = Stack.of(table);
    const tableLogicalId = stack.resolve(stack.getLogicalId(table.node.defaultChild as CfnElement)) as string;
    if (this.role) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
        reason:
          'Queries on the indexes of a table this function is bound to; the grant is the table and its own indexes.',
      });
    }
    return this;
  }

  /** Lets the function's code send to a queue: SendMessage (and its batch form) only. */
  sendsTo(queue: IQueue): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    return this;
  }

  /**
   * Lambda polls the queue for the function: the event source mapping, and the three actions Lambda's poller
   * uses with the function's role (what AWS's SQS execution policy holds), not the wider consume set.
   */
  consumes(queue: IQueue, options: Omit<EventSourceMappingOptions, 'eventSourceArn'>): this {
    this.addEventSourceMapping(`${queue.node.id}Source`, { ...options, eventSourceArn: queue.queueArn });
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [queue.queueArn],
      }),
    );
    return this;
  }

  /**
   * Asynchronous invocations: Lambda's retries and event age, then the event goes to `deadLetterQueue`,
   * which Lambda sends to with the function's role (SendMessage alone).
   */
  failsTo(deadLetterQueue: IQueue, options: { retryAttempts: number; maxEventAge: Duration }): this {
    this.configureAsyncInvoke({
      ...options,
      onFailure: { bind: () => ({ destination: deadLetterQueue.queueArn }) },
    });
    return this.sendsTo(deadLetterQueue);
  }

  /** Gives the function one secret's value (GetSecretValue alone), named by its ARN in an env var. */
  bindSecret(secret: ISecret, envName: string): this {
    this.addEnvironment(envName, secret.secretArn);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    return this;
  }
}
