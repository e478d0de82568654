/**
 * What a fix in place may write, and how it reports what it did (issue 14, items 5, 7, 15, 16, 18
 * and "reports that lie"): groups written all or none, files edited or deleted during the run left
 * alone, git checked through symbolic links and for ignored files, one rule for symbolic links,
 * read-only files refused and owners kept, planned against written in every report.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN, runCli, snapshot, GIT_ENV } from '../helpers/cli-helper.js';
import { undeclaredReferences } from '../helpers/terraform-helpers.js';

const MODULE = path.join(FIXTURES, 'terraform', 'module-dir');
const CF = path.join(FIXTURES, 'cloudformation');
const EACCES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'faults', 'eacces.mjs');
const ENV = { KMSFIX_LOCK_DIR: mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-')) };
process.env.KMSFIX_LOCK_DIR = ENV.KMSFIX_LOCK_DIR; // for main() in this process

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-safety-'));
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

function commitAll(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
}

/** The Terraform module of fixtures/terraform/module-dir in `dir/infra`. */
function module(dir: string): string {
  const infra = path.join(dir, 'infra');
  cpSync(path.join(MODULE, 'input'), infra, { recursive: true });
  return infra;
}

/** An Io for main() in this process; `onAsk` runs at the prompt, between the plan and the writes. */
function io(cwd: string, onAsk: () => void, answer = 'y'): Io & { errs: string[]; outs: string[] } {
  const errs: string[] = [];
  const outs: string[] = [];
  return {
    cwd,
    out: (t) => outs.push(t),
    err: (t) => errs.push(t),
    interactive: true,
    color: false,
    ask: async () => {
      onAsk();
      return answer;
    },
    errs,
    outs,
  };
}

describe('groups are written all or none', () => {
  it('a refused file of a Terraform module keeps the whole module from being written, and says so', async () => {
    const dir = tmp();
    const infra = module(dir);
    commitAll(dir);
    writeFileSync(path.join(infra, 'main.tf'), readFileSync(path.join(infra, 'main.tf'), 'utf8') + '# work in progress\n');
    const before = snapshot(dir);
    const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: infra/main.tf: has uncommitted changes');
    expect(r.stderr).toContain(
      'error: infra/users.tf: not written: the files of its group (infra/main.tf, infra/users.tf) are written all or none, and infra/main.tf was refused',
    );
    expect(snapshot(dir)).toEqual(before);
    expect(undeclaredReferences(infra)).toEqual([]);
  });

  /** `chattr +i` works (root, and a file system with inode flags), else undefined. */
  const immutable = (file: string): boolean => {
    try {
      execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  it('an immutable file of a module (chattr +i: writable by its mode) keeps the module from being written: no half-written group', async (ctx) => {
    const dir = tmp();
    const infra = module(dir);
    const users = path.join(infra, 'users.tf');
    if (!immutable(users)) {
      console.log('write-safety.test.ts: immutable file: skipped: chattr +i needs root and a file system with inode flags');
      return ctx.skip();
    }
    try {
      const before = snapshot(dir);
      const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /error: infra\/users\.tf: cannot replace it \(operation not permitted \(EPERM\); immutable\?\): not written/,
      );
      expect(r.stderr).toContain('error: infra/main.tf: not written: the files of its group');
      expect(snapshot(dir)).toEqual(before);
    } finally {
      execFileSync('chattr', ['-i', users]);
    }
  });
});

describe('files that change during the run', () => {
  it('a file edited between the read and the write is left as edited, with its group', async () => {
    const dir = tmp();
    const infra = module(dir);
    const edited = readFileSync(path.join(infra, 'main.tf'), 'utf8') + '# saved while kmsfix ran\n';
    const x = io(dir, () => writeFileSync(path.join(infra, 'main.tf'), edited));
    expect(await main(['fix', '.'], x)).toBe(2);
    expect(readFileSync(path.join(infra, 'main.tf'), 'utf8')).toBe(edited);
    expect(readFileSync(path.join(infra, 'users.tf'), 'utf8')).toBe(readFileSync(path.join(MODULE, 'input', 'users.tf'), 'utf8'));
    expect(x.errs.join('')).toContain('infra/main.tf: changed on disk during the run: not written (run kmsfix again)');
    expect(x.errs.join('')).toContain(
      'infra/users.tf: not written: the files of its group (infra/main.tf, infra/users.tf) are written all or none, and infra/main.tf changed on disk during the run',
    );
    // The next run fixes the edited module.
    expect(
      await main(
        ['fix', '--yes', '.'],
        io(dir, () => undefined),
      ),
    ).toBe(0);
    expect(undeclaredReferences(infra)).toEqual([]);
    expect(readFileSync(path.join(infra, 'main.tf'), 'utf8')).toContain('# saved while kmsfix ran\n');
  });

  it('a file of the module without a table (read for the plan) edited during the run stops the module too', async () => {
    const dir = tmp();
    const infra = module(dir);
    const before = snapshot(dir);
    const kms = readFileSync(path.join(infra, 'kms.tf'), 'utf8').replace('data "aws_caller_identity" "me" {}\n', '');
    const x = io(dir, () => writeFileSync(path.join(infra, 'kms.tf'), kms));
    expect(await main(['fix', '.'], x)).toBe(2);
    before.set('infra/kms.tf', Buffer.from(kms));
    expect(snapshot(dir)).toEqual(before);
    expect(x.errs.join('')).toContain('and infra/kms.tf changed on disk during the run');
  });

  it('a file deleted during the run is not created again', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'a.yaml'));
    cpSync(path.join(CF, 'json-4space', 'input.json'), path.join(dir, 'b.json'));
    const x = io(dir, () => rmSync(path.join(dir, 'a.yaml')));
    expect(await main(['fix', '.'], x)).toBe(2);
    expect(existsSync(path.join(dir, 'a.yaml'))).toBe(false);
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toContain('KMSMasterKeyId');
    expect(x.errs.join('')).toContain('a.yaml: was deleted during the run: not written');
  });
});

