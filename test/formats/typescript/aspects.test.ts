/**
 * Suppressions an AWS CDK Aspect writes (src/formats/typescript/aspects.ts, real-world round 46 F1: AWS Solutions'
 * `Aspects.of(this).add(new CfnGuardSuppressResourceList({ 'AWS::DynamoDB::Table': [...] }))`): an Aspect of the file
 * that names a rule ID suppresses the tables of its scope as the Metadata it writes would; one kmsfix cannot read
 * fully, or one the stack file that creates a table's construct adds, keeps the table from being fixed; one that
 * names no rule ID (or names it for another resource type) changes nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { scanJson, tempTree } from '../../helpers/cli-helper.js';

async function scan(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables;
}

const GUARD_CLASS = `class CfnGuardSuppressResourceList implements IAspect {
  constructor(private readonly rules: { [type: string]: string[] }) {}
  public visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && node.cfnResourceType in this.rules) {
      node.addMetadata('guard', { SuppressedRules: this.rules[node.cfnResourceType] });
    }
  }
}
`;

const stack = (head: string, body: string, imports = "import { Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';") => `${imports}
import { AttributeType, CfnTable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct, IConstruct } from 'constructs';
${head}
export class HubStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Jobs', { partitionKey: { name: 'pk', type: AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
${body}
  }
}
`;

const LIST = `    Aspects.of(this).add(new CfnGuardSuppressResourceList({ 'AWS::DynamoDB::Table': ['DYNAMODB_TABLE_ENCRYPTED_KMS'] }));`;

describe('AWS CDK Aspects that write suppressions', () => {
  it("an Aspect class of the file given the rule ID for DynamoDB tables: the stack's tables are suppressed", async () => {
    const [t] = await scan(stack(GUARD_CLASS, LIST));
    expect([t.status, t.fixable]).toEqual(['suppressed', false]);
    expect(t.message).toContain(
      'Suppressed by Aspect CfnGuardSuppressResourceList (line 17) addMetadata.guard.SuppressedRules DYNAMODB_TABLE_ENCRYPTED_KMS',
    );
    // `cdk.Aspects` and an imported alias of Aspects are the same.
    const ns = await scan(
      stack(
        GUARD_CLASS.replace(/IAspect/, 'cdk.IAspect').replace('CfnResource.', 'cdk.CfnResource.'),
        LIST.replace('Aspects.of', 'cdk.Aspects.of'),
        "import * as cdk from 'aws-cdk-lib';",
      ).replace('extends Stack', 'extends cdk.Stack'),
    );
    expect(ns[0].status).toBe('suppressed');
    const alias = await scan(
      stack(
        GUARD_CLASS,
        LIST.replace('Aspects.of', 'CdkAspects.of'),
        "import { Aspects as CdkAspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';",
      ),
    );
    expect(alias[0].status).toBe('suppressed');
    // An Aspect a const of the file holds.
    const held = await scan(
      stack(
        GUARD_CLASS,
        LIST.replace('Aspects.of(this).add(new', 'const guard = new').replace('}));', '});\n    Aspects.of(this).add(guard);'),
      ),
    );
    expect(held[0].status).toBe('suppressed');
  });

  it('an inline visitor writing a literal cfn_nag W74: suppressed, with its reason', async () => {
    const [t] = await scan(
      stack(
        '',
        `    Aspects.of(this).add({
      visit(node: IConstruct) {
        if (node instanceof CfnTable) node.addMetadata('cfn_nag', { rules_to_suppress: [{ id: 'W74', reason: 'default encryption' }] });
      },
    });`,
      ),
    );
    expect([t.status, t.fixable]).toEqual(['suppressed', false]);
    expect(t.message).toContain('Suppressed by inline Aspect (line 9) addMetadata.cfn_nag.rules_to_suppress W74 (default encryption)');
  });

  it('never a false green: no rule ID, a rule ID for another resource type, or a visitor that writes none: as before', async () => {
    const other = await scan(stack(GUARD_CLASS, LIST.replace('AWS::DynamoDB::Table', 'AWS::S3::Bucket')));
    const none = await scan(stack(GUARD_CLASS, LIST.replace('DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_HAVE_PITR')));
    const tags = await scan(stack('', "    Aspects.of(this).add({ visit(node: IConstruct) { Tags.of(node).add('team', 'a'); } });"));
    for (const [t] of [other, none, tags]) expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
  });

  it('an Aspect kmsfix cannot read fully (a class of another file, another scope): not fixed, with a note', async () => {
    const imported = await scan(stack("import { CfnGuardSuppressResourceList } from './guard';", LIST));
    expect([imported[0].status, imported[0].fixable]).toEqual(['aws-managed', false]);
    expect(imported[0].message).toContain(
      '(line 9) adds an Aspect CfnGuardSuppressResourceList that names DYNAMODB_TABLE_ENCRYPTED_KMS, and may suppress that rule',
    );
    const scoped = await scan(stack(GUARD_CLASS, LIST.replace('Aspects.of(this)', 'Aspects.of(scope)')));
    expect([scoped[0].status, scoped[0].fixable]).toEqual(['aws-managed', false]);
    // A visitor that names the rule but writes no Metadata kmsfix reads.
    const unread = await scan(stack('', "    Aspects.of(this).add({ visit(node: IConstruct) { suppress(node, 'W74'); } });"));
    expect([unread[0].status, unread[0].fixable]).toEqual(['aws-managed', false]);
  });

  it('an Aspect the stack file that creates the construct adds (its class in a helpers file): the table is not fixed', async () => {
    const files = (hub: string): Record<string, string> => ({
      'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
      'lib/helpers/guard.ts': `import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
export ${GUARD_CLASS}`,
      'lib/components/job-history.ts': `import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
export class JobHistory extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
  }
}
`,
      'lib/hub-stack.ts': `import { Aspects, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { JobHistory } from './components/job-history';
import { CfnGuardSuppressResourceList } from './helpers/guard';
export class HubStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new JobHistory(this, 'JobHistory');
${hub}
  }
}
`,
    });
    const run = async (hub: string) => {
      const dir = tempTree('aspects', files(hub));
      const out = (await scanJson(dir)) as {
        tables: { status: string; fixable: boolean; message: string }[];
      };
      expect(out.tables).toHaveLength(1);
      return out.tables[0];
    };
    const listed = await run(LIST);
    expect([listed.status, listed.fixable]).toEqual(['aws-managed', false]);
    expect(listed.message).toContain(
      '(lib/hub-stack.ts:9) adds an Aspect CfnGuardSuppressResourceList that names DYNAMODB_TABLE_ENCRYPTED_KMS',
    );
    // The rule ID in the imported class's body alone.
    const inClass = files('')['lib/helpers/guard.ts'].replace('this.rules[node.cfnResourceType]', "['DYNAMODB_TABLE_ENCRYPTED_KMS']");
    const body = await (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-aspects-'));
      for (const [name, text] of Object.entries({
        ...files('    Aspects.of(this).add(new CfnGuardSuppressResourceList({}));'),
        'lib/helpers/guard.ts': inClass,
      })) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), text);
      }
      return ((await scanJson(dir)) as { tables: { fixable: boolean; message: string }[] }).tables[0];
    })();
    expect(body.fixable).toBe(false);
    expect(body.message).toContain(
      '(lib/hub-stack.ts:9) adds an Aspect CfnGuardSuppressResourceList that names DYNAMODB_TABLE_ENCRYPTED_KMS',
    );
    // An Aspect that names no rule ID: fixed as before.
    const plain = await run(LIST.replace('DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_HAVE_PITR'));
    expect([plain.status, plain.fixable]).toEqual(['aws-managed', true]);
  });
});

describe('an Aspect of the file whose visitor may reach some tables and not others (adv2 s64)', () => {
  it('a visitor writing only under a condition beyond the node type: no table read as suppressed, none fixed', async () => {
    const text = stack(
      '',
      `    new Table(this, 'Legacy', { tableName: 'legacy-orders', partitionKey: { name: 'pk', type: AttributeType.STRING } });
    Aspects.of(this).add({
      visit(node: IConstruct) {
        if (node instanceof CfnTable && node.tableName === 'legacy-orders') node.addMetadata('cfn_nag', { rules_to_suppress: [{ id: 'W74', reason: 'legacy' }] });
      },
    });`,
    );
    const tables = await scan(text);
    expect(tables).toHaveLength(2);
    for (const t of tables) {
      expect(t.status).not.toBe('suppressed');
      expect(t.fixable).toBe(false);
      expect(t.message).toContain("names W74 under the condition node instanceof CfnTable && node.tableName === 'legacy-orders'");
    }
  });

  it("a table of another class of the file that the Aspect's class creates: not fixed over the Aspect's exception", async () => {
    const text = stack(
      `class Db extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  }
}
`,
      `    new Db(this, 'Db');
    Aspects.of(this).add({ visit(node: IConstruct) { if (node instanceof CfnTable) node.addMetadata('cfn_nag', { rules_to_suppress: [{ id: 'W74', reason: 'x' }] }); } });`,
    );
    const tables = await scan(text);
    const orders = tables.find((t) => t.address === 'Orders')!;
    expect(orders.fixable).toBe(false);
    expect(orders.message).toContain('adds an inline Aspect that names W74');
    expect(tables.find((t) => t.address === 'Jobs')!.status).toBe('suppressed');
  });
});
