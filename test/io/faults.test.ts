/**
 * The fault suite (issue 14, "Done when"): a fix in place, through the real CLI, on a tree of
 * Terraform modules (three files each, fixed together) and CloudFormation templates, under faults:
 * killed at random points of its writes, two runs at once, a file edited or deleted during the run
 * (the run paused there by test/faults/pause.mjs), read-only files, FIFOs, a full disk (a small
 * tmpfs when this machine lets the test mount one, and always an injected ENOSPC,
 * test/faults/enospc.mjs). After each: every file holds its original bytes or exactly the bytes of
 * an uninterrupted fix (or, for a file edited during the run, the edit); after the next run, no
 * temp file is left, every file is fixed, and no module references a block it does not declare.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.mjs';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN, pausedCli, runCli, snapshot } from '../helpers/cli-helper.js';
import { undeclaredReferences } from '../helpers/terraform-helpers.js';

const MODULE = path.join(FIXTURES, 'terraform', 'module-dir', 'input');
const CF = path.join(FIXTURES, 'cloudformation');
const ENV = { KMSFIX_LOCK_DIR: mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-')) };
const ENOSPC = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'faults', 'enospc.mjs');
const MODULES = 12;
const TEMPLATES = ['yaml-no-sse/input.yaml', 'json-4space/input.json', 'yaml-crlf-bom/input.yaml', 'yaml-sse-disabled/input.yaml'];

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-faults-'));
}

/** The tree every fault starts from, in `dir`. */
function estate(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < MODULES; i++) cpSync(MODULE, path.join(dir, `mod${String(i).padStart(2, '0')}`), { recursive: true });
  TEMPLATES.forEach((t, i) => {
    for (let k = 0; k < 6; k++) cpSync(path.join(CF, t), path.join(dir, 'stacks', `s${i}${k}${path.extname(t)}`));
  });
  return dir;
}

/** The original tree and the tree an uninterrupted fix makes of it. */
const ORIGINAL = snapshot(estate(tmp()));
const FIXED = (() => {
  const dir = estate(tmp());
  const r = spawnSync(process.execPath, [BIN, 'fix', '--yes', '--quiet', '.'], {
    cwd: dir,
    env: { ...process.env, ...ENV },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`the uninterrupted fix failed: ${r.stderr}`);
  return snapshot(dir);
})();

const isTemp = (name: string) => path.basename(name).startsWith('.kmsfix-tmp-');

/** Every file old or new (or, for `edited`, its edit); nothing else but temp files. */
function expectOldOrNew(dir: string, edited: Map<string, Buffer> = new Map()): { fresh: number } {
  const now = snapshot(dir);
  let fresh = 0;
  for (const [name, old] of ORIGINAL) {
    const cur = now.get(name);
    expect(cur, `${name} exists`).toBeDefined();
    if (edited.has(name)) {
      expect(cur!.equals(edited.get(name)!), `${name} keeps the edit made during the run`).toBe(true);
      continue;
    }
    const isOld = cur!.equals(old);
    const isNew = cur!.equals(FIXED.get(name)!);
    expect(isOld || isNew, `${name} is its original bytes or the fix's, never anything else`).toBe(true);
    if (isNew && !isOld) fresh++;
  }
  for (const name of now.keys()) expect(ORIGINAL.has(name) || isTemp(name), `${name}: no other file`).toBe(true);
  return { fresh };
}

function modulesConsistent(dir: string): void {
  for (let i = 0; i < MODULES; i++) {
    const m = path.join(dir, `mod${String(i).padStart(2, '0')}`);
    expect(undeclaredReferences(m), m).toEqual([]);
  }
}

/** The next run: completes the job; no temp file left; every module consistent. */
async function expectNextRunCompletes(dir: string): Promise<void> {
  const again = await runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV);
  expect(again.code, again.stderr).toBe(0);
  const now = snapshot(dir);
  expect([...now.keys()].filter(isTemp)).toEqual([]);
  expect(now).toEqual(FIXED);
  modulesConsistent(dir);
}

