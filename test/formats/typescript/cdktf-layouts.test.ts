/**
 * CDK for Terraform's AWS provider in layouts kmsfix writes no imports for: @cdktf/provider-aws before
 * its namespaces (every class at the package root) and the bindings `cdktf get` generates into
 * `.gen/providers/aws`. Their tables were a silent miss (0 tables). They are read and reported with
 * their status, not fixed, with the step.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (imports: string, body: string) =>
  `import { Construct } from "constructs";\nimport { TerraformStack } from "cdktf";\n${imports}\n\nexport class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n${body}  }\n}\n`;
const table = (ctor: string, name: string, extra = '') =>
  `    new ${ctor}(this, "${name}", { name: "${name}", hashKey: "id", attribute: [{ name: "id", type: "S" }]${extra} });\n`;

describe('CDKTF tables of other provider layouts', () => {
  it('the root of @cdktf/provider-aws before its namespaces, and every .gen/providers/aws layout: read, not fixed', async () => {
    const files = [
      { path: 'flat.ts', text: stack('import { DynamodbTable } from "@cdktf/provider-aws";', table('DynamodbTable', 'flat')) },
      {
        path: 'gen.ts',
        text: stack(
          [
            'import * as aws from "./.gen/providers/aws";',
            'import { DynamodbTable } from "./.gen/providers/aws/dynamodb-table";',
            'import { dynamodb } from "./.gen/providers/aws";',
          ].join('\n'),
          table('DynamodbTable', 'one', ', serverSideEncryption: { enabled: true }') +
            table('dynamodb.DynamodbTable', 'two') +
            table('aws.dynamodbTable.DynamodbTable', 'three') +
            table('aws.DynamodbTable', 'four'),
        ),
      },
    ];
    const r = await processMemory(files, 'fix', {});
    const tables = r.outcomes.flatMap((o) => o.tables);
    expect(tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['flat', 'aws-owned', false],
      ['one', 'aws-managed', false],
      ['two', 'aws-owned', false],
      ['three', 'aws-owned', false],
      ['four', 'aws-owned', false],
    ]);
    expect(tables[0].blocker).toMatch(
      /^the file imports CDK for Terraform's AWS provider from @cdktf\/provider-aws, a layout kmsfix writes no imports for/,
    );
    expect(tables[1].blocker).toContain('from ./.gen/providers/aws/dynamodb-table,');
    for (const f of files) expect(r.output.get(f.path) ?? f.text).toBe(f.text);
  });

  it('the layouts kmsfix writes stay fixable', async () => {
    const text = stack('import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";', table('DynamodbTable', 'lib'));
    const r = await processMemory([{ path: 'lib.ts', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([['lib', true]]);
  });
});
