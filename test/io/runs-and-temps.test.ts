/**
 * Runs that meet (issue 14, item 4): temp files of an interrupted run are never read as module
 * files and are removed by the next fix; temp names are unique per run; a fix in place locks its
 * tree, and a second run on it (or on a tree inside or around it) is refused and told why; the lock
 * of a dead run is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';
import { runCli, snapshot } from '../helpers/cli-helper.js';
import { undeclaredReferences } from '../helpers/terraform-helpers.js';

const MODULE = path.join(FIXTURES, 'terraform', 'module-dir');
const CF = path.join(FIXTURES, 'cloudformation');
/** Locks of these tests in a folder of their own. */
const LOCKS = mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-'));
const ENV = { KMSFIX_LOCK_DIR: LOCKS };

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-runs-'));
}

/** A pid that no running process has: a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function module(): string {
  const dir = tmp();
  cpSync(path.join(MODULE, 'input'), dir, { recursive: true });
  return dir;
}

function expectModuleFixed(dir: string): void {
  for (const name of readdirSync(path.join(MODULE, 'expected'))) {
    expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(readFileSync(path.join(MODULE, 'expected', name), 'utf8'));
  }
  expect(readdirSync(dir).sort()).toEqual(readdirSync(path.join(MODULE, 'expected')).sort());
  expect(undeclaredReferences(dir)).toEqual([]);
}

describe('temp files left by an interrupted run', () => {
  it('are never read as files of a Terraform module, and the next fix removes them', async () => {
    for (const name of [`.kmsfix-tmp-${deadPid()}.0a1b2c3d-main.tf`, `.kmsfix-tmp-${deadPid()}.0a1b2c3d-${'f'.repeat(12)}-main.tf`]) {
      const dir = module();
      // What a run killed between its temp files and its renames leaves: the fixed text beside the original.
      writeFileSync(path.join(dir, name), readFileSync(path.join(MODULE, 'expected', 'main.tf')));
      const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('note: removed 1 temp file left by an interrupted kmsfix run');
      expectModuleFixed(dir);
    }
  });

  it("only names of the exact shape kmsfix writes are removed: a file that merely starts with the prefix is the user's", async () => {
    const dir = module();
    const dead = deadPid();
    const theirs = [
      '.kmsfix-tmp-notes.md', // no pid
      '.kmsfix-tmp-1.cafe-readme.txt', // a tag of 4 hex digits, not 8
      `.kmsfix-tmp-${dead}.0a1b2c3d`, // no target name
      `.kmsfix-tmp-${dead}.0a1b2c3d.journal`, // no journal number
      `.kmsfix-tmp-${dead}.0A1B2C3D-main.tf`, // upper-case tag
      `.kmsfix-tmp-x${dead}.0a1b2c3d-main.tf`,
    ];
    for (const name of theirs) writeFileSync(path.join(dir, name), 'precious\n');
    const ours = `.kmsfix-tmp-${dead}.0a1b2c3d-notes.md`;
    writeFileSync(path.join(dir, ours), "a dead run's copy");
    const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: removed 1 temp file left by an interrupted kmsfix run');
    for (const name of theirs) expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe('precious\n');
    expect(existsSync(path.join(dir, ours))).toBe(false);
  });

  it('of a run still alive are left alone (and never read)', async () => {
    const dir = module();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const name = `.kmsfix-tmp-${live.pid}.0a1b2c3d-main.tf`;
      writeFileSync(path.join(dir, name), readFileSync(path.join(MODULE, 'expected', 'main.tf')));
      const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(path.join(dir, name))).toBe(true);
      for (const f of readdirSync(path.join(MODULE, 'expected'))) {
        expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(readFileSync(path.join(MODULE, 'expected', f), 'utf8'));
      }
    } finally {
      live.kill();
    }
  });

  it('a scan or a dry run reads none of them and removes none', async () => {
    const dir = module();
    const name = `.kmsfix-tmp-${deadPid()}.0a1b2c3d-main.tf`;
    writeFileSync(path.join(dir, name), readFileSync(path.join(MODULE, 'expected', 'main.tf')));
    const before = snapshot(dir);
    const scan = await runCli(['scan', '--format', 'json', '.'], dir, '', ENV);
    expect(JSON.parse(scan.stdout).summary.files).toBe(2);
    const dry = await runCli(['fix', '--dry-run', '.'], dir, '', ENV);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('+data "aws_iam_policy_document" "dynamodb_kms" {');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('temp names', () => {
  it('stay within 255 bytes for the longest legal names, end as the name does, and tell two such names apart', async () => {
    const { ownerOf, tempPathFor } = await import('../../src/io/temp.js');
    const long = `${'x'.repeat(240)}.yaml`;
    const cjk = `${'注文テーブル'.repeat(13)}.yaml`; // 239 bytes
    for (const name of [long, cjk, `y${long.slice(1)}`]) {
      const temp = path.basename(tempPathFor(path.join('/d', name)));
      expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
      expect([temp.endsWith('x.yaml') || temp.endsWith('ル.yaml'), ownerOf(temp)]).toEqual([true, process.pid]);
    }
    expect(tempPathFor(`/d/${long}`)).not.toBe(tempPathFor(`/d/y${long.slice(1)}`));
    expect(path.basename(tempPathFor('/d/orders.yaml'))).toMatch(/^\.kmsfix-tmp-\d+-\d+\.[0-9a-f]{8}-orders\.yaml$/);
    // A fix in place writes such a file.
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-long-'));
    cpSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'), path.join(dir, cjk));
    expect((await runCli(['fix', '--yes', '-q', '.'], dir)).code).toBe(0);
    expect(readdirSync(dir)).toEqual([cjk]);
    expect(readFileSync(path.join(dir, cjk), 'utf8')).toContain('KMSMasterKeyId');
  });
});

describe('a pid reused by another process (adversarial pass: kmsfix is pid 1 or 2 of each container run)', () => {
  it("a killed run's temp files and journal are removed, and its group completed, though its pid runs again", async () => {
    const { cleanStaleTemps, halfWritten, startOf, tempPathFor } = await import('../../src/io/temp.js');
    const dir = tmp();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await new Promise((r) => live.once('spawn', r));
      const start = startOf(live.pid!);
      expect(start).toBeDefined();
      const file = (name: string, text = 'x') => {
        writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
      };
      // This process's pid, another run's names (without a start time, as written before, or with another).
      const ownOld = file(`.kmsfix-tmp-${process.pid}.0a1b2c3d-a.yaml`);
      const ownOther = file(`.kmsfix-tmp-${process.pid}-1.0a1b2c3d-b.yaml`);
      // A live process's pid, started at another time: a killed run's.
      const reused = file(`.kmsfix-tmp-${live.pid}-${Number(start) + 1}.0a1b2c3d-c.yaml`);
      // Still running: its own names, and a live process started when the name says (or a name without a start time).
      const mine = file(path.basename(tempPathFor(path.join(dir, 'd.yaml'))));
      const running = file(`.kmsfix-tmp-${live.pid}-${start}.0a1b2c3d-e.yaml`);
      const runningOld = file(`.kmsfix-tmp-${live.pid}.0a1b2c3d-f.yaml`);
      // A group of two whose renames a killed run (this pid, reused) had begun: g.yaml renamed, h.yaml pending.
      const h = file('h.yaml', 'old h');
      const pending = file(`.kmsfix-tmp-${process.pid}-1.0a1b2c3d-h.yaml`, 'new h');
      const { stampOf } = await import('../../src/io/read.js');
      const { statSync } = await import('node:fs');
      const journal = file(
        `.kmsfix-tmp-${process.pid}-1.0a1b2c3d.0.journal`,
        JSON.stringify({
          version: 1,
          pid: process.pid,
          renames: [
            { temp: path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-g.yaml`), target: file('g.yaml', 'new g'), stamp: 'gone' },
            { temp: pending, target: h, stamp: stampOf(statSync(h, { bigint: true })) },
          ],
        }),
      );
      const all = [ownOld, ownOther, reused, mine, running, runningOld, pending, journal];
      expect(halfWritten(all, (p) => path.basename(p)).map((e) => e.file)).toEqual(['h.yaml']);
      const c = cleanStaleTemps(all, (p) => path.basename(p));
      expect(c.errors).toEqual([]);
      expect(c.completed).toEqual(['h.yaml']);
      expect(readFileSync(h, 'utf8')).toBe('new h');
      expect(c.removed.sort()).toEqual([ownOld, ownOther, reused, pending, journal].sort());
      for (const kept of [mine, running, runningOld]) expect(existsSync(kept), kept).toBe(true);
    } finally {
      live.kill();
    }
  });
});

describe('two runs at once', () => {
  /** Several modules and templates: enough work for the two runs to overlap. */
  function estate(): string {
    const dir = tmp();
    for (let i = 0; i < 30; i++) {
      cpSync(path.join(MODULE, 'input'), path.join(dir, `m${i}`), { recursive: true });
      cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, `t${i}.yaml`));
    }
    return dir;
  }

  it('the second is refused with the pid of the first, or runs after it; the files end fixed, no temp file left', async () => {
    const clean = estate();
    expect((await runCli(['fix', '--yes', '--quiet', '.'], clean, '', ENV)).code).toBe(0);
    expect(readdirSync(clean).filter((n) => n.startsWith('.kmsfix-tmp-'))).toEqual([]);
    const want = snapshot(clean);
    let refusals = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const dir = estate();
      const [a, b] = await Promise.all([
        runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV),
        runCli(['fix', '--yes', '--quiet', '.'], dir, '', ENV),
      ]);
      for (const r of [a, b]) {
        expect(r.stderr).not.toMatch(/ENOENT|rename/);
        if (r.code !== 0) {
          expect(r.code).toBe(2);
          expect(r.stderr).toMatch(/another kmsfix run \(pid \d+, since [^)]+\) is fixing /);
          refusals++;
        }
      }
      expect(a.code === 0 || b.code === 0).toBe(true);
      expect(snapshot(dir)).toEqual(want);
      for (let i = 0; i < 30; i++) expect(undeclaredReferences(path.join(dir, `m${i}`))).toEqual([]);
    }
    expect(refusals).toBeGreaterThan(0); // the runs did meet
  }, 120_000);
});

