/** Bulk migration: --patch-dir over many git repositories, --check, dirty-file refusal, --force, --quiet, progress, limits. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { parsePorcelainZ } from '../../src/io/git.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN, pausedCli, runCli, snapshot, GIT_ENV } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-bulk-'));
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

function put(dir: string, rel: string, fixture: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  cpSync(path.join(CF, fixture), path.join(dir, rel));
}

/** A committed git repository with the given files (rel path -> fixture path under cloudformation/). */
function repo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [rel, fixture] of Object.entries(files)) put(dir, rel, fixture);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** Two trees of the same repositories: one for patches, one fixed in place, to compare. */
function estate(): string {
  const src = tmp();
  repo(path.join(src, 'orders'), {
    'infra/app.yaml': 'yaml-no-sse/input.yaml',
    'infra/win.yaml': 'yaml-crlf-bom/input.yaml',
    'README.md': 'yaml-no-sse/input.yaml',
  });
  repo(path.join(src, 'audit'), { 'stacks/audit.json': 'json-4space/input.json', 'ok.yaml': 'yaml-no-sse/expected.yaml' });
  repo(path.join(src, 'team-b', 'orders'), { 'last.yml': 'yaml-no-final-newline/input.yaml' });
  repo(path.join(src, 'global'), { 'g.yaml': 'global-table-multi-region/input.yaml' });
  repo(path.join(src, 'empty'), { 'notes.yaml': 'yaml-no-sse/expected.yaml' });
  mkdirSync(path.join(src, 'loose'));
  put(src, 'loose/t.yaml', 'yaml-no-sse/input.yaml');
  return src;
}

