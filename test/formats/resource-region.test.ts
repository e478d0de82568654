/**
 * A table that sets its own Region (Pulumi AWS 7's `region` property, CDKTF on hashicorp/aws 6) is in
 * that Region, not its provider's: a key kmsfix creates through the provider, with a policy naming
 * the provider's Region, would be refused by DynamoDB at deploy. Pulumi YAML, Pulumi TypeScript and
 * CDKTF tables with a `region` are reported, not fixed, with the step. (Terraform follows the
 * argument: test/formats/terraform/placement.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function fixed(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix');
  expect(r.outcomes[0].error).toBeUndefined();
  return { output: r.output.get(path), tables: Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, t])) };
}

const STEP = "and kmsfix would create its key, and the Region its key policy names, in its provider's Region";

describe("a table in a Region of its own is not given a key of its provider's Region", () => {
  it('Pulumi YAML: region is a blocker; region: null is not', async () => {
    const table = (name: string, region: string) =>
      `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n${region}      billingMode: PAY_PER_REQUEST\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n`;
    const text = `name: orders\nruntime: yaml\nresources:\n${table('orders', '      region: eu-west-2\n')}${table('events', '      region: null\n')}`;
    const r = await fixed('Pulumi.yaml', text);
    expect(r.tables.orders.fixed).toBeFalsy();
    expect(r.tables.orders.blocker).toContain(`the table sets its own Region (region: eu-west-2), ${STEP}`);
    expect(r.tables.events.fixed).toBe(true);
  });

  it('Pulumi TypeScript: region is a blocker; region: undefined is not', async () => {
    const text =
      "import * as aws from '@pulumi/aws';\n\n" +
      "export const orders = new aws.dynamodb.Table('orders', {\n  region: 'eu-west-2',\n  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n});\n\n" +
      "export const events = new aws.dynamodb.Table('events', {\n  region: undefined,\n  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n});\n";
    const r = await fixed('index.ts', text);
    expect(r.tables.orders.fixed).toBeFalsy();
    expect(r.tables.orders.blocker).toContain(`the table sets its own Region (region: 'eu-west-2'), ${STEP}`);
    expect(r.tables.events.fixed).toBe(true);
  });

  it('CDKTF: region in the config is a blocker', async () => {
    const text =
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\n" +
      "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\n" +
      'export class Stack extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    new DynamodbTable(this, 'orders', {\n      region: props.region,\n      name: 'orders',\n      hashKey: 'id',\n      attribute: [{ name: 'id', type: 'S' }],\n    });\n  }\n}\n";
    const r = await fixed('main.ts', text);
    expect(r.tables.orders.fixed).toBeFalsy();
    expect(r.tables.orders.blocker).toContain(`the table sets its own Region (region: props.region), ${STEP}`);
    expect(r.output).toBe(text);
  });
});
