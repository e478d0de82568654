/**
 * kmsfix's own suppression written slightly wrong (workflow pass, session 52: `Ignore: true`, `skip:`,
 * `kmsFix:`, `# kmsfix: ignore`, `# KMSFIX:IGNORE`) was ignored without a word and the table fixed,
 * although its team meant to skip it. Now a near-miss is either read (`ignore: yes`, `on`: YAML 1.1
 * booleans) or said on the table ("kmsfix suppression not understood: ... write ...") and the table is
 * not fixed. Other tools' near-misses (`cfn-nag:`, a mistyped Checkov ID) are theirs: unchanged.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commentSuppressions, metadataSuppressions } from '../../src/core/suppressions.js';

const cfn = (metadata: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Metadata: ${metadata}
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
`;

const tf = (comment: string) => `${comment}
resource "aws_dynamodb_table" "t" {
  name         = "t"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
}
`;

/** The table of one file after a fix in memory, and whether the fix changed the file. */
async function fixed(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  const [t] = r.outcomes[0].tables;
  return { t, changed: (r.output.get(path) ?? text) !== text };
}

describe("a near-miss of kmsfix's own suppression", () => {
  it.each([
    ['{kmsfix: {Ignore: true, reason: legacy}}', '`Metadata.kmsfix.Ignore`: write `ignore: true` (lower case) under `kmsfix:`'],
    ['{kmsfix: {skip: true}}', '`Metadata.kmsfix.skip`: write `ignore: true` (lower case) under `kmsfix:`'],
    ['{kmsfix: true}', '`Metadata.kmsfix: true`: write `kmsfix: { ignore: true, reason: ... }`'],
    ['{kmsfix: }', '`Metadata.kmsfix: null`: write `kmsfix: { ignore: true, reason: ... }`'],
    ['{kmsFix: {ignore: true}}', '`Metadata.kmsFix`: write `kmsfix: { ignore: true, reason: ... }`'],
    ['{kms_fix: {ignore: true}}', '`Metadata.kms_fix`: write `kmsfix: { ignore: true, reason: ... }`'],
    ['{kmsfix: {reason: legacy}}', '`Metadata.kmsfix`: write `ignore: true` under `kmsfix:`'],
    ['{kmsfix: {ignore: maybe}}', '`Metadata.kmsfix.ignore: "maybe"`: write `ignore: true`'],
    ['{kmsfix: {ignore: }}', '`Metadata.kmsfix.ignore: null`: write `ignore: true`'],
  ])('Metadata %s: said on the table, which is not fixed', async (md, said) => {
    const { t, changed } = await fixed('t.yaml', cfn(md));
    expect(changed).toBe(false);
    expect([t.status, t.compliant, t.fixable]).toEqual(['aws-owned', false, false]);
    expect(t.reason).toBe(`No SSESpecification; kmsfix suppression not understood: ${said}`);
    expect(t.message).toContain(`Not fixed: kmsfix suppression not understood: ${said} (or remove it to have the table fixed)`);
  });

  it.each([
    ['# kmsfix: ignore legacy', 'kmsfix: ignore'],
    ['# kmsfix-ignore legacy', 'kmsfix-ignore'],
    ['# KMSFIX:IGNORE legacy', 'KMSFIX:IGNORE'],
    ['// kms-fix ignore', 'kms-fix ignore'],
    ['# kmsfix_skip', 'kmsfix_skip'],
  ])('comment %s: said on the table, which is not fixed (Terraform and CloudFormation)', async (comment, text) => {
    const said = `kmsfix suppression not understood: \`${text}\`: write \`kmsfix:ignore <reason>\``;
    const t1 = await fixed('main.tf', tf(comment.replace(/^\/\//, '#')));
    expect([t1.changed, t1.t.status, t1.t.fixable]).toEqual([false, 'aws-owned', false]);
    expect(t1.t.reason).toContain(said);
    const t2 = await fixed('t.yaml', cfn('{}').replace('  T:\n', `  ${comment.replace(/^\/\//, '#')}\n  T:\n`));
    expect([t2.changed, t2.t.status, t2.t.fixable]).toEqual([false, 'aws-owned', false]);
    expect(t2.t.reason).toContain(said);
  });

  it("AWS CDK: addMetadata('kmsfix', { Ignore: true }) and a `// kmsfix: ignore` comment, said and not fixed", async () => {
    const stack = (extra: string) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
${extra}
  }
}
`;
    const md = await fixed(
      'stack.ts',
      stack(`    const t = new dynamodb.Table(this, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    (t.node.defaultChild as dynamodb.CfnTable).addMetadata('kmsfix', { Ignore: true });`),
    );
    expect([md.changed, md.t.fixable]).toEqual([false, false]);
    expect(md.t.reason).toContain('kmsfix suppression not understood: `addMetadata.kmsfix.Ignore`');
    const comment = await fixed(
      'stack.ts',
      stack(`    // kmsfix: ignore legacy
    new dynamodb.Table(this, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });`),
    );
    expect([comment.changed, comment.t.fixable]).toEqual([false, false]);
    expect(comment.t.reason).toContain('kmsfix suppression not understood: `kmsfix: ignore`');
  });

  it('ignore: yes, on, True (YAML 1.1 booleans) and "true" are read: suppressed', async () => {
    for (const v of ['yes', 'on', 'True', '"true"', 'Yes']) {
      const { t, changed } = await fixed('t.yaml', cfn(`{kmsfix: {ignore: ${v}, reason: legacy}}`));
      expect([changed, t.status, t.reason], v).toEqual([false, 'suppressed', 'Suppressed by Metadata.kmsfix.ignore (legacy)']);
    }
  });

  it('ignore: false, no, off are clear (the team wants it fixed): fixed, nothing said', async () => {
    for (const v of ['false', 'no', 'off']) {
      const { t, changed } = await fixed('t.yaml', cfn(`{kmsfix: {ignore: ${v}}}`));
      expect([changed, t.status, t.reason], v).toEqual([true, 'aws-owned', 'No SSESpecification']);
    }
  });

  it('a clear suppression beside a near-miss wins; another tool honoured under strict skips the table without a word', async () => {
    const both = await fixed('t.yaml', cfn('{kmsfix: {ignore: true}, kmsFix: {ignore: true}}'));
    expect([both.changed, both.t.status]).toEqual([false, 'suppressed']);
    const checkov = await fixed('t.yaml', cfn('{kmsfix: {Ignore: true}, checkov: {skip: [{id: CKV_AWS_119}]}}'));
    expect([checkov.changed, checkov.t.status]).toEqual([false, 'suppressed']);
    expect(checkov.t.message).not.toContain('not understood');
  });

  it("other tools' near-misses and prose are not kmsfix's: unchanged (the table is fixed)", async () => {
    for (const md of ['{cfn-nag: {rules_to_suppress: [{id: W74, reason: x}]}}', '{checkov: {skip: [{id: CKV_AWS_191}]}}']) {
      const { t, changed } = await fixed('t.yaml', cfn(md));
      expect([changed, t.reason], md).toEqual([true, 'No SSESpecification']);
    }
    for (const c of ['#checkov:skip=CKV_AWS_191:typo', '# kmsfix ignores tables in test code', '# run kmsfix before deploying']) {
      const { t, changed } = await fixed('main.tf', tf(c));
      expect([changed, t.reason], c).toEqual([true, 'no server_side_encryption block']);
    }
  });

  it('an unclear suppression silences nothing and is kept apart (`unclear`: what to write)', () => {
    expect(commentSuppressions('# kmsfix: ignore legacy')).toEqual([
      { tool: 'kmsfix', text: 'kmsfix: ignore', unclear: '`kmsfix:ignore <reason>`' },
    ]);
    expect(commentSuppressions('# kmsfix:ignore legacy')).toEqual([{ tool: 'kmsfix', text: 'kmsfix:ignore (legacy)' }]);
    expect(metadataSuppressions({ kmsfix: { ignore: 'yes' } }, 'Metadata')).toEqual([{ tool: 'kmsfix', text: 'Metadata.kmsfix.ignore' }]);
    expect(metadataSuppressions({ checkov: {} }, 'Metadata')).toEqual([]);
  });
});