describe('fix --patch-dir', () => {
  it('writes one patch per repository that git apply accepts at its root, a summary.json and a table', async () => {
    const a = estate();
    const b = tmp();
    cpSync(a, b, { recursive: true });
    const before = snapshot(a);
    const r = await runCli(['fix', '--patch-dir', 'patches', 'orders', 'audit', 'team-b', 'global', 'empty', 'loose'], a);
    expect(r.stderr).toContain('patches written to patches');
    expect(r.code).toBe(0);
    // No source file touched.
    const after = snapshot(a);
    for (const k of [...after.keys()]) if (k.startsWith('patches/')) after.delete(k);
    expect(after).toEqual(before);

    const names = readdirSync(path.join(a, 'patches')).sort();
    // Git repositories also get their change as a mail for git am (test/cli/commit.test.ts); loose folders do not.
    expect(names).toEqual([
      'audit.mbox',
      'audit.patch',
      'global.mbox',
      'global.patch',
      'loose.patch',
      'orders-2.mbox',
      'orders-2.patch',
      'orders.mbox',
      'orders.patch',
      'summary.json',
    ]);
    const orders = readFileSync(path.join(a, 'patches', 'orders.patch'), 'utf8');
    expect(orders).toContain('diff --git a/infra/app.yaml b/infra/app.yaml');
    expect(orders).toContain('diff --git a/infra/win.yaml b/infra/win.yaml');

    const summary = JSON.parse(readFileSync(path.join(a, 'patches', 'summary.json'), 'utf8'));
    const byPath = Object.fromEntries(summary.repositories.map((x: { path: string }) => [x.path, x]));
    expect(Object.keys(byPath).sort()).toEqual(['audit', 'empty', 'global', 'loose', 'orders', 'team-b/orders']);
    expect(byPath.orders).toMatchObject({
      repository: 'orders',
      git: true,
      patch: 'orders.patch',
      tables: 2,
      fixed: 2,
      notFixable: [],
      errors: [],
    });
    expect(byPath['team-b/orders']).toMatchObject({ repository: 'orders-2', patch: 'orders-2.patch', fixed: 1 });
    expect(byPath.audit).toMatchObject({ tables: 2, compliant: 1, fixed: 1 });
    expect(byPath.empty).toMatchObject({ tables: 1, compliant: 1, fixed: 0, patch: null });
    expect(byPath.loose).toMatchObject({ git: false, patch: 'loose.patch', fixed: 1 });
    expect(byPath.global).toMatchObject({ patch: 'global.patch', tables: 2, fixed: 1 });
    expect(byPath.global.notFixable).toEqual([
      expect.objectContaining({
        file: 'g.yaml',
        address: 'Accounts',
        status: 'aws-managed',
        reason: expect.stringContaining('us-east-1, eu-west-1'),
      }),
    ]);
    expect(summary.summary).toMatchObject({ repositories: 6, patches: 5, fixed: 6, notFixable: 1, errors: 0 });
    expect(r.stdout).toMatch(/^repository\s+tables\s+fixed\s+not fixable\s+errors\s+patch\n/);
    expect(r.stdout).toMatch(/\norders-2\s+1\s+1\s+0\s+0\s+orders-2\.patch\n/);
    expect(r.stdout).not.toContain('+++'); // no diff on stdout

    // Each patch applies at its repository's root and gives what fix in place writes.
    for (const [p, name] of [
      ['orders', 'orders'],
      ['audit', 'audit'],
      ['team-b/orders', 'orders-2'],
      ['global', 'global'],
    ]) {
      git(path.join(a, p), 'apply', path.join(a, 'patches', `${name}.patch`));
    }
    git(path.join(a, 'loose'), 'apply', path.join(a, 'patches', 'loose.patch'));
    const fixed = await runCli(['fix', 'orders', 'audit', 'team-b', 'global', 'empty', 'loose'], b);
    expect(fixed.code).toBe(0);
    const applied = snapshot(a);
    for (const k of [...applied.keys()]) if (k.startsWith('patches/')) applied.delete(k);
    expect(applied).toEqual(snapshot(b));
  });

  it('finds repositories below one path, and the repository above a path given inside it', async () => {
    const a = estate();
    const r = await runCli(['fix', '--patch-dir', '../out', '.'], path.join(a, 'orders', 'infra'));
    expect(r.code).toBe(0);
    const orders = readFileSync(path.join(a, 'orders', 'out', 'orders.patch'), 'utf8');
    expect(orders).toContain('--- a/infra/app.yaml'); // relative to the repository root, not to the cwd
    git(path.join(a, 'orders'), 'apply', '--check', path.join(a, 'orders', 'out', 'orders.patch'));
    const all = await runCli(['fix', '--patch-dir', 'p', '--format', 'json'], a);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).summary).toMatchObject({ fixed: 6 });
    // Files outside any repository are grouped under the command-line folder they were found in.
    const names = readdirSync(path.join(a, 'p')).sort();
    expect(names).toEqual(
      [
        'audit.patch',
        'global.patch',
        `${path.basename(a)}.patch`,
        'orders-2.patch',
        'orders.patch',
        'summary.json',
        'audit.mbox',
        'global.mbox',
        'orders-2.mbox',
        'orders.mbox',
      ].sort(),
    );
    expect(readFileSync(path.join(a, 'p', `${path.basename(a)}.patch`), 'utf8')).toContain('--- a/loose/t.yaml');
  });

  it('cannot be combined with --patch, --dry-run or --check, is not a scan option, and is in the help', async () => {
    const d = tmp();
    expect((await runCli(['fix', '--patch-dir', 'p', '--patch', 'x.patch'], d)).code).toBe(2);
    expect((await runCli(['fix', '--patch-dir', 'p', '--dry-run'], d)).code).toBe(2);
    expect((await runCli(['fix', '--check', '--dry-run'], d)).code).toBe(2);
    expect((await runCli(['scan', '--patch-dir', 'p'], d)).code).toBe(2);
    expect((await runCli(['scan', '--force'], d)).code).toBe(2);
    expect((await runCli(['scan', '--quiet'], d)).code).toBe(0);
    const help = (await runCli(['--help'], d)).stdout;
    for (const flag of ['--patch-dir DIR', '--check', '--force', '--quiet']) expect(help).toContain(flag);
  });
});

describe('fix --check', () => {
  it('lists the files fix would change, writes nothing, exits 1; 0 once fixed; 2 on errors', async () => {
    const d = tmp();
    put(d, 'a.yaml', 'yaml-no-sse/input.yaml');
    put(d, 'b/ok.yaml', 'yaml-no-sse/expected.yaml');
    put(d, 'c.json', 'json-4space/input.json');
    const before = snapshot(d);
    const r = await runCli(['fix', '--check'], d);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('a.yaml\nc.json\n');
    expect(r.stderr).toContain('check, nothing written');
    expect(snapshot(d)).toEqual(before);
    const j = await runCli(['fix', '--check', '--format', 'json'], d);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).files.map((f: { written: boolean }) => f.written)).toEqual([false, false]);
    expect((await runCli(['fix'], d)).code).toBe(0);
    const ok = await runCli(['fix', '--check'], d);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    put(d, 'bad.yaml', 'bad/yaml-bad-indent/input.yaml');
    expect((await runCli(['fix', '--check'], d)).code).toBe(2);
  });
});

