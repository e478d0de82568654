/**
 * `--patch` and `--patch-dir` (issue 14, items 8, 10, 17): never over a scanned file or folder,
 * named errors and exit 2 for every output that cannot be written (missing folder, a file where a
 * folder should be, /proc, a full disk), atomic writes, and paths quoted as git quotes them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN, GIT_ENV, runCli, snapshot } from '../helpers/cli-helper.js';
import { gitQuote } from '../../src/report/diff.js';

const CF = path.join(FIXTURES, 'cloudformation');
const ENV = { KMSFIX_LOCK_DIR: mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-')) };
/** Preloaded into the CLI: writes to paths matching KMSFIX_TEST_ENOSPC fail with ENOSPC, half written (test/faults/enospc.mjs). */
const ENOSPC = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'faults', 'enospc.mjs');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-patch-'));
}

function app(dir: string, name = 'app.yaml'): string {
  cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, name));
  return path.join(dir, name);
}

/** The CLI with node options, killed after `ms`. */
function runNode(
  nodeArgs: string[],
  args: string[],
  cwd: string,
  env: Record<string, string>,
  ms = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...ENV, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('--patch and --patch-dir never name what is scanned', () => {
  it('refuses a patch over a scanned file, or a patch folder that is a scanned folder; nothing is touched', async () => {
    const dir = tmp();
    app(dir);
    mkdirSync(path.join(dir, 'infra'));
    app(path.join(dir, 'infra'), 't.yaml');
    const before = snapshot(dir);
    for (const args of [
      ['fix', '--patch', 'app.yaml', 'app.yaml'],
      ['fix', '--patch', 'infra/t.yaml', 'infra'],
      ['fix', '--patch', 'infra/new.yaml', 'infra'],
      ['fix', '--patch', 'infra', 'app.yaml'],
      ['fix', '--patch-dir', 'infra', 'infra'],
      ['fix', '--patch-dir', '.'],
    ]) {
      const r = await runCli(args, dir, '', ENV);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^kmsfix: --patch(-dir)? \S+: /);
      expect(snapshot(dir)).toEqual(before);
    }
  });
});

describe('outputs that cannot be written', () => {
  it('a patch into a missing folder, a patch folder that is a file, /proc: named errors, exit 2, no stack trace', async () => {
    const dir = tmp();
    app(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    for (const [args, message] of [
      [['fix', '--patch', 'missing/dir/x.patch'], '--patch missing/dir/x.patch: the folder missing/dir does not exist'],
      [['fix', '--patch-dir', 'notes.txt'], '--patch-dir notes.txt: is a file, not a folder'],
      [['fix', '--patch-dir', '/proc/nope'], 'cannot create /proc/nope'],
    ] as const) {
      const r = await runNode([], [...args], dir, {}, 20_000);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'));
  });

  it('a full disk while writing a patch: named error, exit 2, the old patch left whole, no temp file', async () => {
    const dir = tmp();
    app(dir);
    writeFileSync(path.join(dir, 'fix.patch'), 'an earlier patch\n');
    const r = await runNode(['--import', ENOSPC], ['fix', '--patch', 'fix.patch'], dir, { KMSFIX_TEST_ENOSPC: 'fix\\.patch$' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: fix.patch: cannot write fix.patch: no space left on device (ENOSPC)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(dir, 'fix.patch'), 'utf8')).toBe('an earlier patch\n');
    expect(readdirSync(dir).filter((n) => n.startsWith('.kmsfix-tmp-'))).toEqual([]);

    const pd = await runNode(['--import', ENOSPC], ['fix', '--patch-dir', 'out', '--format', 'json', 'app.yaml'], dir, {
      KMSFIX_TEST_ENOSPC: '\\.patch$',
    });
    expect(pd.code).toBe(2);
    const summary = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.summary).toMatchObject({ planned: 1, fixed: 0, patches: 0 });
    const patch = `out/${path.basename(dir)}.patch`;
    expect(summary.repositories[0].errors).toEqual([{ file: patch, message: `cannot write ${patch}: no space left on device (ENOSPC)` }]);
    expect(JSON.parse(pd.stdout).tables[0]).toMatchObject({ planned: true, fixed: false });
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['summary.json']);

    // The text report writes each repository's patch as the run goes (a temp file in DIR): the same.
    const streamed = await runNode(['--import', ENOSPC], ['fix', '--patch-dir', 'out2', 'app.yaml'], dir, {
      KMSFIX_TEST_ENOSPC: '\\.patch$',
    });
    expect(streamed.code).toBe(2);
    expect(streamed.stderr).toContain(
      `error: out2/${path.basename(dir)}.patch: cannot write out2/${path.basename(dir)}.patch: no space left`,
    );
    expect(streamed.stderr).toContain('not fixed: app.yaml:');
    expect(JSON.parse(readFileSync(path.join(dir, 'out2', 'summary.json'), 'utf8')).summary).toMatchObject({
      planned: 1,
      fixed: 0,
      patches: 0,
    });
    expect(readdirSync(path.join(dir, 'out2'))).toEqual(['summary.json']);
  });
});

