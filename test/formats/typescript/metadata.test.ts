/**
 * AWS CDK suppressions written into a table's CloudFormation Metadata (`cfnOptions.metadata = {...}`,
 * `addMetadata(...)`, src/formats/typescript/metadata.ts) are read as the synthesized template's
 * `Metadata` is: the source and the template get the same verdict. A project's helper that names the
 * table and a rule ID is not read, but keeps the table from being fixed.
 * Fixture: typescript/cdk-metadata-suppressions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { scanJson } from '../../helpers/cli-helper.js';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';

const fixture = path.join(FIXTURES, 'typescript', 'cdk-metadata-suppressions', 'input.ts');

async function scan(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables;
}

const stack = (body: string) => `import * as cdk from 'aws-cdk-lib';
import { CfnTable, Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
const partitionKey = { name: 'id', type: AttributeType.STRING };
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
${body}
  }
}
`;

describe('AWS CDK Metadata suppressions', () => {
  it('only the table the Metadata is written on, and only this rule', async () => {
    const tables = await scan(
      stack(`    const a = new Table(this, 'A', { partitionKey });
    const b = new Table(this, 'B', { partitionKey });
    (a.node.defaultChild as CfnTable).cfnOptions.metadata = { checkov: { skip: [{ id: 'CKV_AWS_119' }] } };
    (b.node.defaultChild as CfnTable).cfnOptions.metadata = { checkov: { skip: [{ id: 'CKV_AWS_28' }] } };
    const c = new Table(this, 'C', { partitionKey });
    (c.node.defaultChild as CfnTable).addMetadata('guard', { SuppressedRules: ['DYNAMODB_TABLE_MUST_BE_ENCRYPTED'] });`),
    );
    expect(tables.map((t) => [t.address, t.status])).toEqual([
      ['A', 'suppressed'],
      ['B', 'aws-owned'],
      // cfn-guard's other rule (encryption at all) is suppressed, not the customer-managed one.
      ['C', 'aws-owned'],
    ]);
  });

  it("through node.findChild('Resource'), the child a Table creates its CfnTable as (AWS Solutions' cost optimizer)", async () => {
    const tables = await scan(
      stack(`    const a = new Table(this, 'A', { partitionKey });
    const aNode = a.node.findChild('Resource') as cdk.aws_dynamodb.CfnTable;
    aNode.cfnOptions.metadata = { guard: { SuppressedRules: ['DYNAMODB_TABLE_ENCRYPTED_KMS'] } };
    const b = new Table(this, 'B', { partitionKey });
    (b.node.findChild('Policy') as cdk.CfnResource).cfnOptions.metadata = { guard: { SuppressedRules: ['DYNAMODB_TABLE_ENCRYPTED_KMS'] } };`),
    );
    expect(tables.map((t) => [t.address, t.status])).toEqual([
      ['A', 'suppressed'],
      ['B', 'aws-owned'],
    ]);
  });

  it("a const of the file holding the rules, and a method of the file that writes them (AWS Solutions' glacier-refreezer)", async () => {
    const tables = await scan(`import { Construct } from 'constructs';
import { aws_dynamodb as dynamo } from 'aws-cdk-lib';
export class Catalog extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const metrics = new dynamo.Table(this, 'Metrics', { partitionKey: { name: 'pk', type: dynamo.AttributeType.STRING } });
    this.addCfnNagSuppressions(metrics);
    const status = new dynamo.Table(this, 'Status', { partitionKey: { name: 'pk', type: dynamo.AttributeType.STRING } });
    const rules = [{ id: 'W74', reason: 'Metadata table - no encryption required' }];
    const cfn = status.node.defaultChild as dynamo.CfnTable;
    cfn.cfnOptions.metadata = { cfn_nag: { rules_to_suppress: rules } };
    const plain = new dynamo.Table(this, 'Plain', { partitionKey: { name: 'pk', type: dynamo.AttributeType.STRING } });
    this.tag(plain);
  }
  private tag(table: dynamo.ITable) {
    (table.node.defaultChild as dynamo.CfnTable).cfnOptions.metadata = { owner: 'data' };
  }
  private addCfnNagSuppressions(table: dynamo.ITable) {
    const rules = [{ id: 'W74', reason: 'Metadata table - no encryption required' }];
    const cfnTable = table.node.defaultChild as dynamo.CfnTable;
    cfnTable.cfnOptions.metadata = { cfn_nag: { rules_to_suppress: rules } };
  }
}
`);
    expect(tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['Metrics', 'aws-owned', false],
      ['Status', 'suppressed', false],
      ['Plain', 'aws-owned', true],
    ]);
    expect(tables[0].message).toContain(
      'this.addCfnNagSuppressions(metrics) (line 7) gives this table to a function of this file that writes W74 into Metadata',
    );
  });

  it('the synthesized template gets the verdicts the source gets', async () => {
    const source = readFileSync(fixture, 'utf8');
    const fromSource = Object.fromEntries((await scan(source)).map((t) => [t.address, t.status]));
    const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-metadata-'));
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(path.join(work, 'stack.cjs'), js);
    writeFileSync(
      path.join(work, 'app.cjs'),
      `const cdk = require('aws-cdk-lib');
const app = new cdk.App({ outdir: 'cdk.out' });
new (require('./stack.cjs').DataStack)(app, 'Data');
app.synth();
`,
    );
    const r = spawnSync(process.execPath, ['app.cjs'], {
      cwd: work,
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const outdir = path.join(work, 'cdk.out');
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    const out = (await scanJson(outdir, [...templates])) as {
      tables: { address: string; status: string }[];
    };
    const fromTemplate = Object.fromEntries(out.tables.map((t) => [t.address.replace(/[0-9A-F]{8}$/, ''), t.status]));
    for (const id of ['Scenarios', 'History', 'Cache', 'Raw', 'Sessions']) expect([id, fromTemplate[id]]).toEqual([id, fromSource[id]]);
    // The helper's Metadata is seen in the template only: in the source, the table is left alone (not fixable).
    expect(fromTemplate.Agents).toBe('suppressed');
    expect(fromSource.Agents).toBe('aws-managed');
    // The same through helpers that take the rule IDs in a list (cfn_nag's objects, guard's IDs).
    for (const id of ['Conversations', 'Prompts']) expect([id, fromTemplate[id], fromSource[id]]).toEqual([id, 'suppressed', 'aws-owned']);
    const fixable = Object.fromEntries((await scan(source)).map((t) => [t.address, t.fixable]));
    expect([fixable.Agents, fixable.Conversations, fixable.Prompts]).toEqual([false, false, false]);
  }, 120_000);
});
