/**
 * The guest roles of a template's Cognito identity pools granted DynamoDB on a table (caution `cognito-guests`,
 * src/formats/cloudformation/cognitoGuests.ts; session 56's deploy review): Cognito limits guest credentials with a
 * session policy of its own, which a key policy cannot lift, so the fix names each such role, in every key policy mode.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = (id: string) =>
  `  ${id}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n` +
  '      AttributeDefinitions:\n        - AttributeName: pk\n          AttributeType: S\n      KeySchema:\n        - AttributeName: pk\n          KeyType: HASH\n';

const POOL = (allow: string) =>
  `  Pool:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      AllowUnauthenticatedIdentities: ${allow}\n`;

const GUEST = (resource: string, kms = '') =>
  '  GuestRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n' +
  '            Principal: {Federated: cognito-identity.amazonaws.com}\n            Action: sts:AssumeRoleWithWebIdentity\n' +
  '      Policies:\n        - PolicyName: scores\n          PolicyDocument:\n            Statement:\n' +
  `              - Effect: Allow\n                Action: [dynamodb:GetItem, dynamodb:PutItem${kms}]\n                Resource: ${resource}\n`;

const ATTACH = (role = 'unauthenticated') =>
  `  Roles:\n    Type: AWS::Cognito::IdentityPoolRoleAttachment\n    Properties:\n      IdentityPoolId: !Ref Pool\n      Roles:\n        ${role}: !GetAtt GuestRole.Arn\n`;

const template = (parts: string[]) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${parts.join('')}`;

/** Each table's `Cognito guests` caution under a fix (undefined: none). */
async function guests(text: string, keyPolicy: 'drop-in' | 'iam' = 'drop-in'): Promise<Record<string, string | undefined>> {
  const r = await processMemory([{ path: 'template.yaml', text }], 'fix', { keyPolicy });
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, t.cautions?.find((c) => c.startsWith('Cognito guests: '))]));
}

describe('CloudFormation: Cognito identity-pool guests granted DynamoDB on a table', () => {
  const open = template([TABLE('Scores'), TABLE('Other'), POOL('true'), GUEST('!GetAtt Scores.Arn'), ATTACH()]);

  it('names the guest role, its pool and its grant, on the table it is granted only, in both key policies', async () => {
    const t = await guests(open);
    expect(t.Scores).toBe(
      'Cognito guests: GuestRole of identity pool Pool (template.yaml:39) is the guest (unauthenticated) role granted DynamoDB on this table: ' +
        'Cognito gives guest credentials a session policy (AmazonCognitoUnAuthedIdentitiesSessionPolicy in the enhanced flow), which must allow ' +
        'kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey on the key or guests lose access ' +
        "to this table; check a guest's reads and writes before deploying",
    );
    expect(t.Other).toBeUndefined();
    expect((await guests(open, 'iam')).Scores).toContain('Cognito guests: GuestRole of identity pool Pool');
    // A role that has KMS actions of its own is still limited by the session policy.
    const kms = template([TABLE('Scores'), POOL('true'), GUEST('!GetAtt Scores.Arn', ', kms:Decrypt'), ATTACH()]);
    expect((await guests(kms)).Scores).toContain('GuestRole of identity pool Pool');
  });

  it('the commit message says it once, with the table', async () => {
    const { commitMessage, commitText } = await import('../../../src/report/commitMessage.js');
    const r = await processMemory([{ path: 'template.yaml', text: open }], 'fix');
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    expect(m.split('* Cognito guests: GuestRole of identity pool Pool (template.yaml:39)').length).toBe(2);
    expect(m).toContain("check a guest's reads and writes before deploying (Scores).");
  });

  it('says nothing without unauthenticated identities, for the authenticated role, or with no DynamoDB grant on the table', async () => {
    expect((await guests(template([TABLE('Scores'), POOL('false'), GUEST('!GetAtt Scores.Arn'), ATTACH()]))).Scores).toBeUndefined();
    expect(
      (await guests(template([TABLE('Scores'), POOL('true'), GUEST('!GetAtt Scores.Arn'), ATTACH('authenticated')]))).Scores,
    ).toBeUndefined();
    expect((await guests(template([TABLE('Scores'), POOL('true'), GUEST("'arn:aws:s3:::bucket/*'"), ATTACH()]))).Scores).toBeUndefined();
  });
});
