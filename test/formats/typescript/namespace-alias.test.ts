/**
 * The local name of a namespace import a fix adds, in a file written in namespace style: each
 * package by its own name (`cdk`, `aws`, `pulumi`, `cdktf`), numbered when the file already uses it.
 * A CDKTF table whose name is a parameter gets its alias through `Fn.replace` of `cdktf`, which a
 * namespace-style file (`import * as aws from "@cdktf/provider-aws"`) did not import: it was `m`.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const construct = (extra = '') =>
  [
    'import { Construct } from "constructs";',
    'import * as aws from "@cdktf/provider-aws";',
    '',
    'export class MyTable extends Construct {',
    '  constructor(scope: Construct, id: string, tableName: string) {',
    '    super(scope, id);',
    extra,
    '    new aws.dynamodbTable.DynamodbTable(this, "table", {',
    '      name: tableName,',
    '      hashKey: "id",',
    '      attribute: [{ name: "id", type: "S" }],',
    '    });',
    '  }',
    '}',
    '',
  ].join('\n');

async function fixed(text: string): Promise<string> {
  const r = await processMemory([{ path: 'table.ts', text }], 'fix', {});
  expect(r.outcomes[0].tables.map((t) => t.fixed)).toEqual([true]);
  return r.output.get('table.ts') ?? '';
}

describe('namespace imports a fix adds', () => {
  it('CDKTF core in a namespace-style file: `import * as cdktf from "cdktf"`, not `m`', async () => {
    const out = await fixed(construct());
    expect(out).toContain('import * as cdktf from "cdktf";');
    expect(out).toContain('cdktf.Fn.replace(table.name, ".", "-")');
    expect(out).not.toMatch(/\bas m from|\bm\.Fn\b/);
  });

  it('a file that already uses the name `cdktf`: the next free one', async () => {
    const out = await fixed(construct('    const cdktf = id;\n    void cdktf;'));
    expect(out).toContain('import * as cdktf2 from "cdktf";');
    expect(out).toContain('cdktf2.Fn.replace(table.name, ".", "-")');
  });
});

describe("a submodule's own name beside the root's namespace", () => {
  it("`import { aws_dynamodb }` beside `import * as cdk`: the table's binding writes TableEncryption (max-konin/aws-cdk-es-cqrs-demo)", async () => {
    const text = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { aws_dynamodb } from 'aws-cdk-lib';

export class BackendStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws_dynamodb.Table(this, 'EventStore', {
      partitionKey: { name: 'id', type: aws_dynamodb.AttributeType.STRING },
    });
  }
}
`;
    const out = await fixed(text);
    expect(out).toContain('encryption: aws_dynamodb.TableEncryption.CUSTOMER_MANAGED,');
    expect(out).not.toContain('cdk.aws_dynamodb.');
  });
});
