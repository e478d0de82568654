/**
 * Pulumi's AWS Native provider (`@pulumi/aws-native`), a silent miss before: its dynamodb.Table and
 * dynamodb.GlobalTable, under any import name, are read as CDK's CfnTable and CfnGlobalTable are
 * (CloudFormation's sseSpecification, camelCase), reported with a manual step and never fixed.
 * fixtures/typescript/pulumi-aws-native has the statuses.
 */
import { describe, expect, it } from 'vitest';
import { tablesLeftAsWritten } from '../../helpers/unfixed.js';

const fix = tablesLeftAsWritten;

const ARGS = `{ keySchema: [{ attributeName: "id", keyType: "HASH" }], attributeDefinitions: [{ attributeName: "id", attributeType: "S" }] }`;

describe('@pulumi/aws-native tables', () => {
  it('are reported under any import name, not fixable, with the step to take', async () => {
    const tables = await fix(
      'index.ts',
      `import * as awsnative from "@pulumi/aws-native";
import aws_native from "@pulumi/aws-native";
import { dynamodb } from "@pulumi/aws-native";
import { dynamodb as ddb } from "@pulumi/aws-native";
new awsnative.dynamodb.Table("a", ${ARGS});
new aws_native.dynamodb.Table("b", ${ARGS});
new dynamodb.Table("c", ${ARGS});
new ddb.GlobalTable("d", { ${ARGS.slice(1, -1)}, replicas: [{ region: "us-east-1" }] });
`,
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['a', 'aws-native.dynamodb.Table', 'aws-owned', false],
      ['b', 'aws-native.dynamodb.Table', 'aws-owned', false],
      ['c', 'aws-native.dynamodb.Table', 'aws-owned', false],
      ['d', 'aws-native.dynamodb.GlobalTable', 'aws-owned', false],
    ]);
    expect(tables[0].message).toMatch(
      /the table is a resource of Pulumi.s AWS Native provider \(aws-native\), which kmsfix reads but does not fix: .* set its args sseSpecification: \{ sseEnabled: true, sseType: "KMS", kmsMasterKeyId: key\.arn \}$/,
    );
    expect(tables[3].message).toMatch(/kmsfix never half-fixes a global table$/);
  });

  it('options kmsfix cannot read do not change the step (the classic provider fix is not what applies)', async () => {
    const [t] = await fix(
      'index.ts',
      `import * as aws_native from "@pulumi/aws-native";
export function make(opts: any) {
  return new aws_native.dynamodb.Table("a", ${ARGS}, opts);
}
`,
    );
    expect(t).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(t.message).toMatch(/Pulumi's AWS Native provider \(aws-native\)/);
  });

  it('a table class of another package named the same is not one', async () => {
    expect(await fix('index.ts', `import { dynamodb } from "./mine";\nnew dynamodb.Table("a", ${ARGS});\n`)).toEqual([]);
  });
});

describe('CloudFormation-shaped SSE in TypeScript reads sseType as CloudFormation does', () => {
  it('an sseType decided at run time is unknown (CDK CfnTable, a serverless.ts resource)', async () => {
    const [cfn] = await fix(
      'stack.ts',
      `import { aws_dynamodb as dynamodb } from "aws-cdk-lib";
declare const scope: any, keyArn: string, kind: string;
new dynamodb.CfnTable(scope, "T", { keySchema: [], sseSpecification: { sseEnabled: true, sseType: kind, kmsMasterKeyId: keyArn } });
`,
    );
    expect(cfn).toMatchObject({ status: 'unknown', message: expect.stringMatching(/^sseType is kind/) });
    const [sls] = await fix(
      'serverless.ts',
      `declare const kind: string;
export default { service: "s", resources: { Resources: { T: { Type: "AWS::DynamoDB::Table", Properties: { SSESpecification: { SSEEnabled: true, SSEType: kind, KMSMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } } } } } };
`,
    );
    expect(sls).toMatchObject({ status: 'unknown', message: expect.stringMatching(/^SSEType is kind/) });
  });
});
