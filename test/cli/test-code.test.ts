/**
 * Test code (issue 13): tables below test/, tests/, __tests__/ or in *.test.ts / *.spec.ts files are
 * scanned and reported, but fixed only with --include-tests; the summary says how many were left.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestPath } from '../../src/io/discover.js';
import { runCli, scanJson, copyTree, tempDir } from '../helpers/cli-helper.js';

function tree(): string {
  return copyTree(tempDir('tests'), {
    'infra/app.yaml': 'cloudformation/yaml-no-sse/input.yaml',
    'infra/tests/fixture.yaml': 'cloudformation/yaml-no-sse/input.yaml',
    'lib/orders.ts': 'typescript/cdk-table-namespace/input.ts',
    'lib/orders.test.ts': 'typescript/cdk-table-namespace/input.ts',
    '__tests__/main.tf': 'terraform/no-sse-block/input.tf',
  });
}

describe('test code', () => {
  it('isTestPath: folders named test, tests, __tests__ and *.test.* / *.spec.* files, relative to the search root', () => {
    // Go's testdata/ and Jest's __fixtures__ (real-world round 37: aws/copilot-cli's golden addon templates were fixed).
    for (const p of [
      'test/a.yaml',
      'a/tests/b.tf',
      '__tests__/x.ts',
      'lib/stack.test.ts',
      'lib/stack.spec.tsx',
      'internal/pkg/addon/testdata/merge/first.yaml',
      'src/__fixtures__/t.yml',
    ])
      expect(isTestPath(p), p).toBe(true);
    for (const p of ['a.yaml', 'testing/a.yaml', 'contest/a.yaml', 'lib/test-stack.ts', 'tests.yaml', 'testdata.yaml', 'fixtures/a.yaml'])
      expect(isTestPath(p), p).toBe(false);
  });

  it('scan reports the tables of test code, not fixable without --include-tests, and counts them', async () => {
    const dir = tree();
    const r = await runCli(['scan', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as {
      tables: { file: string; fixable: boolean; message: string }[];
      summary: { fixable: number; inTests: number };
    };
    const byFile = Object.fromEntries(out.tables.map((t) => [t.file, t]));
    expect(Object.keys(byFile).sort()).toEqual([
      '__tests__/main.tf',
      'infra/app.yaml',
      'infra/tests/fixture.yaml',
      'lib/orders.test.ts',
      'lib/orders.ts',
    ]);
    for (const f of ['__tests__/main.tf', 'infra/tests/fixture.yaml', 'lib/orders.test.ts']) {
      expect(byFile[f].fixable, f).toBe(false);
      expect(byFile[f].message, f).toContain('Left alone: test code (fixed with --include-tests)');
    }
    expect(out.summary).toMatchObject({ fixable: 2, inTests: 3 });
    const text = await runCli(['scan'], dir);
    expect(text.stdout).toContain('(2 fixable, 3 more in test code, left alone without --include-tests)');
    const all = (await scanJson(dir, ['--include-tests'])) as {
      summary: { fixable: number; inTests: number };
    };
    expect(all.summary).toMatchObject({ fixable: 5, inTests: 0 });
  });

  it('fix leaves test code alone, --include-tests fixes it too; a file named on the command line is never test code', async () => {
    const dir = tree();
    const before = readFileSync(path.join(dir, 'infra/tests/fixture.yaml'), 'utf8');
    expect((await runCli(['fix', '--yes', '-q'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'infra/tests/fixture.yaml'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(dir, 'infra/app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
    expect(readFileSync(path.join(dir, 'lib/orders.ts'), 'utf8')).toContain('encryptionKey');
    expect(readFileSync(path.join(dir, 'lib/orders.test.ts'), 'utf8')).not.toContain('encryptionKey');
    expect((await runCli(['fix', '--yes', '-q', 'infra/tests/fixture.yaml'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'infra/tests/fixture.yaml'), 'utf8')).toContain('KMSMasterKeyId');
    expect((await runCli(['fix', '--yes', '-q', '--include-tests'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'lib/orders.test.ts'), 'utf8')).toContain('encryptionKey');
    expect(readFileSync(path.join(dir, '__tests__/main.tf'), 'utf8')).toContain('aws_kms_key');
  });
});