describe('fix --patch-dir in git work trees with uncommitted changes', () => {
  /**
   * A repository whose last commit has a clean template and a Terraform module (two files fixed
   * together), and then a template edited, one untracked, and one file of the module edited.
   */
  function dirtyRepo(): string {
    const d = repo(tmp(), { 'clean.yaml': 'yaml-no-sse/input.yaml', 'edited.yaml': 'yaml-no-sse/input.yaml' });
    cpSync(path.join(FIXTURES, 'terraform', 'module-dir', 'input'), path.join(d, 'mod'), { recursive: true });
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'module');
    writeFileSync(path.join(d, 'edited.yaml'), readFileSync(path.join(d, 'edited.yaml'), 'utf8') + '# work in progress\n');
    writeFileSync(path.join(d, 'mod', 'users.tf'), readFileSync(path.join(d, 'mod', 'users.tf'), 'utf8') + '# work in progress\n');
    put(d, 'untracked.yaml', 'yaml-no-sse/input.yaml');
    return d;
  }

  it('leaves a file with uncommitted changes (and its group) out of the patch and mail, which git am applies to the last commit; --force puts them in', async () => {
    const d = dirtyRepo();
    const out = tmp();
    const r = await runCli(['fix', '--patch-dir', out, '.'], d);
    expect(r.code).toBe(2);
    const why = "left out of its repository's patch and mail, which git am applies to the last commit";
    for (const f of ['edited.yaml', 'untracked.yaml', 'mod/users.tf'])
      expect(r.stderr).toContain(
        `error: ${f}: has uncommitted changes in its git work tree: ${why} (commit or stash them first, or use --force)`,
      );
    expect(r.stderr).toContain(
      "error: mod/main.tf: left out of its repository's patch and mail: the files of its group (mod/main.tf, mod/users.tf) go in them all or none, and mod/users.tf was refused",
    );
    const name = path.basename(d);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.repositories[0]).toMatchObject({ filesChanged: 1, planned: 5, fixed: 1 });
    expect(summary.repositories[0].errors.map((e: { file: string }) => e.file).sort()).toEqual([
      'edited.yaml',
      'mod/main.tf',
      'mod/users.tf',
      'untracked.yaml',
    ]);
    // The mail holds the clean file only, and applies to the last commit.
    const mail = readFileSync(path.join(out, `${name}.mbox`), 'utf8');
    expect(mail).toContain('diff --git a/clean.yaml');
    expect(mail).not.toMatch(/diff --git a\/(edited\.yaml|untracked\.yaml|mod\/)/);
    // Their tables are said as not changed by the commit.
    expect(mail).toMatch(/Not changed[\s\S]*edited\.yaml/);
    const clone = path.join(tmp(), 'c');
    git(d, 'clone', '-q', d, clone);
    git(clone, 'switch', '-q', '-c', 'kmsfix/dynamodb-cmk');
    git(clone, 'am', '-q', path.join(out, `${name}.mbox`));
    expect(readFileSync(path.join(clone, 'clean.yaml'), 'utf8')).toContain('OrdersTableKey');

    const forced = await runCli(['fix', '--force', '--patch-dir', out, '.'], d);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(out, `${name}.patch`), 'utf8')).toMatch(/edited\.yaml[\s\S]*untracked\.yaml/);
    // Previews and scans are not about the patches: no error.
    for (const args of [['fix', '--dry-run'], ['fix', '--check'], ['scan'], ['fix', '--patch', path.join(out, 'all.diff')]]) {
      const p = await runCli([...args, '.'], d);
      expect(p.stderr, args.join(' ')).not.toContain('uncommitted');
      expect(p.code, args.join(' ')).not.toBe(2);
    }
  });
});

