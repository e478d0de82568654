/**
 * A deletion-protected table outlives a destroy (the destroy fails on it, and the way out is to leave
 * it behind): its key must be kept too, or the table left behind can no longer be read. CDK keeps the
 * key (RETAIN) even when the table's removalPolicy is DESTROY; Pulumi gives it retainOnDelete; CDKTF
 * lifecycle.preventDestroy. A literal `false` changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function fixed(path: string, text: string): Promise<string> {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].tables.every((t) => t.fixed)).toBe(true);
  return r.output.get(path)!;
}

describe('deletion protection keeps the key', () => {
  it('Pulumi: deletionProtectionEnabled: true gives the key retainOnDelete; false does not', async () => {
    const program = (on: string) =>
      `import * as aws from '@pulumi/aws';\n\nconst orders = new aws.dynamodb.Table('orders', {\n  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n  billingMode: 'PAY_PER_REQUEST',\n  deletionProtectionEnabled: ${on},\n});\n\nexport const name = orders.name;\n`;
    expect(await fixed('index.ts', program('true'))).toMatch(/new aws\.kms\.Key\([\s\S]*retainOnDelete: true/);
    expect(await fixed('index.ts', program('false'))).not.toContain('retainOnDelete');
  });

  it('CDK: deletionProtection: true keeps the key retained even when the table is destroyed on removal', async () => {
    const stack = (on: string) =>
      `import { RemovalPolicy, Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\n\nexport class S extends Stack {\n  constructor() {\n    super();\n    new dynamodb.Table(this, 'Orders', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n      removalPolicy: RemovalPolicy.DESTROY,\n      deletionProtection: ${on},\n    });\n  }\n}\n`;
    const kept = await fixed('stack.ts', stack('true'));
    expect(kept).toMatch(/new kms\.Key\(/);
    expect(kept.match(/RemovalPolicy\.DESTROY/g)).toHaveLength(1);
    expect((await fixed('stack.ts', stack('false'))).match(/RemovalPolicy\.DESTROY/g)).toHaveLength(2);
  });

  it('Pulumi YAML: deletionProtectionEnabled: true gives the key retainOnDelete', async () => {
    const program = (on: string) =>
      `name: orders\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      attributes:\n        - name: id\n          type: S\n      hashKey: id\n      billingMode: PAY_PER_REQUEST\n      deletionProtectionEnabled: ${on}\n`;
    expect(await fixed('Pulumi.yaml', program('true'))).toMatch(/ordersKey:[\s\S]*options:\n\s+retainOnDelete: true/);
    expect(await fixed('Pulumi.yaml', program('false'))).not.toContain('retainOnDelete');
  });
});