describe('git through symbolic links, and ignored files', () => {
  it('a file with uncommitted changes is refused also when reached through a committed symbolic link', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'sub'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'sub', 'app.yaml'));
    symlinkSync('sub', path.join(dir, 'link'));
    commitAll(dir);
    const edited = readFileSync(path.join(dir, 'sub', 'app.yaml'), 'utf8') + '# uncommitted\n';
    writeFileSync(path.join(dir, 'sub', 'app.yaml'), edited);
    for (const target of ['sub/app.yaml', 'link/app.yaml']) {
      const r = await runCli(['fix', '--yes', target], dir, '', ENV);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toContain(`${target}: has uncommitted changes in its git work tree`);
      expect(readFileSync(path.join(dir, 'sub', 'app.yaml'), 'utf8')).toBe(edited);
    }
    expect((await runCli(['fix', '--yes', '--force', 'link/app.yaml'], dir, '', ENV)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'sub', 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });

  it('a named file that git ignores (and so could not restore) is refused unless --force', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, '.gitignore'), 'local.yaml\n');
    commitAll(dir);
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'local.yaml'));
    const before = readFileSync(path.join(dir, 'local.yaml'), 'utf8');
    const r = await runCli(['fix', '--yes', 'local.yaml'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('local.yaml: is ignored by git and not tracked, so git could not restore it: not written (use --force');
    expect(readFileSync(path.join(dir, 'local.yaml'), 'utf8')).toBe(before);
    expect((await runCli(['fix', '--yes', '--force', 'local.yaml'], dir, '', ENV)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'local.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });
});

describe('symbolic links named on the command line', () => {
  it('a link to a folder and a link to a file follow one rule: read, never written through', async () => {
    const outside = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(outside, 'victim.yaml'));
    const dir = tmp();
    symlinkSync(outside, path.join(dir, 'linkdir'));
    symlinkSync(path.join(outside, 'victim.yaml'), path.join(dir, 'link.yaml'));
    const victim = readFileSync(path.join(outside, 'victim.yaml'), 'utf8');
    for (const [arg, shown] of [
      ['linkdir', 'linkdir/victim.yaml'],
      ['link.yaml', 'link.yaml'],
    ]) {
      const scan = await runCli(['scan', arg], dir, '', ENV);
      expect(scan.code, arg).toBe(1); // read
      const r = await runCli(['fix', '--yes', arg], dir, '', ENV);
      expect(r.code, arg).toBe(2);
      expect(r.stderr).toContain(
        `error: ${shown}: reached through the symbolic link ${arg} -> ${arg === 'linkdir' ? outside : path.join(outside, 'victim.yaml')}: read, never written`,
      );
      expect(readFileSync(path.join(outside, 'victim.yaml'), 'utf8')).toBe(victim);
    }
  });

  it('one file or repository named through a link and by its own path is read once, as named without the link', async () => {
    const src = tmp();
    const repo = path.join(src, 'orders');
    mkdirSync(repo);
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(repo, 'app.yaml'));
    commitAll(repo);
    symlinkSync(repo, path.join(src, 'current'));
    const json = async (args: string[]) => JSON.parse((await runCli([...args, '--format', 'json'], src, '', ENV)).stdout);
    // The link first: the file is still fixed, through the path without the link. A link above a
    // file named (current/app.yaml) is the user's own: the first name counts.
    for (const [order, file] of [
      [['current', 'orders'], 'orders/app.yaml'],
      [['orders', 'current'], 'orders/app.yaml'],
      [['current/app.yaml', 'orders/app.yaml'], 'current/app.yaml'],
    ] as const) {
      const scan = await json(['scan', ...order]);
      expect(
        scan.tables.map((t: { file: string }) => t.file),
        order.join(' '),
      ).toEqual([file]);
    }
    const pd = await runCli(['fix', '--patch-dir', 'pd', 'current', 'orders'], src, '', ENV);
    expect(pd.code, pd.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(src, 'pd', 'summary.json'), 'utf8')).summary).toMatchObject({
      repositories: 1,
      tables: 1,
      fixed: 1,
    });
    const fixed = await runCli(['fix', '--yes', 'current', 'orders'], src, '', ENV);
    expect([fixed.code, fixed.stderr.includes('error:')]).toEqual([0, false]);
    expect(readFileSync(path.join(repo, 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });

  it('says what is wrong with a link: a loop, or a target that does not exist', async () => {
    const dir = tmp();
    symlinkSync('loop', path.join(dir, 'loop'));
    symlinkSync('missing.yaml', path.join(dir, 'broken.yaml'));
    const r = await runCli(['scan', 'loop', 'broken.yaml', 'nope.yaml'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: loop: a symbolic link loop');
    expect(r.stderr).toContain('error: broken.yaml: a broken symbolic link (to missing.yaml, which does not exist)');
    expect(r.stderr).toContain('error: nope.yaml: no such file or directory');
  });
});

describe('permissions and owners', () => {
  it('a read-only file is refused, not replaced', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'ro.yaml'));
    chmodSync(path.join(dir, 'ro.yaml'), 0o444);
    const before = statSync(path.join(dir, 'ro.yaml'));
    const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ro.yaml: is read-only (mode 0444): not written');
    const after = statSync(path.join(dir, 'ro.yaml'));
    expect(after.ino).toBe(before.ino);
    expect(readFileSync(path.join(dir, 'ro.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'));
  });

  it('a folder kmsfix may not create a file in (EACCES on the temp file) is said to be the folder, for a fix in place and an output', () => {
    const dir = tmp();
    for (const d of ['locked', 'open']) {
      mkdirSync(path.join(dir, d));
      cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, d, 'app.yaml'));
    }
    mkdirSync(path.join(dir, 'out'));
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', EACCES, BIN, ...args], {
        cwd: dir,
        env: { ...process.env, ...ENV, NO_COLOR: '1', KMSFIX_TEST_EACCES: '/(locked|out)$' },
        encoding: 'utf8',
      });
    const folder =
      'permission denied (EACCES) creating a file in its folder (kmsfix writes the new version to a temp file beside it, then renames it over it): make the folder writable';
    const r = run(['fix', '--yes', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: locked/app.yaml: cannot write: ${folder}`);
    expect(readFileSync(path.join(dir, 'open', 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
    const p = run(['fix', '--patch', 'out/x.patch', 'locked']);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain(`error: out/x.patch: cannot write out/x.patch: ${folder}`);
  });

  it('an immutable folder (EPERM on the temp file) and a read-only mount (EROFS) are said as such, not as a mode or an immutable file', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'locked'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'locked', 'app.yaml'));
    const infra = module(dir);
    const run = (only: string, env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', EACCES, BIN, 'fix', '--yes', only], {
        cwd: dir,
        env: { ...process.env, ...ENV, NO_COLOR: '1', ...env },
        encoding: 'utf8',
      });
    const before = snapshot(dir);
    const immutable = run('locked', { KMSFIX_TEST_EACCES: '/locked$', KMSFIX_TEST_EACCES_CODE: 'EPERM', KMSFIX_TEST_ACCESS: '$^' });
    expect(immutable.status).toBe(2);
    expect(immutable.stderr).toContain(
      'error: locked/app.yaml: cannot write: operation not permitted (EPERM) creating a file in its folder (kmsfix writes the new version to a temp file beside it, then renames it over it): the folder refuses new files whatever its mode (immutable or append-only? lsattr -d shows it)',
    );
    expect(immutable.stderr).not.toContain('make the folder writable');
    // A module on a read-only bind mount: access(W_OK) says EROFS for its files.
    const mounted = run('infra', { KMSFIX_TEST_ACCESS: `^${infra}/`, KMSFIX_TEST_EACCES_CODE: 'EROFS' });
    expect(mounted.status).toBe(2);
    expect(mounted.stderr).toMatch(
      /error: infra\/\w+\.tf: cannot replace it \(read-only file system \(EROFS\): its file system is mounted read-only\): not written/,
    );
    expect(mounted.stderr).not.toContain('immutable?');
    expect(snapshot(dir).get('infra/main.tf')).toEqual(before.get('infra/main.tf'));
  });

  it('a file with hard links is refused (the new file would take one name, the others keeping the old text)', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'a.yaml'));
    linkSync(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'));
    const r = await runCli(['fix', '--yes', 'a.yaml'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.yaml: has 2 names (hard links): the fix would go to this name only');
    expect([statSync(path.join(dir, 'a.yaml')).nlink, readFileSync(path.join(dir, 'b.yaml'), 'utf8')]).toEqual([
      2,
      readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'),
    ]);
  });

  it('a file git status does not show the changes of (assume-unchanged, skip-worktree) is refused unless --force', async () => {
    for (const flag of ['--assume-unchanged', '--skip-worktree']) {
      const dir = tmp();
      cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'app.yaml'));
      commitAll(dir);
      git(dir, 'update-index', flag, 'app.yaml');
      const edited = `${readFileSync(path.join(dir, 'app.yaml'), 'utf8')}# local only\n`;
      writeFileSync(path.join(dir, 'app.yaml'), edited);
      const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`app.yaml: is marked ${flag.slice(2)} in git's index, so git status does not show its changes`);
      expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(edited);
      expect((await runCli(['fix', '--yes', '--force', '.'], dir, '', ENV)).code).toBe(0);
    }
  });

  it.skipIf(process.getuid?.() !== 0)('a file written keeps its owner and group (run as root, which may give any)', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'shared.yaml'));
    chownSync(path.join(dir, 'shared.yaml'), 1234, 5678);
    chmodSync(path.join(dir, 'shared.yaml'), 0o664);
    const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    const st = statSync(path.join(dir, 'shared.yaml'));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1234, 5678, 0o664]);
    expect(readFileSync(path.join(dir, 'shared.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });
});

describe('reports: planned is not written', () => {
  it('a refused file counts as planned, not fixed, in JSON and text; fix exits 2', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'ok.yaml'));
    cpSync(path.join(CF, 'json-4space', 'input.json'), path.join(dir, 'ro.json'));
    chmodSync(path.join(dir, 'ro.json'), 0o444);
    const j = await runCli(['fix', '--yes', '--format', 'json', '.'], dir, '', ENV);
    expect(j.code).toBe(2);
    const out = JSON.parse(j.stdout);
    const byFile = Object.fromEntries(out.tables.filter((t: { planned: boolean }) => t.planned).map((t: { file: string }) => [t.file, t]));
    expect(byFile['ok.yaml']).toMatchObject({ planned: true, fixed: true, written: true });
    expect(byFile['ro.json']).toMatchObject({ planned: true, fixed: false, written: false });
    expect(out.files.map((f: { file: string; written: boolean }) => [f.file, f.written])).toEqual(
      [
        ['ok.yaml', false],
        ['ro.json', false],
      ].map(([f]) => [f, f === 'ok.yaml']),
    );
    expect(out.summary).toMatchObject({ planned: 2, fixed: 1, filesChanged: 2, filesWritten: 1 });

    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'ok.yaml'));
    const t = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('2 planned in 2 files, 1 fixed, 1 file written');
    expect(t.stderr).toMatch(/not fixed: ro\.json:\d+ {2}\S+ {2}aws-owned/);
  });

  it('SARIF (scan, fix --dry-run): each result says whether a fix is planned, and that nothing is written', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'app.yaml'));
    cpSync(path.join(CF, 'global-table-multi-region', 'input.yaml'), path.join(dir, 'g.yaml'));
    for (const args of [['scan'], ['fix', '--dry-run']]) {
      const r = await runCli([...args, '--format', 'sarif', '.'], dir, '', ENV);
      const results = JSON.parse(r.stdout).runs[0].results as { properties: { address: string; planned: boolean; written: boolean } }[];
      const by = Object.fromEntries(results.map((x) => [x.properties.address, x.properties]));
      expect(by.OrdersTable).toMatchObject({ planned: true, written: false });
      expect(by.Accounts).toMatchObject({ planned: false, written: false });
    }
  });
});
