/** What a run looks at: --exclude GLOB (discovery) and --skip-table PATTERN (tables by address). */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { skippedBy } from '../../src/rule/skip.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { GIT_ENV, runCli, scanJson } from '../helpers/cli-helper.js';

const TEMPLATE = readFileSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'));

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-select-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), TEMPLATE);
  }
  return dir;
}

const files = async (args: string[], cwd: string, env: Record<string, string> = {}) =>
  ((await scanJson(cwd, args, env)).tables as { file: string }[]).map((t) => t.file);

/** A git repository holding `files` (none tracked), its user's own configuration files out of the way. */
function repo(files: string[]): { dir: string; env: Record<string, string>; git: (...args: string[]) => void } {
  const dir = tree(files);
  const home = mkdtempSync(path.join(tmpdir(), 'kmsfix-select-home-'));
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg'), GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => void execFileSync('git', ['-C', dir, ...args], { env: { ...GIT_ENV, ...env }, stdio: 'ignore' });
  git('init', '-q');
  return { dir, env, git };
}

describe('--exclude GLOB', () => {
  it('leaves out paths matching .gitignore-style globs, relative to the scanned folder; repeatable', async () => {
    const dir = tree(['app/t.yaml', 'examples/t.yaml', 'legacy/old/t.yaml', 'app/sample.yaml']);
    expect(await files(['.'], dir)).toEqual(['app/sample.yaml', 'app/t.yaml', 'examples/t.yaml', 'legacy/old/t.yaml']);
    expect(await files(['--exclude', 'examples/', '--exclude', 'legacy', '.'], dir)).toEqual(['app/sample.yaml', 'app/t.yaml']);
    expect(await files(['--exclude', 'sample.*', '.'], dir)).toEqual(['app/t.yaml', 'examples/t.yaml', 'legacy/old/t.yaml']);
    // Relative to the folder given to scan: "t.yaml" below app/ is app/t.yaml from the parent.
    expect(await files(['--exclude', '/t.yaml', 'app'], dir)).toEqual(['app/sample.yaml']);
    expect(await files(['--exclude', '/t.yaml', '.'], dir)).toEqual([
      'app/sample.yaml',
      'app/t.yaml',
      'examples/t.yaml',
      'legacy/old/t.yaml',
    ]);
  });

  it('applies to files named on the command line too (a pre-commit hook passes file names)', async () => {
    const dir = tree(['app/t.yaml', 'examples/t.yaml']);
    expect(await files(['--exclude', 'examples/**', 'app/t.yaml', 'examples/t.yaml'], dir)).toEqual(['app/t.yaml']);
  });

  it('a fix leaves excluded files untouched', async () => {
    const dir = tree(['app/t.yaml', 'examples/t.yaml']);
    const r = await runCli(['fix', '--yes', '--exclude', 'examples', '.'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'examples/t.yaml')).equals(TEMPLATE)).toBe(true);
    expect(readFileSync(path.join(dir, 'app/t.yaml')).equals(TEMPLATE)).toBe(false);
  });
});

