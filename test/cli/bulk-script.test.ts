/**
 * scripts/bulk/kmsfix-migrate.sh, the script multi-gitter and turbolift run in each repository (the
 * README's recipe): run here as they run it, in the root of a fresh clone, with `kmsfix` the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli-helper.js';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';

const SCRIPT = path.join(ROOT, 'scripts', 'bulk', 'kmsfix-migrate.sh');
const CF = path.join(FIXTURES, 'cloudformation');
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bot',
  GIT_AUTHOR_EMAIL: 'bot@example.com',
  GIT_COMMITTER_NAME: 'Bot',
  GIT_COMMITTER_EMAIL: 'bot@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
  KMSFIX: `${process.execPath} ${BIN}`,
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
}

/** A clone as the tools make it: committed, clean, on `branch`. */
function clone(files: Record<string, string>, branch = 'main'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-migrate-'));
  for (const [rel, src] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(src, path.join(dir, rel));
  }
  git(dir, 'init', '-q', '-b', branch);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

function migrate(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [SCRIPT, ...args], { cwd: dir, env: { ...ENV, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const input = path.join(CF, 'yaml-no-sse', 'input.yaml');
const expected = path.join(CF, 'yaml-no-sse', 'expected.yaml');
const broken = path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml');

describe('scripts/bulk/kmsfix-migrate.sh', () => {
  it('fixes the repository in place and leaves the change for the tool to commit (exit 0)', () => {
    const dir = clone({ 'infra/app.yaml': input });
    const r = migrate(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'infra/app.yaml'), 'utf8')).toBe(readFileSync(expected, 'utf8'));
    expect(git(dir, 'status', '--porcelain')).toBe(' M infra/app.yaml\n');
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('exits 0 with no change when there is nothing to fix (the tools then open no pull request)', () => {
    const dir = clone({ 'ok.yaml': expected });
    expect(migrate(dir).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--commit, as multi-gitter --manual-commit -B kmsfix/dynamodb-cmk runs it: one commit on that branch, whose message makes the pull request', () => {
    const dir = clone({ 'infra/app.yaml': input });
    git(dir, 'checkout', '-q', '-b', 'kmsfix/dynamodb-cmk'); // multi-gitter's ChangeBranch before the script
    const start = git(dir, 'rev-parse', 'HEAD');
    const r = migrate(dir, ['--commit']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'branch', '--show-current').trim()).toBe('kmsfix/dynamodb-cmk');
    expect(git(dir, 'rev-list', '--count', `${start.trim()}..HEAD`).trim()).toBe('1');
    // multi-gitter's PR title and body: the first line, and the rest.
    const message = git(dir, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    expect(message).toContain('Before deploying, check:');
  });

  it('on kmsfix errors exits 1 and puts the repository back as it was, also after --commit', () => {
    for (const args of [[], ['--commit']]) {
      const dir = clone({ 'a.yaml': input, 'bad.yaml': broken });
      const head = git(dir, 'rev-parse', 'HEAD');
      const r = migrate(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: /);
      expect(r.stderr).toContain('repository put back as it was');
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'branch', '--format=%(refname:short)').trim()).toBe('main');
      expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(readFileSync(input, 'utf8'));
    }
  });

  it('on kmsfix errors after --commit from a detached HEAD (a CI checkout of a SHA): back at that detached HEAD, the branch deleted', () => {
    const dir = clone({ 'a.yaml': input, 'bad.yaml': broken });
    git(dir, 'checkout', '-q', '--detach');
    const head = git(dir, 'rev-parse', 'HEAD');
    const r = migrate(dir, ['--commit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('repository put back as it was');
    // It was left on branch kmsfix/dynamodb-cmk, whose `git branch -D` then failed unseen.
    expect(spawnSync('git', ['symbolic-ref', '-q', 'HEAD'], { cwd: dir, env: ENV }).status).toBe(1);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git(dir, 'branch', '--format=%(refname:short)').trim().split('\n')).toEqual([expect.stringMatching(/detached/), 'main']);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(readFileSync(input, 'utf8'));
  });

  it('KMSFIX_KEEP_PARTIAL=1 keeps what was fixed despite the errors (exit 0)', () => {
    const dir = clone({ 'a.yaml': input, 'bad.yaml': broken });
    const r = migrate(dir, [], { KMSFIX_KEEP_PARTIAL: '1' });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(readFileSync(expected, 'utf8'));
  });

  it('passes extra flags to kmsfix fix, and puts the repository back on bad usage (kmsfix exit 2)', () => {
    const dir = clone({ 'a.yaml': input });
    expect(migrate(dir, ['--', '--key-policy', 'iam']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).not.toContain('AllowAccountPrincipalsThroughDynamoDB');
    const other = clone({ 'a.yaml': input });
    expect(migrate(other, ['--', '--key-policy', 'nope']).code).toBe(1);
    expect(git(other, 'status', '--porcelain')).toBe('');
  });

  it('exits 3 outside a clean git work tree, touching nothing', () => {
    const dir = clone({ 'a.yaml': input });
    writeFileSync(path.join(dir, 'wip.txt'), 'x\n');
    const r = migrate(dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('uncommitted changes');
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(readFileSync(input, 'utf8'));
    const plain = mkdtempSync(path.join(tmpdir(), 'kmsfix-migrate-nogit-'));
    expect(migrate(plain).code).toBe(3);
  });

  it('exits 3 for a local edit git status hides (assume-unchanged, skip-worktree), which the undo would wipe', () => {
    for (const flag of ['--assume-unchanged', '--skip-worktree']) {
      const dir = clone({ 'a.yaml': input });
      git(dir, 'update-index', flag, 'a.yaml');
      const edited = `${readFileSync(input, 'utf8')}# local only\n`;
      writeFileSync(path.join(dir, 'a.yaml'), edited);
      expect(git(dir, 'status', '--porcelain')).toBe('');
      const r = migrate(dir);
      expect([r.code, r.stderr.includes('a.yaml is marked assume-unchanged or skip-worktree')], flag).toEqual([3, true]);
      expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(edited);
    }
  });

  it('leaves submodules out (repositories of their own): the undo of an error puts everything back', () => {
    const sub = clone({ 'orders.yaml': input });
    for (const args of [[], ['--commit']]) {
      const dir = clone({ 'bad.yaml': broken });
      execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub'], { cwd: dir, env: ENV });
      git(dir, 'commit', '-q', '-m', 'sub');
      const r = migrate(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(git(path.join(dir, 'vendor/sub'), 'status', '--porcelain')).toBe('');
      expect(git(path.join(dir, 'vendor/sub'), 'branch', '--format=%(refname:short)').trim()).toBe('main');
      expect(readFileSync(path.join(dir, 'vendor/sub/orders.yaml'), 'utf8')).toBe(readFileSync(input, 'utf8'));
    }
  });
});
