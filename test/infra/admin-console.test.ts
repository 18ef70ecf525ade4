import { runInNewContext } from 'node:vm';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { type AppConfigInput, devConfig } from '../../lib/config';
import { SPA_FALLBACK_FUNCTION } from '../../lib/constructs/admin-console';

const ISSUER = 'https://id.proleads.example/realms/admins';

/** The stack with the console's default CORS origin: `adminOrigin` left out of the configuration. */
const consoleConfig = (overrides: Partial<AppConfigInput> = {}) => {
  const { adminOrigin: _default, ...config } = devConfig({
    adminConsole: { oidc: { issuer: ISSUER, clientId: 'console-client' } },
    ...overrides,
  });
  return overrides.adminOrigin === undefined ? config : { ...config, adminOrigin: overrides.adminOrigin };
};

const synth = (config = consoleConfig()) =>
  Template.fromStack(buildApp({ config, skipBundling: true }).stack);

/** The CloudFormation value of the console's origin: `https://` + the distribution's domain name. */
const consoleOrigin = (distributionId: string) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
});

/** Renders a CloudFormation string value (a literal or an Fn::Join of literals and references) as text. */
const render = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(render).join(join[0]);
  return `<${JSON.stringify(value)}>`;
};

describe('the admin console in AWS', () => {
  let template: Template;
  let distributionId: string;
  beforeAll(() => {
    // A stage that keeps its data: a disposable one also lets CDK's auto-delete handler empty the bucket.
    template = synth(consoleConfig({ retainData: true }));
    [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution')) as [string];
  });

  it('passes cdk-nag with the console as the CORS origin', () => {
    const { app } = buildApp({ config: consoleConfig({ retainData: true }), skipBundling: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('keeps the files in a private, encrypted bucket that only this distribution reads (origin access control)', () => {
    const distribution = template.findResources('AWS::CloudFront::Distribution')[distributionId];
    const [origin] = distribution?.Properties.DistributionConfig.Origins ?? [];
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const bucketId = origin.DomainName['Fn::GetAtt'][0] as string;
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId];
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: expect.anything(),
    });
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (candidate) => candidate.Properties.Bucket.Ref === bucketId,
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const reads = statements.filter((statement) => statement.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    // Only this distribution: the condition names its id.
    expect(JSON.stringify(reads[0]?.Condition)).toContain(`{"Ref":"${distributionId}"}`);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
  });

  it('serves HTTPS only, with access logs, index.html at the root', () => {
    const config = template.findResources('AWS::CloudFront::Distribution')[distributionId]?.Properties
      .DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging).toMatchObject({ Prefix: 'console-cdn/' });
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
  });

  it("answers the app's routes with index.html at the edge, and passes files through", () => {
    const config = template.findResources('AWS::CloudFront::Distribution')[distributionId]?.Properties
      .DistributionConfig;
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_FALLBACK_FUNCTION,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    const handler = runInNewContext(`${SPA_FALLBACK_FUNCTION}; handler`) as (event: {
      request: { uri: string };
    }) => { uri: string };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/members/m-1/leads')).toBe('/index.html');
    expect(uriFor('/auth/callback')).toBe('/index.html');
    expect(uriFor('/config.json')).toBe('/config.json');
    expect(uriFor('/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
  });

  it('sends a strict CSP (self, the API, the issuer and the upload bucket to connect to), HSTS and no framing', () => {
    const policies = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp = render(headers.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      // The one wildcard: S3 of the stack's region, where the browser posts upload files.
      expect(csp.match(/\*/g)).toHaveLength(1);
      const connect = csp.split('; ').find((directive) => directive.startsWith('connect-src'));
      expect(connect).toMatch(
        /^connect-src 'self' https:\/\/<\{"Ref":"ApiRestApi[0-9A-F]+"\}>\.execute-api\.<\{"Ref":"AWS::Region"\}>\.<\{"Ref":"AWS::URLSuffix"\}> https:\/\/id\.proleads\.example https:\/\/\*\.s3\.<\{"Ref":"AWS::Region"\}>\.<\{"Ref":"AWS::URLSuffix"\}>$/,
      );
      expect(headers.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      });
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
    }
  });

  it('caches hashed assets for a year and never caches the pages or config.json', () => {
    const config = template.findResources('AWS::CloudFront::Distribution')[distributionId]?.Properties
      .DistributionConfig;
    const [assets] = config.CacheBehaviors;
    expect(assets.PathPattern).toBe('assets/*');
    const cacheControlOf = (policyRef: { Ref: string }) =>
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy')[policyRef.Ref]?.Properties
        .ResponseHeadersPolicyConfig.CustomHeadersConfig.Items[0];
    expect(cacheControlOf(assets.ResponseHeadersPolicyId)).toMatchObject({
      Header: 'Cache-Control',
      Value: 'public, max-age=31536000, immutable',
    });
    expect(cacheControlOf(config.DefaultCacheBehavior.ResponseHeadersPolicyId)).toMatchObject({
      Value: 'no-cache',
    });
    // AWS's managed CachingDisabled policy for the pages.
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
  });

  it('writes config.json from stack values: the API URL and the OIDC settings', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    // Files of earlier builds stay, for consoles opened before the deployment.
    expect(deployment?.Properties.Prune).toBe(false);
    const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
    expect(markers).toMatch(/"Ref":"ApiRestApi[0-9A-F]+"/);
    expect(markers).toMatch(/"Ref":"ApiRestApiDeploymentStagev1[0-9A-F]+"/);
    const stack = buildApp({ config: consoleConfig(), skipBundling: true }).stack;
    expect(stack.resolve(stack.adminConsole.runtimeConfig)).toEqual({
      apiUrl: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: expect.stringMatching(/^ApiRestApi/) },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: expect.stringMatching(/^ApiRestApiDeploymentStagev1/) },
          ],
        ],
      },
      oidc: { issuer: ISSUER, clientId: 'console-client', scope: 'openid profile email' },
    });
    template.hasOutput('*', { Value: consoleOrigin(distributionId) });
  });

  it("makes the console's own origin the CORS origin of the API and the upload bucket by default", () => {
    const origin = consoleOrigin(distributionId);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: {
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': {
                'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [distributionId, 'DomainName'] }, "'"]],
              },
            }),
          }),
        ],
      },
    });
    const adminOrigins = Object.values(template.findResources('AWS::Lambda::Function')).flatMap((fn) => {
      const value = fn.Properties.Environment?.Variables?.ADMIN_ORIGIN;
      return value === undefined ? [] : [value];
    });
    expect(adminOrigins.length).toBeGreaterThan(0);
    for (const value of adminOrigins) expect(value).toEqual(origin);
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: [origin] })] },
    });
  });

  it('keeps a configured adminOrigin instead', () => {
    const configured = synth(consoleConfig({ adminOrigin: 'https://admin.proleads.example' }));
    configured.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: ['https://admin.proleads.example'] })],
      },
    });
  });

  it('refuses an issuer that is not https, or a scope without openid', () => {
    expect(() => devConfig({ adminConsole: { oidc: { issuer: 'http://id.example' } } })).toThrow(
      /adminConsole\.oidc\.issuer: must be an https URL/,
    );
    expect(() => devConfig({ adminConsole: { oidc: { issuer: ISSUER, scope: 'profile email' } } })).toThrow(
      /adminConsole\.oidc\.scope: must include openid/,
    );
  });
});