describe('fixing in place in git work trees', () => {
  it('refuses files with uncommitted changes (modified, staged, untracked) and names them; --force writes them', async () => {
    const d = repo(tmp(), {
      'clean.yaml': 'yaml-no-sse/input.yaml',
      'edited.yaml': 'yaml-no-sse/input.yaml',
      'staged.json': 'json-4space/input.json',
    });
    writeFileSync(path.join(d, 'edited.yaml'), readFileSync(path.join(d, 'edited.yaml'), 'utf8') + '# work in progress\n');
    writeFileSync(path.join(d, 'staged.json'), readFileSync(path.join(d, 'staged.json'), 'utf8') + '\n');
    git(d, 'add', 'staged.json');
    put(d, 'new dir/untracked.yaml', 'yaml-no-sse/input.yaml');
    const dirty = ['edited.yaml', 'staged.json', 'new dir/untracked.yaml'];
    const before = Object.fromEntries(dirty.map((f) => [f, readFileSync(path.join(d, f), 'utf8')]));
    const r = await runCli(['fix'], d);
    expect(r.code).toBe(2);
    for (const f of dirty) {
      expect(r.stderr).toContain(
        `error: ${f}: has uncommitted changes in its git work tree: not written (commit or stash them first, or use --force)`,
      );
      expect(readFileSync(path.join(d, f), 'utf8')).toBe(before[f]);
    }
    expect(r.stderr).toContain('1 file written');
    expect(readFileSync(path.join(d, 'clean.yaml'), 'utf8')).toContain('OrdersTableKey');
    const forced = await runCli(['fix', '--force'], d);
    expect(forced.code).toBe(0);
    for (const f of dirty) expect(readFileSync(path.join(d, f), 'utf8')).not.toBe(before[f]);
    expect((await runCli(['fix', '--check'], d)).code).toBe(0);
  });

  it('parses git status --porcelain -z, renames included', () => {
    const out = ' M a.yaml\0R  new.yaml\0old.yaml\0?? dir/x y.json\0';
    expect([...parsePorcelainZ(out, '/r')].sort()).toEqual(['/r/a.yaml', '/r/dir/x y.json', '/r/new.yaml', '/r/old.yaml']);
  });

  it('does not follow symlinks out of the given paths, never writes through a symlink, skips big files', async () => {
    const outside = tmp();
    put(outside, 'victim.yaml', 'yaml-no-sse/input.yaml');
    const d = tmp();
    put(d, 'in/t.yaml', 'yaml-no-sse/input.yaml');
    symlinkSync(path.join(outside, 'victim.yaml'), path.join(d, 'in', 'link.yaml'));
    symlinkSync(outside, path.join(d, 'in', 'linkdir'));
    const victim = readFileSync(path.join(outside, 'victim.yaml'), 'utf8');
    const big = readFileSync(path.join(CF, 'yaml-no-sse/input.yaml'), 'utf8') + '#'.repeat(5 * 1024 * 1024) + '\n';
    writeFileSync(path.join(d, 'in', 'big.yaml'), big);
    const r = await runCli(['fix', 'in'], d);
    expect(r.stderr).toContain('in/big.yaml: skipped: larger than 5 MB');
    expect(readFileSync(path.join(d, 'in/t.yaml'), 'utf8')).toContain('OrdersTableKey');
    expect(readFileSync(path.join(outside, 'victim.yaml'), 'utf8')).toBe(victim);
    expect(readFileSync(path.join(d, 'in', 'big.yaml'), 'utf8')).toBe(big);
    // Named explicitly, the link is read but not replaced.
    const e = await runCli(['fix', 'in/link.yaml'], d);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(
      `in/link.yaml: reached through the symbolic link in/link.yaml -> ${path.join(outside, 'victim.yaml')}: read, never written`,
    );
    expect(readFileSync(path.join(outside, 'victim.yaml'), 'utf8')).toBe(victim);
  });
});

