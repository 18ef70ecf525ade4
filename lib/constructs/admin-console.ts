import { cpSync } from 'node:fs';
import {
  AssetHashType,
  type CfnElement,
  CfnOutput,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { AppConfig } from '../config';
import { ensureConsoleBuilt, WEB_DIR, WEB_DIST } from '../console-build';
import { type ConsoleRuntimeConfig, consoleContentSecurityPolicy } from '../console-runtime';

export interface AdminConsoleProps {
  readonly config: AppConfig;
  /** The API the console calls: its URL goes into config.json, its origin into the CSP's connect-src. */
  readonly restApi: RestApi;
  /** Where the bucket's and CloudFront's access logs go. */
  readonly accessLogs: IBucket;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Sends the console's own routes (paths without a file extension, such as `/members/m-1`) to index.html, as
 * the app routes in the browser; files, `/config.json` included, pass through. Runs at the edge on each
 * viewer request, so S3's 403 for a missing key is never turned into the app by accident.
 */
export const SPA_FALLBACK_FUNCTION = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** What the console's files never change without a new name: Vite puts a content hash in every asset name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The admin console in AWS: the built SPA in a private S3 bucket behind CloudFront (origin access control,
 * HTTPS only), the app's routes answered with index.html, a strict Content-Security-Policy with HSTS and no
 * framing on every answer, and `config.json` written from stack values (the API URL, the OIDC issuer). The
 * build runs at synth, locally (no Docker), and is reused while `web/dist` is newer than the sources.
 */
export class AdminConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`: the console's origin, the API's CORS origin by default. */
  readonly origin: string;
  readonly runtimeConfig: ConsoleRuntimeConfig;

  constructor(scope: Construct, id: string, props: AdminConsoleProps) {
    super(scope, id);
    const { config, restApi } = props;
    const stack = Stack.of(this);
    const apiOrigin = `https://${restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.runtimeConfig = {
      apiUrl: `${apiOrigin}/${restApi.deploymentStage.stageName}`,
      oidc: config.adminConsole.oidc,
    };

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: props.removalPolicy,
      // The files are rebuilt from the repository: a disposable stage empties the bucket so it can go.
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });

    const securityHeaders: ResponseSecurityHeadersBehavior = {
      contentSecurityPolicy: {
        contentSecurityPolicy: consoleContentSecurityPolicy({
          apiOrigin,
          issuer: config.adminConsole.oidc.issuer,
          // The browser posts files straight to the upload bucket. Its own name cannot appear here: its CORS
          // names this distribution, which would then depend on it in a cycle; so S3 of this region.
          uploadOrigin: `https://*.s3.${stack.region}.${stack.urlSuffix}`,
        }),
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
    };
    const headersPolicy = (policyId: string, cacheControl: string) =>
      new ResponseHeadersPolicy(this, policyId, {
        comment: `Proleads admin console (${config.stage}): security headers, Cache-Control ${cacheControl}`,
        securityHeadersBehavior: securityHeaders,
        customHeadersBehavior: {
          customHeaders: [{ header: 'Cache-Control', value: cacheControl, override: true }],
        },
      });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Proleads admin console (${config.stage})`,
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'console-cdn/',
      // index.html and config.json: never cached, so a deployment or a changed setting shows at once.
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: headersPolicy('PagesHeaders', 'no-cache'),
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new EdgeFunction(this, 'SpaFallback', {
              comment: "Answers the console's own routes with index.html",
              runtime: FunctionRuntime.JS_2_0,
              code: FunctionCode.fromInline(SPA_FALLBACK_FUNCTION),
            }),
          },
        ],
      },
      additionalBehaviors: {
        'assets/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headersPolicy('AssetsHeaders', IMMUTABLE),
        },
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    const files = new BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      sources: [consoleBuildSource(), Source.jsonData('config.json', this.runtimeConfig)],
      // Earlier builds' hashed files stay: a console opened before a deployment still loads its lazy pages.
      prune: false,
      memoryLimit: 256,
    });

    new CfnOutput(this, 'ConsoleUrl', { value: this.origin, description: 'The admin console' });
    this.acknowledgeFindings(files);
  }

  /** cdk-nag findings that do not apply here, each with its reason. */
  private acknowledgeFindings(files: BucketDeployment): void {
    // CDK's deployment handler: a custom resource that runs only while CloudFormation deploys the files.
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnElement));
    Validations.of(files.handlerRole).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's file-deployment handler (deploy time only) writes its own logs with the basic execution policy.",
      },
      ...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*'].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "CDK's grant for reading the console build from the CDK asset bucket, and listing the console bucket.",
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${nagValue(stack.account, 'AWS::AccountId')}-${nagValue(stack.region, 'AWS::Region')}/*]`,
        reason: 'The console build is staged in the CDK asset bucket of this account and region.',
      },
      ...['Action::s3:DeleteObject*', 'Action::s3:Abort*', `Resource::<${bucketId}.Arn>/*`].map(
        (finding) => ({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: 'Writing the console files into its own bucket on each deployment.',
        }),
      ),
    );
    const handler = files.handlerRole.node.scope;
    if (handler)
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "CDK picks the runtime of its own file-deployment handler's Python code; it runs only at deploy time.",
      });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Admins sign in from wherever they work; every API call needs an admin token from the issuer.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only (GET/HEAD, no cache for pages); the API it calls has its own WAF web ACL.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate, on which CloudFront decides the TLS floor; viewers get HTTPS only and HSTS.',
      },
    );
  }
}

/** How cdk-nag writes a stack value in a finding: the value when known at synth, else `<pseudo parameter>`. */
const nagValue = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

/**
 * The built console as a deployment source: bundled locally at synth by running the console build (reused
 * when fresh), never in Docker. The asset's hash is the console's sources, so an unchanged console is not
 * rebuilt or re-uploaded.
 */
const consoleBuildSource = () =>
  Source.asset(WEB_DIR, {
    exclude: ['dist', 'node_modules', '**/*.test.ts', '**/*.test.tsx'],
    assetHashType: AssetHashType.SOURCE,
    bundling: {
      // Required by the API; never pulled, because local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('node:24-slim'),
      local: {
        tryBundle(outputDir) {
          const build = ensureConsoleBuilt();
          if (build.state === 'unavailable')
            throw new Error(`The admin console cannot be built: ${build.reason}`);
          cpSync(WEB_DIST, outputDir, { recursive: true });
          return true;
        },
      },
    },
  });
