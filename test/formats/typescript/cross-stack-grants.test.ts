/**
 * Under --key-policy iam, an AWS CDK table another stack of its folder grants on (src/formats/typescript/crossStackGrants.ts).
 * Session 59's deploy review, F2: CDK writes the grant, key included, into the grantee's stack, which deploys after the
 * table's; in between, the grantee's roles are denied the key only IAM opens. Declined for iam mode; fixed by default.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const DB = `import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class StoreStack extends Stack {
  public readonly invoices: dynamodb.Table;
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.invoices = new dynamodb.Table(this, 'Invoices', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
  }
}
`;

const consumer = (grant: string) => `import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export interface WorkerProps extends StackProps { ledger: dynamodb.ITable }
export class WorkerStack extends Stack {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props);
    const worker = new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('src'),
    });
    ${grant}
  }
}
`;

const ENTRY = `import { App } from 'aws-cdk-lib';
import { StoreStack } from '../lib/store-stack';
import { WorkerStack } from '../lib/worker-stack';
const app = new App();
const env = { account: '111122223333', region: 'eu-central-1' };
const store = new StoreStack(app, 'Store', { env });
new WorkerStack(app, 'Worker', { env, ledger: store.invoices });
`;

const project = (grant: string): MemoryFile[] => [
  { path: 'cdk.json', text: JSON.stringify({ app: 'npx ts-node bin/app.ts' }) },
  { path: 'bin/app.ts', text: ENTRY },
  { path: 'lib/store-stack.ts', text: DB },
  { path: 'lib/worker-stack.ts', text: consumer(grant) },
];

async function invoices(files: MemoryFile[], keyPolicy?: 'iam') {
  const r = await processMemory(files, 'fix', keyPolicy ? { keyPolicy } : {});
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'Invoices')!;
}

describe('--key-policy iam: a CDK table another stack grants on', () => {
  it('declined for iam mode, the step naming the stack and the default key policy first', async () => {
    const t = await invoices(project('props.ledger.grantReadWriteData(worker);'), 'iam');
    expect(t.fixable).toBe(false);
    expect(t.blocker).toBe(
      "with --key-policy iam, the grants on this table that worker-stack.ts makes go, with the key's, into that stack, which deploys after this one: " +
        "until it does, its roles are denied the table's key. Fix it with the default key policy (drop-in) first and move to iam in a later change, " +
        'once those stacks have deployed the grants',
    );
  });

  it('fixed with the default key policy; and under iam where no other stack grants on it', async () => {
    expect((await invoices(project('props.ledger.grantReadWriteData(worker);'))).fixable).toBe(true);
    // The consumer only reads the name: no grant.
    expect((await invoices(project("worker.addEnvironment('TABLE', props.ledger.tableName);"), 'iam')).fixable).toBe(true);
    // A stack's grant on a table of its own is in its own template.
    expect((await invoices(project('this.ledger?.grantReadData(worker);'), 'iam')).fixable).toBe(true);
  });

  // Adversarial pass 2 of session 59, F3: the prop taken out first, as most stacks write it.
  it('declined where the grantee takes the prop out first; not where it grants on a table it makes', async () => {
    expect((await invoices(project('const { ledger } = props;\n    ledger.grantReadWriteData(worker);'), 'iam')).fixable).toBe(false);
    expect((await invoices(project('const ledger = props.ledger;\n    ledger.grantReadData(worker);'), 'iam')).fixable).toBe(false);
    const own =
      "const ledger = new dynamodb.Table(this, 'Own', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n    ledger.grantReadData(worker);";
    expect((await invoices(project(own), 'iam')).fixable).toBe(true);
  });
});

// Session 65's deploy review (CDK/Pulumi/Serverless/SST): a stack that imports the table by its name knows no key, so its
// grants give no KMS action at all (aws-cdk-lib 2.278 synth: no kms: statement in its policy).
describe('--key-policy iam: a CDK table another stack imports by its name and grants on', () => {
  const named = (files: MemoryFile[]) =>
    files.map((f) =>
      f.path === 'lib/store-stack.ts'
        ? { ...f, text: f.text.replace("this, 'Invoices', {", "this, 'Invoices', {\n      tableName: 'invoices',") }
        : f,
    );
  const imported = (line: string) => named(project(`${line}\n    byName.grantReadData(worker);`));

  it.each([
    ["const byName = dynamodb.Table.fromTableName(this, 'Ledger', 'invoices');"],
    [
      "const byName = dynamodb.Table.fromTableArn(\n      this,\n      'Ledger',\n      `arn:aws:dynamodb:${this.region}:${this.account}:table/invoices`,\n    );",
    ],
    ["const byName = dynamodb.Table.fromTableAttributes(this, 'Ledger', { tableName: 'invoices' });"],
  ])('declined for iam mode: %s', async (line) => {
    const t = await invoices(imported(line), 'iam');
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain("worker-stack.ts imports this table by its name 'invoices'");
    expect(t.blocker).toContain('an imported table knows no key, so those grants give no KMS action');
  });

  it('fixed with the default key policy, and where the import gives the key, names another table or grants nothing', async () => {
    expect((await invoices(imported("const byName = dynamodb.Table.fromTableName(this, 'Ledger', 'invoices');"))).fixable).toBe(true);
    const keyed = "const byName = dynamodb.Table.fromTableAttributes(this, 'Ledger', { tableName: 'invoices', encryptionKey: props.key });";
    expect((await invoices(imported(keyed), 'iam')).fixable).toBe(true);
    expect(
      (await invoices(imported("const byName = dynamodb.Table.fromTableName(this, 'Ledger', 'invoices-archive');"), 'iam')).fixable,
    ).toBe(true);
    const readOnly = named(
      project(
        "const byName = dynamodb.Table.fromTableName(this, 'Ledger', 'invoices');\n    worker.addEnvironment('T', byName.tableName);",
      ),
    );
    expect((await invoices(readOnly, 'iam')).fixable).toBe(true);
  });
});
