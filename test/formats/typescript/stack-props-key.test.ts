/**
 * A key a CDK stack takes in its props (`Key.fromKeyArn(this, 'K', props.keyArn)`, `Alias.fromAliasName(this, 'A',
 * props.keyAlias)`), read where the app's entry (the file cdk.json's `app` runs) creates the stack
 * (src/formats/typescript/stackProps.ts). Adversarial pass s61 M2: the entry passed the AWS managed key's alias ARN as
 * a literal and the table was reported customer-managed.
 */
import { describe, expect, it } from 'vitest';
import { type MemoryFile, processMemory } from '../../../src/engine/memory.js';
import { detectTypeScript } from '../../../src/formats/typescript/detect.js';

const MANAGED = 'arn:aws:kms:us-east-1:111111111111:alias/aws/dynamodb';
const OWN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111';

const STACK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';

export interface DataProps extends cdk.StackProps {
  keyArn: string;
  keyAlias?: string;
}

export class DataStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id, props);
    new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryptionKey: kms.Key.fromKeyArn(this, 'K', props.keyArn),
    });
  }
}
`;

const entry = (body: string) => `import * as cdk from 'aws-cdk-lib';
import { DataStack } from '../lib/data-stack';
const app = new cdk.App();
${body}
`;

const project = (bin: string, stack = STACK): MemoryFile[] => [
  { path: 'cdk.json', text: JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' }) },
  { path: 'bin/app.ts', text: bin },
  { path: 'lib/data-stack.ts', text: stack },
];

async function orders(files: MemoryFile[]) {
  const r = await processMemory(files, 'scan');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'Orders');
  expect(t).toBeDefined();
  return t!;
}

describe("a key taken from the stack's props: what the app's entry passes", () => {
  it('every creation the entry shows passes the AWS managed key (a literal, a const of the entry): unknown, naming them (a Stage may create the class with another key)', async () => {
    const t = await orders(
      project(
        entry(`const managed = '${MANAGED}';
new DataStack(app, 'Prod', { env: { region: 'us-east-1' }, keyArn: '${MANAGED}' });
new DataStack(app, 'Dev', { env: { region: 'us-east-1' }, keyArn: managed });`),
      ),
    );
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain(
      `bin/app.ts line 5 creates DataStack with keyArn ${MANAGED}, bin/app.ts line 6 creates DataStack with keyArn`,
    );
    expect(t.reason).toContain("(the entry's creations; a Stage or another stack may create DataStack with another key)");
  });

  it('some creations pass it: unknown, naming the creation that does and the one that does not', async () => {
    const t = await orders(
      project(
        entry(`new DataStack(app, 'Prod', { keyArn: '${MANAGED}' });
new DataStack(app, 'Dev', { keyArn: '${OWN}' });`),
      ),
    );
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toBe(
      `the key is the AWS managed key where bin/app.ts line 4 creates DataStack with keyArn ${MANAGED}, not where bin/app.ts line 5 creates it`,
    );
  });

  it('an alias a prop names (Alias.fromAliasName(this, "A", props.keyAlias)) given alias/aws/dynamodb: unknown', async () => {
    const stack = STACK.replace("kms.Key.fromKeyArn(this, 'K', props.keyArn)", "kms.Alias.fromAliasName(this, 'A', props.keyAlias!)");
    expect(stack).toContain('props.keyAlias!');
    const t = await orders(project(entry(`new DataStack(app, 'Prod', { keyArn: '', keyAlias: 'alias/aws/dynamodb' });`), stack));
    expect(t.status).toBe('unknown');
    expect(t.reason).toContain("creates DataStack with keyAlias alias/aws/dynamodb (the entry's creations;");
  });

  it('as before: a key of the account, a value kmsfix cannot read (a spread after it, a loop), no creation', async () => {
    for (const body of [
      `new DataStack(app, 'Prod', { keyArn: '${OWN}' });`,
      `const base = { keyArn: '${OWN}' };\nnew DataStack(app, 'Prod', { keyArn: '${MANAGED}', ...base });`,
      `for (const keyArn of ['${MANAGED}', '${OWN}']) new DataStack(app, keyArn, { keyArn });`,
      `new cdk.Stack(app, 'Other');`,
    ])
      expect((await orders(project(entry(body)))).status).toBe('customer-managed');
  });

  it('the entry is read for a key taken from props only', () => {
    const wants = (text: string) => detectTypeScript({ path: 'lib/data-stack.ts', absPath: 'lib/data-stack.ts', text }).wants ?? [];
    expect(wants(STACK)).toEqual(['stackProps']);
    expect(wants(STACK.replace('props.keyArn', `'${OWN}'`))).toEqual([]);
  });
});

// Adversarial pass s63 M2: a creation passing `'...:alias/' + 'aws/dynamodb'` was said to be "not" the AWS managed key.
describe("a key taken from the stack's props: values joined with + and values kmsfix does not read", () => {
  const split = `'arn:aws:kms:us-east-1:111111111111:alias/' + 'aws/dynamodb'`;

  it("a + of literals (or consts of the entry) that spells the AWS managed key's alias ARN is read as it", async () => {
    const t = await orders(
      project(
        entry(`const alias = 'alias/aws/' + 'dynamodb';
new DataStack(app, 'Prod', { keyArn: ${split} });
new DataStack(app, 'Dev', { keyArn: 'arn:aws:kms:us-east-1:111111111111:' + alias });`),
      ),
    );
    expect(t.status).toBe('unknown');
    expect(t.reason).toContain(`bin/app.ts line 5 creates DataStack with keyArn ${split}, bin/app.ts line 6 creates DataStack with keyArn`);
    expect(t.reason).toContain("(the entry's creations;");
  });

  it('a creation passing a value kmsfix does not read is said so, not "not where"', async () => {
    const t = await orders(
      project(
        entry(`declare function suffix(): string;
new DataStack(app, 'Prod', { keyArn: '${MANAGED}' });
new DataStack(app, 'Dev', { keyArn: 'arn:aws:kms:us-east-1:111111111111:alias/' + suffix() });
new DataStack(app, 'Test', { keyArn: '${OWN}' });`),
      ),
    );
    expect(t.status).toBe('unknown');
    expect(t.reason).toBe(
      `the key is the AWS managed key where bin/app.ts line 5 creates DataStack with keyArn ${MANAGED}, not where bin/app.ts line 7 creates it; kmsfix does not read the keyArn passed where bin/app.ts line 6 creates it ('arn:aws:kms:us-east-1:111111111111:alias/' + suffix())`,
    );
  });

  it('a + that ends in another key, or in the alias split after an unread part: as before', async () => {
    for (const arn of [`'arn:aws:kms:us-east-1:111111111111:' + 'key/1'`, `'arn:aws:kms:us-east-1:111111111111:alias/' + x + 'dynamodb'`]) {
      const t = await orders(project(entry(`declare const x: string;\nnew DataStack(app, 'Prod', { keyArn: ${arn} });`)));
      expect(t.status, arn).toBe('customer-managed');
    }
  });
});
