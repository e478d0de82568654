/**
 * .pre-commit-hooks.yaml: each hook's entry and args run as pre-commit runs them (the entry split
 * like a shell would, the matching staged files appended as arguments), in a git repository whose
 * files are staged, with `kmsfix` being the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, GIT_ENV } from '../helpers/cli-helper.js';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  files?: string;
  exclude?: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;
const CF = path.join(FIXTURES, 'cloudformation');
const TF = path.join(FIXTURES, 'terraform');

function git(cwd: string, ...args: string[]): string {
  return spawnSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).stdout;
}

/** A git repository with these files (rel -> fixture path) staged, as at `git commit` time. */
function staged(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-precommit-'));
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "x" }\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  for (const [rel, fixture] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(fixture, path.join(dir, rel));
  }
  git(dir, 'add', '.');
  return dir;
}

/** What pre-commit runs: entry (shell-split), args, then the staged files its `files`/`exclude` select. */
function runHook(h: Hook, dir: string) {
  const candidates = git(dir, 'diff', '--cached', '--name-only', '-z').split('\0').filter(Boolean);
  const selected = candidates.filter((f) => (!h.files || new RegExp(h.files).test(f)) && !(h.exclude && new RegExp(h.exclude).test(f)));
  const [cmd, ...entryArgs] = h.entry.trim().split(/\s+/);
  expect(cmd).toBe('kmsfix');
  const argv = [...entryArgs, ...(h.args ?? []), ...(h.pass_filenames === false ? [] : selected)];
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, selected };
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares kmsfix-check (fix --check) and kmsfix-fix (fix --yes), as node hooks on IaC files', () => {
    expect(hooks.map((h) => h.id)).toEqual(['kmsfix-check', 'kmsfix-fix']);
    expect(hook('kmsfix-check').entry).toMatch(/^kmsfix fix --check\b/);
    expect(hook('kmsfix-fix').entry).toMatch(/^kmsfix fix --yes\b/);
    for (const h of hooks) expect(h.language).toBe('node');
    // A fix in place locks its tree: pre-commit must not run two batches at once.
    expect(hook('kmsfix-fix').require_serial).toBe(true);
    const files = new RegExp(hook('kmsfix-check').files!);
    for (const f of ['a.yaml', 'b.yml', 'c.json', 'd.template', 'e-cf.yml.j2', 'main.tf', 'main.tofu', 'cdk.tf.json', 'stack.ts'])
      expect(files.test(f), f).toBe(true);
    for (const f of ['README.md', 'x.py', 'y.sarif']) expect(files.test(f), f).toBe(false);
  });

  const files = () => ({
    'infra/app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
    'infra/ok.yaml': path.join(CF, 'yaml-no-sse', 'expected.yaml'),
    'tf/main.tf': path.join(TF, 'no-sse-block', 'input.tf'),
    'test/fixture.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
    'notes.md': path.join(CF, 'yaml-no-sse', 'input.yaml'),
  });

  it('kmsfix-check fails on a staged file fix would change, lists it, and writes nothing', () => {
    const dir = staged(files());
    const before = readFileSync(path.join(dir, 'infra/app.yaml'));
    const r = runHook(hook('kmsfix-check'), dir);
    expect(r.selected.sort()).toEqual(['infra/app.yaml', 'infra/ok.yaml', 'tf/main.tf']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['infra/app.yaml', 'tf/main.tf']);
    expect(readFileSync(path.join(dir, 'infra/app.yaml'))).toEqual(before);
    expect(git(dir, 'status', '--porcelain')).not.toMatch(/^.M/m);
  });

  it('kmsfix-check passes when every staged table is compliant', () => {
    const dir = staged({
      'ok.yaml': path.join(CF, 'yaml-no-sse', 'expected.yaml'),
      'main.tf': path.join(TF, 'no-sse-block', 'expected.tf'),
    });
    const r = runHook(hook('kmsfix-check'), dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('kmsfix-fix rewrites staged files (exit 0, the files modified: pre-commit then stops the commit), and check passes after', () => {
    const dir = staged(files());
    const r = runHook(hook('kmsfix-fix'), dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(''); // --quiet: no diff
    expect(readFileSync(path.join(dir, 'infra/app.yaml'), 'utf8')).toBe(
      readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'tf/main.tf'), 'utf8')).toBe(readFileSync(path.join(TF, 'no-sse-block', 'expected.tf'), 'utf8'));
    // Excluded: test code and files of other types stay as they were.
    expect(readFileSync(path.join(dir, 'test/fixture.yaml'), 'utf8')).toBe(
      readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'),
    );
    // What pre-commit sees: files modified since they were staged.
    expect(
      git(dir, 'status', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('AM'))
        .sort(),
    ).toEqual(['AM infra/app.yaml', 'AM tf/main.tf']);
    git(dir, 'add', '.');
    expect(runHook(hook('kmsfix-check'), dir).code).toBe(0);
    expect(runHook(hook('kmsfix-fix'), dir).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).not.toMatch(/^.M/m);
  });

  it('both hooks exit 2 on a staged file that cannot be parsed, and kmsfix-fix still fixes the others', () => {
    const dir = staged({
      'bad.yaml': path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml'),
      'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
    });
    const bad = readFileSync(path.join(dir, 'bad.yaml'));
    expect(runHook(hook('kmsfix-check'), dir).code).toBe(2);
    const r = runHook(hook('kmsfix-fix'), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: /);
    expect(readFileSync(path.join(dir, 'bad.yaml'))).toEqual(bad);
    expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'));
  });
});
