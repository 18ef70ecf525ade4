import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { AppConfigSchema, devConfig } from '../../lib/config';

const synth = (retainData: boolean) =>
  Template.fromStack(buildApp({ config: devConfig({ retainData }), skipBundling: true }).stack);

type Resource = {
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, unknown>;
};
const resources = (template: Template, type: string) =>
  Object.entries(template.findResources(type) as Record<string, Resource>);
const autoDeleted = (template: Template) =>
  Object.values(template.findResources('Custom::S3AutoDeleteObjects')).map(
    (resource) => (resource.Properties.BucketName as { Ref: string }).Ref,
  );

describe('data retention', () => {
  it('keeps data unless a stage says otherwise: retainData defaults to true', () => {
    const { retainData, ...rest } = devConfig();
    expect(retainData).toBe(false);
    expect(AppConfigSchema.parse(rest).retainData).toBe(true);
  });

  it('retains and deletion-protects every table, the pepper and the buckets by default', () => {
    const template = synth(true);
    const tables = resources(template, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(4);
    for (const [, table] of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      for (const replica of table.Properties.Replicas as { DeletionProtectionEnabled: boolean }[])
        expect(replica.DeletionProtectionEnabled).toBe(true);
    }
    const pepper = resources(template, 'AWS::SecretsManager::Secret').filter(([id]) =>
      id.startsWith('StorageLeadHashPepper'),
    );
    expect(pepper).toHaveLength(1);
    expect(pepper[0]?.[1].DeletionPolicy).toBe('Retain');
    for (const [id, bucket] of resources(template, 'AWS::S3::Bucket')) {
      expect({ id, policy: bucket.DeletionPolicy }).toEqual({ id, policy: 'Retain' });
    }
    expect(autoDeleted(template)).toEqual([]);
  });

  it('deletes everything on a disposable stage, emptying each bucket first so the stack destroys cleanly', () => {
    const template = synth(false);
    for (const [, table] of resources(template, 'AWS::DynamoDB::GlobalTable')) {
      expect(table.DeletionPolicy).toBe('Delete');
      for (const replica of table.Properties.Replicas as { DeletionProtectionEnabled: boolean }[])
        expect(replica.DeletionProtectionEnabled).toBe(false);
    }
    for (const [id, secret] of resources(template, 'AWS::SecretsManager::Secret').filter(([id]) =>
      id.startsWith('StorageLeadHashPepper'),
    ))
      expect({ id, policy: secret.DeletionPolicy }).toEqual({ id, policy: 'Delete' });
    const buckets = resources(template, 'AWS::S3::Bucket');
    for (const [id, bucket] of buckets)
      expect({ id, policy: bucket.DeletionPolicy }).toEqual({ id, policy: 'Delete' });
    expect(autoDeleted(template).sort()).toEqual(buckets.map(([id]) => id).sort());
  });
});
