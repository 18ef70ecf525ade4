import { Duration, Validations } from 'aws-cdk-lib';
import { ApiKey, type Method, Period, type RestApi, type UsagePlan } from 'aws-cdk-lib/aws-apigateway';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AppConfig } from '../config';
import { ProleadsFunction } from './lambda-function';

export interface AutomailerProps {
  readonly config: AppConfig;
}

/** How often the identity-token signing key is replaced. */
export const SIGNING_KEY_ROTATION_DAYS = 90;

/**
 * What the AutoMailer integration owns besides its routes:
 * - the identity-token signing key set, in Secrets Manager. CloudFormation can only put a random string in
 *   it; the rotation function writes the first key set at deploy (the token signer, the partner API, writes
 *   one on first use wherever no rotation ran: see `signing-key-store.ts`), the JWKS route only ever reads
 *   it (publishing nothing before then), and the rotation function replaces the key on a schedule (the old one stays published while its tokens live);
 * - AutoMailer's usage-plan API key, whose value is generated into a secret and reaches API Gateway as a
 *   dynamic reference, so it is never in the template; and the usage plan (throttle, burst, daily quota)
 *   that meters it on the partner methods only. The key is not authentication: the partner authorizer is.
 */
export class Automailer extends Construct {
  readonly signingKeys: Secret;
  readonly rotation: ProleadsFunction;
  readonly apiKeyValue: Secret;
  usagePlan?: UsagePlan;

  constructor(scope: Construct, id: string, props: AutomailerProps) {
    super(scope, id);
    this.signingKeys = new Secret(this, 'SigningKeys', {
      description:
        'AutoMailer identity-token signing keys (ES256 private JWKs: current, and previous during a rotation)',
    });
    this.rotation = new ProleadsFunction(this, 'SigningKeyRotationFn', {
      folder: 'signing-key-rotation',
      description: 'Rotates the AutoMailer identity-token signing key (Secrets Manager rotation steps)',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { SIGNING_KEYS_SECRET_ARN: this.signingKeys.secretArn },
    });
    // The rotation schedule without CDK's RotationSchedule, which would also grant GetRandomPassword on
    // every resource: the function makes its own keys and is granted exactly the four rotation steps' calls.
    const invokedBySecretsManager = this.rotation.grantInvoke(
      new ServicePrincipal('secretsmanager.amazonaws.com'),
    );
    this.rotation.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [this.signingKeys.secretArn],
      }),
    );
    const rotation = new CfnRotationSchedule(this.signingKeys, 'Rotation', {
      secretId: this.signingKeys.secretArn,
      rotationLambdaArn: this.rotation.functionArn,
      rotationRules: {
        scheduleExpression: Schedule.rate(Duration.days(SIGNING_KEY_ROTATION_DAYS)).expressionString,
      },
      // The first key set is made at deploy: Secrets Manager runs the rotation as soon as the schedule
      // exists (and again whenever the schedule changes, which only adds a key). The signer still writes
      // one on first use where no rotation ran (the local runtime).
      rotateImmediatelyOnUpdate: true,
    });
    invokedBySecretsManager.applyBefore(rotation);

    this.apiKeyValue = new Secret(this, 'ApiKeyValue', {
      description: `Value of AutoMailer's usage-plan API key (${props.config.automailer.clientId}); hand it to AutoMailer out of band`,
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    Validations.of(this.apiKeyValue).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An API key only meters AutoMailer (the partner authorizer authenticates it); it is replaced by putting a new value and redeploying, together with AutoMailer.',
    });
  }

  /** The JWKS route: it reads the key set and never writes it. */
  grantPublishing(fn: ProleadsFunction): void {
    fn.bindSecret(this.signingKeys, 'SIGNING_KEYS_SECRET_ARN');
  }

  /** The token signer: reads the key set, and writes the first one when it finds none yet. */
  grantSigning(fn: ProleadsFunction): void {
    fn.bindSecret(this.signingKeys, 'SIGNING_KEYS_SECRET_ARN');
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [this.signingKeys.secretArn],
      }),
    );
  }

  /**
   * The usage plan on the API's stage, with a per-method throttle on each partner method (so it is bound to
   * those and nothing else), a daily quota, and AutoMailer's key. API Gateway applies usage plans on a
   * best-effort basis: stage throttling and the WAF rate rule back it up.
   */
  meter(restApi: RestApi, partnerMethods: readonly Method[], config: AppConfig['automailer']): UsagePlan {
    const { rateLimit, burstLimit, dailyQuota } = config.usagePlan;
    const throttle = { rateLimit, burstLimit };
    this.usagePlan = restApi.addUsagePlan('AutomailerUsagePlan', {
      name: `${restApi.restApiName}-automailer`,
      description: 'AutoMailer: throttle and daily quota on the partner routes',
      throttle,
      quota: { limit: dailyQuota, period: Period.DAY },
      apiStages: [
        {
          api: restApi,
          stage: restApi.deploymentStage,
          throttle: partnerMethods.map((method) => ({ method, throttle })),
        },
      ],
    });
    const key = new ApiKey(this, 'ApiKey', {
      description: `Usage-plan key of ${config.clientId}`,
      // A token: CloudFormation resolves it from Secrets Manager at deploy time; the template holds a reference.
      value: this.apiKeyValue.secretValue.unsafeUnwrap(),
    });
    this.usagePlan.addApiKey(key);
    return this.usagePlan;
  }
}
