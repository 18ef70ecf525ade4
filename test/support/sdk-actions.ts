import path from 'node:path';
import { build } from 'esbuild';

/**
 * The IAM actions each AWS SDK call needs, by the package and the name the code imports. A name missing here
 * that looks like a call (a `...Command`, a presigner) fails the analysis, so a new call cannot slip past the
 * least-privilege test unmapped.
 */
const ACTIONS_BY_CALL: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '@aws-sdk/lib-dynamodb': {
    GetCommand: ['dynamodb:GetItem'],
    PutCommand: ['dynamodb:PutItem'],
    UpdateCommand: ['dynamodb:UpdateItem'],
    DeleteCommand: ['dynamodb:DeleteItem'],
    QueryCommand: ['dynamodb:Query'],
    ScanCommand: ['dynamodb:Scan'],
    BatchGetCommand: ['dynamodb:BatchGetItem'],
    BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  },
  '@aws-sdk/client-dynamodb': { DescribeTableCommand: ['dynamodb:DescribeTable'] },
  '@aws-sdk/client-s3': {
    GetObjectCommand: ['s3:GetObject'],
    HeadObjectCommand: ['s3:GetObject'],
    PutObjectCommand: ['s3:PutObject'],
    CreateMultipartUploadCommand: ['s3:PutObject'],
    UploadPartCommand: ['s3:PutObject'],
    CompleteMultipartUploadCommand: ['s3:PutObject'],
    AbortMultipartUploadCommand: ['s3:AbortMultipartUpload'],
    ListObjectsV2Command: ['s3:ListBucket'],
  },
  // A presigned POST carries the signer's right to put the object; a presigned URL that of its command.
  '@aws-sdk/s3-presigned-post': { createPresignedPost: ['s3:PutObject'] },
  '@aws-sdk/s3-request-presigner': { getSignedUrl: [] },
  '@aws-sdk/client-sqs': {
    SendMessageCommand: ['sqs:SendMessage'],
    SendMessageBatchCommand: ['sqs:SendMessage'],
    GetQueueAttributesCommand: ['sqs:GetQueueAttributes'],
  },
  '@aws-sdk/client-scheduler': {
    // Handing Scheduler its execution role is a PassRole.
    CreateScheduleCommand: ['scheduler:CreateSchedule', 'iam:PassRole'],
    UpdateScheduleCommand: ['scheduler:UpdateSchedule', 'iam:PassRole'],
    DeleteScheduleCommand: ['scheduler:DeleteSchedule'],
    GetScheduleCommand: ['scheduler:GetSchedule'],
  },
  '@aws-sdk/client-secrets-manager': {
    GetSecretValueCommand: ['secretsmanager:GetSecretValue'],
    PutSecretValueCommand: ['secretsmanager:PutSecretValue'],
    DescribeSecretCommand: ['secretsmanager:DescribeSecret'],
    UpdateSecretVersionStageCommand: ['secretsmanager:UpdateSecretVersionStage'],
  },
  '@aws-sdk/client-ses': { SendEmailCommand: ['ses:SendEmail'] },
  '@aws-sdk/client-sesv2': { SendEmailCommand: ['ses:SendEmail'] },
  '@aws-sdk/client-cloudwatch': { PutMetricDataCommand: ['cloudwatch:PutMetricData'] },
};

const looksLikeACall = (name: string) => /Command$/.test(name) || /^(createPresigned|getSigned)/.test(name);

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/[^"]+)";?/g;

/**
 * The IAM actions a function's code can reach: its entry bundled as Lambda gets it (esbuild, tree-shaken) with
 * the AWS SDK left external, so every SDK name the surviving code refers to is an import of the bundle; each
 * referred call is mapped to its actions. Code that is bundled but never referred to (a dropped helper) counts
 * for nothing, as at run time.
 */
export const actionsReachableFrom = async (entry: string): Promise<Set<string>> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const body = code.replace(IMPORT, '');
  const actions = new Set<string>();
  for (const [, names = '', pkg = ''] of code.matchAll(IMPORT)) {
    for (const specifier of names
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [imported = '', local = imported] = specifier.split(/\s+as\s+/);
      if (!new RegExp(`\\b${local}\\b`).test(body) || !looksLikeACall(imported)) continue;
      const mapped = ACTIONS_BY_CALL[pkg]?.[imported];
      if (!mapped) throw new Error(`No IAM actions known for ${imported} of ${pkg} (used by ${entry})`);
      for (const action of mapped) actions.add(action);
    }
  }
  return actions;
};

export const functionEntry = (repoRoot: string, folder: string) =>
  path.join(repoRoot, 'lambdas', 'functions', folder, 'index.ts');