describe('the lock', () => {
  let holder: ReturnType<typeof spawn> | undefined;
  let held: string;

  beforeAll(async () => {
    held = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(held, 'app.yaml'));
    mkdirSync(path.join(held, 'sub'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(held, 'sub', 'app.yaml'));
    // Another process holds the tree's lock, as a run would.
    const lockModule = path.join(ROOT, 'dist', 'src', 'io', 'lock.js');
    holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(lockModule)}); m.acquireLocks([${JSON.stringify(held)}]); console.log('locked'); setTimeout(() => {}, 60000);`,
      ],
      {
        env: { ...process.env, ...ENV },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => holder!.stdout!.once('data', () => resolve()));
  });

  afterAll(() => holder?.kill());

  it('refuses a fix of a tree another run holds, or of a tree inside it, and says which run', async () => {
    const before = snapshot(held);
    for (const [cwd, args] of [
      [held, ['fix', '--yes', '.']],
      [path.join(held, 'sub'), ['fix', '--yes', '.']],
      [held, ['fix', '--yes', 'sub/app.yaml']],
    ] as const) {
      const r = await runCli([...args], cwd, '', ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`another kmsfix run (pid ${holder!.pid}`);
      expect(r.stderr).toContain(`is fixing ${held}`);
    }
    expect(snapshot(held)).toEqual(before);
    // Reading needs no lock.
    expect((await runCli(['scan', '.'], held, '', ENV)).code).toBe(1);
    expect((await runCli(['fix', '--dry-run', '.'], held, '', ENV)).code).toBe(1);
  });

  it('takes over the lock of a dead run, and releases its own', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'app.yaml'));
    const { lockFileFor } = await import('../../src/io/lock.js');
    process.env.KMSFIX_LOCK_DIR = LOCKS;
    const file = lockFileFor(dir);
    delete process.env.KMSFIX_LOCK_DIR;
    const pid = deadPid();
    writeFileSync(file, JSON.stringify({ pid, root: dir, since: '2020-01-01T00:00:00.000Z' }) + '\n');
    const r = await runCli(['fix', '--yes', '.'], dir, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: took over the lock of a kmsfix run that is no longer running: ${dir} (pid ${pid})`);
    expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
    expect(existsSync(file)).toBe(false);
  });
});
