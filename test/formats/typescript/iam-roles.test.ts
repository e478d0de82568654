/**
 * AWS CDK: the roles an explicit statement grants DynamoDB actions on a table and no KMS action (caution
 * `iam-roles`, src/formats/typescript/iamRoles.ts), named under --key-policy iam. A role the table's own
 * grant reaches (`table.grantReadData(fn)`, which grants the new key too) is not named, nor any role of a
 * file that names a KMS action.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const STACK = (body: string) =>
  "import * as cdk from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as iam from 'aws-cdk-lib/aws-iam';\n" +
  "import * as lambda from 'aws-cdk-lib/aws-lambda';\n\nexport class AppStack extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n" +
  "    super(scope, id);\n    const table = new dynamodb.Table(this, 'Orders', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n    });\n" +
  "    const fn = new lambda.Function(this, 'Fn', {\n      runtime: lambda.Runtime.NODEJS_20_X,\n      handler: 'index.handler',\n      code: lambda.Code.fromInline('x'),\n    });\n" +
  `${body}  }\n}\n`;

const STATEMENT =
  "    fn.addToRolePolicy(\n      new iam.PolicyStatement({\n        actions: ['dynamodb:GetItem', 'dynamodb:Query'],\n        resources: [table.tableArn, `${table.tableArn}/index/*`],\n      }),\n    );\n";

async function named(text: string, mode: 'iam' | 'drop-in' = 'iam') {
  const r = await processMemory([{ path: 'lib/app-stack.ts', text }], 'fix', { keyPolicy: mode });
  return r.outcomes[0].tables[0].cautions?.find((c) => c.startsWith('IAM roles: '))?.replace(/ (is|are) granted DynamoDB.*/, '');
}

describe('AWS CDK: roles granted DynamoDB by an explicit statement and no KMS action', () => {
  it('a statement added to a function role, named with file:line', async () => {
    expect(await named(STACK(STATEMENT))).toBe('IAM roles: with --key-policy iam, fn (app-stack.ts:18)');
  });

  it('the default key policy says nothing', async () => {
    expect(await named(STACK(STATEMENT), 'drop-in')).toBeUndefined();
  });

  it("a role the table's grant reaches, or a file with a KMS action, names none", async () => {
    expect(await named(STACK(`${STATEMENT}    table.grantReadData(fn);\n`))).toBeUndefined();
    expect(
      await named(STACK(`${STATEMENT}    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));\n`)),
    ).toBeUndefined();
  });
});
