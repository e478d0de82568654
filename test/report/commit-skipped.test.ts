/**
 * The commit message names the tables a skip pattern or an inline suppression left out (session 64's workflow
 * review): a repository's `.kmsfix.yml` `skip_table: [UsersTable]` left two tables on the AWS owned key, and the mail
 * said only "changed 15 files so that 15 DynamoDB tables are encrypted", its reviewer not told that the repository
 * still holds tables this change does not cover (README: the mail explains the repository's `skip_table`).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';

const table = (name: string, sse = '') =>
  `  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n${sse}`;
const CMK =
  '      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab}\n';

async function message(text: string, skipTables?: string[]) {
  const r = await processMemory([{ path: 't.yaml', text }], 'fix', skipTables ? { skipTables } : {});
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
}

describe('commit message: tables left out on purpose', () => {
  it('a table a skip pattern leaves on the AWS owned key is listed with its status; a compliant one skipped is not', async () => {
    const m = await message(`Resources:\n${table('Orders')}${table('Users')}${table('Audit', CMK)}`, ['Users', 'Audit']);
    expect(m).toContain('Encrypt 1 DynamoDB table');
    expect(m).toContain(
      'Left out on purpose (a skip_table or --skip-table pattern, or an inline suppression), not changed:\n* Users (t.yaml:6), aws-owned: Skipped by --skip-table Users',
    );
    expect(m).not.toMatch(/Audit \(t\.yaml/);
  });

  it('nothing skipped: no such section', async () => {
    expect(await message(`Resources:\n${table('Orders')}`)).not.toContain('Left out on purpose');
  });
});