/**
 * Start a fix; SIGKILL it `delay` ms after the first event in the tree on a name for which `when`
 * holds (or after `fallback` ms).
 */
function killDuring(dir: string, when: (name: string) => boolean, delay: number, fallback: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fix', '--yes', '--quiet', '.'], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, ...ENV },
    });
    const w = watch(dir, { recursive: true }, (_e, name) => {
      if (!name || !when(String(name))) return;
      w.close();
      setTimeout(() => child.kill('SIGKILL'), delay);
    });
    const t = setTimeout(() => child.kill('SIGKILL'), fallback);
    child.on('exit', () => {
      w.close();
      clearTimeout(t);
      resolve();
    });
  });
}

/** A tree as a run killed between the two renames of mod00 left it: main.tf replaced, users.tf's temp file, the journal of both. */
async function halfWrittenModule(): Promise<string> {
  const { stampOf } = await import('../../src/io/read.js');
  const { statSync } = await import('node:fs');
  const dir = estate(tmp());
  const m = path.join(dir, 'mod00');
  // What the run left: users.tf's temp file, main.tf already replaced, the journal of both.
  const pid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const tag = `${pid}.0a1b2c3d`;
  const stamp = (f: string) => stampOf(statSync(path.join(m, f), { bigint: true }));
  const renames = ['main.tf', 'users.tf'].map((f) => ({
    temp: path.join(m, `.kmsfix-tmp-${tag}-${f}`),
    target: path.join(m, f),
    stamp: stamp(f),
  }));
  writeFileSync(path.join(m, `.kmsfix-tmp-${tag}.0.journal`), JSON.stringify({ version: 1, pid: Number(pid), renames }) + '\n');
  writeFileSync(path.join(m, 'main.tf'), FIXED.get('mod00/main.tf')!);
  writeFileSync(path.join(m, `.kmsfix-tmp-${tag}-users.tf`), FIXED.get('mod00/users.tf')!);
  expect(undeclaredReferences(m)).toEqual([]); // main.tf declares what users.tf will reference
  writeFileSync(path.join(m, 'users.tf'), ORIGINAL.get('mod00/users.tf')!);
  renames[1].stamp = stamp('users.tf');
  writeFileSync(path.join(m, `.kmsfix-tmp-${tag}.0.journal`), JSON.stringify({ version: 1, pid: Number(pid), renames }) + '\n');
  return dir;
}

