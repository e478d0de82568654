/**
 * Tables whose class a TypeScript file binds through `require` or by destructuring a module
 * (go-to-k/cdkd's scripts: `const cdk = require('aws-cdk-lib'); const { aws_dynamodb: dynamodb } = cdk`):
 * they were a silent miss (0 tables); now read, and not fixed (kmsfix writes imports beside `import`
 * declarations), with the step.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = "new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });\n";
const APP = "const app = new App();\nconst s = new Stack(app, 'S');\n";

async function scan(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix');
  return { tables: r.outcomes[0].tables.map((t) => [t.status, t.fixable, t.message]), out: r.outcomes[0].newText };
}

describe('table classes bound by require or by destructuring a module', () => {
  it('require in a .ts file, a destructured require, a destructured import (also through createRequire): read, not fixed', async () => {
    const cases: [string, string][] = [
      [
        "const dynamodb = require('aws-cdk-lib/aws-dynamodb');\nconst { App, Stack } = require('aws-cdk-lib');\n",
        'dynamodb is bound by require(...)',
      ],
      [
        "const cdk = require('aws-cdk-lib');\nconst { App, Stack, aws_dynamodb: dynamodb } = cdk;\n",
        'dynamodb is bound by destructuring a module',
      ],
      [
        "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst cdk = require('aws-cdk-lib');\nconst { App, Stack, aws_dynamodb: dynamodb } = cdk;\n",
        'dynamodb is bound by destructuring a module',
      ],
      [
        "import * as cdk from 'aws-cdk-lib';\nconst { App, Stack, aws_dynamodb: dynamodb } = cdk;\n",
        'dynamodb is bound by destructuring a module',
      ],
    ];
    for (const [head, why] of cases) {
      const r = await scan('app.ts', head + APP + TABLE);
      expect(r.tables, head).toEqual([['aws-owned', false, expect.stringContaining(why)]]);
      expect(r.out, head).toBeUndefined();
    }
    // The same destructuring in JavaScript: read (it was missed), with the JavaScript step.
    const js = await scan('app.js', cases[1][0] + APP + TABLE);
    expect(js.tables).toEqual([['aws-owned', false, expect.stringContaining('the file is JavaScript')]]);
  });

  it('an ES import beside an unrelated require: fixed as before', async () => {
    const head =
      "import { App, Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nconst pkg = require('./package.json');\n";
    const r = await scan('app.ts', head + APP + TABLE);
    expect(r.tables.map((t) => t.slice(0, 2))).toEqual([['aws-owned', true]]);
    expect(r.out).toContain('encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED');
  });

  it("a require binding other names: a subclass's super call (no name to reach its class through) is not said to be bound by it", async () => {
    const text = `import { Construct } from 'constructs';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
const { join } = require('node:path');

export class AuditTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, { partitionKey: { name: join('a', 'b'), type: AttributeType.STRING } });
  }
}
`;
    const r = await scan('audit.ts', text);
    expect(r.tables).toEqual([['aws-owned', false, expect.stringContaining('the table is created through the class AuditTable')]]);
    expect(r.tables[0][2]).not.toContain('bound by');
  });
});
