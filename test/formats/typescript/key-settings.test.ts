/**
 * The key settings contract (src/rule/keySettings.ts, FixOptions.key) rendered in TypeScript: the
 * fixtures cdk-key-settings, cdk-v1-key-settings, cdktf-key-settings and pulumi-key-settings carry
 * non-default settings (options.json); these cases cover what they do not: a shared key, a computed
 * id, and alias names cut down to the characters KMS allows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { aliasSafe } from '../../../src/rule/keySettings.js';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';

const CDK = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, names: string[]) {
    super(scope, id);
    for (const name of names) {
      new dynamodb.Table(this, \`\${name}Table\`, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    }
    new dynamodb.Table(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new dynamodb.Table(this, 'B', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;

async function fix(text: string, options: object) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'fix', options);
  expect(r.outcomes[0].error).toBeUndefined();
  return r.output.get('stack.ts')!;
}

describe('key settings in TypeScript', () => {
  it('a computed id fills the description template; a shared key gets -shared before the alias suffix', async () => {
    const out = await fix(CDK, { key: { description: 'Key of {table} (team A)', alias: 'alias/team-a/{table}/cmk' } });
    expect(out).toContain('description: `Key of ${name}Table (team A)`,');
    const shared = await fix(CDK, { keyStrategy: 'shared', key: { alias: 'alias/team-a/{table}/cmk' } });
    expect(shared).toContain('.addAlias(`alias/team-a/${a.tableName}-shared/cmk`)');
    expect(shared).toContain("description: 'KMS key for DynamoDB tables A, B',");
  });

  it('the default settings write neither pendingWindow, multiRegion nor tags (CDK)', async () => {
    const out = await fix(CDK, {});
    expect(out).not.toMatch(/pendingWindow|multiRegion|Tags\.of/);
    const thirty = await fix(CDK, { key: { deletionWindowDays: 30, multiRegion: false, tags: {} } });
    expect(thirty).toBe(out);
  });

  it('alias names keep only A-Z a-z 0-9 / _ -', () => {
    expect(aliasSafe('orders.v1')).toBe('orders-v1');
    expect(aliasSafe('a_b-C/9')).toBe('a_b-C/9');
  });
});

describe('key settings, synthesized by aws-cdk-lib', () => {
  it('cdk-key-settings: the keys carry the tags, MultiRegion, PendingWindowInDays, description and alias', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-key-settings-'));
    try {
      const source = readFileSync(path.join(FIXTURES, 'typescript', 'cdk-key-settings', 'expected.ts'), 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(path.join(work, 'stack.cjs'), js.outputText);
      writeFileSync(
        path.join(work, 'app.cjs'),
        `const cdk = require('aws-cdk-lib');
const app = new cdk.App({ outdir: 'out' });
new (require('./stack.cjs').LedgerStack)(app, 'Ledger');
app.synth();
`,
      );
      const r = spawnSync(process.execPath, ['app.cjs'], {
        cwd: work,
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const t = JSON.parse(readFileSync(path.join(work, 'out', 'Ledger.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const of = (type: string) => Object.values(t.Resources).filter((x) => x.Type === type);
      const keys = of('AWS::KMS::Key');
      expect(keys.map((k) => k.Properties.Description)).toEqual(['Payments data key for Ledger', 'Payments data key for Sessions']);
      for (const k of keys) {
        expect(k.Properties).toMatchObject({ EnableKeyRotation: true, MultiRegion: true, PendingWindowInDays: 7 });
        expect(k.Properties.Tags).toEqual([
          { Key: 'cost-center', Value: 'cc-42' },
          { Key: 'team', Value: 'payments' },
        ]);
      }
      expect(of('AWS::KMS::Alias').map((a) => a.Properties.AliasName)).toEqual([
        'alias/payments/ledger-v2-cmk',
        { 'Fn::Join': ['', ['alias/payments/', { Ref: expect.stringMatching(/^Sessions/) }, '-cmk']] },
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
