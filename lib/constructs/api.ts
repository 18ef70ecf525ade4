import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  type IAuthorizer,
  IdentitySource,
  type JsonSchema,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type Model,
  RequestAuthorizer,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { core } from 'zod/mini';
import { API_FUNCTION_FOLDER, ROUTES, type RouteAuth, type RouteSpec } from '../../lambdas/api-routes';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import type { AppConfig } from '../config';
import { requestModelName, requestModelSchema } from '../request-models';
import type { Automailer } from './automailer';
import { ProleadsFunction } from './lambda-function';
import { RESULTS_PREFIX, type Storage, UPLOADS_PREFIX } from './storage';

export interface ApiProps {
  readonly config: AppConfig;
  /** The one browser origin CORS allows: configured, or the admin console's own. */
  readonly adminOrigin: string;
  readonly storage: Storage;
  readonly buildVersion: string;
  readonly automailer: Automailer;
}

const jsonError = (code: string, message: string) => ({
  'application/json': JSON.stringify({ error: code, message }),
});

/**
 * The REST API: every route of `lambdas/api-routes.ts`, one function per audience, a platform-JWT authorizer
 * per role, access and execution logs (no request bodies, no query strings), stage throttling, request
 * validators, a WAF web ACL with a rate rule, and JSON bodies for API Gateway's own errors.
 */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly functions: Partial<Record<RouteAuth, ProleadsFunction>> = {};
  readonly authorizerFunctions: Partial<Record<'admin' | 'member' | 'partner', ProleadsFunction>> = {};
  /** The AutoMailer methods: the usage plan is bound to these. */
  readonly partnerMethods: Method[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, storage } = props;

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: `proleads-${config.stage}`,
      description: 'Proleads lead pipeline: admin, member and AutoMailer routes',
      // Execution logs need the account's API Gateway CloudWatch role; one stage per account owns it.
      cloudWatchRole: config.api.manageAccountCloudWatchRole,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // The standard fields log the resource template, never the query string (hand-off codes stay out).
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [props.adminOrigin],
        allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: Duration.hours(1),
      },
    });
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'API Gateway needs the account-level push-to-CloudWatch role for execution logs; AWS publishes AmazonAPIGatewayPushToCloudWatchLogs for exactly that.',
      });
    }
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Callers hold JWTs of the main Proleads platform (or AutoMailer credentials), not Cognito users; Lambda authorizers verify them with pinned algorithms, iss, aud, typ and exp.',
    });

    for (const [type, code, message] of [
      [ResponseType.UNAUTHORIZED, 'Unauthorized', 'A valid bearer token is required'],
      [ResponseType.ACCESS_DENIED, 'Forbidden', 'This token may not call this route'],
      [ResponseType.INVALID_API_KEY, 'Forbidden', 'A valid API key is required'],
      [ResponseType.THROTTLED, 'TooManyRequests', 'Slow down: the rate limit was exceeded'],
      [ResponseType.QUOTA_EXCEEDED, 'TooManyRequests', 'The daily quota is used up'],
      [ResponseType.BAD_REQUEST_BODY, 'BadRequest', 'The request body is invalid'],
      [ResponseType.BAD_REQUEST_PARAMETERS, 'BadRequest', 'The request parameters are invalid'],
      // An unknown route or method: API Gateway cannot tell it from a missing credential, and says so.
      [
        ResponseType.MISSING_AUTHENTICATION_TOKEN,
        'MissingAuthenticationToken',
        'Missing Authentication Token',
      ],
      [ResponseType.REQUEST_TOO_LARGE, 'PayloadTooLarge', 'The request is larger than 10 MB'],
      [ResponseType.DEFAULT_4XX, 'BadRequest', 'The request was refused'],
      [ResponseType.DEFAULT_5XX, 'InternalError', 'Something went wrong on our side'],
    ] as const) {
      this.restApi.addGatewayResponse(`${code}${type.responseType}`, {
        type,
        templates: jsonError(code, message),
        responseHeaders: { 'Access-Control-Allow-Origin': `'${props.adminOrigin}'` },
      });
    }

    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.restApi,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const authorizers: Partial<Record<RouteAuth, IAuthorizer>> = {};
    const authorizerFor = (auth: RouteAuth): IAuthorizer | undefined => {
      if (auth === 'public') return undefined;
      const existing = authorizers[auth];
      if (existing) return existing;
      if (auth === 'partner') {
        authorizers.partner = this.partnerAuthorizer(config, storage);
        return authorizers.partner;
      }
      const fn = new ProleadsFunction(this, `${auth === 'admin' ? 'Admin' : 'Member'}AuthorizerFn`, {
        folder: 'authorizer',
        description: `Verifies platform JWTs and requires the ${auth} role`,
        timeout: Duration.seconds(10),
        memorySize: 256,
        environment: {
          REQUIRED_ROLE: auth,
          JWT_ISSUER: config.jwt.issuer,
          JWT_AUDIENCE: config.jwt.audience,
          JWT_JWKS_URL: config.jwt.jwksUrl,
          JWT_ALGORITHMS: config.jwt.algorithms.join(','),
          JWT_TYP: config.jwt.typ,
          JWT_ROLE_CLAIM: config.jwt.roleClaim,
          JWT_CLOCK_TOLERANCE_SECONDS: String(config.jwt.clockToleranceSeconds),
          JWT_MAX_TOKEN_AGE_SECONDS: String(config.auth.maxTokenAgeSeconds),
        },
      });
      this.authorizerFunctions[auth] = fn;
      const authorizer = new RequestAuthorizer(this, `${auth === 'admin' ? 'Admin' : 'Member'}Authorizer`, {
        handler: fn,
        identitySources: ['method.request.header.Authorization'],
        // No cached decision: API Gateway's cache TTL is one per authorizer, not per token, so any cache
        // would let a token work past its `exp` (or a removed role keep working) for up to the TTL. Each
        // request runs the authorizer instead (warm, keys cached: a few ms); README, "Operate", "Tokens".
        resultsCacheTtl: Duration.seconds(0),
      });
      authorizers[auth] = authorizer;
      return authorizer;
    };

    const functionFor = (auth: RouteAuth): ProleadsFunction => {
      const existing = this.functions[auth];
      if (existing) return existing;
      const fn = new ProleadsFunction(this, `${API_FUNCTION_FOLDER[auth]}`, {
        folder: API_FUNCTION_FOLDER[auth],
        description: `Serves the ${auth} routes of the API`,
        environment: { ADMIN_ORIGIN: props.adminOrigin, BUILD_VERSION: props.buildVersion },
      });
      this.functions[auth] = fn;
      return fn;
    };

    // One model per body schema, from the same zod schema the function parses the body with.
    const models = new Map<core.$ZodType, Model>();
    const modelFor = (route: RouteSpec, body: core.$ZodType): Model => {
      const existing = models.get(body);
      if (existing) return existing;
      const name = requestModelName(route.method, route.path);
      const model = this.restApi.addModel(`${name}Model`, {
        modelName: name,
        contentType: 'application/json',
        description: `Body of ${route.method} ${route.path}`,
        // The CDK type spells JSON Schema's keys its own way; a plain draft-4 document passes through as is.
        schema: requestModelSchema(body) as JsonSchema,
      });
      models.set(body, model);
      return model;
    };

    for (const route of ROUTES) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const authorizer = authorizerFor(route.auth);
      const body = route.request?.body;
      const method = resource.addMethod(route.method, new LambdaIntegration(functionFor(route.auth)), {
        authorizer,
        apiKeyRequired: route.auth === 'partner',
        requestValidator: validator,
        requestModels: body ? { 'application/json': modelFor(route, body) } : undefined,
      });
      if (route.auth === 'partner') this.partnerMethods.push(method);
      if (route.auth === 'public') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'Public by design: published public keys and the API document carry no secrets.',
        });
      }
    }

    const admin = this.functions.admin;
    if (admin) {
      admin
        .bindTable(storage.leadHashes, TABLE_ENV.leadHashes, 'describe')
        .bindTable(storage.uploads, TABLE_ENV.uploads, 'describe')
        .bindTable(storage.members, TABLE_ENV.members, 'describe')
        .bindTable(storage.control, TABLE_ENV.control, 'describe');
      this.grantUploads(admin, config, storage);
      // The suppression list: control-table entries; an address is kept as its lead hash (pepper, folding).
      admin
        .bindTable(storage.control, TABLE_ENV.control, ['dynamodb:PutItem', 'dynamodb:DeleteItem'])
        .bindSecret(storage.leadHashPepper, 'LEAD_HASH_PEPPER_SECRET_ARN')
        .addEnvironment('FOLD_GMAIL_ALIASES', String(config.uploads.foldProviderAliases));
      // Erasure: the members' delivery records of a lead, and the person's rows in result files and raw uploads.
      admin.bindTable(storage.members, TABLE_ENV.members, ['dynamodb:DeleteItem']);
      admin.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [storage.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${UPLOADS_PREFIX}*`, `${RESULTS_PREFIX}*`] } },
        }),
      );
      admin.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [
            storage.bucket.arnForObjects(`${UPLOADS_PREFIX}*`),
            storage.bucket.arnForObjects(`${RESULTS_PREFIX}*`),
          ],
        }),
      );
      // Withdrawing an upload may release its undelivered leads' hashes (one conditional delete each).
      admin.bindTable(storage.leadHashes, TABLE_ENV.leadHashes, ['dynamodb:DeleteItem']);
    }

    const { automailer } = props;
    const member = this.functions.member;
    if (member) {
      member
        // The member's profile, link and leads; revoking the AutoMailer link deletes it; a return is an item
        // here, counted against the week's cap with a conditional update.
        .bindTable(storage.members, TABLE_ENV.members, [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ])
        // Hand-off codes are created here and redeemed by the partner API; a return finds the week of the
        // run that delivered its lead (byRunId index), and an automatic approval adds to the global counters.
        .bindTable(storage.control, TABLE_ENV.control, [
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ]);
      member
        .addEnvironment('AUTOMAILER_CLIENT_ID', config.automailer.clientId)
        .addEnvironment('AUTOMAILER_REDIRECT_URI', config.automailer.redirectUri)
        .addEnvironment('TIERS', JSON.stringify(config.tiers))
        .addEnvironment('RETURN_WINDOW_DAYS', String(config.returns.windowDays))
        .addEnvironment('RETURN_MAX_PERCENT_PER_WEEK', String(config.returns.maxPercentPerWeek))
        .addEnvironment('DEFAULT_TIME_ZONE', config.distribution.timeZone)
        // A return for a bounce is approved at once when the verifier, asked afresh, knows the address
        // bounces hard: the approval takes the lead out of circulation (one read and one update of it).
        .addEnvironment('MAX_ASSIGNMENTS_PER_LEAD', String(config.maxAssignmentsPerLead))
        .addEnvironment('VERIFIER_BASE_URL', config.verifier.baseUrl)
        .addEnvironment('VERIFIER_PATH_PREFIX', config.verifier.pathPrefix)
        .addEnvironment('VERIFIER_TIMEOUT_MS', String(config.verifier.timeoutMs))
        .addEnvironment('VERIFICATION_POLICY', JSON.stringify(config.verifier.policy))
        .bindTable(storage.uploads, TABLE_ENV.uploads, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      if (config.verifier.apiKeySecretArn) {
        member.bindSecret(
          Secret.fromSecretCompleteArn(this, 'MemberVerifierApiKey', config.verifier.apiKeySecretArn),
          'VERIFIER_API_KEY_SECRET_ARN',
        );
      }
    }
    const partner = this.functions.partner;
    if (partner) {
      partner
        // Profiles and leads; saving the link and recording each read are conditional updates.
        .bindTable(storage.members, TABLE_ENV.members, [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ])
        // A hand-off code is read, then consumed with a conditional update.
        .bindTable(storage.control, TABLE_ENV.control, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      partner
        .addEnvironment('AUTOMAILER_CLIENT_ID', config.automailer.clientId)
        .addEnvironment('AUTOMAILER_ISSUER', config.automailer.issuer);
      automailer.grantSigning(partner);
    }
    const publicApi = this.functions.public;
    if (publicApi) automailer.grantPublishing(publicApi);

    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'ProleadsApi',
        sampledRequestsEnabled: true,
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP' } },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'RateLimitPerIp',
            sampledRequestsEnabled: true,
          },
        },
        {
          name: 'AwsCommonRules',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // Member imports are JSON/CSV bodies above the rule's 8 KB limit; the API validates them itself.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'AwsCommonRules',
            sampledRequestsEnabled: true,
          },
        },
        {
          // Backs up AutoMailer's usage plan, whose throttle API Gateway applies only on a best-effort basis.
          name: 'AutomailerRatePerIp',
          priority: 2,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: Math.max(100, Math.ceil(config.automailer.usagePlan.rateLimit * 300)),
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: '/automailer/',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'AutomailerRatePerIp',
            sampledRequestsEnabled: true,
          },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
  }

  /**
   * The upload routes: upload records, and the two S3 rights its presigned URLs carry (a presigned request
   * acts with the signer's rights): PutObject under uploads/ for the slots, GetObject under results/ for
   * the result links.
   */
  private grantUploads(admin: ProleadsFunction, config: AppConfig, storage: Storage): void {
    const { bucket } = storage;
    admin
      .bindTable(storage.uploads, TABLE_ENV.uploads, [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ])
      .addEnvironment('UPLOAD_BUCKET', bucket.bucketName)
      .addEnvironment('MAX_UPLOAD_BYTES', String(config.uploads.maxBytes));
    admin.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    admin.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${RESULTS_PREFIX}*`)],
      }),
    );
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnElement));
    if (admin.role) {
      Validations.of(admin.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${UPLOADS_PREFIX}*]`,
        reason:
          'Presigned upload slots: one key per upload under uploads/, made by the API, never by the client.',
      });
      Validations.of(admin.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${RESULTS_PREFIX}*]`,
        reason: 'Short-lived links to the per-upload result files under results/.',
      });
    }
  }

  /**
   * AutoMailer's authorizer: verifies a single-use client assertion (RFC 7523 style) against AutoMailer's
   * registered keys. No result cache, or a replayed assertion would be served from the cache unchecked.
   */
  private partnerAuthorizer(config: AppConfig, storage: Storage): IAuthorizer {
    const { automailer } = config;
    const fn = new ProleadsFunction(this, 'PartnerAuthorizerFn', {
      folder: 'partner-authorizer',
      description: "Verifies AutoMailer's client assertion (the API key only meters it)",
      timeout: Duration.seconds(10),
      memorySize: 256,
      environment: {
        AUTOMAILER_CLIENT_ID: automailer.clientId,
        AUTOMAILER_ISSUER: automailer.issuer,
        ...(automailer.clientJwksUrl
          ? { AUTOMAILER_CLIENT_JWKS_URL: automailer.clientJwksUrl }
          : { AUTOMAILER_CLIENT_PUBLIC_JWK: JSON.stringify(automailer.clientPublicJwk) }),
      },
    });
    // Each assertion's id is claimed once with a conditional put: a replay is refused.
    fn.bindTable(storage.control, TABLE_ENV.control, ['dynamodb:PutItem']);
    this.authorizerFunctions.partner = fn;
    return new RequestAuthorizer(this, 'PartnerAuthorizer', {
      handler: fn,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(0),
    });
  }
}
