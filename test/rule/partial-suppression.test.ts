/**
 * A suppression of some of a tool's rules (cfn-guard has two on a table without a key): under that
 * tool's profile the table still fails, and its reason says which rule still fires, instead of a
 * "fails cfn-guard" verdict whose reason is only the suppression (adversarial pass on the docs).
 */
import { describe, expect, it } from 'vitest';
import { formatFor, loadFormat } from '../../src/formats/index.js';
import { judge } from '../../src/rule/evaluate.js';

const template = (metadata: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Metadata:
${metadata}
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
`;

async function guard(metadata: string) {
  const text = template(metadata);
  const entry = formatFor('t.yaml', text)!;
  const [t] = (await (await loadFormat(entry)).detect({ path: 't.yaml', absPath: 't.yaml', text })).tables;
  return judge(t, { profile: 'cfn-guard' });
}

describe("a suppression of one of cfn-guard's two rules", () => {
  it('DYNAMODB_TABLE_ENCRYPTED_KMS alone, or cfn_nag W74: still failing, the reason names the rule that fires', async () => {
    for (const m of [
      '      guard:\n        SuppressedRules:\n          - DYNAMODB_TABLE_ENCRYPTED_KMS',
      '      cfn_nag:\n        rules_to_suppress:\n          - id: W74\n            reason: ok',
    ]) {
      const j = await guard(m);
      expect([j.status, j.compliant], m).toEqual(['suppressed', false]);
      expect(j.reason).toMatch(/^Suppressed by .*, but DYNAMODB_TABLE_MUST_BE_ENCRYPTED still fires$/);
      expect(j.message).toContain('but DYNAMODB_TABLE_MUST_BE_ENCRYPTED still fires; without it: aws-owned');
    }
  });

  it("DYNAMODB_TABLE_MUST_BE_ENCRYPTED alone (not kmsfix's rule): still failing, the suppression and the rule that fires said", async () => {
    const j = await guard('      guard:\n        SuppressedRules:\n          - DYNAMODB_TABLE_MUST_BE_ENCRYPTED');
    expect([j.status, j.compliant]).toEqual(['aws-owned', false]);
    expect(j.message).toContain(
      '(Metadata.guard.SuppressedRules DYNAMODB_TABLE_MUST_BE_ENCRYPTED silences DYNAMODB_TABLE_MUST_BE_ENCRYPTED, but DYNAMODB_TABLE_ENCRYPTED_KMS still fires)',
    );
  });

  it('both rules: compliant, the reason the suppression alone', async () => {
    const j = await guard(
      '      guard:\n        SuppressedRules:\n          - DYNAMODB_TABLE_ENCRYPTED_KMS\n          - DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
    );
    expect([j.status, j.compliant]).toEqual(['suppressed', true]);
    expect(j.reason).not.toContain('still fires');
  });
});
