import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
        ...FUNCTION_BUNDLING,
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        forceDockerBundling: false,
      },
    });
    this.folder = props.folder;
    (this.node.defaultChild as CfnFunction).addMetadata(FUNCTION_METADATA_KEY, props.folder);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but *.',
    });
  }

  /**
   * Gives the function a table: the env var and the least-privilege grant are set together. `access` may
   * also list the exact actions (e.g. `["dynamodb:GetItem", "dynamodb:UpdateItem"]`) on the table and its indexes.
   */
  bindTable(
    table: ITable,
    envName: string,
    access: 'read' | 'readWrite' | 'describe' | readonly `dynamodb:${string}`[],
  ): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'describe') {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }),
      );
      return this;
    }
    if (typeof access !== 'string') table.grant(this, ...access);
    else if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
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

  /** Gives the function read access to one secret, named by its ARN in an env var. */
  bindSecret(secret: ISecret, envName: string): this {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this);
    return this;
  }
}