describe('progress and --quiet', () => {
  function io(dir: string, progress: boolean): Io & { errs: string[]; outs: string[] } {
    const errs: string[] = [];
    const outs: string[] = [];
    return {
      cwd: dir,
      out: (t) => outs.push(t),
      err: (t) => errs.push(t),
      interactive: false,
      color: false,
      progress,
      ask: async () => '',
      errs,
      outs,
    };
  }

  it('draws a progress line on a terminal, erases it, and is silent with --quiet or when not a terminal', async () => {
    const d = tmp();
    repo(path.join(d, 'svc'), { 'a.yaml': 'yaml-no-sse/input.yaml' });
    const tty = io(d, true);
    await main(['scan', '.'], tty);
    const drawn = tty.errs.join('');
    expect(drawn).toContain('scanning 1/1 files, 0 tables  svc');
    expect(tty.errs.at(-1)).toBe('\r\x1b[K');
    for (const [args, progress] of [
      [['scan', '--quiet', '.'], true],
      [['scan', '.'], false],
    ] as const) {
      const x = io(d, progress);
      await main([...args], x);
      expect(x.errs.join('')).not.toContain('scanning');
      // The table that needs action always; the summary without --quiet only (-q prints only what needs action).
      expect(x.outs.join('')).toContain('svc/a.yaml:11  OrdersTable  aws-owned');
      if ((args as readonly string[]).includes('--quiet')) expect(x.outs.join('')).not.toContain('1 table in 1 file');
      else expect(x.outs.join('')).toContain('1 table in 1 file');
    }
    const q = io(d, true);
    expect(await main(['fix', '--quiet', '--dry-run', '.'], q)).toBe(1);
    expect(q.outs.join('')).toBe('');
    expect(q.errs.join('')).toContain('1 would be fixed in 1 file, dry run, nothing written');
    expect(existsSync(path.join(d, 'svc', 'a.yaml'))).toBe(true);
  });
});

