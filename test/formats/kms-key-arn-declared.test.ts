/**
 * --kms-key-arn as an expression of the file's language (`!Ref P`, `${R.Arn}`, `var.x`, `local.x`...): a
 * table is fixed with it only when the template or module declares what it names; otherwise it is not
 * fixed, with the reason (CloudFormation rejects an unresolved dependency, terraform plan an undeclared
 * variable), and the file stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const CFN = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  TableKeyArn:
    Type: String
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
`;

const TF = `variable "table_key_arn" {
  type = string
}

locals {
  key = var.table_key_arn
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

async function fixWith(path: string, text: string, kmsKeyArn: string, other?: { path: string; text: string }) {
  const r = await processMemory([{ path, text }, ...(other ? [other] : [])], 'fix', { kmsKeyArn });
  const t = r.outcomes.find((o) => o.file.path === path)!.tables[0];
  return { fixed: !!t.fixed, message: t.message, out: r.output.get(path) };
}

describe('--kms-key-arn names only what the file declares', () => {
  it.each([
    ['!Ref TableKeyArn', true],
    ['!GetAtt Key.Arn', true],
    ['${Key.Arn}', true],
    ["!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${TableKeyArn}'", true],
    ['!ImportValue shared-key-arn', true],
    ['!Ref SharedKeyArn', false],
    ['!GetAtt TableKey.Arn', false],
    ['${Nope}', false],
  ])('CloudFormation %s: fixed %s', async (arn, ok) => {
    const r = await fixWith('template.yaml', CFN, arn);
    expect(r.fixed).toBe(ok);
    if (!ok) {
      expect(r.out).toBe(CFN);
      expect(r.message).toMatch(
        /names \w+, which this template declares neither as a parameter nor as a resource \(CloudFormation would reject it\)/,
      );
    }
  });

  it('CloudFormation: a template with a macro of its own (it may declare more) is not checked; SAM is', async () => {
    const macro = CFN.replace(
      "AWSTemplateFormatVersion: '2010-09-09'\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nTransform: [AWS::Serverless-2016-10-31, MyOrgMacro]\n",
    );
    expect((await fixWith('template.yaml', macro, '!Ref SharedKeyArn')).fixed).toBe(true);
    const sam = CFN.replace(
      "AWSTemplateFormatVersion: '2010-09-09'\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n",
    );
    expect((await fixWith('template.yaml', sam, '!Ref SharedKeyArn')).fixed).toBe(false);
  });

  it.each([
    ['var.table_key_arn', true],
    ['local.key', true],
    ['var.shared_key_arn', false],
    ['local.nope', false],
    ['module.kms.key_arn', false],
    ['data.aws_kms_key.shared.arn', false],
    ['aws_kms_key.k.arn', false],
  ])('Terraform %s: fixed %s', async (arn, ok) => {
    const r = await fixWith('main.tf', TF, arn);
    expect(r.fixed).toBe(ok);
    if (!ok) {
      expect(r.out).toBe(TF);
      expect(r.message).toMatch(/, which no file of this module declares \(plan would fail\): declare it/);
    }
  });

  it('Terraform: a declaration in another file of the module counts', async () => {
    const other = { path: 'kms.tf', text: 'data "aws_kms_key" "shared" {\n  key_id = "alias/shared"\n}\n' };
    expect((await fixWith('main.tf', TF, 'data.aws_kms_key.shared.arn', other)).fixed).toBe(true);
    expect((await fixWith('main.tf', TF, 'var.shared_key_arn')).message).toContain(
      'declare it (variable "shared_key_arn" { type = string })',
    );
  });
});
