/**
 * CDK, CDKTF, Pulumi and SST programs written in JavaScript (src/formats/typescript/javascript.ts), a
 * silent miss before (a `cdk init --language javascript` app or an SST v2 app scanned clean): read
 * through ES imports or `require`, reported with the step, never fixed. A compiler's output is not
 * read (beside its source: discovery; elsewhere: by what the compiler writes), nor a JavaScript
 * file's CloudFormation resources other than a serverless.js's. The fixture
 * fixtures/typescript/javascript-programs holds one program of each framework.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';
import { discover } from '../../../src/io/discover.js';
import { tablesLeftAsWritten } from '../../helpers/unfixed.js';

const stack = (imports: string, body: string) => `${imports}

class OrdersStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
${body}
  }
}

module.exports = { OrdersStack };
`;

describe('JavaScript programs', () => {
  it('require forms: a namespace, destructured names (renamed too), a member; reported, never fixed, with the step', async () => {
    const tables = await tablesLeftAsWritten(
      'lib/orders-stack.js',
      stack(
        `const { Stack, aws_dynamodb: ddb } = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const CfnTable = require('aws-cdk-lib/aws-dynamodb').CfnTable;
const { TableV2 } = require('aws-cdk-lib/aws-dynamodb');`,
        `    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new ddb.Table(this, 'Carts', { partitionKey: { name: 'id', type: ddb.AttributeType.STRING } });
    new CfnTable(this, 'Raw', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }] });
    new TableV2(this, 'Audit', { partitionKey: { name: 'id', type: ddb.AttributeType.STRING } });`,
      ),
    );
    expect(tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['Orders', 'aws-owned', false],
      ['Carts', 'aws-owned', false],
      ['Raw', 'aws-owned', false],
      ['Audit', 'aws-owned', false],
    ]);
    expect(tables[0].message).toContain(
      'Not fixable automatically: the file is JavaScript, which kmsfix reads but does not rewrite (it rewrites TypeScript files and serverless.js)',
    );
    expect(tables[0].message).toContain('`encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key`');
    expect(tables[2].message).toContain("`sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: key.keyArn }`");
    expect(tables[3].message).toContain('`encryption: TableEncryptionV2.customerManagedKey(key)`');
  });

  it("a compiler's output is not read; a JavaScript file's CloudFormation resources are, fixed in a serverless.js only", async () => {
    const compiled = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const dynamodb = require("aws-cdk-lib/aws-dynamodb");
new dynamodb.Table(this, "Orders", {});
`;
    const resources = `module.exports = { Resources: { Orders: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };\n`;
    // A file of Resources a serverless.yml includes (\`- \${file(resources/tables.js)}\`), which the Framework runs.
    const included = `module.exports = () => ({\n  Resources: { Carts: { Type: 'AWS::DynamoDB::Table', Properties: {} } },\n});\n`;
    const r = await processMemory(
      [
        { path: 'dist/stack.js', text: compiled },
        { path: 'resources/tables.js', text: included },
        { path: 'serverless.js', text: `module.exports = { service: 's', resources: ${resources.slice(17, -2)} };\n` },
      ],
      'scan',
    );
    expect(r.outcomes.map((o) => [o.file.path, o.error, o.tables.map((t) => [t.address, t.status, t.fixable])])).toEqual([
      ['dist/stack.js', undefined, []],
      ['resources/tables.js', undefined, [['Carts', 'aws-owned', false]]],
      ['serverless.js', undefined, [['Orders', 'aws-owned', true]]],
    ]);
    expect(r.outcomes[1].tables[0].message).toContain(
      "as kmsfix writes it in a serverless.js: `SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['<Table>Key', 'Arn'] } }`",
    );
  });

  it('discovery leaves out a JavaScript file beside a TypeScript file of the same name (tsc compiles in place)', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'kmsfix-js-'));
    try {
      const files = ['lib/stack.ts', 'lib/stack.js', 'lib/app.mts', 'lib/app.mjs', 'lib/lambda.cts', 'lib/lambda.cjs'];
      files.push('lib/view.tsx', 'lib/view.js', 'lib/page.tsx', 'lib/page.jsx', 'lib/other.js', 'lib/other.jsx');
      for (const f of files) {
        mkdirSync(path.join(base, path.dirname(f)), { recursive: true });
        writeFileSync(path.join(base, f), '\n');
      }
      const { candidates } = await discover(['.'], base, typescriptEntry.accepts);
      // `"jsx": "preserve"` compiles page.tsx to page.jsx; other.jsx has no source beside it.
      expect(candidates.map((c) => c.path)).toEqual([
        'lib/app.mts',
        'lib/lambda.cts',
        'lib/other.js',
        'lib/other.jsx',
        'lib/page.tsx',
        'lib/stack.ts',
        'lib/view.tsx',
      ]);
      // Named on the command line, it is read.
      const named = await discover(['lib/stack.js'], base, typescriptEntry.accepts);
      expect(named.candidates.map((c) => c.path)).toEqual(['lib/stack.js']);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
