/**
 * No caution for a Cognito identity pool's guest role granted DynamoDB on a table (session 57; session 56 gave one,
 * `Cognito guests`, saying guests would lose access unless Cognito's session policy allowed the key's actions).
 * Cognito's session policy for guests of the enhanced flow, AmazonCognitoUnAuthedIdentitiesSessionPolicy (version 3,
 * November 2024), allows no DynamoDB action, so those guests reach no table before or after a fix; guests of the basic
 * flow get the guest role's credentials with no session policy, which the default key policy lets through DynamoDB
 * as any role of the account (and `--key-policy iam` names the role as any other: `IAM roles`).
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

/** Every caution of each table under a fix, joined. */
async function cautions(text: string, keyPolicy: 'drop-in' | 'iam' = 'drop-in'): Promise<Record<string, string>> {
  const r = await processMemory([{ path: 'template.yaml', text }], 'fix', { keyPolicy });
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, (t.cautions ?? []).join(' | ')]));
}

describe('CloudFormation: a Cognito identity pool whose guest role is granted DynamoDB on a table', () => {
  const open = template([TABLE('Scores'), POOL('true'), GUEST('!GetAtt Scores.Arn'), ATTACH()]);

  it('gives no Cognito caution: the table is fixed as any other, in the default key policy mode', async () => {
    const r = await processMemory([{ path: 'template.yaml', text: open }], 'fix');
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([['Scores', true]]);
    expect((await cautions(open)).Scores).toBe('');
  });

  it('under --key-policy iam the guest role is named as any role granted DynamoDB and no KMS action', async () => {
    expect((await cautions(open, 'iam')).Scores).toMatch(
      /^IAM roles: with --key-policy iam, GuestRole \(template\.yaml:\d+\) is granted DynamoDB and no KMS action/,
    );
  });

  it('the commit message names no Cognito credentials among the session policies', async () => {
    const { commitMessage, commitText } = await import('../../../src/report/commitMessage.js');
    const r = await processMemory([{ path: 'template.yaml', text: open }], 'fix');
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
    expect(m).not.toMatch(/Cognito/i);
    expect(m.replace(/\s+/g, ' ')).toContain(
      'a session policy (sts:AssumeRole with Policy, as tenant-isolation code passes) or a service control policy',
    );
  });
});
