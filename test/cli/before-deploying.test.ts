/**
 * A text fix that changes tables without writing a commit message (in place, --dry-run, --check,
 * --patch) points at the checklist that message holds, and says that a revert is not a roll back;
 * --commit and --patch-dir write the message itself, and a run that changes nothing says nothing.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { BEFORE_DEPLOYING, BEFORE_DEPLOYING_KEPT } from '../../src/cli/fix.js';
import { runCli } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-before-'));
  cpSync(path.join(FIXTURES, 'terraform', 'no-sse-block', 'input.tf'), path.join(dir, 'main.tf'));
  return dir;
}

it('fix says where the deploy checklist is, and that a revert is not a roll back, unless it wrote the commit message', async () => {
  expect(BEFORE_DEPLOYING).toContain('never by a revert alone');
  // Said after a fix of any format (a serverless.yml alone too): why a revert is not a roll back holds for every one
  // (docs/rolling-back.md), the Terraform case is the worse one.
  expect(BEFORE_DEPLOYING).toContain('a revert deletes each key in the deploy that moves its table off it');
  for (const args of [['--dry-run'], ['--check'], ['--patch', 'out.patch'], ['--yes']]) {
    const r = await runCli(['fix', ...args, '.'], folder());
    expect(r.stderr, args.join(' ')).toContain(`${BEFORE_DEPLOYING}\n`);
  }
  const dir = folder();
  const patches = await runCli(['fix', '--patch-dir', path.join(dir, 'out'), '.'], dir);
  expect(patches.code, patches.stderr).toBe(0);
  expect(patches.stderr).not.toContain('before deploying');
  // Nothing left to fix: nothing said.
  const again = folder();
  expect((await runCli(['fix', '--yes', '.'], again)).code).toBe(0);
  expect((await runCli(['fix', '--yes', '.'], again)).stderr).not.toContain('before deploying');
  // -q prints only what needs action (a pre-commit hook's `fix --check -q`): not the note.
  for (const args of [['--check'], ['--dry-run'], ['--patch', 'out.patch'], ['--yes']]) {
    const r = await runCli(['fix', '-q', ...args, '.'], folder());
    expect(r.stderr, args.join(' ')).not.toContain('before deploying');
    expect(r.stderr, args.join(' ')).toMatch(/would be fixed|fixed in/);
  }
  // scan never says it.
  expect((await runCli(['scan', '.'], folder())).stderr).not.toContain('before deploying');
});

it('a fix whose tables all kept the keys they named says so: no new keys, a roll back in one deploy', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-before-'));
  cpSync(path.join(FIXTURES, 'terraform', 'enabled-false-own-key', 'input.tf'), path.join(dir, 'main.tf'));
  const r = await runCli(['fix', '--dry-run', '.'], dir);
  expect(r.stderr).toContain(`${BEFORE_DEPLOYING_KEPT}\n`);
  expect(r.stderr).not.toContain('new keys');
  // Beside a table that gets a new key: the general note.
  const plain = readFileSync(path.join(FIXTURES, 'terraform', 'no-sse-block', 'input.tf'), 'utf8');
  writeFileSync(path.join(dir, 'other.tf'), plain.replace('"aws_dynamodb_table" "orders"', '"aws_dynamodb_table" "plain"'));
  expect((await runCli(['fix', '--dry-run', '.'], dir)).stderr).toContain(`${BEFORE_DEPLOYING}\n`);
});
