/**
 * A TableV2 in a Construct class of the project (or in a stack a Construct creates), whose file does
 * not show its stack: Region-agnostic when the CDK app gives no stack an env
 * (src/formats/typescript/appEnv.ts). Real code (cursosdevfull's CDK courses): fixed, then
 * `cdk synth` failed with "Replica SSE specification cannot be rendered in a region agnostic stack".
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const CONSTRUCT = `import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class DynamoDB extends Construct {
  public readonly table: dynamodb.TableV2;
  public readonly audit: dynamodb.Table;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'ProductsTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    this.audit = new dynamodb.Table(this, 'AuditTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
  }
}
`;

const STACK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DynamoDB } from './constructs/dynamodb';

export class ApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const { table } = new DynamoDB(this, 'Tables');
    new cdk.CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
`;

const ENTRY = `#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { ApiStack } from '../lib/api-stack';

const app = new cdk.App();
new ApiStack(app, 'ApiStack', {
  /* If you don't specify 'env', this stack will be environment-agnostic. */
  // env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
`;

const project = (over: Record<string, string> = {}): MemoryFile[] =>
  Object.entries({
    'cdk.json': JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' }),
    'bin/app.ts': ENTRY,
    'lib/api-stack.ts': STACK,
    'lib/constructs/dynamodb.ts': CONSTRUCT,
    ...over,
  })
    .filter(([, text]) => text !== '')
    .map(([path, text]) => ({ path, text }));

async function scan(files: MemoryFile[]) {
  const r = await processMemory(files, 'scan');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}

describe('TableV2 whose stack the file does not show: the CDK app gives no stack an env', () => {
  it("a Construct of the project wrapping a TableV2, under cdk init's entry: not fixable, the step says why; a Table is", async () => {
    const t = await scan(project());
    expect(t.ProductsTable.fixable).toBe(false);
    expect(t.ProductsTable.blocker).toBe(
      'its stack is Region-agnostic: the CDK app (bin/app.ts and the files it imports) gives no stack an env, so CDK cannot ' +
        'render TableEncryptionV2.customerManagedKey and the app would no longer synthesize ("Replica SSE specification cannot ' +
        'be rendered in a region agnostic stack"). Give the stack that holds the table env: { region: ... } where it is ' +
        'created (for example process.env.CDK_DEFAULT_REGION), then run kmsfix again',
    );
    expect(t.AuditTable.fixable).toBe(true);
  });

  it('a stack class a Construct creates, in the same file as the table', async () => {
    const grouping = `import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

class TableStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new dynamodb.TableV2(this, 'microservice-table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}

export class Grouping extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new TableStack(this, 'TableStack', { description: 'Stack for the table' });
  }
}
`;
    const entry = `import * as cdk from 'aws-cdk-lib';\nimport { Grouping } from '../lib/grouping';\n\nconst app = new cdk.App();\nnew Grouping(app, 'GroupingConstruct');\n`;
    const t = await scan(
      project({ 'bin/app.ts': entry, 'lib/grouping.ts': grouping, 'lib/api-stack.ts': '', 'lib/constructs/dynamodb.ts': '' }),
    );
    expect(t['microservice-table'].fixable).toBe(false);
    expect(t['microservice-table'].blocker).toContain('the CDK app (bin/app.ts and the files it imports) gives no stack an env');
  });

  it('through a barrel (lib/index.ts re-exporting the stack), and with a variable named env (a stage name, node:process)', async () => {
    const barrel = ENTRY.replace("import { ApiStack } from '../lib/api-stack';", "import { ApiStack } from '../lib';");
    for (const index of ["export * from './api-stack';\n", "export { ApiStack } from './api-stack';\n"]) {
      const t = await scan(project({ 'bin/app.ts': barrel, 'lib/index.ts': index }));
      expect(t.ProductsTable.fixable, index).toBe(false);
    }
    const named = ENTRY.replace(
      'const app = new cdk.App();',
      "import { env as vars } from 'node:process';\nconst app = new cdk.App();\nconst env = app.node.tryGetContext('env') ?? vars.STAGE ?? 'dev';",
    ).replace("new ApiStack(app, 'ApiStack', {", 'new ApiStack(app, `ApiStack-${env}`, {');
    expect((await scan(project({ 'bin/app.ts': named }))).ProductsTable.fixable).toBe(false);
  });

  it('whatever may give a Region, or an app kmsfix cannot read through: fixable, as before', async () => {
    const variants: Record<string, string>[] = [
      // The entry gives the stack a Region.
      { 'bin/app.ts': ENTRY.replace('// env:', 'env:') },
      // The stack class gives itself one.
      { 'lib/api-stack.ts': STACK.replace('super(scope, id, props);', "super(scope, id, { ...props, env: { region: 'eu-west-1' } });") },
      // Props from a JSON configuration, a context value, a function's parameter.
      {
        'bin/app.ts': ENTRY.replace(
          "import { ApiStack } from '../lib/api-stack';",
          "import { ApiStack } from '../lib/api-stack';\nimport config from '../config.json';",
        ).replace(/new ApiStack\(app, 'ApiStack', \{[\s\S]*?\}\);/, "new ApiStack(app, 'ApiStack', config.stackProps);"),
      },
      {
        'bin/app.ts': ENTRY.replace(
          /new ApiStack\(app, 'ApiStack', \{[\s\S]*?\}\);/,
          "new ApiStack(app, 'ApiStack', app.node.tryGetContext('props'));",
        ),
      },
      {
        'bin/app.ts': ENTRY.replace(
          /new ApiStack\(app, 'ApiStack', \{[\s\S]*?\}\);/,
          "function build(scope: cdk.App, props: cdk.StackProps) {\n  new ApiStack(scope, 'ApiStack', props);\n}\nbuild(app, loadProps());\ndeclare function loadProps(): cdk.StackProps;",
        ),
      },
      // A base class of an organisation's package, a Stage of one given as the scope.
      {
        'lib/api-stack.ts': STACK.replace(
          "import * as cdk from 'aws-cdk-lib';",
          "import * as cdk from 'aws-cdk-lib';\nimport { OrgStack } from '@org/cdk';",
        ).replace('extends cdk.Stack', 'extends OrgStack'),
      },
      {
        'bin/app.ts': ENTRY.replace(
          "import { ApiStack } from '../lib/api-stack';",
          "import { ApiStack } from '../lib/api-stack';\nimport { prodStage } from '@org/stages';",
        ).replace("new ApiStack(app, 'ApiStack', {", "new ApiStack(prodStage, 'ApiStack', {"),
      },
      // A Stage of another package as the scope: held in a variable, made inline or by a call; a mixin base class.
      {
        'bin/app.ts': ENTRY.replace(
          "import { ApiStack } from '../lib/api-stack';",
          "import { ApiStack } from '../lib/api-stack';\nimport { ProdStage } from '@org/stages';",
        )
          .replace('const app = new cdk.App();', "const app = new cdk.App();\nconst stage = new ProdStage(app, 'Prod');")
          .replace("new ApiStack(app, 'ApiStack', {", "new ApiStack(stage, 'ApiStack', {"),
      },
      {
        'bin/app.ts': ENTRY.replace(
          "import { ApiStack } from '../lib/api-stack';",
          "import { ApiStack } from '../lib/api-stack';\nimport { stageOf } from '@org/stages';",
        ).replace("new ApiStack(app, 'ApiStack', {", "new ApiStack(stageOf(app), 'ApiStack', {"),
      },
      {
        'lib/api-stack.ts': STACK.replace('extends cdk.Stack', 'extends withTags(cdk.Stack)') + 'declare function withTags<T>(c: T): T;\n',
      },
      // The table's file is not one the entry reaches; an import that names no file of the project.
      { 'lib/api-stack.ts': STACK.replace("import { DynamoDB } from './constructs/dynamodb';", "import { DynamoDB } from '@org/tables';") },
    ];
    for (const over of variants) expect((await scan(project(over))).ProductsTable.fixable, JSON.stringify(over)).toBe(true);
    // An import the app reads no file for: the app-wide rule says nothing, but the stack that creates the Construct is
    // read where the entry creates it, as a stack holding the table itself is (construct-stack.test.ts; since session 61).
    const missing = await scan(project({ 'bin/app.ts': ENTRY.replace("import 'source-map-support/register';", "import './missing';") }));
    expect(missing.ProductsTable.blocker).toContain(
      'its stack is Region-agnostic (DynamoDB (lib/api-stack.ts line 8) in ApiStack, created in bin/app.ts line 7',
    );
  });
});
