/**
 * The key settings contract (src/rule/keySettings.ts, FixOptions.key) rendered in TypeScript: the
 * fixtures cdk-key-settings, cdk-v1-key-settings, cdktf-key-settings and pulumi-key-settings carry
 * non-default settings (options.json); these cases cover what they do not: a shared key, a computed
 * id, and alias names cut down to the characters KMS allows.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { aliasSafe } from '../../../src/formats/typescript/keys.js';

const CDK = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, names: string[]) {
    super(scope, id);
    for (const name of names) {
      new dynamodb.Table(this, \`\${name}Table\`, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    }
    new dynamodb.Table(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new dynamodb.Table(this, 'B', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;

async function fix(text: string, options: object) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'fix', options);
  expect(r.outcomes[0].error).toBeUndefined();
  return r.output.get('stack.ts')!;
}

describe('key settings in TypeScript', () => {
  it('a computed id fills the description template; a shared key gets -shared before the alias suffix', async () => {
    const out = await fix(CDK, { key: { description: 'Key of {table} (team A)', alias: 'alias/team-a/{table}/cmk' } });
    expect(out).toContain('description: `Key of ${name}Table (team A)`,');
    const shared = await fix(CDK, { keyStrategy: 'shared', key: { alias: 'alias/team-a/{table}/cmk' } });
    expect(shared).toContain('.addAlias(`alias/team-a/${a.tableName}-shared/cmk`)');
    expect(shared).toContain("description: 'KMS key for DynamoDB tables A, B',");
  });

  it('the default settings write neither pendingWindow, multiRegion nor tags (CDK)', async () => {
    const out = await fix(CDK, {});
    expect(out).not.toMatch(/pendingWindow|multiRegion|Tags\.of/);
    const thirty = await fix(CDK, { key: { deletionWindowDays: 30, multiRegion: false, tags: {} } });
    expect(thirty).toBe(out);
  });

  it('alias names keep only A-Z a-z 0-9 / _ -', () => {
    expect(aliasSafe('orders.v1')).toBe('orders-v1');
    expect(aliasSafe('a_b-C/9')).toBe('a_b-C/9');
  });
});
