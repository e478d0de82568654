/**
 * The peer rules on KMS keys (src/rule/peers/keyRules.ts), on the shapes their own test suites and code
 * use to tell pass from fail, so that docs/scanner-parity.md's table of what fires on a generated key rests on
 * rules that can fail.
 */
import { describe, expect, it } from 'vitest';
import { generatedKeyFacts, keyVerdicts, type KeyFacts, type KeyFormat, type KeyStatementFacts } from '../../src/rule/peers/keyRules.js';

const ROOT: KeyStatementFacts = {
  effect: 'Allow',
  principal: { aws: ['arn:aws:iam::111122223333:root'], service: [] },
  actions: ['kms:*'],
  resources: ['*'],
  condition: false,
};
const STAR_CONDITIONED: KeyStatementFacts = {
  effect: 'Allow',
  principal: { aws: ['*'], service: [] },
  actions: ['kms:Decrypt'],
  resources: ['*'],
  condition: true,
};
const BARE_STAR: KeyStatementFacts = { effect: 'Allow', principal: '*', actions: ['kms:Decrypt'], resources: ['*'], condition: false };
const DESCRIBE: KeyStatementFacts = {
  effect: 'Allow',
  principal: { aws: [], service: ['dynamodb.amazonaws.com'] },
  actions: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
  resources: ['*'],
  condition: false,
};

function key(format: KeyFormat, statements: KeyStatementFacts[], extra: Partial<KeyFacts> = {}): KeyFacts {
  return { format, statements, policyDocument: false, pendingWindowInDays: false, rotation: true, suppressions: [], ...extra };
}

function failing(k: KeyFacts): string[] {
  return keyVerdicts(k)
    .filter((v) => v.result === 'fail')
    .map((v) => `${v.tool} ${/^[0-9a-f]{8}-/.test(v.id) ? v.id.slice(0, 8) : v.id}`);
}

describe('rules on KMS keys', () => {
  it('Checkov CKV_AWS_33: CloudFormation ignores conditions, Terraform skips conditioned statements', () => {
    expect(failing(key('cloudformation', [STAR_CONDITIONED]))).toContain('checkov CKV_AWS_33');
    expect(failing(key('terraform', [STAR_CONDITIONED]))).not.toContain('checkov CKV_AWS_33');
    expect(failing(key('terraform', [{ ...STAR_CONDITIONED, condition: false }]))).toContain('checkov CKV_AWS_33');
    // Deny statements are skipped.
    expect(failing(key('cloudformation', [{ ...BARE_STAR, effect: 'Deny' }]))).not.toContain('checkov CKV_AWS_33');
  });

  it('cfn-nag F76 fails any * principal; KICS f6049677 and cfn-guard only a bare "*"', () => {
    const conditioned = failing(key('cloudformation', [STAR_CONDITIONED]));
    expect(conditioned).toContain('cfn-nag F76');
    expect(conditioned).not.toContain('kics f6049677');
    expect(conditioned).not.toContain('cfn-guard KMS_NO_WILDCARD_PRINCIPAL');
    const bare = failing(key('cloudformation', [BARE_STAR]));
    expect(bare).toEqual(expect.arrayContaining(['cfn-nag F76', 'kics f6049677', 'cfn-guard KMS_NO_WILDCARD_PRINCIPAL']));
  });

  it("KICS da905474 flags an unconditioned kms:* (AWS's default root statement), not the conditioned wildcard", () => {
    expect(failing(key('cloudformation', [ROOT]))).toContain('kics da905474');
    expect(failing(key('cloudformation', [STAR_CONDITIONED]))).not.toContain('kics da905474');
  });

  it('Checkov CKV_AWS_109/111/356 read a data "aws_iam_policy_document" only, and skip conditioned statements', () => {
    expect(failing(key('terraform', [ROOT], { policyDocument: true }))).toEqual([
      'checkov CKV_AWS_109',
      'checkov CKV_AWS_111',
      'checkov CKV_AWS_356',
    ]);
    expect(failing(key('terraform', [DESCRIBE], { policyDocument: true }))).toEqual(['checkov CKV_AWS_356']);
    expect(failing(key('terraform', [{ ...ROOT, condition: true }], { policyDocument: true }))).toEqual([]);
    expect(failing(key('cdktf', [ROOT]))).toEqual(['kics 7ebc9038']);
  });

  it('KICS 2844c749 fails any PendingWindowInDays; rotation rules fail a key without rotation', () => {
    expect(failing(key('cloudformation', [DESCRIBE], { pendingWindowInDays: true }))).toEqual(['kics 2844c749']);
    expect(failing(key('terraform', [DESCRIBE], { rotation: false }))).toEqual([
      'checkov CKV_AWS_7',
      'kics 22fbfeac',
      'trivy AVD-AWS-0065',
    ]);
  });

  it('a suppression turns a firing rule into `suppressed`; cfn-guard honours cfn-nag F76 suppressions', () => {
    const v = keyVerdicts(key('cloudformation', [BARE_STAR], { suppressions: ['cfn-nag:F76'] }));
    expect(v.find((x) => x.id === 'F76')?.result).toBe('suppressed');
    expect(v.find((x) => x.id === 'KMS_NO_WILDCARD_PRINCIPAL')?.result).toBe('suppressed');
    expect(v.find((x) => x.id === 'CKV_AWS_33')?.result).toBe('fail');
  });
});

describe('the generated key', () => {
  it('fails nothing unsuppressed but the KICS false positive on the account statement (and cdk.out, documented)', () => {
    const unexplained: Record<string, string[]> = {};
    for (const format of ['cloudformation', 'serverless', 'terraform', 'pulumi'] as KeyFormat[]) {
      for (const mode of ['drop-in', 'iam'] as const) {
        const f = failing(generatedKeyFacts(format, mode)).filter((r) => !r.startsWith('kics da905474'));
        if (f.length > 0) unexplained[`${format} ${mode}`] = f;
      }
    }
    expect(unexplained).toEqual({});
  });

  it('key: deny_direct_grants: its Deny with AWS "*" fires no rule, in any format or mode (each reads Allow statements or a bare "*")', () => {
    const DENY: KeyStatementFacts = {
      effect: 'Deny',
      principal: { aws: ['*'], service: [] },
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      condition: true,
    };
    // The statement alone: nothing fires (as an Allow, the same statement would).
    expect(failing(key('cloudformation', [ROOT, DENY])).filter((r) => !r.startsWith('kics da905474'))).toEqual([]);
    expect(failing(key('cloudformation', [ROOT, { ...DENY, effect: 'Allow' }]))).toContain('checkov CKV_AWS_33');
    for (const format of ['cloudformation', 'serverless', 'cdk', 'terraform', 'cdktf', 'pulumi'] as KeyFormat[]) {
      for (const mode of ['drop-in', 'iam'] as const) {
        const withDeny = generatedKeyFacts(format, mode, true);
        expect(withDeny.statements.at(-1), `${format} ${mode}`).toEqual(DENY);
        expect(keyVerdicts(withDeny), `${format} ${mode}`).toEqual(keyVerdicts(generatedKeyFacts(format, mode)));
      }
    }
  });
});
