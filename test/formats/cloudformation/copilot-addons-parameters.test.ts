/**
 * Copilot's addons.parameters.yml (src/formats/cfn-values/environments.ts copilotParameters): the values the
 * workload's stack passes its addons nested stack. Real-world round 37: a key parameter without a Default that
 * the file sets to `alias/aws/dynamodb` was read customer-managed (exit 0).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const ADDON = `Parameters:
  App:
    Type: String
  Env:
    Type: String
  Name:
    Type: String
  TableKeyArn:
    Type: String
Resources:
  orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: KEY
`;

async function orders(params: Record<string, string>, key = '!Ref TableKeyArn', dir = 'copilot/api/addons') {
  const files = [{ path: `${dir}/orders.yml`, text: ADDON.replace('KEY', key) }];
  for (const [name, text] of Object.entries(params)) files.push({ path: `${dir}/${name}`, text });
  const r = await processMemory(files, 'scan', {});
  const t = r.outcomes.find((o) => o.file.path === `${dir}/orders.yml`)!.tables[0];
  return { status: t.status, reason: t.reason };
}

describe("Copilot's addons.parameters.yml decides an addon's parameters", () => {
  it('none: the Default decides, as before (a parameter without one: customer-managed, as any nested stack)', async () => {
    expect((await orders({})).status).toBe('customer-managed');
  });

  it('a literal AWS managed key: aws-managed, naming the file', async () => {
    const r = await orders({ 'addons.parameters.yml': 'Parameters:\n  TableKeyArn: alias/aws/dynamodb\n' });
    expect(r.status).toBe('aws-managed');
    expect(r.reason).toMatch(/copilot\/api\/addons\/addons\.parameters\.yml \(every Copilot environment: alias\/aws\/dynamodb\)/);
    // .yaml too, and the environment's addons folder.
    const env = await orders(
      { 'addons.parameters.yaml': 'Parameters:\n  TableKeyArn: alias/aws/dynamodb\n' },
      undefined,
      'copilot/environments/addons',
    );
    expect(env.status).toBe('aws-managed');
  });

  it("an expression of the parent stack (`!Ref Env`, `!GetAtt`): unknown, quoting it; App, Env and Name are Copilot's", async () => {
    const r = await orders({ 'addons.parameters.yml': 'Parameters:\n  TableKeyArn: !GetAtt KeyStack.Outputs.Arn\n' });
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(
      /set in copilot\/api\/addons\/addons\.parameters\.yml as `!GetAtt KeyStack\.Outputs\.Arn`, which kmsfix does not evaluate/,
    );
    const env = await orders({ 'addons.parameters.yml': 'Parameters:\n  Other: x\n' }, '!Ref Env');
    expect(env.status).toBe('unknown');
    expect(env.reason).toMatch(/Copilot's addons stack \(the environment's name\)/);
  });

  it('a customer managed key passed: customer-managed; both file names, or no Parameters map: unknown (Copilot refuses it)', async () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect((await orders({ 'addons.parameters.yml': `Parameters:\n  TableKeyArn: ${arn}\n` })).status).toBe('customer-managed');
    const both = { 'addons.parameters.yml': 'Parameters: {}\n', 'addons.parameters.yaml': 'Parameters: {}\n' };
    expect((await orders(both)).status).toBe('unknown');
    expect((await orders({ 'addons.parameters.yml': 'TableKeyArn: alias/aws/dynamodb\n' })).reason).toMatch(/no 'Parameters' map/);
  });
});
