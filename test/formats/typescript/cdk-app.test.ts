/**
 * A TableV2 in a stack class the file does not create (`cdk init`: lib/<name>-stack.ts, created in
 * bin/<name>.ts, the file cdk.json's `app` runs): the app's entry tells whether the stack has a
 * Region (src/formats/typescript/cdkApp.ts). A scan says what a fix would do.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { entryOf } from '../../../src/formats/typescript/cdkApp.js';

const STACK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class MyAppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new dynamodb.TableV2(this, 'Events', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new dynamodb.Table(this, 'Audit', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}
`;

const CDK_JSON = JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/my-app.ts' });

/** The entry creating MyAppStack with `creation` (`app` is the App). */
const entry = (creation: string, head = '') =>
  `#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { MyAppStack } from '../lib/my-app-stack';
${head}
const app = new cdk.App();
${creation}
`;

async function scan(files: MemoryFile[]) {
  const r = await processMemory(files, 'scan');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}

const project = (bin: string, extra: MemoryFile[] = [], cdkJson = CDK_JSON): MemoryFile[] => [
  { path: 'cdk.json', text: cdkJson },
  { path: 'bin/my-app.ts', text: bin },
  { path: 'lib/my-app-stack.ts', text: STACK },
  ...extra,
];

describe('TableV2: the stack as the CDK app entry creates it', () => {
  it('cdk init, env commented out: the TableV2 is not fixable, the step names the entry; the Table is', async () => {
    const t = await scan(
      project(
        entry(`new MyAppStack(app, 'MyAppStack', {
  // env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});`),
      ),
    );
    expect(t.Events.fixable).toBe(false);
    expect(t.Events.blocker).toBe(
      'its stack is Region-agnostic (MyAppStack, created in bin/my-app.ts line 7 without env.region, under an App): CDK ' +
        'cannot render TableEncryptionV2.customerManagedKey there and the stack would no longer synthesize ("Replica SSE ' +
        'specification cannot be rendered in a region agnostic stack"). Give the stack env: { region: ... } where it is ' +
        'created (for example process.env.CDK_DEFAULT_REGION), then run kmsfix again',
    );
    expect(t.Audit.fixable).toBe(true);
  });

  it('no props, an App held in a variable of another name, a namespace import: no Region', async () => {
    for (const bin of [
      entry(`new MyAppStack(app, 'MyAppStack');`),
      entry(`const a = app;\nnew MyAppStack(new cdk.App(), 'Other');`),
      "import * as cdk from 'aws-cdk-lib';\nimport * as stacks from '../lib/my-app-stack';\nconst app = new cdk.App();\nnew stacks.MyAppStack(app, 'S', {});\n",
    ])
      expect((await scan(project(bin))).Events.fixable, bin).toBe(false);
  });

  it('a Stage the entry creates without a Region, under the App: not fixable, the step names the Stage', async () => {
    const stage = `class AppStage extends cdk.Stage {
  constructor(scope: cdk.App, id: string, props?: cdk.StageProps) {
    super(scope, id, props);
    new MyAppStack(this, 'Data');
  }
}`;
    for (const bin of [
      entry(`const stage = new cdk.Stage(app, 'Dev');\nnew MyAppStack(stage, 'MyAppStack');`),
      entry(`const stage = new cdk.Stage(app, 'Dev', { env: { account: '111122223333' } });\nnew MyAppStack(stage, 'MyAppStack');`),
      entry(`new AppStage(app, 'Dev');`, stage),
    ]) {
      const t = (await scan(project(bin))).Events;
      expect(t.fixable, bin).toBe(false);
      expect(t.blocker, bin).toMatch(/\(MyAppStack, created in bin\/my-app\.ts line \d+ in a Stage without env\.region, under an App\)/);
      expect(t.blocker, bin).toContain('Give the Stage (or the stack) env: { region: ... } where it is created');
    }
  });

  it('a Region given, or env the entry does not show, or a Stage with a Region between: the TableV2 is fixed as before', async () => {
    for (const bin of [
      entry(
        `new MyAppStack(app, 'MyAppStack', { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } });`,
      ),
      entry(`new MyAppStack(app, 'MyAppStack', { env });`, "const env = { region: 'eu-west-1' };"),
      entry(`new MyAppStack(app, 'MyAppStack', props);`, 'declare const props: cdk.StackProps;'),
      entry(`const stage = new cdk.Stage(app, 'Prod', { env: { region: 'eu-west-1' } });\nnew MyAppStack(stage, 'MyAppStack');`),
      entry(
        `const stage = new cdk.Stage(app, 'Prod', stageProps);\nnew MyAppStack(stage, 'MyAppStack');`,
        'declare const stageProps: cdk.StageProps;',
      ),
      entry(
        `const stage = new cdk.Stage(pipelineScope, 'Prod');\nnew MyAppStack(stage, 'MyAppStack');`,
        'declare const pipelineScope: cdk.Stack;',
      ),
      // The entry creates another stack only (one with a Region: with none anywhere, appEnv.ts's rule decides).
      entry(`new cdk.Stack(app, 'Other', { env: { region: 'eu-west-1' } });`),
      // Another class of the same name.
      "import * as cdk from 'aws-cdk-lib';\nimport { MyAppStack } from './other';\nconst app = new cdk.App();\nnew MyAppStack(app, 'S');\n",
    ])
      expect((await scan(project(bin))).Events.fixable, bin).toBe(true);
  });

  it('one site without a Region among several is enough', async () => {
    const bin = entry(`new MyAppStack(app, 'Prod', { env: { region: 'eu-west-1' } });\nnew MyAppStack(app, 'Dev');`);
    expect((await scan(project(bin))).Events.blocker).toContain('(MyAppStack, created in bin/my-app.ts line 8 without env.region');
  });

  it("the class's own super call gives the Region: fixed", async () => {
    const own = STACK.replace('super(scope, id, props);', "super(scope, id, { ...props, env: { region: 'eu-west-1' } });");
    const files = project(entry(`new MyAppStack(app, 'MyAppStack');`)).map((f) =>
      f.path === 'lib/my-app-stack.ts' ? { ...f, text: own } : f,
    );
    expect((await scan(files)).Events.fixable).toBe(true);
  });

  it('the entry is found through cdk.json: another command, a .js entry read at its .ts, a compiled .js alone', async () => {
    const agnostic = entry(`new MyAppStack(app, 'MyAppStack');`);
    const ts = (cmd: string) => project(agnostic, [], JSON.stringify({ app: cmd }));
    expect((await scan(ts('npx tsx bin/my-app.ts'))).Events.fixable).toBe(false);
    expect((await scan(ts('node bin/my-app.js'))).Events.fixable).toBe(false);
    // The app in a folder of a monorepo: the nearest cdk.json above the table's file.
    const nested = project(agnostic).map((f) => ({ ...f, path: `packages/cdk/${f.path}` }));
    expect((await scan([{ path: 'cdk.json', text: '{"app":"node other.js"}' }, ...nested])).Events.blocker).toContain(
      '(MyAppStack, created in packages/cdk/bin/my-app.ts line 7 without env.region',
    );
    const compiled = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const cdk = require("aws-cdk-lib");
const my_app_stack_1 = require("../lib/my-app-stack");
const app = new cdk.App();
new my_app_stack_1.MyAppStack(app, 'MyAppStack', {});
`;
    const js = [
      { path: 'cdk.json', text: JSON.stringify({ app: 'node bin/my-app.js' }) },
      { path: 'bin/my-app.js', text: compiled },
      { path: 'lib/my-app-stack.ts', text: STACK },
    ];
    expect((await scan(js)).Events.fixable).toBe(false);
  });

  it('no cdk.json, no app command, or an entry that is not there: what the file shows alone (fixed)', async () => {
    const agnostic = entry(`new MyAppStack(app, 'MyAppStack');`);
    expect((await scan(project(agnostic).slice(1))).Events.fixable).toBe(true);
    expect((await scan(project(agnostic, [], '{"context":{}}'))).Events.fixable).toBe(true);
    expect((await scan(project(agnostic, [], JSON.stringify({ app: 'npx ts-node bin/other.ts' })))).Events.fixable).toBe(true);
  });

  it("the app command's one program file", () => {
    expect(entryOf('npx ts-node --prefer-ts-exts bin/my-app.ts')).toBe('bin/my-app.ts');
    expect(entryOf('npx ts-node -P tsconfig.dev.json --prefer-ts-exts src/main.ts')).toBe('src/main.ts');
    expect(entryOf('node -r ts-node/register "bin/app.ts"')).toBe('bin/app.ts');
    expect(entryOf('node ./bin/app.js')).toBe('bin/app.js');
    expect(entryOf('python3 app.py')).toBeUndefined();
    expect(entryOf('node a.js b.js')).toBeUndefined();
  });
});

describe('TableV2: a stack class another stack class creates with its own props (jon-r/stock-service)', () => {
  const parent = (creation: string) => `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MyAppStack } from './my-app-stack';

export class ParentStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    ${creation}
  }
}
`;
  const bin = (env: string) =>
    `import * as cdk from 'aws-cdk-lib';\nimport { ParentStack } from '../lib/parent-stack';\n\nconst app = new cdk.App();\nnew ParentStack(app, 'Parent', {${env}});\n`;
  const files = (creation: string, env = '') => [
    { path: 'cdk.json', text: CDK_JSON },
    { path: 'bin/my-app.ts', text: bin(env) },
    { path: 'lib/parent-stack.ts', text: parent(creation) },
    { path: 'lib/my-app-stack.ts', text: STACK },
  ];

  it('props passed on (as they are, or spread without env), the parent created without a Region: not fixable, naming both', async () => {
    for (const creation of [
      "new MyAppStack(scope, 'Db', props);",
      "const { node } = new MyAppStack(scope, 'Db', { ...props, description: 'db' });",
    ]) {
      const t = await scan(files(creation));
      expect(t.Events.fixable, creation).toBe(false);
      expect(t.Events.blocker).toContain(
        'its stack is Region-agnostic (MyAppStack, created by ParentStack (lib/parent-stack.ts) with its own props, which bin/my-app.ts line 5 creates without env.region',
      );
      expect(t.Audit.fixable).toBe(true);
    }
  });

  it('the parent given a Region, or the child given its own env: fixable, as before', async () => {
    expect((await scan(files("new MyAppStack(scope, 'Db', props);", " env: { region: 'eu-west-1' } "))).Events.fixable).toBe(true);
    const own = "new MyAppStack(scope, 'Db', { ...props, env: { region: 'eu-west-1' } });";
    expect((await scan(files(own))).Events.fixable).toBe(true);
  });
});
