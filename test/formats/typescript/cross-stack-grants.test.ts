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