describe('faults during a fix in place', () => {
  it('killed at random points of its run and of its writes: every file old or new; the next run completes every group', async () => {
    const r = prng(20261411);
    let partial = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const dir = estate(tmp());
      // Kills spread over the run, and packed around its writes: after the first temp file, after
      // the first journal, after the first rename (a template or a module file replaced).
      const kind = attempt % 4;
      if (kind === 0) await killDuring(dir, () => false, 0, r.int(80, 900));
      else if (kind === 1) await killDuring(dir, isTemp, r.int(0, 15), 60_000);
      else if (kind === 2) await killDuring(dir, (n) => n.endsWith('.journal'), r.int(0, 3), 60_000);
      else await killDuring(dir, (n) => !isTemp(n) && /\.(tf|yaml|json)$/.test(n), r.int(0, 2), 60_000);
      const { fresh } = expectOldOrNew(dir);
      if (fresh > 0 && fresh < FIXED.size) partial++;
      await expectNextRunCompletes(dir);
    }
    expect(partial).toBeGreaterThan(0); // the kills did land in the middle of the writes
  }, 300_000);

  it('killed between the two renames of a module: scan says so, the next fix completes the module from its journal', async () => {
    const dir = await halfWrittenModule();
    const scan = await runCli(['scan', '.'], dir, '', ENV);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain(
      'mod00/users.tf: an interrupted kmsfix fix wrote part of its group (mod00/main.tf, mod00/users.tf) but not this file: run kmsfix fix to complete it',
    );
    const fix = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stderr).toContain('note: completed the write of a group that an interrupted kmsfix run had begun: mod00/users.tf');
    expect(snapshot(dir)).toEqual(FIXED);
    modulesConsistent(dir);
  });

  it('the next fix, interrupted after it completed the module from its journal: the file it completed is among those it says it wrote (M5)', async () => {
    const dir = await halfWrittenModule();
    // Paused at its first temp file in stacks/: the group is completed by then (at the run's start), nothing else renamed.
    const r = await pausedAt(dir, 'open:stacks/\\.kmsfix-tmp-', (pid) => process.kill(pid, 'SIGINT'));
    expect([r.code, r.signal], r.stderr).toEqual([130, null]);
    expect(r.stderr).toContain(
      'kmsfix: interrupted (SIGINT) during its writes: 1 file written (mod00/users.tf), each group of files whole; the others are as they were: run the same command again to fix them\n',
    );
    expect(readFileSync(path.join(dir, 'mod00', 'users.tf'))).toEqual(FIXED.get('mod00/users.tf'));
  }, 60_000);

  it('two runs at once: one fixes, the other is refused (or runs after it); files old or new, then fixed, no temp file', async () => {
    let refused = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const dir = estate(tmp());
      const runs = await Promise.all([0, 1].map(() => runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV)));
      for (const x of runs) {
        if (x.code === 0) continue;
        expect(x.code, x.stderr).toBe(2);
        expect(x.stderr).toMatch(/^kmsfix: another kmsfix run \(pid \d+/);
        refused++;
      }
      expect(runs.some((x) => x.code === 0)).toBe(true);
      expectOldOrNew(dir);
      expect(snapshot(dir)).toEqual(FIXED);
      await expectNextRunCompletes(dir);
    }
    expect(refused).toBeGreaterThan(0); // the runs did meet
  }, 120_000);

  /** A fix paused (test/faults/pause.mjs) at `point`; `change` runs there (given the run's pid), then the run goes on. */
  const pausedAt = (dir: string, point: string, change: (pid: number) => void) =>
    pausedCli(['fix', '--yes', '--quiet', '.'], dir, point, change, ENV);

  for (const [when, point] of [
    ['after every file was read and planned', 'open:\\.kmsfix-tmp-'],
    ['after every temp file was written, before the renames', 'rename:mod00/main\\.tf$'],
  ] as const) {
    it(`a file edited ${when}: it keeps the edit, its module is left whole, the rest is fixed; the next run fixes it`, async () => {
      const dir = estate(tmp());
      const target = 'mod11/main.tf';
      const edit = Buffer.concat([ORIGINAL.get(target)!, Buffer.from('# saved during the run\n')]);
      const r = await pausedAt(dir, point, () => writeFileSync(path.join(dir, target), edit));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${target}: changed on disk during the run: not written (run kmsfix again)`);
      expectOldOrNew(dir, new Map([[target, edit]]));
      const now = snapshot(dir);
      expect(now.get('mod11/users.tf')!.equals(ORIGINAL.get('mod11/users.tf')!), 'its module: nothing written').toBe(true);
      expect(now.get('mod10/users.tf')!.equals(FIXED.get('mod10/users.tf')!), 'other modules: written').toBe(true);
      modulesConsistent(dir);
      expect([...now.keys()].filter(isTemp)).toEqual([]);
      const again = await runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV);
      expect(again.code, again.stderr).toBe(0);
      modulesConsistent(dir);
      expect(readFileSync(path.join(dir, target), 'utf8')).toContain('# saved during the run\n');
    }, 60_000);
  }

  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', null],
  ] as const) {
    it(`${signal} during the renames: handled once the chunk's renames are done (synchronous, never halfway through a group), no temp file left, the lock released, exit ${exit ?? 'by SIGHUP'}; the next run completes`, async () => {
      const dir = estate(tmp());
      // Paused at the first rename of mod00 (its journal written), every temp file written: the signal lands
      // there, and waits for the chunk's renames (src/io/temp.ts tempGone: not dropped with the listener).
      const r = await pausedAt(dir, 'rename:mod00/main\\.tf$', (pid) => process.kill(pid, signal));
      // SIGHUP is raised again once the run has cleaned up (Node aborts in its exit once a terminal is gone): ended by it.
      expect([r.code, r.signal], r.stderr).toEqual(exit === null ? [null, 'SIGHUP'] : [exit, null]);
      expectOldOrNew(dir);
      modulesConsistent(dir);
      expect([...snapshot(dir).keys()].filter(isTemp)).toEqual([]);
      // It says which files it wrote: no diff or summary is printed (adversarial pass of session 57, F1).
      const changed = [...snapshot(dir)].filter(([n, b]) => !ORIGINAL.get(n)?.equals(b)).map(([n]) => n);
      const said =
        /kmsfix: interrupted \((SIG\w+)\) during its writes: (\d+) files? written \((.*?)(?:, and (\d+) more)?\), each group of files whole; the others are as they were: run the same command again to fix them\n/.exec(
          r.stderr,
        );
      expect(said, r.stderr).not.toBeNull();
      expect(said![1]).toBe(signal);
      expect(Number(said![2])).toBe(changed.length);
      const named = said![3].split(', ');
      expect(named.length + Number(said![4] ?? 0)).toBe(changed.length);
      expect(changed).toEqual(expect.arrayContaining(named));
      expect(readdirSync(ENV.KMSFIX_LOCK_DIR).filter((n) => n.endsWith('.lock'))).toEqual([]);
      await expectNextRunCompletes(dir);
    }, 60_000);
  }

  /** The original files of `stacks/` (their names in it), for a folder outside the tree. */
  const stacks = () => new Map([...ORIGINAL].filter(([n]) => n.startsWith('stacks/')).map(([n, b]) => [n.slice('stacks/'.length), b]));

  it('a file made a symbolic link (to a file outside the tree) after the walk: not read through, the link and its target left alone', async () => {
    const dir = estate(tmp());
    const outside = tmp();
    const file = path.join(dir, 'stacks', 's00.yaml');
    // Paused at its read's open: the walk listed it a regular file.
    const r = await pausedAt(dir, 'open:stacks/s00\\.yaml$', () => {
      renameSync(file, path.join(outside, 's00.yaml'));
      symlinkSync(path.join(outside, 's00.yaml'), file);
    });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(file).isSymbolicLink(), 'still a link').toBe(true);
    expect(readFileSync(path.join(outside, 's00.yaml')).equals(ORIGINAL.get('stacks/s00.yaml')!), 'its target untouched').toBe(true);
    expect(readFileSync(path.join(dir, 'stacks', 's01.yaml')).equals(FIXED.get('stacks/s01.yaml')!)).toBe(true);
  }, 60_000);

  it('a folder made a symbolic link to another folder after the walk: no file of that folder read or written, said', async () => {
    const dir = estate(tmp());
    const outside = tmp();
    // Another team's templates, never given to kmsfix.
    for (const [name, bytes] of stacks()) writeFileSync(path.join(outside, name), bytes);
    const r = await pausedAt(dir, 'open:stacks/s00\\.yaml$', () => {
      renameSync(path.join(dir, 'stacks'), path.join(tmp(), 'stacks'));
      symlinkSync(outside, path.join(dir, 'stacks'));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `stacks/s00.yaml: not where kmsfix found it: a folder on its path was moved or replaced (by a symbolic link?) during the run, and the path now leads to ${path.join(outside, 's00.yaml')}`,
    );
    for (const [name, bytes] of stacks())
      expect(readFileSync(path.join(outside, name)).equals(bytes), `${name} outside untouched`).toBe(true);
    expect(readdirSync(outside).filter(isTemp)).toEqual([]);
    expect(readFileSync(path.join(dir, 'mod00', 'main.tf')).equals(FIXED.get('mod00/main.tf')!)).toBe(true);
  }, 60_000);

  it('a folder moved out of the tree after the reads, a symbolic link to it left in its place: nothing written through the link', async () => {
    const dir = estate(tmp());
    const moved = path.join(tmp(), 'stacks');
    // Every file read and planned, no temp file written yet: its files are the very ones read, now reached through a link.
    const r = await pausedAt(dir, 'open:\\.kmsfix-tmp-', () => {
      renameSync(path.join(dir, 'stacks'), moved);
      symlinkSync(moved, path.join(dir, 'stacks'));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stacks/s00.yaml: is no longer where kmsfix read it (a folder on its path was moved or replaced');
    for (const [name, bytes] of stacks()) expect(readFileSync(path.join(moved, name)).equals(bytes), `${name} untouched`).toBe(true);
    expect(readdirSync(moved).filter(isTemp)).toEqual([]);
    expect(readFileSync(path.join(dir, 'mod00', 'main.tf')).equals(FIXED.get('mod00/main.tf')!)).toBe(true);
  }, 60_000);

  it('an edit saved into a file between its last check and its rename: saved beside it as <name>.kmsfix-lost-<pid>, said, exit 2', async () => {
    const dir = estate(tmp());
    const file = path.join(dir, 'stacks', 's00.yaml');
    const edit = Buffer.concat([ORIGINAL.get('stacks/s00.yaml')!, Buffer.from('# appended during the rename\n')]);
    // Paused at its rename (checked, its temp file written): the edit lands in the version about to be replaced.
    const r = await pausedAt(dir, 'rename:stacks/s00\\.yaml$', () => appendFileSync(file, '# appended during the rename\n'));
    expect(r.code).toBe(2);
    const lost = readdirSync(path.join(dir, 'stacks')).filter((n) => n.startsWith('s00.yaml.kmsfix-lost-'));
    expect(lost).toHaveLength(1);
    expect(readFileSync(path.join(dir, 'stacks', lost[0])).equals(edit), 'the edit, saved').toBe(true);
    expect(readFileSync(file).equals(FIXED.get('stacks/s00.yaml')!), 'the fix, written').toBe(true);
    expect(r.stderr).toContain(
      `stacks/s00.yaml: edited while kmsfix replaced it: the fix is written, without the edit; the edited version is saved as stacks/${lost[0]}: put the edit back into the file`,
    );
    rmSync(path.join(dir, 'stacks', lost[0]));
    expectOldOrNew(dir);
  }, 60_000);

  it('a file deleted during the run is not created again; its module is left whole', async () => {
    const dir = estate(tmp());
    const r = await pausedAt(dir, 'rename:mod00/main\\.tf$', () => rmSync(path.join(dir, 'mod11', 'users.tf')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mod11/users.tf: was deleted during the run: not written');
    expect(existsSync(path.join(dir, 'mod11', 'users.tf'))).toBe(false);
    expect(snapshot(dir).get('mod11/main.tf')!.equals(ORIGINAL.get('mod11/main.tf')!)).toBe(true);
    expect([...snapshot(dir).keys()].filter(isTemp)).toEqual([]);
  }, 60_000);

  it('read-only files and FIFOs: refused or skipped with a message, their modules left whole, the rest fixed, no hang', async () => {
    const dir = estate(tmp());
    chmodSync(path.join(dir, 'stacks', 's00.yaml'), 0o444);
    chmodSync(path.join(dir, 'mod05', 'users.tf'), 0o444);
    execFileSync('mkfifo', [path.join(dir, 'stacks', 'pipe.yaml')]);
    execFileSync('mkfifo', [path.join(dir, 'mod07', 'pipe.tf')]);
    const r = await runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stacks/s00.yaml: is read-only (mode 0444)');
    expect(r.stderr).toContain(
      'mod05/main.tf: not written: the files of its group (mod05/main.tf, mod05/users.tf) are written all or none, and mod05/users.tf was refused',
    );
    expect(r.stderr).toContain('stacks/pipe.yaml: not a regular file (a FIFO): skipped');
    expect(r.stderr).toContain('cannot read mod07/pipe.tf, a file of the same group: not a regular file (a FIFO)');
    rmSync(path.join(dir, 'stacks', 'pipe.yaml'));
    rmSync(path.join(dir, 'mod07', 'pipe.tf'));
    const now = snapshot(dir);
    for (const name of ['stacks/s00.yaml', 'mod05/main.tf', 'mod05/users.tf', 'mod07/main.tf', 'mod07/users.tf']) {
      expect(now.get(name)!.equals(ORIGINAL.get(name)!), `${name} untouched`).toBe(true);
    }
    for (const name of ['stacks/s01.yaml', 'mod04/main.tf', 'mod04/users.tf'])
      expect(now.get(name)!.equals(FIXED.get(name)!), `${name} fixed`).toBe(true);
    expectOldOrNew(dir);
    modulesConsistent(dir);
    chmodSync(path.join(dir, 'stacks', 's00.yaml'), 0o644);
    chmodSync(path.join(dir, 'mod05', 'users.tf'), 0o644);
    await expectNextRunCompletes(dir);
  }, 60_000);

  it('a full disk (injected ENOSPC on some files): those groups not written, the others written, no temp file; then fixed', async () => {
    const dir = estate(tmp());
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', ENOSPC, BIN, 'fix', '--yes', '--quiet', '.'], {
        cwd: dir,
        env: { ...process.env, ...ENV, KMSFIX_TEST_ENOSPC: '(mod0[246]/.*users\\.tf|s1[0-9]\\.json)$' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mod02/users.tf: cannot write: no space left on device (ENOSPC)');
    expect(r.stderr).toContain(
      'mod02/main.tf: not written: the files of its group (mod02/main.tf, mod02/users.tf) are written all or none, and mod02/users.tf could not be written',
    );
    const now = snapshot(dir);
    expect([...now.keys()].filter(isTemp)).toEqual([]);
    for (const m of ['mod02', 'mod04', 'mod06'])
      for (const f of ['main.tf', 'users.tf']) expect(now.get(`${m}/${f}`)!.equals(ORIGINAL.get(`${m}/${f}`)!), `${m}/${f}`).toBe(true);
    expect(now.get('mod01/main.tf')!.equals(FIXED.get('mod01/main.tf')!)).toBe(true);
    expectOldOrNew(dir);
    modulesConsistent(dir);
    await expectNextRunCompletes(dir);
  }, 60_000);

  it('a full disk (a small tmpfs): every file old or new, no temp file, modules whole; the next run on a larger disk completes', async (ctx) => {
    const mnt = tmp();
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]).status === 0;
    ctx.skip(!mounted, 'cannot mount a tmpfs here (needs root): the injected ENOSPC test above covers a full disk');
    try {
      const dir = estate(path.join(mnt, 'tree'));
      // Fill the disk to a little above the tree, so that the temp files run out of room part way.
      const free = Number(execFileSync('df', ['--output=avail', '-B1', mnt], { encoding: 'utf8' }).split('\n')[1]);
      writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 40 * 1024)));
      const r = await runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no space left on device (ENOSPC)');
      const now = snapshot(dir);
      expect([...now.keys()].filter(isTemp)).toEqual([]);
      const { fresh } = expectOldOrNew(dir);
      expect(fresh).toBeLessThan(FIXED.size);
      modulesConsistent(dir);
      rmSync(path.join(mnt, 'filler'));
      execFileSync('mount', ['-o', 'remount,size=8m', mnt]);
      await expectNextRunCompletes(dir);
    } finally {
      spawnSync('umount', [mnt]);
    }
  }, 60_000);
});
