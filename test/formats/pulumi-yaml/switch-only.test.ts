/**
 * A Pulumi YAML table switched off beside a customer-managed key of its own (src/rule/cmk.ts switchedOff,
 * src/formats/pulumi-yaml/switchOnly.ts): the fix turns the switch on alone, keeps the key and generates none, as
 * Terraform's (real-world round 38 F5, left for Pulumi YAML in session 55). The AWS managed key, or a switch the table
 * does not hold itself (an anchor other resources alias): fixed as any switched-off table, a key generated. The fixture
 * pulumi-yaml/enabled-false-own-key holds the fix itself.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const program = (variables: string, resources: string) => `name: t
runtime: yaml
variables:
${variables}resources:
  ordersKey:
    type: aws:kms:Key
    properties:
      enableKeyRotation: true
${resources}`;
const table = (name: string, sse: string) =>
  `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      serverSideEncryption:${sse}\n`;

async function run(text: string, mode: 'scan' | 'fix' = 'scan', options = {}) {
  return (await processMemory([{ path: 'Pulumi.yaml', text }], mode, options)).outcomes[0];
}

describe('Pulumi YAML: a table switched off beside its own key', () => {
  it('keeps that key, the switch alone turned on; the report carries the key as written', async () => {
    const text = program('  k: 1\n', table('orders', '\n        enabled: false # load test\n        kmsKeyArn: ${ordersKey.arn}'));
    const o = await run(text, 'fix');
    expect(o.error).toBeUndefined();
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
    expect(o.tables[0]).toMatchObject({ status: 'aws-owned', fixable: true, keptKey: '${ordersKey.arn}' });
  });

  it('with --kms-key-arn too: the table keeps its own key', async () => {
    const text = program('  k: 1\n', table('orders', ` { enabled: false, kmsKeyArn: "${KEY}" }`));
    const o = await run(text, 'fix', { kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/other' });
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
  });

  it('the AWS managed key (as written, or through a variable): a key generated, as before', async () => {
    for (const key of ['alias/aws/dynamodb', '${managed}']) {
      const text = program('  managed: alias/aws/dynamodb\n', table('orders', `\n        enabled: false\n        kmsKeyArn: ${key}`));
      const o = await run(text, 'fix');
      expect(o.tables[0].keptKey, key).toBeUndefined();
      expect(o.newText, key).toMatch(/kmsKeyArn: '?\$\{ordersKey2\.arn\}'?\n/);
      expect(o.newText, key).toContain('dynamodbKeyPolicy:');
    }
  });

  it('a switch in an anchor another table aliases: not edited for one table, both fixed as before', async () => {
    const text = program(
      '  k: 1\n',
      table('orders', ' &sse\n        enabled: false\n        kmsKeyArn: ${ordersKey.arn}') + table('carts', ' *sse'),
    );
    const o = await run(text, 'fix');
    for (const t of o.tables) expect(t.keptKey, t.address).toBeUndefined();
  });
});
