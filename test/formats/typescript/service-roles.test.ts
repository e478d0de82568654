/**
 * A serverless.ts service's roles granted DynamoDB actions on a table and no KMS action (caution `iam-roles`,
 * src/formats/typescript/serviceRoles.ts, read as a serverless.yml's are: src/formats/cfn-values/iamRoles.ts),
 * named under --key-policy iam (real-world round 39 F1 e). What code computes is not known: a role whose
 * statements it holds is not named.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const SERVICE = (provider: string, functions = "{ create: { handler: 'handler.create' } }", head = '') =>
  `import type { AWS } from '@serverless/typescript';\n${head}\nconst serverlessConfiguration: AWS = {\n  service: 'todos',\n` +
  `  plugins: ['serverless-iam-roles-per-function'],\n  provider: {\n    name: 'aws',\n    environment: { TODOS_TABLE: '\${self:service}-\${sls:stage}' },\n${provider}  },\n` +
  `  functions: ${functions},\n  resources: {\n    Resources: {\n      TodosTable: {\n        Type: 'AWS::DynamoDB::Table',\n` +
  "        Properties: {\n          TableName: '${self:provider.environment.TODOS_TABLE}',\n          BillingMode: 'PAY_PER_REQUEST',\n" +
  "          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],\n        },\n      },\n    },\n  },\n};\n\nmodule.exports = serverlessConfiguration;\n";

const STATEMENTS = (statement: string) =>
  `    iam: {\n      role: {\n        statements: [\n          ${statement},\n        ],\n      },\n    },\n`;
const GETATT = "{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: [{ 'Fn::GetAtt': ['TodosTable', 'Arn'] }] }";

async function named(text: string, mode: 'iam' | 'drop-in' = 'iam') {
  const r = await processMemory([{ path: 'serverless.ts', text }], 'fix', { keyPolicy: mode });
  return r.outcomes[0].tables[0].cautions?.find((c) => c.startsWith('IAM roles: '))?.replace(/ (is|are) granted DynamoDB.*/, '');
}

describe('serverless.ts: the roles its service grants DynamoDB and no KMS action', () => {
  it("provider.iam.role.statements by Fn::GetAtt, and by an ARN written with the TableName's variable", async () => {
    expect(await named(SERVICE(STATEMENTS(GETATT)))).toBe(
      'IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iam.role.statements, serverless.ts:12)',
    );
    const arn =
      "{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: 'arn:aws:dynamodb:${aws:region}:*:table/${self:provider.environment.TODOS_TABLE}' }";
    expect(await named(SERVICE(STATEMENTS(arn)))).toBe(
      'IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iam.role.statements, serverless.ts:12)',
    );
    expect(await named(SERVICE(STATEMENTS(GETATT)), 'drop-in')).toBeUndefined();
  });

  it("serverless-iam-roles-per-function's role of a function, and a statement of a const", async () => {
    const fn = `{ audit: { handler: 'handler.audit', iamRoleStatements: [${GETATT}] } }`;
    expect(await named(SERVICE('', fn))).toBe(
      'IAM roles: with --key-policy iam, AuditIamRoleLambdaExecution (functions.audit.iamRoleStatements, serverless.ts:10)',
    );
    const viaConst = await named(SERVICE(STATEMENTS('tableAccess'), undefined, `const tableAccess = ${GETATT};\n`));
    expect(viaConst).toBe('IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iam.role.statements, serverless.ts:13)');
  });

  it('what code computes names no role: statements spread in, actions from a call, a KMS action', async () => {
    const spread = '    iam: {\n      role: {\n        statements: [...shared, ' + GETATT + '],\n      },\n    },\n';
    expect(await named(SERVICE(spread, undefined, 'declare const shared: object[];\n'))).toBeUndefined();
    const computed = "{ Effect: 'Allow', Action: actions(), Resource: [{ 'Fn::GetAtt': ['TodosTable', 'Arn'] }] }";
    expect(await named(SERVICE(STATEMENTS(computed), undefined, 'declare function actions(): string[];\n'))).toBeUndefined();
    const kms = `${GETATT},\n          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }`;
    expect(await named(SERVICE(STATEMENTS(kms)))).toBeUndefined();
  });
});
