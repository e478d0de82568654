/**
 * A CDK key follows its table's removal policy (src/formats/typescript/fix.ts removalOf): DESTROY,
 * RETAIN, or the table's own choice between the two (`isSandbox ? RemovalPolicy.DESTROY :
 * RemovalPolicy.RETAIN`, as Amplify's backends write it), copied. Before, such a key was always
 * retained: each deleted sandbox left a billed, orphaned key. A choice that may be SNAPSHOT (which
 * kms.Key refuses) or a value from elsewhere keeps the key retained. Fixture:
 * typescript/cdk-removal-policy-choice, synthesized here in a sandbox and outside one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';

type Resources = Record<string, { Type: string; DeletionPolicy?: string; Properties?: { Description?: string } }>;

function synth(sandbox: boolean): Resources {
  const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-removal-'));
  const source = readFileSync(path.join(FIXTURES, 'typescript', 'cdk-removal-policy-choice', 'expected.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  writeFileSync(path.join(work, 'stack.cjs'), js);
  writeFileSync(
    path.join(work, 'app.cjs'),
    `const cdk = require('aws-cdk-lib');
const app = new cdk.App({ outdir: 'cdk.out', context: { sandbox: '${sandbox}' } });
new (require('./stack.cjs').NotificationsStack)(app, 'Notifications');
app.synth();
`,
  );
  const r = spawnSync(process.execPath, ['app.cjs'], {
    cwd: work,
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const dir = path.join(work, 'cdk.out');
  const file = readdirSync(dir).find((f) => f.endsWith('.template.json'))!;
  return (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { Resources: Resources }).Resources;
}

/** Table id -> [the table's DeletionPolicy, its key's]. */
function policies(resources: Resources): Record<string, [string | undefined, string | undefined]> {
  const out: Record<string, [string | undefined, string | undefined]> = {};
  for (const name of ['Endpoints', 'Messages', 'Campaigns']) {
    const table = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::DynamoDB::Table' && id.startsWith(name))![1];
    const key = Object.values(resources).find((r) => r.Type === 'AWS::KMS::Key' && r.Properties?.Description?.endsWith(` ${name}`))!;
    out[name] = [table.DeletionPolicy, key.DeletionPolicy];
  }
  return out;
}

describe('CDK key removal policy follows a conditional table removal policy', () => {
  it('in a sandbox, the key is destroyed with its table; elsewhere both are retained', () => {
    expect(policies(synth(true))).toEqual({
      Endpoints: ['Delete', 'Delete'],
      Messages: ['Delete', 'Retain'],
      Campaigns: ['Retain', 'Retain'],
    });
    expect(policies(synth(false))).toEqual({
      Endpoints: ['Retain', 'Retain'],
      Messages: ['Snapshot', 'Retain'],
      Campaigns: ['Retain', 'Retain'],
    });
  }, 120_000);
});
