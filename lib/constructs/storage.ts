import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, type TablePropsV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { RESULTS_OBJECT_PREFIX, UPLOADS_OBJECT_PREFIX } from '../../lambdas/contracts/limits';

export interface StorageProps {
  readonly adminOrigin: string;
  readonly rawUploadExpiryDays: number;
  /** Keep the data when the stack goes (production); otherwise delete it, emptying the buckets first. */
  readonly retainData: boolean;
}

/** Key prefixes in the bucket: admins' raw files, and the per-row result files the ingest writes. */
export const UPLOADS_PREFIX = UPLOADS_OBJECT_PREFIX;
export const RESULTS_PREFIX = RESULTS_OBJECT_PREFIX;

/**
 * The stateful half of the pipeline: four purpose tables and the upload bucket. Every access pattern is a
 * GetItem, Query or conditional write on these keys, never a Scan.
 *
 * - leadHashes: `hash` = HMAC(pepper, normalised email). One item per lead ever accepted; the conditional put
 *   on it is the race-free dedupe.
 * - uploads: `pk`/`sk` — upload items and their leads (`sk` = row number). GSI `byState` (gsi1pk = state,
 *   gsi1sk = createdAt) walks queued uploads oldest first; GSI `byCreation` (gsi2pk, gsi2sk) lists uploads.
 * - members: `pk`/`sk` — member profiles, their assignments (sk = time) and per-week tallies. Sparse GSI
 *   `eligible` (gsi1pk, gsi1sk) holds only eligible members; GSI `directory` (gsi2pk, gsi2sk) lists every
 *   member profile by id, so the admin list is a Query, not a Scan.
 * - control: `pk`/`sk` — schedules, runs, heartbeat, run locks, counters, hand-off codes, idempotency records.
 * Items that expire carry `expiresAt` (epoch seconds, the TTL attribute); readers check it themselves,
 * since TTL deletion lags.
 */
export class Storage extends Construct {
  readonly leadHashes: TableV2;
  readonly uploads: TableV2;
  readonly members: TableV2;
  readonly control: TableV2;
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly leadHashPepper: Secret;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const common: Partial<TablePropsV2> = {
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData,
      removalPolicy,
    };
    const pkSk = {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
    };

    this.leadHashes = new TableV2(this, 'LeadHashesTable', {
      ...common,
      partitionKey: { name: 'hash', type: AttributeType.STRING },
    });

    this.uploads = new TableV2(this, 'UploadsTable', {
      ...common,
      ...pkSk,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          indexName: 'byState',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
        {
          indexName: 'byCreation',
          partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
        },
      ],
    });

    this.members = new TableV2(this, 'MembersTable', {
      ...common,
      ...pkSk,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          indexName: 'eligible',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
        {
          indexName: 'directory',
          partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
        },
        {
          indexName: 'byTier',
          partitionKey: { name: 'gsi3pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi3sk', type: AttributeType.STRING },
        },
        {
          // Members' returns of delivered leads by state, oldest first: the admins' queue.
          indexName: 'returns',
          partitionKey: { name: 'gsi4pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi4sk', type: AttributeType.STRING },
        },
      ],
    });

    this.control = new TableV2(this, 'ControlTable', {
      ...common,
      ...pkSk,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          // A run by its id alone (the admin console's run page): items carrying `runId`, narrowed by pk.
          indexName: 'byRunId',
          partitionKey: { name: 'runId', type: AttributeType.STRING },
          sortKey: { name: 'pk', type: AttributeType.STRING },
        },
      ],
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
      autoDeleteObjects: !props.retainData,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'UploadBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads-bucket/',
      removalPolicy,
      autoDeleteObjects: !props.retainData,
      cors: [
        {
          allowedOrigins: [props.adminOrigin],
          allowedMethods: [HttpMethods.POST],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { prefix: UPLOADS_PREFIX, expiration: Duration.days(props.rawUploadExpiryDays) },
        { prefix: RESULTS_PREFIX, expiration: Duration.days(props.rawUploadExpiryDays) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.leadHashPepper = new Secret(this, 'LeadHashPepper', {
      description: 'HMAC pepper for the lead dedupe key. Never stored in a table.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.leadHashPepper).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The pepper keys every stored lead hash; rotating it would make every earlier lead look new. It is rotated only with a planned re-keying.',
    });
  }
}
