/**
 * Output and CLI polish: --output FILE, --patch -, profile verdicts, short lines and --verbose, -q,
 * help, colours, unknown flags, and summaries that say what was written.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { colorWanted } from '../../src/cli/output.js';
import { runCli, snapshot, copyTree, tempDir } from '../helpers/cli-helper.js';

function tree(files: Record<string, string>): string {
  return copyTree(tempDir('polish'), files);
}

const NO_SSE = 'cloudformation/yaml-no-sse/input.yaml';
const MANAGED = 'cloudformation/yaml-aws-managed/input.yaml';
const CDK = 'typescript/cdk-statuses/input.ts';

describe('--output FILE', () => {
  it('writes the report of any format to FILE, and nothing on stdout; exit codes unchanged', async () => {
    const dir = tree({ 'infra/t.yaml': NO_SSE });
    for (const [format, check] of [
      ['text', (s: string) => expect(s).toContain('infra/t.yaml:11  OrdersTable  aws-owned')],
      ['json', (s: string) => expect(JSON.parse(s).summary.nonCompliant).toBe(1)],
      ['sarif', (s: string) => expect(JSON.parse(s).version).toBe('2.1.0')],
    ] as const) {
      const r = await runCli(['scan', '--format', format, '--output', `report.${format}`, 'infra'], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      check(readFileSync(path.join(dir, `report.${format}`), 'utf8'));
    }
    // fix --dry-run: the diff goes to the file, the summary stays on stderr.
    const fix = await runCli(['fix', '--dry-run', '-o', 'fix.diff', 'infra'], dir);
    expect(fix.code).toBe(1);
    expect(readFileSync(path.join(dir, 'fix.diff'), 'utf8')).toMatch(/^diff --git a\/infra\/t\.yaml b\/infra\/t\.yaml\n/);
    expect(fix.stderr).toContain('dry run, nothing written');
    // Written atomically: no temp file left beside it.
    expect(readdirSync(dir).sort()).toEqual(['fix.diff', 'infra', 'report.json', 'report.sarif', 'report.text']);
  });

  it('refuses a folder, a path given to scan, and a file the run scanned (exit 2, nothing written)', async () => {
    const dir = tree({ 'infra/t.yaml': NO_SSE });
    const before = snapshot(dir);
    for (const [args, message] of [
      [['--output', 'infra', 'infra'], '--output infra: is a folder'],
      [['--output', 'infra/t.yaml', 'infra/t.yaml'], '--output infra/t.yaml: is a path given to scan'],
      [['--output', 'infra/t.yaml', 'infra'], '--output infra/t.yaml: is a file this run would scan'],
      [['--output', 'nope/r.txt', 'infra'], '--output nope/r.txt: the folder nope does not exist'],
      [['--output', 'infra/report.json', '.'], '--output infra/report.json: would be scanned as a template (it is inside .)'],
    ] as const) {
      const r = await runCli(['scan', ...args], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses, before a fix writes, a new file inside a scanned folder under a name a format reads: the diff in a .tf file broke the module (adversarial pass)', async () => {
    const dir = tree({ 'w/m/main.tf': 'terraform/no-sse-block/input.tf' });
    const before = snapshot(dir);
    for (const name of ['report.tf', 'report.yaml', 'report.json', 'report.template', 'report.ts']) {
      const r = await runCli(['fix', '--yes', '-o', `w/m/${name}`, 'w'], dir);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(
        `--output w/m/${name}: would be scanned as a template (it is inside w), and a report there breaks its folder's templates or module; name it *.txt, *.diff or *.sarif, or put it elsewhere`,
      );
      expect(snapshot(dir), name).toEqual(before);
    }
    // Any other name there is written as before.
    const r = await runCli(['fix', '--yes', '-o', 'w/m/report.diff', 'w'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'w/m/report.diff'), 'utf8')).toContain('diff --git');
  });
});

describe('--patch -', () => {
  it('writes the patch to stdout, the same bytes as --patch FILE, and touches no source file', async () => {
    const dir = tree({ 'infra/t.yaml': NO_SSE, 'infra/m.yaml': MANAGED });
    const before = snapshot(dir);
    const out = await runCli(['fix', '--patch', '-', 'infra'], dir);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('patch written to stdout');
    expect(snapshot(dir)).toEqual(before);
    await runCli(['fix', '--patch', 'p.patch', 'infra'], dir);
    expect(out.stdout).toBe(readFileSync(path.join(dir, 'p.patch'), 'utf8'));
    expect(out.stdout).toContain('+++ b/infra/t.yaml');
    // JSON would share stdout with the patch.
    const json = await runCli(['fix', '--patch', '-', '--format', 'json', 'infra'], dir);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--patch - and --format json would both write to stdout');
  });
});

describe('--profile text output', () => {
  it("shows the profile's verdict on each line, and fixable never exceeds non-compliant", async () => {
    const dir = tree({ 'm.yaml': MANAGED });
    const r = await runCli(['scan', '--profile', 'trivy', 'm.yaml'], dir);
    expect(r.stdout.split('\n')).toEqual([
      'm.yaml:3  ByAlias  fails trivy  KMSMasterKeyId is alias/aws/dynamodb',
      "m.yaml:17  ByArn  passes trivy  KMSMasterKeyId is !Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::Acc...",
      'm.yaml:30  NoKey  fails trivy  SSE is enabled with no KMSMasterKeyId',
      // ByArn passes Trivy: fixable by kmsfix's own rule, but not counted among the non-compliant's fixable ones.
      '3 tables in 1 file: 1 compliant, 2 non-compliant (2 fixable), 0 errors',
      '',
    ]);
    const json = JSON.parse((await runCli(['scan', '--profile', 'trivy', '--format', 'json', 'm.yaml'], dir)).stdout);
    expect(json.summary.fixable).toBeLessThanOrEqual(json.summary.nonCompliant);
  });

  it('a table the tool does not scan (Trivy and TypeScript) is "not scanned by trivy", not compliant', async () => {
    const dir = tree({ 'stack.ts': CDK });
    const r = await runCli(['scan', '--profile', 'trivy', 'stack.ts'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'stack.ts:13  Default  not scanned by trivy  encryption is dynamodb.TableEncryption.DEFAULT (kmsfix: aws-owned)',
    );
    expect(r.stdout).toMatch(/14 tables in 1 file: 0 compliant, 14 non-compliant \(\d+ fixable, 14 not scanned by trivy\)/);
    const t = JSON.parse((await runCli(['scan', '--profile', 'trivy', '--format', 'json', 'stack.ts'], dir)).stdout).tables[0];
    expect(t.compliant).toBe(false);
    expect(t.message).toMatch(/^not scanned by trivy; kmsfix's own rule: aws-owned: /);
    // Under strict, the same file is judged by kmsfix's own rule.
    expect((await runCli(['scan', 'stack.ts'], dir)).stdout).toContain('stack.ts:19  CustomerManaged  customer-managed');
  });
});

describe('scan lines', () => {
  it('are short by default (status, address, one reason); --verbose adds the whole message and the peer rules', async () => {
    const dir = tree({ 't.yaml': NO_SSE });
    const short = (await runCli(['scan', 't.yaml'], dir)).stdout.split('\n')[0];
    expect(short).toBe('t.yaml:11  OrdersTable  aws-owned  No SSESpecification');
    const long = (await runCli(['scan', '-v', 't.yaml'], dir)).stdout.split('\n')[0];
    expect(long).toMatch(
      /^t\.yaml:11 {2}OrdersTable {2}aws-owned {2}No SSESpecification: data is encrypted with an AWS owned key: .*\(fails CKV_AWS_119, /,
    );
    expect(long).toContain('c8dee387-a2e6-4a73-a942-183c975549ac');
  });

  it('say briefly why a non-compliant table is not fixed', async () => {
    const dir = tree({ 'stack.ts': CDK });
    const out = (await runCli(['scan', 'stack.ts'], dir)).stdout;
    expect(out).toContain(
      'stack.ts:37  GlobalV1  aws-owned  No encryption (TableEncryption.DEFAULT); not fixable automatically (--verbose says what to do)',
    );
  });

  it('-q prints only what needs action: non-compliant tables and errors', async () => {
    const dir = tree({ 'stack.ts': CDK });
    const r = await runCli(['scan', '-q', 'stack.ts'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(r.stdout).not.toContain('customer-managed');
    expect(r.stdout).not.toContain('tables in');
    const ok = tree({ 'ok.yaml': 'cloudformation/yaml-no-sse/expected.yaml' });
    expect(await runCli(['scan', '-q'], ok)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('help, flags, colours', () => {
  it('kmsfix help [command], kmsfix COMMAND --help', async () => {
    const dir = tree({});
    const all = await runCli(['help'], dir);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('kmsfix help [COMMAND]');
    for (const flag of ['--config', '--exclude', '--skip-table', '--output', '--verbose', '--no-color', '--profile', '--dry-run']) {
      expect(all.stdout).toContain(flag);
    }
    const scan = await runCli(['help', 'scan'], dir);
    expect(scan.stdout).toContain('--profile');
    expect(scan.stdout).not.toContain('--patch-dir');
    expect((await runCli(['fix', '--help'], dir)).stdout).toContain('--dry-run');
    expect((await runCli(['fix', '--help'], dir)).stdout).not.toContain('--profile strict');
  });

  it('an unknown flag or command gets a suggestion (exit 2)', async () => {
    const dir = tree({});
    for (const [args, message] of [
      [['scan', '--exlude', 'x'], 'kmsfix: unknown option --exlude (did you mean --exclude?)'],
      [['fix', '--dryrun'], 'kmsfix: unknown option --dryrun (did you mean --dry-run?)'],
      [['scan', '--verbsoe'], 'kmsfix: unknown option --verbsoe (did you mean --verbose?)'],
      [['sacn'], "kmsfix: unknown command 'sacn' (expected scan, fix or help; did you mean 'scan'?)"],
      [['scan', '--format', 'jsno'], "kmsfix: --format must be text, json or sarif, not 'jsno' (did you mean json?)"],
      [['scan', '-x'], 'kmsfix: unknown option -x (short options: -q -y -o -v -V -h)'],
      [['fix', '--YES'], 'kmsfix: unknown option --YES (did you mean --yes?)'],
      [['fix', '--Dry-Run'], 'kmsfix: unknown option --Dry-Run (did you mean --dry-run?)'],
      // help of an unknown command: it printed the general help with exit 0.
      [['help', 'nope'], "kmsfix: unknown command 'nope' (expected scan, fix or help)"],
      [['help', 'sacn'], "kmsfix: unknown command 'sacn' (expected scan, fix or help; did you mean 'scan'?)"],
      [['nope', '--help'], "kmsfix: unknown command 'nope' (expected scan, fix or help)"],
    ] as const) {
      const r = await runCli([...args], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(message);
      expect(r.stderr).toContain("Run 'kmsfix help' for usage.");
    }
  });

  it('an empty path or path-flag value (an unset shell variable) is refused, exit 2, nothing written: --patch "" wrote nothing with exit 0, fix "" fixed the current folder', async () => {
    const dir = tree({ 't.yaml': NO_SSE });
    const before = snapshot(dir);
    for (const [args, message] of [
      [['fix', '.', '--patch', ''], 'kmsfix: --patch is empty: give a file name, or - for stdout (is a shell variable unset?)'],
      [['fix', '.', '--patch='], 'kmsfix: --patch is empty: give a file name, or - for stdout (is a shell variable unset?)'],
      [['fix', '.', '--patch-dir', ''], "kmsfix: --patch-dir is empty: give a folder's name (is a shell variable unset?)"],
      [['scan', '.', '-o', ''], 'kmsfix: --output is empty: give a file name (is a shell variable unset?)'],
      [['scan', '.', '--config', ''], "kmsfix: --config is empty: give the configuration file's name (is a shell variable unset?)"],
      [['scan', '--exclude', 'x', '--exclude', ''], 'kmsfix: --exclude is empty: give a glob (is a shell variable unset?)'],
      [
        ['fix', '', '--yes'],
        'kmsfix: path argument 1 is empty: name a file or folder, or . for the current folder (is a shell variable unset?)',
      ],
      [
        ['fix', 't.yaml', '', '--yes'],
        'kmsfix: path argument 2 is empty: name a file or folder, or . for the current folder (is a shell variable unset?)',
      ],
    ] as const) {
      const r = await runCli([...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(message);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('--config naming a folder: "is a folder", naming the file it holds (it said EISDIR: illegal operation on a directory)', async () => {
    const dir = tree({ 't.yaml': NO_SSE });
    mkdirSync(path.join(dir, 'cfg'));
    writeFileSync(path.join(dir, 'cfg', '.kmsfix.yml'), 'exclude: []\n');
    for (const [named, message] of [
      ['.', 'kmsfix: --config .: is a folder; name the configuration file'],
      ['cfg', 'kmsfix: --config cfg: is a folder; name the configuration file (--config cfg/.kmsfix.yml?)'],
    ]) {
      const r = await runCli(['scan', '.', '--config', named], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(message);
    }
  });

  it('colours: FORCE_COLOR turns them on off a terminal, --no-color and NO_COLOR off', async () => {
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(false, { FORCE_COLOR: '0' })).toBe(false);
    const dir = tree({ 't.yaml': NO_SSE });
    // NO_COLOR wins over FORCE_COLOR (https://no-color.org): both set gave colours.
    expect(colorWanted(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect((await runCli(['scan', 't.yaml'], dir, undefined, { NO_COLOR: '1', FORCE_COLOR: '1' })).stdout).not.toContain('\x1b[');
    const forced = await runCli(['scan', 't.yaml'], dir, undefined, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\x1b[31maws-owned\x1b[39m');
    const off = await runCli(['scan', '--no-color', 't.yaml'], dir, undefined, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(off.stdout).not.toContain('\x1b[');
    expect((await runCli(['scan', 't.yaml'], dir, undefined, { NO_COLOR: '1' })).stdout).not.toContain('\x1b[');
  });
});

describe('the summary says what was written', () => {
  function fakeIo(dir: string, answer: string): Io & { errs: string[] } {
    const errs: string[] = [];
    return { cwd: dir, out: () => undefined, err: (t) => errs.push(t), interactive: true, color: false, ask: async () => answer, errs };
  }

  it('after answering "n": nothing written, the planned changes not called fixed', async () => {
    const dir = tree({ 't.yaml': NO_SSE });
    const io = fakeIo(dir, 'n');
    expect(await main(['fix', '.'], io)).toBe(0);
    expect(io.errs.join('')).toContain('; 1 planned in 1 file, 0 fixed, nothing written (answered no)');
  });

  it('--check and --dry-run: would be fixed, nothing written', async () => {
    const dir = tree({ 't.yaml': NO_SSE });
    expect((await runCli(['fix', '--check', '.'], dir)).stderr).toContain('; 1 would be fixed in 1 file, check, nothing written');
    expect((await runCli(['fix', '--dry-run', '.'], dir)).stderr).toContain('; 1 would be fixed in 1 file, dry run, nothing written');
    expect(existsSync(path.join(dir, 't.yaml'))).toBe(true);
  });
});
