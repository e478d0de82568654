/**
 * A table's key read from an input the program declares with a default, or given as the fallback of a value the
 * program may leave unset (src/formats/typescript/inputDefaults.ts, awsManagedKey.ts). Real-world round 32: a CDK
 * `CfnParameter` and a CDKTF `TerraformVariable` whose default is the AWS managed key's alias ARN, and CDK's
 * `tryGetContext(...) ?? <that ARN>`, were each read as a customer-managed key (exit 0), though the same input in a
 * CloudFormation template (`!Ref` with a Default) or in HCL (`var.x` with a default) is aws-managed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const MANAGED_ARN = 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const cdk = (pre: string, table: string) => `import { CfnParameter, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class DataStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
${pre}
    ${table}
  }
}
`;

const param = (dflt?: string) =>
  `    const keyArn = new CfnParameter(this, 'TableKeyArn', { type: 'String'${dflt === undefined ? '' : `, default: '${dflt}'`} });`;

const table = (key: string) => `new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: ${key},
    });`;

const tableV2 = (key: string) => `new dynamodb.TableV2(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(${key}),
    });`;

const cfnTable = (key: string) => `new dynamodb.CfnTable(this, 'Orders', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ${key} },
    });`;

const cdktf = (variable: string, key: string) => `import { Construct } from 'constructs';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const tableKey = new TerraformVariable(this, 'tableKey', { type: 'string'${variable} });
    new DynamodbTable(this, 'orders', {
      name: 'orders',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
    });
  }
}
const app = new App();
new MyStack(app, 'app');
app.synth();
`;

async function scan(path: string, text: string, options = {}) {
  const r = await processMemory([{ path, text }], 'scan', options);
  const [t] = r.outcomes[0].tables;
  return { status: t.status, fixable: t.fixable, reason: t.reason, blocker: t.blocker };
}

const fixed = async (path: string, text: string, options = {}) => (await processMemory([{ path, text }], 'fix', options)).output.get(path)!;

describe("AWS CDK: a CfnParameter's default decides, as the synthesized template's !Ref does", () => {
  it('Table: Key.fromKeyArn(this, id, param.valueAsString), default the AWS managed key: aws-managed, left to the parameter', async () => {
    const code = cdk(param(MANAGED_ARN), table("kms.Key.fromKeyArn(this, 'TableKey', keyArn.valueAsString)"));
    const r = await scan('lib/stack.ts', code);
    expect([r.status, r.fixable]).toEqual(['aws-managed', false]);
    expect(r.reason).toContain(`decided by parameter TableKeyArn's default (${MANAGED_ARN})`);
    expect(r.blocker).toMatch(/--fix-parameterised/);
    expect(await fixed('lib/stack.ts', code)).toBe(code);
    // --fix-parameterised: the table gets a key of its own, as a template's table does.
    expect((await scan('lib/stack.ts', code, { fixParameterised: true })).fixable).toBe(true);
    const out = await fixed('lib/stack.ts', code, { fixParameterised: true });
    expect(out).toContain('encryptionKey: ordersKey,');
    expect(out).toContain('enableKeyRotation: true');
  });

  it("TableV2: customerManagedKey(Key.fromKeyArn(..., Fn.ref('TableKeyArn'))), Alias.fromAliasName of Token.asString(param.value)", async () => {
    for (const key of [
      "kms.Key.fromKeyArn(this, 'TableKey', Fn.ref('TableKeyArn'))",
      "kms.Key.fromKeyArn(this, 'TableKey', keyArn.valueAsString)",
    ]) {
      const r = await scan('lib/stack.ts', cdk(param(MANAGED_ARN), tableV2(key)));
      expect([r.status, r.fixable], key).toEqual(['aws-managed', false]);
      expect(r.reason, key).toContain("parameter TableKeyArn's default");
    }
    const alias = await scan(
      'lib/stack.ts',
      cdk(param('alias/aws/dynamodb'), table("kms.Alias.fromAliasName(this, 'TableKey', Token.asString(keyArn.value))")),
    );
    expect(alias.status).toBe('aws-managed');
  });

  it('CfnTable: kmsMasterKeyId: param.valueAsString', async () => {
    const r = await scan('lib/stack.ts', cdk(param(MANAGED_ARN), cfnTable('keyArn.valueAsString')));
    expect([r.status, r.fixable]).toEqual(['aws-managed', false]);
    expect(r.reason).toContain("parameter TableKeyArn's default");
  });

  it('a default that is a key, or no default (decided at deploy time, as a template parameter without a Default): customer-managed', async () => {
    for (const dflt of [KEY_ARN, undefined]) {
      for (const t of [table("kms.Key.fromKeyArn(this, 'TableKey', keyArn.valueAsString)"), cfnTable('keyArn.valueAsString')]) {
        expect((await scan('lib/stack.ts', cdk(param(dflt), t))).status, `${dflt} ${t}`).toBe('customer-managed');
      }
    }
  });
});

describe("CDK for Terraform: a TerraformVariable's default decides, as a root module's variable default does", () => {
  it('kmsKeyArn: tableKey.stringValue (and .value), default the AWS managed key: aws-managed, fixed', async () => {
    for (const read of ['tableKey.stringValue', 'tableKey.value']) {
      const code = cdktf(`, default: '${MANAGED_ARN}'`, read);
      const r = await scan('main.ts', code);
      expect([r.status, r.fixable], read).toEqual(['aws-managed', true]);
      expect(r.reason, read).toContain(`kmsKeyArn is ${read} (tableKey defaults to '${MANAGED_ARN}' (main.ts:10))`);
      expect(await fixed('main.ts', code), read).toContain('kmsKeyArn: ordersKey.arn');
    }
  });

  it('a default that is a key, or no default: customer-managed', async () => {
    for (const variable of [`, default: '${KEY_ARN}'`, '']) {
      expect((await scan('main.ts', cdktf(variable, 'tableKey.stringValue'))).status, variable).toBe('customer-managed');
    }
  });
});

describe('a fallback that is the AWS managed key, of a value the code may leave unset', () => {
  const context = (fallback: string) => `    const tableKeyArn: string = this.node.tryGetContext('tableKeyArn') ?? '${fallback}';`;

  it("CDK: tryGetContext('tableKeyArn') ?? <the alias ARN> (the context may be set by -c): unknown, naming the fallback", async () => {
    const code = cdk(context(MANAGED_ARN), table("kms.Key.fromKeyArn(this, 'TableKey', tableKeyArn)"));
    const r = await scan('lib/stack.ts', code);
    expect([r.status, r.fixable]).toEqual(['unknown', false]);
    expect(r.reason).toContain(`the key is the AWS managed key ('${MANAGED_ARN}') where the context does not set tableKeyArn`);
    expect(r.reason).toContain('-c tableKeyArn=...');
    expect(
      (await scan('lib/stack.ts', cdk(context(MANAGED_ARN), tableV2("kms.Key.fromKeyArn(this, 'TableKey', tableKeyArn)")))).status,
    ).toBe('unknown');
    expect((await scan('lib/stack.ts', cdk(context(MANAGED_ARN), cfnTable('tableKeyArn')))).status).toBe('unknown');
  });

  it('a fallback that is a key: customer-managed; a literal before `??` is the value (the fallback unused)', async () => {
    expect((await scan('lib/stack.ts', cdk(context(KEY_ARN), table("kms.Key.fromKeyArn(this, 'TableKey', tableKeyArn)")))).status).toBe(
      'customer-managed',
    );
    const literal = `    const tableKeyArn: string = '${KEY_ARN}' ?? '${MANAGED_ARN}';`;
    expect((await scan('lib/stack.ts', cdk(literal, table("kms.Key.fromKeyArn(this, 'TableKey', tableKeyArn)")))).status).toBe(
      'customer-managed',
    );
  });
});
