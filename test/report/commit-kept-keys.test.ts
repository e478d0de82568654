/**
 * The commit message of a fix that turns a switched-off table's encryption on and keeps the key it names (src/rule/cmk.ts
 * switchedOff, TableReport.keptKey): no key is created, and the key's policy is its team's (real-world round 38 F5's
 * message named "a new customer-managed KMS key of its own" and asked about the new keys' cost, users and deletion).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const table = (name: string, sse: string) =>
  `  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n${sse}`;
const KEPT = (key: string) => `      SSESpecification:\n        SSEEnabled: false\n        SSEType: KMS\n        KMSMasterKeyId: ${key}\n`;

/** The message of a fix of one template, its lines joined. */
async function message(text: string) {
  const r = await processMemory([{ path: 't.yaml', text }], 'fix', {});
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
}

const NEW_KEY_NOTES = [
  '* Cost:',
  'Who can use the key',
  'Who deploys:',
  'Key retention:',
  'Keep the new keys',
  'CreateKey and CreateAlias',
];

describe('commit message: tables that keep the key they named', () => {
  it('only such tables: their keys named, no note on new keys, a roll back in one deploy', async () => {
    const m = await message(`Resources:\n${table('Orders', KEPT('!GetAtt OrdersKey.Arn'))}${table('Events', KEPT(ARN))}`);
    expect(m).toContain(
      "* Orders (t.yaml:2), was aws-owned key: the key it already named (`!GetAtt OrdersKey.Arn`), now switched on; kmsfix did not write its policy: check that it lets DynamoDB and the table's users use it (kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey through DynamoDB), or they lose access once the table switches",
    );
    // A long key as the format shortens it.
    expect(m).toContain('key: the key it already named (`arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd...`), now switched on;');
    expect(m).not.toContain('a new customer-managed KMS key');
    for (const n of NEW_KEY_NOTES) expect(m).not.toContain(n);
    expect(m).toContain('* Keys: each table switches to the key it already named');
    expect(m).toContain(
      "* Roll back in one deploy: set each table's switch back off and deploy; no key is created or deleted: - CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`",
    );
    // The tables still move off the AWS owned key: the request quota stays.
    expect(m).toContain("* KMS requests: DynamoDB's calls to the tables' keys count toward the account's KMS request quota");
  });

  it('beside a table that gets a new key: the kept key named, the new-key notes and the two-deploy roll back kept', async () => {
    const m = await message(`Resources:\n${table('Orders', KEPT('!GetAtt OrdersKey.Arn'))}${table('Plain', '')}`);
    expect(m).toContain('* Orders (t.yaml:2), was aws-owned key: the key it already named (`!GetAtt OrdersKey.Arn`), now switched on;');
    expect(m).toMatch(/\* Plain \(t\.yaml:\d+\), was aws-owned key: a new customer-managed KMS key of its own/);
    for (const n of NEW_KEY_NOTES) expect(m).toContain(n);
    expect(m).not.toContain('* Keys: each table switches');
    expect(m).toContain('* Roll back in two deploys');
  });
});
