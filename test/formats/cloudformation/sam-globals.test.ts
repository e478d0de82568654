/**
 * A SimpleTable whose switch and key both come from SAM's Globals.SimpleTable.SSESpecification: the
 * reason names that source once ("decided by X and X" before, src/rule/cmk.ts `through`).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  TableKeyArn:
    Type: String
Globals:
  SimpleTable:
    SSESpecification:
      SSEEnabled: true
      SSEType: KMS
      KMSMasterKeyId: !Ref TableKeyArn
Resources:
  MinimalTable:
    Type: AWS::Serverless::SimpleTable
`;

it('switch and key from Globals: customer-managed, the source named once', async () => {
  const t = (await processMemory([{ path: 'template.yaml', text: TEMPLATE }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe('customer-managed');
  expect(t.reason).toBe('Encrypted with customer-managed key !Ref TableKeyArn, decided by Globals.SimpleTable.SSESpecification');
});

it("Globals apply to a SimpleTable of a template without the Transform line (SAM's translator inputs)", async () => {
  const text = TEMPLATE.replace('Transform: AWS::Serverless-2016-10-31\n', '').replace(
    /      SSEType: KMS\n      KMSMasterKeyId: !Ref TableKeyArn\n/,
    '',
  );
  const t = (await processMemory([{ path: 'template.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe('aws-managed');
  expect(t.reason).toBe('SSE is enabled with no KMSMasterKeyId, decided by Globals.SimpleTable.SSESpecification');
});