describe('fix --patch-dir onto a folder that holds files (adversarial pass)', () => {
  it("removes or overwrites only the files kmsfix wrote there (its summary.json lists them): a user's orders.patch stays, and is named", async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 'ok.yaml': 'yaml-no-sse/expected.yaml' });
    repo(path.join(a, 'billing'), { 'app.yaml': 'yaml-no-sse/input.yaml' });
    const out = path.join(a, 'patches');
    mkdirSync(out);
    writeFileSync(path.join(out, 'orders.patch'), 'my hand-written fix for orders, not yet sent\n');
    writeFileSync(path.join(out, 'billing.patch'), 'my own billing patch\n');
    writeFileSync(path.join(out, 'notes.txt'), 'my notes\n');
    const r = await runCli(['fix', '--patch-dir', 'patches', 'orders', 'billing'], a);
    expect(r.code, r.stderr).toBe(2);
    // orders has nothing to change: its file stays, said; billing's patch is not written over the user's file: an error.
    expect(r.stderr).toContain(
      'warning: patches/orders.patch was not written by kmsfix (patches/summary.json does not list it): left as it is',
    );
    expect(r.stderr).toContain(
      'error: patches/billing.patch: patches/billing.patch exists and was not written by kmsfix (patches/summary.json does not list it): left as it is, and the patch of billing not written (move that file away, or choose another --patch-dir)',
    );
    expect(readFileSync(path.join(out, 'orders.patch'), 'utf8')).toBe('my hand-written fix for orders, not yet sent\n');
    expect(readFileSync(path.join(out, 'billing.patch'), 'utf8')).toBe('my own billing patch\n');
    expect(existsSync(path.join(out, 'billing.mbox'))).toBe(false);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')).repositories.map((x: { patch: unknown }) => x.patch)).toEqual([
      null,
      null,
    ]);
    // Moved away as it says: kmsfix writes billing's patch, and replaces it (and removes it once billing needs none), as its own.
    rmSync(path.join(out, 'billing.patch'));
    expect((await runCli(['fix', '--patch-dir', 'patches', 'billing'], a)).code).toBe(0);
    expect(readFileSync(path.join(out, 'billing.patch'), 'utf8')).toContain('+++ b/app.yaml');
    expect((await runCli(['fix', '--patch-dir', 'patches', 'billing'], a)).code).toBe(0);
    git(path.join(a, 'billing'), 'apply', path.join(out, 'billing.patch'));
    const none = await runCli(['fix', '--patch-dir', 'patches', 'billing'], a);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).not.toContain('warning');
    expect(existsSync(path.join(out, 'billing.patch'))).toBe(false);
    expect(existsSync(path.join(out, 'billing.mbox'))).toBe(false);
  }, 60_000);

  it('killed between its renames: summary.json says the folder is incomplete (the commit point, written last); the next run removes the temp file left and writes a whole set', async () => {
    const a = tmp();
    const orders = repo(path.join(a, 'orders'), { 'one.yaml': 'yaml-no-sse/input.yaml' });
    expect((await runCli(['fix', '--patch-dir', 'pd', 'orders'], a)).code).toBe(0);
    put(orders, 'two.yaml', 'yaml-no-sse/input.yaml');
    git(orders, 'add', '.');
    git(orders, 'commit', '-q', '-m', 'two');
    // Killed at the patch's rename (its mail put in place): no summary of the first run beside the second run's files.
    const killed = await pausedCli(['fix', '--patch-dir', 'pd', 'orders'], a, 'renameSync:orders\\.patch$', (pid) =>
      process.kill(pid, 'SIGKILL'),
    );
    expect(killed.signal).toBe('SIGKILL');
    const summary = JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8'));
    expect(summary.repositories).toBeUndefined();
    expect(summary.incomplete).toMatch(/run it again/);
    expect(summary.writing.sort()).toEqual(['orders.mbox', 'orders.patch']);
    expect(readdirSync(path.join(a, 'pd')).filter((n) => n.startsWith('.kmsfix-tmp-'))).toHaveLength(1);
    // A temp file of a dead run (pid 4194300, above Linux's pid limit) of another name: removed too.
    writeFileSync(path.join(a, 'pd', '.kmsfix-tmp-4194300.deadbeef-orders.mbox'), 'x');
    const again = await runCli(['fix', '--patch-dir', 'pd', 'orders'], a);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('note: removed 2 temp files left in pd by an interrupted kmsfix run');
    expect(readdirSync(path.join(a, 'pd')).sort()).toEqual(['orders.mbox', 'orders.patch', 'summary.json']);
    expect(readFileSync(path.join(a, 'pd', 'orders.patch'), 'utf8').match(/^diff --git/gm)).toHaveLength(2);
    expect(readFileSync(path.join(a, 'pd', 'orders.mbox'), 'utf8').match(/^diff --git/gm)).toHaveLength(2);
    expect(JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8')).repositories[0]).toMatchObject({
      fixed: 2,
      patch: 'orders.patch',
    });
  }, 60_000);

  it('a SIGTERM during a synchronous rename of its outputs is not lost: exit 143, no temp file left (adversarial pass)', async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 'one.yaml': 'yaml-no-sse/input.yaml' });
    const r = await pausedCli(['fix', '--patch-dir', 'pd', 'orders'], a, 'renameSync:orders\\.patch$', (pid) =>
      process.kill(pid, 'SIGTERM'),
    );
    expect([r.code, r.signal], r.stderr).toEqual([143, null]);
    expect(readdirSync(path.join(a, 'pd')).filter((n) => n.startsWith('.kmsfix-tmp-'))).toEqual([]);
  }, 60_000);

  it('a signal while its outputs are put in place ends it before the commit point: the outputs written named, not as source files, summary.json incomplete, exit 130 (adversarial passes of session 57, F4 and M5)', async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 'one.yaml': 'yaml-no-sse/input.yaml' });
    const r = await pausedCli(['fix', '--patch-dir', 'pd', 'orders'], a, 'renameSync:orders\\.patch$', (pid) =>
      process.kill(pid, 'SIGINT'),
    );
    expect([r.code, r.signal], r.stderr).toEqual([130, null]);
    expect(r.stderr).toContain(
      'kmsfix: interrupted (SIGINT) during its writes: no source file changed; 2 outputs written (pd/orders.mbox, pd/orders.patch), and the run stopped there: run the same command again\n',
    );
    // Not reported as a finished run: no summary line, summary.json not committed.
    expect(r.stderr).not.toContain('patches written to pd');
    expect(JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8')).incomplete).toMatch(/run it again/);
  }, 60_000);

  it('a signal once summary.json (the commit point) is in place: the run is done, and ends with its own code (F4)', async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 'one.yaml': 'yaml-no-sse/input.yaml' });
    // The second rename onto summary.json: the final one (the first says `incomplete`).
    const r = await pausedCli(
      ['fix', '--patch-dir', 'pd', 'orders'],
      a,
      'renameSync:summary\\.json$',
      (pid) => process.kill(pid, 'SIGINT'),
      { KMSFIX_TEST_PAUSE_NTH: '2' },
    );
    expect([r.code, r.signal], r.stderr).toEqual([0, null]);
    expect(r.stderr).toContain('patches written to pd');
    expect(r.stderr).not.toContain('interrupted');
    expect(JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8')).repositories[0]).toMatchObject({ patch: 'orders.patch' });
  }, 60_000);

  it("refuses a patch folder inside a repository's .git, or .git itself", async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 'one.yaml': 'yaml-no-sse/input.yaml' });
    for (const dir of ['orders/.git', 'orders/.git/patches']) {
      const r = await runCli(['fix', '--patch-dir', dir, 'orders'], a);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `kmsfix: --patch-dir ${dir}: is inside a git repository's .git folder (git's own data); choose a folder of its own for the patches`,
      );
      expect(existsSync(path.join(a, 'orders', '.git', 'summary.json'))).toBe(false);
      expect(existsSync(path.join(a, 'orders', '.git', 'patches'))).toBe(false);
    }
  }, 60_000);
});

