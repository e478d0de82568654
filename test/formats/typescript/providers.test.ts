/**
 * Opt-in: the CDKTF and Pulumi fixtures against the real provider packages, which are too large to
 * be devDependencies (@cdktf/provider-aws unpacks to 392 MB; @pulumi/aws with @pulumi/pulumi is 175 MB
 * in 222 packages). Install them once outside the repository and point KMSFIX_PROVIDERS_DIR there:
 *
 *   mkdir -p /tmp/kmsfix-providers && cd /tmp/kmsfix-providers && echo '{"private":true}' > package.json
 *   npm install --ignore-scripts @cdktf/provider-aws@21 cdktf@0.21 constructs@10 @pulumi/aws@7 @pulumi/pulumi@3
 *   KMSFIX_PROVIDERS_DIR=/tmp/kmsfix-providers npx vitest run test/formats/typescript/providers.test.ts
 *
 * Without it the tests are skipped; test/formats/typescript/typecheck.test.ts checks the same files against
 * the stand-in declarations of test/formats/typescript/typings/ on every run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { keyPolicy } from '../../../src/rule/keyPolicy.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const DIR = process.env.KMSFIX_PROVIDERS_DIR;
const ready =
  !!DIR &&
  existsSync(path.join(DIR, 'node_modules', '@cdktf', 'provider-aws')) &&
  existsSync(path.join(DIR, 'node_modules', '@pulumi', 'aws'));

const CDKTF = ['cdktf', 'cdktf-root-namespace', 'cdktf-existing-lookups', 'cdktf-kms-key-arn', 'cdktf-lookups-per-call'];
const PULUMI = [
  'pulumi',
  'pulumi-named-import',
  'pulumi-kms-key-arn',
  'pulumi-component',
  'pulumi-table-returned',
  'pulumi-shared-key-component',
];

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
    // The fix next to a package.json (typescript/project.test.ts): @pulumi/aws 7's `.region`.
    files.push(path.join(dir, 'pulumi-component-v7-expected.ts'));
    writeFileSync(files[files.length - 1], readFileSync(path.join(FIXTURES, 'typescript', 'pulumi-component-v7', 'expected', 'index.ts')));
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
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.basename(d.file.fileName) : ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([]);
  }, 180_000);

  const APPS: { fixture: string; stack: string; tables: string[] }[] = [
    { fixture: 'cdktf', stack: 'tables', tables: ['audit', 'carts', 'orders'] },
    { fixture: 'cdktf-existing-lookups', stack: 'shards', tables: ['archive', 'shard-a', 'shard-b'] },
    // Lookups in a forEach callback and a helper called twice: ids per call (a fixed one stopped synth).
    { fixture: 'cdktf-lookups-per-call', stack: 'tables', tables: ['audit-a', 'audit-b', 'carts', 'orders'] },
  ];
  for (const app of APPS) {
    it(`the fixed CDKTF app ${app.fixture} synthesizes; every table customer-managed, every generated key aliased`, async () => {
      const dir = scratch();
      const js = ts.transpileModule(readFileSync(path.join(FIXTURES, 'typescript', app.fixture, 'expected.ts'), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      writeFileSync(path.join(dir, 'main.cjs'), js);
      mkdirSync(path.join(dir, 'cdktf.out'), { recursive: true });
      const r = spawnSync(process.execPath, ['main.cjs'], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const stack = path.join(dir, 'cdktf.out', 'stacks', app.stack);
      const tf = JSON.parse(readFileSync(path.join(stack, 'cdk.tf.json'), 'utf8')) as {
        resource: Record<string, Record<string, Record<string, unknown>>>;
      };
      for (const key of Object.values(tf.resource.aws_kms_key)) {
        expect(key.enable_key_rotation).toBe(true);
        expect(JSON.parse(key.policy as string).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(keyPolicy().map((s) => s.sid));
      }
      // One alias per generated key, named after its table: alias/dynamodb/${aws_dynamodb_table.<name>.name},
      // its dots made dashes when the name is not a literal (`Fn.replace`: an alias name takes no dot).
      const aliases = Object.values(tf.resource.aws_kms_alias ?? {});
      expect(aliases.length).toBe(Object.keys(tf.resource.aws_kms_key).length);
      for (const a of aliases)
        expect(a.name).toMatch(
          /^alias\/dynamodb\/\$\{(aws_dynamodb_table\.[\w-]+\.name|replace\(aws_dynamodb_table\.[\w-]+\.name, "\.", "-"\))\}$/,
        );
      const scan = await runCli(['scan', '--format', 'json', 'cdk.tf.json'], stack);
      const out = JSON.parse(scan.stdout) as { tables: { address: string; status: string }[] };
      expect(out.tables.map((t) => t.status)).toEqual(app.tables.map(() => 'customer-managed'));
      expect(scan.code).toBe(0);
    }, 180_000);
  }
});

describe('opt-in provider checks', () => {
  it(ready ? 'run against KMSFIX_PROVIDERS_DIR' : 'skipped: set KMSFIX_PROVIDERS_DIR to run them', () => {
    expect(true).toBe(true);
  });
});
