/**
 * Tables reached through an alias made by property access (round 36): `const dynamodb = cdk.aws_dynamodb`
 * (an AWS sample; also inside a factory method), `const { Table } = cdk.aws_dynamodb`, `const Table =
 * aws_dynamodb.Table`, Pulumi's `const ddb = aws.dynamodb`. They were missed without a word (0 tables, exit 0).
 * An alias of an import is fixed, its names written from that import (fixtures/typescript/*-alias); one a
 * function declares aliases there alone; a destructured name, or an alias through a `require`, is read and not fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix');
  return {
    tables: r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixable]),
    out: r.outcomes[0].newText,
    messages: r.outcomes[0].tables.map((t) => t.message),
  };
}

const CDK_HEAD = "import * as cdk from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\n";
const stack = (body: string) =>
  `${CDK_HEAD}export class S extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n${body}  }\n}\n`;

describe('tables reached through an alias made by property access', () => {
  it('each form is read (CDK .ts and CommonJS .js, destructured from a chain, a class alias, Pulumi)', async () => {
    const cases: [string, string, unknown[]][] = [
      [
        'a.ts',
        stack(
          "    const dynamodb = cdk.aws_dynamodb;\n    new dynamodb.Table(this, 'A', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n",
        ),
        ['A', 'aws-owned', true],
      ],
      [
        'b.js',
        "const cdk = require('aws-cdk-lib');\nconst dynamodb = cdk.aws_dynamodb;\nclass B extends cdk.Stack {\n  constructor(s, id) {\n    super(s, id);\n    new dynamodb.Table(this, 'B', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n  }\n}\nmodule.exports = { B };\n",
        ['B', 'aws-owned', false],
      ],
      [
        'c.ts',
        stack(
          "    const { Table, AttributeType } = cdk.aws_dynamodb;\n    new Table(this, 'C', { partitionKey: { name: 'pk', type: AttributeType.STRING } });\n",
        ),
        ['C', 'aws-owned', false],
      ],
      [
        'd.ts',
        "import { aws_dynamodb, Stack } from 'aws-cdk-lib';\nconst Table = aws_dynamodb.Table;\nexport class D extends Stack {\n  constructor() {\n    super();\n    new Table(this, 'D', { partitionKey: { name: 'pk', type: aws_dynamodb.AttributeType.STRING }, encryption: aws_dynamodb.TableEncryption.AWS_MANAGED });\n  }\n}\n",
        ['D', 'aws-managed', true],
      ],
      [
        'e.ts',
        "import * as aws from '@pulumi/aws';\nconst ddb = aws.dynamodb;\nexport const t = new ddb.Table('e', { attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk' });\n",
        ['e', 'aws-owned', true],
      ],
    ];
    for (const [path, text, want] of cases) expect((await scan(path, text)).tables, path).toEqual([want]);
  });

  it("an alias a function declares holds there alone: another method's `dynamodb` is not it", async () => {
    const text = `${CDK_HEAD}import * as other from './other';
export class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.a();
    this.b();
  }
  private a() {
    const dynamodb = cdk.aws_dynamodb;
    return new dynamodb.Table(this, 'Mine', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
  private b() {
    const dynamodb = other;
    return new dynamodb.Table(this, 'NotATable');
  }
}
`;
    expect((await scan('s.ts', text)).tables).toEqual([['Mine', 'aws-owned', true]]);
  });

  it('an alias of a value (`cdk.Aws.REGION`) is not taken as one of a namespace or class', async () => {
    const text = stack(
      "    const dynamodb = cdk.aws_dynamodb;\n    const region = cdk.Aws.REGION;\n    new dynamodb.Table(this, 'A', { partitionKey: { name: region, type: dynamodb.AttributeType.STRING } });\n",
    );
    const r = await scan('a.ts', text);
    expect(r.tables).toEqual([['A', 'aws-owned', true]]);
    expect(r.out).toContain('encryption: cdk.aws_dynamodb.TableEncryption.CUSTOMER_MANAGED');
    expect(r.out).toContain('new cdk.aws_kms.Key(this');
  });

  it('an alias through a name a require binds, or a destructured one: read, not fixed, the step says why', async () => {
    const viaRequire =
      "import { Construct } from 'constructs';\nconst cdk = require('aws-cdk-lib');\nconst dynamodb = cdk.aws_dynamodb;\nexport class S extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new dynamodb.Table(this, 'R', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n  }\n}\n";
    const r = await scan('r.ts', viaRequire);
    expect(r.tables).toEqual([['R', 'aws-owned', false]]);
    expect(r.messages[0]).toContain('dynamodb is bound by an alias of a name bound by require(...) or by destructuring a module');
    expect(r.out).toBeUndefined();
  });
});