describe('fix --patch-dir run again into the same folder (adversarial pass of session 59, F1)', () => {
  it('a run over some of the repositories keeps the entries and files of the others in summary.json: a later run over them is not refused', async () => {
    const a = tmp();
    repo(path.join(a, 'ws', 'orders'), { 't.yaml': 'yaml-no-sse/input.yaml' });
    repo(path.join(a, 'ws', 'audit'), { 't.yaml': 'yaml-no-sse/input.yaml' });
    const listed = () =>
      (
        JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8')).repositories as {
          repository: string;
          patch: string;
          earlier?: boolean;
        }[]
      ).map((r) => [r.repository, r.patch, r.earlier ?? false]);
    expect((await runCli(['fix', '-q', '--patch-dir', 'pd', 'ws'], a)).code).toBe(0);
    const audit = readFileSync(path.join(a, 'pd', 'audit.patch'));
    const second = await runCli(['fix', '-q', '--patch-dir', 'pd', 'ws/orders'], a);
    expect(second.code, second.stderr).toBe(0);
    expect(listed()).toEqual([
      ['audit', 'audit.patch', true],
      ['orders', 'orders.patch', false],
    ]);
    expect(readFileSync(path.join(a, 'pd', 'audit.patch')).equals(audit)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(a, 'pd', 'summary.json'), 'utf8')).summary).toMatchObject({ repositories: 2, patches: 2 });
    // The files of audit are still kmsfix's: written again by a run over it.
    const third = await runCli(['fix', '-q', '--patch-dir', 'pd', 'ws/audit'], a);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toContain('not written by kmsfix');
    expect(listed()).toEqual([
      ['audit', 'audit.patch', false],
      ['orders', 'orders.patch', true],
    ]);
  }, 60_000);

  it('a second run into a folder another run is writing is refused (exit 2), naming the run; the first one finishes', async () => {
    const a = tmp();
    repo(path.join(a, 'orders'), { 't.yaml': 'yaml-no-sse/input.yaml' });
    repo(path.join(a, 'audit'), { 't.yaml': 'yaml-no-sse/input.yaml' });
    let other: { status: number | null; stderr: string } | undefined;
    const first = await pausedCli(['fix', '-q', '--patch-dir', 'pd', 'orders'], a, 'renameSync:orders\\.patch$', () => {
      try {
        execFileSync(process.execPath, [BIN, 'fix', '-q', '--patch-dir', 'pd', 'audit'], { cwd: a, encoding: 'utf8', stdio: 'pipe' });
        other = { status: 0, stderr: '' };
      } catch (err) {
        const e = err as { status: number | null; stderr: string };
        other = { status: e.status, stderr: e.stderr };
      }
    });
    expect(other?.status).toBe(2);
    expect(other?.stderr).toMatch(/another kmsfix run \(pid \d+, since [^)]+\) is writing patches into pd: wait for it to finish/);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(path.join(a, 'pd')).sort()).toEqual(['orders.mbox', 'orders.patch', 'summary.json']);
    // Released: a run after it writes the folder.
    expect((await runCli(['fix', '-q', '--patch-dir', 'pd', 'audit'], a)).code).toBe(0);
  }, 60_000);
});