describe('paths in patches', () => {
  it('quotes paths as git does: the patch applies, and gives what fix writes', async () => {
    const names = ['tab\there.yaml', 'new\nline.yaml', 'é-accent.yaml', 'quote"d.yaml', 'back\\slash.yaml', 'with space.yaml'];
    const a = tmp();
    const b = tmp();
    for (const n of names) {
      app(a, n);
      app(b, n);
    }
    execFileSync('git', ['init', '-q'], { cwd: a });
    const r = await runCli(['fix', '--patch', 'fix.patch'], a, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    const patch = readFileSync(path.join(a, 'fix.patch'), 'utf8');
    expect(patch).toContain('diff --git "a/tab\\there.yaml" "b/tab\\there.yaml"\n--- "a/tab\\there.yaml"\n+++ "b/tab\\there.yaml"\n');
    expect(patch).toContain('diff --git "a/\\303\\251-accent.yaml" "b/\\303\\251-accent.yaml"');
    expect(patch).toContain('diff --git a/with space.yaml b/with space.yaml');
    execFileSync('git', ['apply', 'fix.patch'], { cwd: a });
    expect((await runCli(['fix', '--yes'], b, '', ENV)).code).toBe(0);
    const applied = snapshot(a);
    applied.delete('fix.patch');
    expect(applied).toEqual(snapshot(b));
  });

  it('run in a subfolder of a git work tree: paths from its root, as git diff writes them; git apply from the subfolder or the root, and patch -p1 from the root, give what fix writes', async () => {
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
    const make = () => {
      const root = tmp();
      mkdirSync(path.join(root, 'infra', 'deep'), { recursive: true });
      app(path.join(root, 'infra'));
      app(path.join(root, 'infra', 'deep'), 't.yaml');
      app(root, 'top.yaml'); // outside the folder kmsfix runs in: never in its patch
      git(root, 'init', '-q');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'init');
      return root;
    };
    const patched = tmp();
    const src = make();
    const r = await runCli(['fix', '.', '--patch', path.join(patched, 'fix.patch')], path.join(src, 'infra'), '', ENV);
    expect(r.code, r.stderr).toBe(0);
    const patch = readFileSync(path.join(patched, 'fix.patch'), 'utf8');
    expect(patch).toContain('diff --git a/infra/app.yaml b/infra/app.yaml\n');
    expect(patch).toContain('diff --git a/infra/deep/t.yaml b/infra/deep/t.yaml\n');
    expect(patch).not.toContain('top.yaml');
    // The same paths on stdout (`--patch -`).
    expect((await runCli(['fix', '.', '--patch', '-', '-q'], path.join(src, 'infra'), '', ENV)).stdout).toBe(patch);
    const fixed = make();
    expect((await runCli(['fix', '.', '--yes', '-q'], path.join(fixed, 'infra'), '', ENV)).code).toBe(0);
    const want = snapshot(fixed);
    for (const [where, apply] of [
      ['infra', (root: string) => git(path.join(root, 'infra'), 'apply', path.join(patched, 'fix.patch'))],
      ['root', (root: string) => git(root, 'apply', path.join(patched, 'fix.patch'))],
      ['root, patch -p1', (root: string) => execFileSync('patch', ['-s', '-p1', '-i', path.join(patched, 'fix.patch')], { cwd: root })],
    ] as const) {
      const root = make();
      apply(root);
      expect(snapshot(root), where).toEqual(want);
    }
    // Outside a work tree: paths from the current folder.
    const loose = tmp();
    mkdirSync(path.join(loose, 'infra'));
    app(path.join(loose, 'infra'));
    expect((await runCli(['fix', '.', '--patch', '-', '-q'], path.join(loose, 'infra'), '', ENV)).stdout).toContain(
      'diff --git a/app.yaml b/app.yaml\n',
    );
  });

  it('never writes a/../x: a file outside the current folder is left out of --patch with an error; a diff shows its absolute path', async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'here'));
    mkdirSync(path.join(root, 'there'));
    app(path.join(root, 'there'));
    app(path.join(root, 'here'), 'in.yaml');
    const cwd = path.join(root, 'here');
    const r = await runCli(['fix', '--patch', 'fix.patch', '.', '../there/app.yaml'], cwd, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: ../there/app.yaml: outside the current directory: left out of the patch');
    const patch = readFileSync(path.join(cwd, 'fix.patch'), 'utf8');
    expect(patch).not.toContain('/../');
    expect(patch).toContain('diff --git a/in.yaml b/in.yaml');
    execFileSync('git', ['apply', '--check', 'fix.patch'], { cwd });
    const dry = await runCli(['fix', '--dry-run', '../there/app.yaml'], cwd, '', ENV);
    expect(dry.stdout).not.toContain('a/../');
    const abs = path.join(root, 'there', 'app.yaml').replace(/^\//, '');
    expect(dry.stdout).toContain(`--- ${gitQuote(`a/${abs}`)}\n`);
    expect(existsSync(path.join(root, 'there', 'fix.patch'))).toBe(false);
  });
});
