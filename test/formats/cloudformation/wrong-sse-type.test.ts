/**
 * An SSEType written as a literal other than KMS beside a table's own key (src/rule/cmk.ts wrongType). Found by session
 * 62's adversarial pass (F5): `AES256`, `kms`, `'KMS '` and `true` were read customer-managed, though CloudFormation
 * rejects each (cfn-lint E3030, "is not one of ['KMS']") and the table keeps the key it had. The fixtures
 * (fixtures/cloudformation/wrong-sse-type*, fixtures/typescript/cdk-cfntable-wrong-sse-type) hold the fix.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/k';
const table = (sse: string, indent = '      ') => `    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      SSESpecification:
${sse
  .split('\n')
  .map((l) => indent + '  ' + l)
  .join('\n')}
`;
const template = (sse: string, head = '') => `AWSTemplateFormatVersion: '2010-09-09'\n${head}Resources:\n  OrdersTable:\n${table(sse)}`;

async function run(text: string, mode: 'scan' | 'fix' = 'scan', path = 'template.yaml') {
  const r = await processMemory([{ path, text }], mode, {});
  return r.outcomes[0];
}

describe('SSEType other than KMS beside a key of the table', () => {
  for (const value of ['AES256', 'kms', "'KMS '", 'true', '"Kms"']) {
    it(`SSEType: ${value} is aws-managed and fixable, the fix setting KMS alone`, async () => {
      const text = template(`SSEEnabled: true\nSSEType: ${value}\nKMSMasterKeyId: ${KEY}`);
      const t = (await run(text)).tables[0];
      expect(t).toMatchObject({ status: 'aws-managed', compliant: false, fixable: true });
      expect(t.message).toContain(`is not used: SSEType is ${value}, and CloudFormation rejects any SSEType but KMS (cfn-lint E3030)`);
      const quote = value.startsWith("'") ? "'" : value.startsWith('"') ? '"' : '';
      expect((await run(text, 'fix')).newText).toBe(text.replace(`SSEType: ${value}`, `SSEType: ${quote}KMS${quote}`));
    });
  }

  it('SSEType KMS, as before: customer-managed', async () => {
    const t = (await run(template(`SSEEnabled: true\nSSEType: KMS\nKMSMasterKeyId: ${KEY}`))).tables[0];
    expect(t.status).toBe('customer-managed');
  });

  it('an SSEType kmsfix cannot read stays unknown: a parameter whose Default is not KMS, an Fn::If', async () => {
    const param = template(
      `SSEEnabled: true\nSSEType: !Ref TypeParam\nKMSMasterKeyId: ${KEY}`,
      'Parameters:\n  TypeParam:\n    Type: String\n    Default: AES256\n',
    );
    expect((await run(param)).tables[0]).toMatchObject({ status: 'unknown', message: expect.stringMatching(/^SSEType is !Ref TypeParam/) });
    const chosen = template(
      `SSEEnabled: true\nSSEType: !If [IsProd, KMS, AES256]\nKMSMasterKeyId: ${KEY}`,
      "Conditions:\n  IsProd: !Equals [!Ref 'AWS::Region', eu-west-1]\n",
    );
    expect((await run(chosen)).tables[0].status).toBe('unknown');
  });

  it('without a key of its own: aws-managed as before, and the fix that generates the key sets SSEType too', async () => {
    const text = template('SSEEnabled: true\nSSEType: AES256');
    expect((await run(text)).tables[0].status).toBe('aws-managed');
    const fixed = (await run(text, 'fix')).newText ?? '';
    expect(fixed).toContain('SSEType: KMS\n');
    expect(fixed).not.toContain('AES256');
  });

  it('in a serverless.yml resources section, the same', async () => {
    const text = `service: orders\nprovider:\n  name: aws\nresources:\n  Resources:\n    OrdersTable:\n${table(`SSEEnabled: true\nSSEType: kms\nKMSMasterKeyId: ${KEY}`, '        ').replace(/^ {4}/gm, '      ')}`;
    const out = await run(text, 'scan', 'serverless.yml');
    expect(out.tables[0]).toMatchObject({ status: 'aws-managed', fixable: true });
    expect((await run(text, 'fix', 'serverless.yml')).newText).toBe(text.replace('SSEType: kms', 'SSEType: KMS'));
  });
});
