/**
 * An SSESpecification that `Fn::If` chooses, in messages (conditionWords.ts): the function, its condition
 * and what the condition reads. The value as written, put on one line, read as noise: a block-style `!If`
 * gave `SSESpecification is !If - UseKmsMasterKey - SSEEnabled: true SSEType: KMS KMS...`
 * (subhamay-bhattacharyya/aws-cfn-nested-stacks, cfn-templates/database/dynamodb-table.yaml).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const template = (parameters: string, conditions: string, sse: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
${parameters}
Conditions:
${conditions}
Resources:
  DynamoDBTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      SSESpecification:
${sse}`;

const BLOCK_IF = `        !If
          - UseKmsMasterKey
          - SSEEnabled: true
            SSEType: KMS
            KMSMasterKeyId: !Sub "alias/\${KmsMasterKeyAlias}"
          - !Ref AWS::NoValue
`;

const ALIAS = `  KmsMasterKeyAlias:
    Type: String
    Default: ""`;

async function reason(text: string): Promise<{ status: string; reason?: string }> {
  const r = await processMemory([{ path: 'template.yaml', text }], 'scan');
  const t = r.outcomes[0].tables[0];
  return { status: t.status, reason: t.reason };
}

describe('SSESpecification chosen by Fn::If, in words', () => {
  it('names the function, the condition and the parameter it reads with its Default', async () => {
    const t = await reason(template(ALIAS, '  UseKmsMasterKey: !Not [!Equals [!Ref KmsMasterKeyAlias, ""]]', BLOCK_IF));
    expect(t.status).toBe('unknown');
    expect(t.reason).toBe("SSESpecification is chosen by Fn::If on condition UseKmsMasterKey (parameter KmsMasterKeyAlias, Default '')");
  });

  it('follows the conditions a condition names; a parameter without a Default and a pseudo parameter said so', async () => {
    const t = await reason(
      template(
        `${ALIAS}\n  Stage:\n    Type: String`,
        [
          '  HasAlias: !Not [!Equals [!Ref KmsMasterKeyAlias, ""]]',
          '  InUsEast: !Equals [!Ref "AWS::Region", us-east-1]',
          '  UseKmsMasterKey: !And [!Condition HasAlias, {"Fn::Equals": [{"Ref": "Stage"}, prod]}, !Condition InUsEast]',
        ].join('\n'),
        BLOCK_IF,
      ),
    );
    expect(t.reason).toBe(
      "SSESpecification is chosen by Fn::If on condition UseKmsMasterKey (parameter KmsMasterKeyAlias, Default ''; parameter Stage, no Default; AWS::Region)",
    );
  });

  it('in the same words where no value it chooses is customer-managed', async () => {
    const t = await reason(
      template(
        ALIAS,
        '  UseKmsMasterKey: !Not [!Equals [!Ref KmsMasterKeyAlias, ""]]',
        '        !If [UseKmsMasterKey, {SSEEnabled: true}, !Ref AWS::NoValue]\n',
      ),
    );
    expect(t.status).toBe('aws-owned');
    expect(t.reason).toBe(
      "SSESpecification is chosen by Fn::If on condition UseKmsMasterKey (parameter KmsMasterKeyAlias, Default ''): no value it can take uses a customer-managed key",
    );
  });

  it('says no more than the condition where the template does not declare it', async () => {
    const t = await reason(template(ALIAS, '  Other: !Equals [a, a]', BLOCK_IF));
    expect(t.reason).toBe('SSESpecification is chosen by Fn::If on condition UseKmsMasterKey');
  });
});
