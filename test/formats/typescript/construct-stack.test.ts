/**
 * A TableV2 in a Construct class of the project, whose stacks the CDK app creates: judged by every stack that
 * creates the Construct (src/formats/typescript/stackRegion.ts stackCreators, cdkApp.ts constructStacks), not
 * only by whether the app gives any stack an env. Real-world round 44: `ResourceTable`, a Construct holding a
 * TableV2, created by `AppStack`, which bin/app.ts creates without an env beside a stack that has one: fixed,
 * then `cdk synth` failed with "Replica SSE specification cannot be rendered in a region agnostic stack".
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const CONSTRUCT = `import { aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class ResourceTable extends Construct {
  readonly table: dynamodb.TableV2;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'ResourceTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
  }
}
`;

const STACK = `import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResourceTable } from './resource-table';

export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new ResourceTable(this, 'ResourceTable');
  }
}
`;

const OTHER = `import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class OtherStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
  }
}
`;

const ENTRY = `import { App } from 'aws-cdk-lib';
import { AppStack } from '../lib/app-stack';
import { OtherStack } from '../lib/other-stack';

const app = new App();
new OtherStack(app, 'Other', { env: { region: 'eu-west-1' } });
new AppStack(app, 'AppStack');
`;

/** The construct class in the stack's own file (real-world round 44, F3c). */
const STACK_WITH_CONSTRUCT = `import { Stack, StackProps, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';

class Data extends Construct {
  readonly table: dynamodb.TableV2;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'ResourceTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
  }
}

export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new Data(this, 'Data');
  }
}
`;

const WITH_ENV = ENTRY.replace("new AppStack(app, 'AppStack');", "new AppStack(app, 'AppStack', { env: { region: 'us-east-1' } });");

const project = (over: Record<string, string> = {}): MemoryFile[] =>
  Object.entries({
    'cdk.json': JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' }),
    'bin/app.ts': ENTRY,
    'lib/app-stack.ts': STACK,
    'lib/other-stack.ts': OTHER,
    'lib/resource-table.ts': CONSTRUCT,
    ...over,
  })
    .filter(([, text]) => text !== '')
    .map(([path, text]) => ({ path, text }));

async function scan(files: MemoryFile[]) {
  const r = await processMemory(files, 'scan');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}

const STEP =
  'CDK cannot render TableEncryptionV2.customerManagedKey there and the stack would no longer synthesize ("Replica SSE ' +
  'specification cannot be rendered in a region agnostic stack"). Give the stack env: { region: ... } where it is created ' +
  '(for example process.env.CDK_DEFAULT_REGION), then run kmsfix again';

describe('TableV2 in a Construct class: judged by the stacks that create the Construct', () => {
  it('a Construct of its own file, created by a stack the entry creates without env beside one with env: not fixable', async () => {
    const t = await scan(project());
    expect(t.ResourceTable.fixable).toBe(false);
    expect(t.ResourceTable.blocker).toBe(
      'its stack is Region-agnostic (ResourceTable (lib/app-stack.ts line 8) in AppStack, created in bin/app.ts line 7 ' +
        `without env.region, under an App): ${STEP}`,
    );
  });

  it("a Construct class in the stack's own file, that stack created without env beside one with env: not fixable", async () => {
    const t = await scan(project({ 'lib/app-stack.ts': STACK_WITH_CONSTRUCT, 'lib/resource-table.ts': '' }));
    expect(t.ResourceTable.fixable).toBe(false);
    expect(t.ResourceTable.blocker).toBe(
      `its stack is Region-agnostic (AppStack, created in bin/app.ts line 7 without env.region, under an App): ${STEP}`,
    );
  });

  it('a Construct in a stack the entry holds in a variable, and a one-file app: not fixable', async () => {
    const entry = `import { App, Stack } from 'aws-cdk-lib';
import { ResourceTable } from '../lib/resource-table';

const app = new App();
new Stack(app, 'Other', { env: { region: 'eu-west-1' } });
const stack = new Stack(app, 'Tables');
new ResourceTable(stack, 'ResourceTable');
`;
    const t = await scan(project({ 'bin/app.ts': entry, 'lib/app-stack.ts': '', 'lib/other-stack.ts': '' }));
    expect(t.ResourceTable.fixable).toBe(false);
    expect(t.ResourceTable.blocker).toContain(
      'its stack is Region-agnostic (the stack of ResourceTable (bin/app.ts line 7) without env.region',
    );
    const single = `${STACK_WITH_CONSTRUCT.replace("import { Stack, StackProps, aws_dynamodb as dynamodb } from 'aws-cdk-lib';", "import { App, Stack, StackProps, aws_dynamodb as dynamodb } from 'aws-cdk-lib';")}
const app = new App();
new Stack(app, 'Other', { env: { region: 'eu-west-1' } });
new AppStack(app, 'AppStack');
`;
    const one = await scan(
      project({ 'bin/app.ts': single, 'lib/app-stack.ts': '', 'lib/other-stack.ts': '', 'lib/resource-table.ts': '' }),
    );
    expect(one.ResourceTable.fixable).toBe(false);
  });

  it('a Construct created only by stacks that have env.region: fixed, as before', async () => {
    const variants: Record<string, string>[] = [
      { 'bin/app.ts': WITH_ENV },
      { 'bin/app.ts': WITH_ENV, 'lib/app-stack.ts': STACK_WITH_CONSTRUCT, 'lib/resource-table.ts': '' },
    ];
    for (const over of variants) {
      const files = project(over);
      expect((await scan(files)).ResourceTable.fixable, JSON.stringify(over)).toBe(true);
      const r = await processMemory(files, 'fix');
      const changed = over['lib/resource-table.ts'] === '' ? 'lib/app-stack.ts' : 'lib/resource-table.ts';
      expect(r.output.get(changed)).toContain('TableEncryptionV2.customerManagedKey(');
    }
  });

  it("a unit test's env-less `new Stack()` creating the Construct is not the app's stack: fixed when the app's stacks have env.region", async () => {
    const unit = `import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ResourceTable } from '../lib/resource-table';

test('table', () => {
  const stack = new Stack();
  new ResourceTable(stack, 'ResourceTable');
  Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
});
`;
    for (const at of ['test/resource-table.test.ts', 'lib/resource-table.spec.ts'])
      expect(
        (await scan(project({ 'bin/app.ts': WITH_ENV, [at]: unit.replace('../lib/', at.startsWith('lib/') ? './' : '../lib/') })))
          .ResourceTable.fixable,
        at,
      ).toBe(true);
  });

  it('a Construct of a library (no cdk.json, no stack creating it): fixable, as a TableV2 in a library stack is', async () => {
    const files = [
      { path: 'package.json', text: JSON.stringify({ name: '@acme/constructs', peerDependencies: { 'aws-cdk-lib': '^2.150.0' } }) },
      { path: 'src/resource-table.ts', text: CONSTRUCT },
    ];
    expect((await scan(files)).ResourceTable.fixable).toBe(true);
  });
});
