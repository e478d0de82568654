/**
 * Pulumi's `aws.dynamodb.GlobalTable` and CDK for Terraform's `DynamodbGlobalTable` are global tables
 * of version 2017.11.29 (Legacy), which take no customer-managed key: the tables they join (`dependsOn`,
 * or the same `name`) are not fixed, as in Terraform (justinvp/templates-aws's GlobalTable example).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PULUMI = `import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const us_east_1 = new aws.Provider("us-east-1", {
    region: "us-east-1",
});
const us_west_2 = new aws.Provider("us-west-2", {
    region: "us-west-2",
});
const us_east_1Table = new aws.dynamodb.Table("us-east-1", {
    attributes: [{
        name: "myAttribute",
        type: "S",
    }],
    hashKey: "myAttribute",
    readCapacity: 1,
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    writeCapacity: 1,
}, { provider: us_east_1 });
const us_west_2Table = new aws.dynamodb.Table("us-west-2", {
    attributes: [{
        name: "myAttribute",
        type: "S",
    }],
    hashKey: "myAttribute",
    readCapacity: 1,
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    writeCapacity: 1,
}, { provider: us_west_2 });
const myTable = new aws.dynamodb.GlobalTable("myTable", {
    replicas: [
        {
            regionName: "us-east-1",
        },
        {
            regionName: "us-west-2",
        },
    ],
}, { provider: us_east_1, dependsOn: [us_east_1Table, us_west_2Table] });

`;

const CDKTF = `import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DynamodbGlobalTable } from "@cdktf/provider-aws/lib/dynamodb-global-table";

class GlobalStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const east = new AwsProvider(this, "aws", { region: "us-east-1" });
    const west = new AwsProvider(this, "west", { region: "us-west-2", alias: "west" });

    const eastTable = new DynamodbTable(this, "myTableEast", {
      name: "myTable",
      hashKey: "myAttribute",
      attribute: [{ name: "myAttribute", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      provider: east,
    });
    const westTable = new DynamodbTable(this, "myTableWest", {
      name: "myTable",
      hashKey: "myAttribute",
      attribute: [{ name: "myAttribute", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      provider: west,
    });

    new DynamodbGlobalTable(this, "myTable", {
      name: "myTable",
      replica: [{ regionName: "us-east-1" }, { regionName: "us-west-2" }],
      provider: east,
      dependsOn: [eastTable, westTable],
    });
  }
}

const app = new App();
new GlobalStack(app, "global");
app.synth();
`;

async function tables(files: { path: string; text: string }[]) {
  const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
  // Fix fixes what scan calls fixable, and nothing else.
  expect(fix.outcomes.flatMap((o) => o.tables).map((t) => t.fixed === true)).toEqual(
    scan.outcomes.flatMap((o) => o.tables).map((t) => t.fixable),
  );
  return scan.outcomes.flatMap((o) => o.tables);
}

describe('a legacy global table of Pulumi or CDK for Terraform joining tables', () => {
  it('Pulumi: the tables its dependsOn names', async () => {
    const found = await tables([
      { path: 'Pulumi.yaml', text: 'name: g\nruntime: nodejs\n' },
      { path: 'package.json', text: '{ "dependencies": { "@pulumi/pulumi": "^3.100.0", "@pulumi/aws": "^6.0.0" } }\n' },
      { path: 'index.ts', text: PULUMI },
    ]);
    expect(found.map((t) => [t.address, t.fixable])).toEqual([
      ['us-east-1', false],
      ['us-west-2', false],
    ]);
    expect(found[0].blocker).toContain(
      'aws.dynamodb.GlobalTable myTable joins it into a global table: a global table of version 2017.11.29',
    );
    expect(found[0].blocker).toContain('in place of the aws.dynamodb.GlobalTable');
  });

  it('CDK for Terraform: by dependsOn, or by the same name alone', async () => {
    const cdktf = (text: string) =>
      tables([
        { path: 'cdktf.json', text: '{"language":"typescript","app":"npx ts-node main.ts"}\n' },
        { path: 'main.ts', text },
      ]);
    for (const text of [CDKTF, CDKTF.replace('      dependsOn: [eastTable, westTable],\n', '')]) {
      const found = await cdktf(text);
      expect(found.map((t) => [t.address, t.fixable])).toEqual([
        ['myTableEast', false],
        ['myTableWest', false],
      ]);
      expect(found[1].blocker).toContain('DynamodbGlobalTable of line 33 joins it into a global table');
    }
    // A table it does not join is fixed as before.
    const other = await cdktf(
      CDKTF.replace('      dependsOn: [eastTable, westTable],\n', '').replace(
        'name: "myTable",\n      replica',
        'name: "other",\n      replica',
      ),
    );
    expect(other.map((t) => t.fixable)).toEqual([true, true]);
  });
});
