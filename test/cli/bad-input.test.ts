/** Bad input: a clear error with line and column, through the real CLI, and the file left untouched. */
import { mkdtempSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { badCases, families } from '../helpers/fixture-cases.js';
import { runCli } from '../helpers/cli-helper.js';

for (const family of families()) {
  const cases = badCases(family);
  if (cases.length === 0) continue;
  describe(`fixtures/${family}/bad`, () => {
    for (const c of cases) {
      it(`${c.name}: reports "${c.error}" and writes nothing`, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-bad-'));
        const name = 'input' + path.basename(c.file).slice('input'.length);
        copyFileSync(c.file, path.join(dir, name));
        // A good template beside it must still be fixed: the run goes on.
        const good =
          'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n';
        writeFileSync(path.join(dir, 'good.yaml'), good);
        const before = readFileSync(path.join(dir, name));
        const r = await runCli(['fix', '--yes', '--format', 'json', '.'], dir);
        expect(r.code).toBe(2);
        const out = JSON.parse(r.stdout);
        const err = out.errors.find((e: { file: string }) => e.file === name);
        expect(err, r.stdout).toBeDefined();
        expect(`${err.line}:${err.column}: ${err.message}`).toContain(c.error);
        expect(readFileSync(path.join(dir, name)).equals(before)).toBe(true);
        expect(readFileSync(path.join(dir, 'good.yaml'), 'utf8')).toContain('KMSMasterKeyId');
      });
    }
  });
}
