/**
 * Opt-in: the CDKTF and Pulumi fixtures against the real provider packages, which are too large to
 * be devDependencies (@cdktf/provider-aws unpacks to 392 MB; @pulumi/aws with @pulumi/pulumi is 175 MB
 * in 222 packages). Install them once outside the repository and point KMSFIX_PROVIDERS_DIR there:
 *
 *   mkdir -p /tmp/kmsfix-providers && cd /tmp/kmsfix-providers && echo '{"private":true}' > package.json
 *   npm install --ignore-scripts @cdktf/provider-aws@21 cdktf@0.21 constructs@10 @pulumi/aws@7 @pulumi/pulumi@3
 *   KMSFIX_PROVIDERS_DIR=/tmp/kmsfix-providers npx vitest run test/typescript-providers.test.ts
 *
 * Without it the tests are skipped; test/typescript-typecheck.test.ts checks the same files against
 * the stand-in declarations of test/typings/ on every run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { keyPolicy } from '../src/keyPolicy.js';
import { runCli } from './cli-helper.js';
import { FIXTURES } from './fixture-cases.js';

const DIR = process.env.KMSFIX_PROVIDERS_DIR;
const ready = !!DIR && existsSync(path.join(DIR, 'node_modules', '@cdktf', 'provider-aws')) && existsSync(path.join(DIR, 'node_modules', '@pulumi', 'aws'));

const CDKTF = ['cdktf', 'cdktf-root-namespace'];
const PULUMI = ['pulumi', 'pulumi-named-import', 'pulumi-kms-key-arn'];

/** A scratch folder inside DIR, so that module resolution finds the providers; CommonJS, as CDKTF projects are. */
function scratch(): string {
  const dir = mkdtempSync(path.join(DIR!, 'check-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  return dir;
}

describe.skipIf(!ready)('real provider typings and synthesis (KMSFIX_PROVIDERS_DIR)', () => {
  it('CDKTF and Pulumi inputs and expected outputs type-check against the real packages', () => {
    const dir = scratch();
    const files: string[] = [];
    for (const c of [...CDKTF, ...PULUMI]) {
      for (const side of ['input', 'expected']) {
        const f = path.join(dir, `${c}-${side}.ts`);
        writeFileSync(f, readFileSync(path.join(FIXTURES, 'typescript', c, `${side}.ts`)));
        files.push(f);
      }
    }
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      ignoreDeprecations: '6.0',
      esModuleInterop: true,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([]);
  }, 180_000);

  it('the fixed CDKTF app synthesizes, and kmsfix scan on cdk.tf.json finds every table customer-managed', async () => {
    const dir = scratch();
    const js = ts.transpileModule(readFileSync(path.join(FIXTURES, 'typescript', 'cdktf', 'expected.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(path.join(dir, 'main.cjs'), js);
    mkdirSync(path.join(dir, 'cdktf.out'), { recursive: true });
    const r = spawnSync(process.execPath, ['main.cjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const stack = path.join(dir, 'cdktf.out', 'stacks', 'tables');
    const tf = JSON.parse(readFileSync(path.join(stack, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    for (const key of Object.values(tf.resource.aws_kms_key)) {
      expect(key.enable_key_rotation).toBe(true);
      expect(JSON.parse(key.policy as string).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(keyPolicy().map((s) => s.sid));
    }
    const scan = await runCli(['scan', '--format', 'json', 'cdk.tf.json'], stack);
    const out = JSON.parse(scan.stdout) as { tables: { address: string; status: string }[] };
    expect(out.tables.map((t) => `${t.address} ${t.status}`).sort()).toEqual([
      'aws_dynamodb_table.audit customer-managed',
      'aws_dynamodb_table.carts customer-managed',
      'aws_dynamodb_table.orders customer-managed',
    ]);
    expect(scan.code).toBe(0);
  }, 180_000);
});

describe('opt-in provider checks', () => {
  it(ready ? 'run against KMSFIX_PROVIDERS_DIR' : 'skipped: set KMSFIX_PROVIDERS_DIR to run them', () => {
    expect(true).toBe(true);
  });
});
