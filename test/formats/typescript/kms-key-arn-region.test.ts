/**
 * --kms-key-arn names one key, in one Region, and a table's key must be in the table's Region: a
 * table whose file writes its Region as another literal is declined with the reason (CDK: `env.region`
 * at every site that creates its stack; CDKTF and Pulumi: the `new` of the provider the table names).
 * Tables whose Region the file does not write are fixed as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', { kmsKeyArn: ARN });
  expect(r.outcomes[0].error).toBeUndefined();
  // A table declined while planning keeps its status; the reason ends its message.
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [
      t.address,
      { fixed: t.fixed === true, declined: t.fixed ? undefined : t.message.split('Not fixable automatically: ')[1] },
    ]),
  );
}

const pk = "{ partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }";
const cdk = (sites: string) => `import { App, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
class Orders extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new dynamodb.TableV2(this, 'Orders', ${pk});
  }
}
const app = new App();
${sites}
`;

describe('--kms-key-arn and the Region a TypeScript file writes for a table', () => {
  it("CDK: a stack created in another Region at any site is declined; every site in the key's Region is fixed", async () => {
    const two = await verdicts(
      'two.ts',
      cdk("new Orders(app, 'East', { env: { region: 'us-east-1' } });\nnew Orders(app, 'West', { env: { region: 'us-west-2' } });"),
    );
    expect(two.Orders).toEqual({
      fixed: false,
      declined:
        "--kms-key-arn names a key in us-east-1, and this table is in us-west-2 (its stack's env.region): a table's key must be in its Region",
    });
    const east = await verdicts('east.ts', cdk("new Orders(app, 'East', { env: { region: 'us-east-1', account: '111122223333' } });"));
    expect(east.Orders).toEqual({ fixed: true, declined: undefined });
    // A Region from a variable, or a stack created in another file: not known, fixed as before.
    const variable = await verdicts('var.ts', cdk("new Orders(app, 'East', { env: { region: process.env.REGION } });"));
    expect(variable.Orders.fixed).toBe(true);
  });

  it('Pulumi and CDKTF: the provider the table names, as the file creates it', async () => {
    const pulumi = await verdicts(
      'index.ts',
      `import * as aws from '@pulumi/aws';
const west = new aws.Provider('west', { region: 'us-west-2' });
const east = new aws.Provider('east', { region: 'us-east-1' });
const args = { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' };
export const a = new aws.dynamodb.Table('a', { ...args }, { provider: west });
export const b = new aws.dynamodb.Table('b', { ...args }, { provider: east });
export const c = new aws.dynamodb.Table('c', { ...args });
`,
    );
    expect(pulumi.a).toEqual({
      fixed: false,
      declined:
        "--kms-key-arn names a key in us-east-1, and this table is in us-west-2 (provider west): a table's key must be in its Region",
    });
    expect(pulumi.b.fixed).toBe(true);
    expect(pulumi.c.fixed).toBe(true);

    const cdktf = await verdicts(
      'main.ts',
      `import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { Construct } from 'constructs';
class S extends TerraformStack {
  private readonly west: AwsProvider;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    this.west = new AwsProvider(this, 'west', { region: 'eu-west-1', alias: 'west' });
    new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], provider: this.west });
    new DynamodbTable(this, 'carts', { name: 'carts', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
  }
}
`,
    );
    expect(cdktf.orders.declined).toBe(
      "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (provider this.west): a table's key must be in its Region",
    );
    expect(cdktf.carts.fixed).toBe(true);
  });
});
