/**
 * The TypeScript family through the real CLI: discovery of `.ts` (never `.d.ts`), the prefilter
 * (TypeScript is loaded only for files that mention DynamoDB), scan statuses, fix, verification.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const fixture = (c: string, side: 'input' | 'expected') => path.join(FIXTURES, 'typescript', c, `${side}.ts`);

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-ts-'));
  mkdirSync(path.join(dir, 'lib'));
  copyFileSync(fixture('cdk-table-namespace', 'input'), path.join(dir, 'lib', 'orders-stack.ts'));
  copyFileSync(fixture('pulumi', 'input'), path.join(dir, 'index.ts'));
  // Declarations are not infrastructure code, whatever they mention.
  writeFileSync(
    path.join(dir, 'lib', 'orders-stack.d.ts'),
    "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nexport declare const t: dynamodb.Table;\n",
  );
  writeFileSync(path.join(dir, 'util.ts'), 'export const answer = 42;\n');
  return dir;
}

describe('entry', () => {
  it('accepts TypeScript (.ts, .mts, .cts, .tsx) and JavaScript (.js, .mjs, .cjs, .jsx), not declarations', () => {
    for (const name of ['lib/stack.ts', 'lib/stack.mts', 'lib/stack.cts', 'lib/stack.tsx', 'lib/Stack.TSX'])
      expect(typescriptEntry.accepts(name), name).toBe(true);
    for (const name of ['lib/stack.d.ts', 'lib/stack.d.mts', 'lib/stack.d.cts']) expect(typescriptEntry.accepts(name), name).toBe(false);
    for (const name of ['lib/stack.js', 'stacks/Storage.mjs', 'index.cjs', 'lib/view.jsx'])
      expect(typescriptEntry.accepts(name), name).toBe(true);
    // A minified bundle (vendored front-end code) is never a program kmsfix reads: not read at all.
    expect(typescriptEntry.accepts('site/assets/js/aws-sdk.min.js')).toBe(false);
    expect(typescriptEntry.accepts('site/assets/js/view.min.jsx')).toBe(false);
  });
  it('prefilters on DynamoDB markers of each framework', () => {
    expect(typescriptEntry.prefilter("import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'")).toBe(true);
    expect(typescriptEntry.prefilter("import { aws_dynamodb } from 'aws-cdk-lib'")).toBe(true);
    expect(typescriptEntry.prefilter("import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table'")).toBe(true);
    expect(typescriptEntry.prefilter("import * as aws from '@pulumi/aws'")).toBe(true);
    expect(typescriptEntry.prefilter("import { Bucket } from 'aws-cdk-lib/aws-s3'")).toBe(false);
  });
});

describe('kmsfix on a TypeScript project', () => {
  it('scan: CDK and Pulumi tables found, .d.ts and unrelated files ignored, exit 1', async () => {
    const dir = project();
    const r = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      tables: { file: string; address: string; format: string; type: string; status: string; line: number; column: number }[];
    };
    const got = out.tables.map((t) => `${t.file}:${t.line}:${t.column} ${t.format} ${t.type} ${t.address} ${t.status}`);
    expect(got).toEqual([
      'index.ts:6:16 pulumi aws.dynamodb.Table orders aws-owned',
      'index.ts:13:15 pulumi aws.dynamodb.Table carts aws-managed',
      'lib/orders-stack.ts:10:20 cdk aws-cdk-lib.aws_dynamodb.Table Orders aws-owned',
    ]);
  });

  it('fix --yes writes the expected outputs byte for byte; scan afterwards exits 0', async () => {
    const dir = project();
    const r = await runCli(['fix', '--yes', '--format', 'json', '.'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'lib', 'orders-stack.ts'), 'utf8')).toBe(
      readFileSync(fixture('cdk-table-namespace', 'expected'), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'index.ts'), 'utf8')).toBe(readFileSync(fixture('pulumi', 'expected'), 'utf8'));
    const again = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(again.code, again.stdout).toBe(0);
    for (const t of JSON.parse(again.stdout).tables) expect(t.status).toBe('customer-managed');
  });

  it('a TypeScript syntax error is a file error with line and column (exit 2); other files still fixed', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'broken.ts'),
      "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nnew dynamodb.Table(this, 'T', { partitionKey: ;\n",
    );
    const r = await runCli(['fix', '--yes', '--format', 'json', '.'], dir);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { errors: { file: string; line: number; column: number; message: string }[] };
    expect(out.errors).toEqual([{ file: 'broken.ts', line: 2, column: 47, message: 'TypeScript: Expression expected.' }]);
    expect(readFileSync(path.join(dir, 'index.ts'), 'utf8')).toBe(readFileSync(fixture('pulumi', 'expected'), 'utf8'));
  });
});

describe('ESM, CommonJS and JSX file names', () => {
  it('.mts, .cts and .tsx tables are found in a folder and fixed (imports, never require), .jsx reported; a rescan is clean but for the .jsx', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-ts-'));
    const ts = (c: string, ext: string) => path.join(FIXTURES, 'typescript', c, `${ext}`);
    copyFileSync(ts('cdk-stack-mts', 'input.mts'), path.join(dir, 'orders.mts'));
    copyFileSync(ts('cdk-stack-mts', 'input.mts'), path.join(dir, 'orders.cts'));
    copyFileSync(ts('cdk-stack-tsx', 'input.tsx'), path.join(dir, 'sessions.tsx'));
    // The same stack in JavaScript with JSX: read (its JSX parsed), reported, never fixed, as a .js is.
    const jsx = readFileSync(ts('cdk-stack-tsx', 'input.tsx'), 'utf8')
      .replace(/, type StackProps/, '')
      .replace(/import type .*\n/, '')
      .replace(/\(tableName: string\)/, '(tableName)')
      .replace(/  readonly sessions: Table;\n\n/, '')
      .replace(/\(scope: Construct, id: string, props\?: StackProps\)/, '(scope, id, props)');
    writeFileSync(path.join(dir, 'page.jsx'), jsx);
    const r = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(r.code, r.stderr).toBe(1);
    const got = (JSON.parse(r.stdout).tables as { file: string; address: string; fixable: boolean }[]).map(
      (t) => `${t.file} ${t.address} ${t.fixable}`,
    );
    expect(got).toEqual([
      'orders.cts Orders true',
      'orders.cts Audit true',
      'orders.mts Orders true',
      'orders.mts Audit true',
      'page.jsx Sessions false',
      'sessions.tsx Sessions true',
    ]);
    const fixed = await runCli(['fix', '--yes', '.'], dir);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('not fixed: page.jsx:15  Sessions');
    expect(readFileSync(path.join(dir, 'orders.mts'), 'utf8')).toBe(readFileSync(ts('cdk-stack-mts', 'expected.mts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'orders.cts'), 'utf8')).toBe(readFileSync(ts('cdk-stack-mts', 'expected.mts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'sessions.tsx'), 'utf8')).toBe(readFileSync(ts('cdk-stack-tsx', 'expected.tsx'), 'utf8'));
    expect(readFileSync(path.join(dir, 'orders.mts'), 'utf8')).not.toMatch(/\brequire\(/);
    const again = await runCli(['scan', '--format', 'json', '.'], dir);
    const left = (JSON.parse(again.stdout).tables as { file: string; status: string }[]).filter((t) => t.status !== 'customer-managed');
    expect(left.map((t) => t.file)).toEqual(['page.jsx']);
  });
});

describe('compiler code cache', () => {
  it('is written on the first run, reused after, rebuilt when corrupt, and can be turned off', async () => {
    const dir = project();
    const cache = mkdtempSync(path.join(tmpdir(), 'kmsfix-cache-'));
    const env = { KMSFIX_CACHE_DIR: cache };
    const first = await runCli(['scan', '--format', 'json', '.'], dir, undefined, env);
    expect(first.code).toBe(1);
    // Beside the CLI's own cached code (src/cli/start.ts).
    const files = readdirSync(cache).filter((f) => !f.startsWith('cli-'));
    expect(files).toHaveLength(1);
    // The parser-only build's (scripts/ts-parser.mjs: its version, then a hash of its text).
    expect(files[0]).toMatch(/^typescript-\d+\.\d+\.\d+-[0-9a-f]{12}-node.*\.v8cache$/);
    const file = path.join(cache, files[0]);
    const bytes = statSync(file).size;
    expect(bytes).toBeGreaterThan(100_000);

    const written = statSync(file).mtimeMs;
    const second = await runCli(['scan', '--format', 'json', '.'], dir, undefined, env);
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(file).mtimeMs).toBe(written); // used, not rewritten

    writeFileSync(file, 'not V8 code');
    const corrupt = await runCli(['scan', '--format', 'json', '.'], dir, undefined, env);
    expect(corrupt.stdout).toBe(first.stdout);
    expect(statSync(file).size).toBeGreaterThan(100_000);

    const off = mkdtempSync(path.join(tmpdir(), 'kmsfix-nocache-'));
    const none = await runCli(['scan', '--format', 'json', '.'], dir, undefined, {
      KMSFIX_CACHE_DIR: 'off',
      HOME: off,
      XDG_CACHE_HOME: off,
    });
    expect(none.stdout).toBe(first.stdout);
    expect(readdirSync(off)).toEqual([]);
  });
});
