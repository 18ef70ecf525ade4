import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

const synth = (manageAccountCloudWatchRole?: boolean) => {
  const { app, stack } = buildApp({
    config: devConfig(
      manageAccountCloudWatchRole === undefined ? {} : { api: { manageAccountCloudWatchRole } },
    ),
    skipBundling: true,
  });
  return { app, template: Template.fromStack(stack) };
};

const pushRoles = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Role')).filter((role) =>
    JSON.stringify(role.Properties.ManagedPolicyArns ?? []).includes('AmazonAPIGatewayPushToCloudWatchLogs'),
  );

describe("API Gateway's account-wide CloudWatch role", () => {
  it('is left alone by default, so two stages in one account never fight over it', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(pushRoles(template)).toHaveLength(0);
  });

  it('is made, with its role, once by the stage configured to own it, and passes cdk-nag', () => {
    const { app, template } = synth(true);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(pushRoles(template)).toHaveLength(1);
    expect(() => app.synth()).not.toThrow();
  });

  it('keeps execution logging on either way (the account role is what it writes with)', () => {
    for (const manage of [false, true]) {
      synth(manage).template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([Match.objectLike({ LoggingLevel: 'ERROR' })]),
      });
    }
  });
});