describe('--skip-table PATTERN', () => {
  it('matches whole addresses with * and ?', () => {
    expect(skippedBy('OrdersTable', ['Orders*'])).toBe('Orders*');
    expect(skippedBy('aws_dynamodb_table.legacy_a', ['aws_dynamodb_table.legacy_?'])).toBe('aws_dynamodb_table.legacy_?');
    expect(skippedBy('module.cache.aws_dynamodb_table.t', ['module.cache.*'])).toBe('module.cache.*');
    expect(skippedBy('OrdersTable', ['Orders'])).toBeUndefined();
    expect(skippedBy('XOrdersTable', ['Orders*'])).toBeUndefined();
    expect(skippedBy('a.b', ['a?b', 'a.c'])).toBe('a?b');
  });

  it('reports a skipped table suppressed and compliant (exit 0), and fix never changes it', async () => {
    const dir = tree(['t.yaml']);
    const r = await runCli(['scan', '--skip-table', 'OrdersTable'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('t.yaml:11  OrdersTable  suppressed  Skipped by --skip-table OrdersTable');
    const json = await scanJson(dir, ['--skip-table', 'Orders*']);
    expect(json.tables[0]).toMatchObject({ status: 'suppressed', compliant: true, fixable: false });
    expect(json.tables[0].message).toContain('without it: aws-owned');
    const fix = await runCli(['fix', '--yes', '--skip-table', 'Orders*'], dir);
    expect(fix.code).toBe(0);
    expect(readFileSync(path.join(dir, 't.yaml')).equals(TEMPLATE)).toBe(true);
  });

  it('--skip-check is not an option (one rule): the message suggests --skip-table', async () => {
    const r = await runCli(['scan', '--skip-check', 'CKV_AWS_119'], tree([]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --skip-check: kmsfix checks one rule: leave tables out with --skip-table PATTERN');
  });
});

describe('.gitignore files at several levels', () => {
  it("a deeper file's negation re-includes a folder the root's leaves out, as git does", async () => {
    const dir = tree(['lib/t.yaml', 'svc/lib/t.yaml', 'svc/lib/deep/t.yaml', 'other/lib/t.yaml', 'svc/build/t.yaml']);
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.gitignore'), 'lib/\nbuild/\n');
    writeFileSync(path.join(dir, 'svc', '.gitignore'), '!lib\n');
    expect(await files(['.'], dir)).toEqual(['svc/lib/deep/t.yaml', 'svc/lib/t.yaml']);
    // The same folder scanned by name: its ancestors' files count as they do from the root.
    expect(await files(['svc'], dir)).toEqual(['svc/lib/deep/t.yaml', 'svc/lib/t.yaml']);
  });
});

describe('fixtures still pass through discovery', () => {
  it('a tree with a gitignored folder and an excluded one', async () => {
    const dir = tree(['a/t.yaml', 'b/t.yaml', 'c/t.yaml']);
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.gitignore'), 'b/\n');
    cpSync(path.join(dir, 'a', 't.yaml'), path.join(dir, 'a', 'u.yaml'));
    expect(await files(['--exclude', 'c', '.'], dir)).toEqual(['a/t.yaml', 'a/u.yaml']);
  });
});

describe('what else git reads to leave a path out (session 59, F2 and F3)', () => {
  it('.gitignore and --exclude match with case, as git does without core.ignorecase: an untracked Infra/ under `infra/` is read', async () => {
    const { dir, env, git } = repo(['Infra/t.yaml', 'infra/t.yaml', 'Legacy/t.yaml', 'legacy/t.yaml']);
    writeFileSync(path.join(dir, '.gitignore'), 'infra/\n');
    expect(await files(['.'], dir, env)).toEqual(['Infra/t.yaml', 'Legacy/t.yaml', 'legacy/t.yaml']);
    expect(await files(['--exclude', 'legacy/', '.'], dir, env)).toEqual(['Infra/t.yaml', 'Legacy/t.yaml']);
    // With core.ignorecase (a case-insensitive file system's clone), git matches regardless of case; --exclude still with it.
    git('config', 'core.ignorecase', 'true');
    expect(await files(['--exclude', 'legacy/', '.'], dir, env)).toEqual(['Legacy/t.yaml']);
  });

  it('reads the repository’s info/exclude, core.excludesFile and its default $XDG_CONFIG_HOME/git/ignore; a tracked file stays read', async () => {
    const { dir, env, git } = repo(['app/t.yaml', 'scratch/t.yaml', 'scratch/kept.yaml', 'tmp/t.yaml', 'gen/t.yaml']);
    writeFileSync(path.join(dir, '.git', 'info', 'exclude'), '# git init writes comments\nscratch/\n');
    git('add', '-f', 'scratch/kept.yaml');
    git('commit', '-q', '-m', 'kept');
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'git'), { recursive: true });
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'git', 'ignore'), 'tmp/\n');
    expect(await files(['.'], dir, env)).toEqual(['app/t.yaml', 'gen/t.yaml', 'scratch/kept.yaml']);
    // A fix writes what the scan reports, and nothing git ignores (--force: the files are not committed).
    expect((await runCli(['fix', '--yes', '--force', '-q', '.'], dir, undefined, env)).code).toBe(0);
    for (const f of ['scratch/t.yaml', 'tmp/t.yaml']) expect(readFileSync(path.join(dir, f)).equals(TEMPLATE), f).toBe(true);
    expect(readFileSync(path.join(dir, 'scratch/kept.yaml')).equals(TEMPLATE)).toBe(false);
    git('checkout', '-q', '.');
    // core.excludesFile, when set, is read in place of the default (a `~/` path from HOME).
    writeFileSync(path.join(env.HOME, 'ignore'), 'gen/\n');
    git('config', 'core.excludesFile', '~/ignore');
    expect(await files(['.'], dir, env)).toEqual(['app/t.yaml', 'scratch/kept.yaml', 'tmp/t.yaml']);
  });

  it('a repository inside the walked one is matched by its own ignore files, not by those of the one around it', async () => {
    const { dir, env } = repo(['gen/t.yaml', 'sub/gen/t.yaml', 'sub/local/t.yaml']);
    execFileSync('git', ['-C', path.join(dir, 'sub'), 'init', '-q'], { env: { ...GIT_ENV, ...env } });
    writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
    writeFileSync(path.join(dir, 'sub', '.git', 'info', 'exclude'), 'local/\n');
    expect(await files(['.'], dir, env)).toEqual(['sub/gen/t.yaml']);
    expect(await files(['sub'], dir, env)).toEqual(['sub/gen/t.yaml']);
  });
});
