/** `.kmsfix.yml`: found upward to the repository root, or named; validated with file:line:column; flags override it. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Parsed, parse } from '../../src/cli.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli, snapshot } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');

/** A repository (a folder with .git) holding infra/app.yaml (a table without SSE) and infra/managed.yaml (AWS managed key). */
function repo(config?: string, where = '.kmsfix.yml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-'));
  mkdirSync(path.join(dir, '.git'));
  mkdirSync(path.join(dir, 'infra'));
  cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'infra', 'app.yaml'));
  cpSync(path.join(CF, 'yaml-aws-managed', 'input.yaml'), path.join(dir, 'infra', 'managed.yaml'));
  if (config !== undefined) writeFileSync(path.join(dir, where), config);
  return dir;
}

async function parsed(args: string[], cwd: string): Promise<Parsed> {
  const p = await parse(args, cwd);
  if (p === 'version' || 'help' in p) throw new Error('expected a command');
  return p;
}

describe('.kmsfix.yml', () => {
  it('is found from the scanned path upward, and its settings apply', async () => {
    const dir = repo('accept_aws_managed: true\n');
    // infra/managed.yaml's tables are compliant only with accept_aws_managed.
    const r = await runCli(['scan', '--format', 'json', 'infra/managed.yaml'], dir);
    expect(JSON.parse(r.stdout).summary.nonCompliant).toBe(0);
    // From a sub-folder too: the search climbs to the repository root.
    const sub = await runCli(['scan', '--format', 'json', 'managed.yaml'], path.join(dir, 'infra'));
    expect(JSON.parse(sub.stdout).summary.nonCompliant).toBe(0);
  });

  it('stops at the repository root: a file above the folder holding .git is not used', async () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-outer-'));
    writeFileSync(path.join(outer, '.kmsfix.yml'), 'accept_aws_managed: true\n');
    const dir = path.join(outer, 'repo');
    mkdirSync(path.join(dir, '.git'), { recursive: true });
    cpSync(path.join(CF, 'yaml-aws-managed', 'input.yaml'), path.join(dir, 'managed.yaml'));
    const r = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(JSON.parse(r.stdout).summary.nonCompliant).toBe(3);
  });

  it('--config FILE names one; a missing one is an error (exit 2)', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'team.yml'), 'accept_aws_managed: true\n');
    const r = await runCli(['scan', '--config', 'team.yml', '--format', 'json', 'infra/managed.yaml'], dir);
    expect(JSON.parse(r.stdout).summary.nonCompliant).toBe(0);
    const missing = await runCli(['scan', '--config', 'nope.yml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml: no such configuration file');
  });

  it('flags given on the command line override the file', async () => {
    const dir = repo('key_strategy: shared\nmax_file_size: 2\nprofile: trivy\n');
    const fix = await parsed(['fix', '--key-strategy', 'per-table'], dir);
    expect(fix.options.keyStrategy).toBe('per-table');
    expect(fix.options.maxFileBytes).toBe(2 * 1024 * 1024);
    // profile is an option of scan: it applies to scan, and fix is not refused for it.
    expect((await parsed(['scan'], dir)).options.profile).toBe('trivy');
    expect((await parsed(['scan', '--profile', 'checkov'], dir)).options.profile).toBe('checkov');
    expect((await parsed(['fix'], dir)).options.keyStrategy).toBe('shared');
    // --kms-key-arn on the command line replaces the file's key_policy (no key is generated).
    writeFileSync(path.join(dir, '.kmsfix.yml'), 'key_policy: iam\n');
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withArn = await parsed(['fix', '--kms-key-arn', arn], dir);
    expect(withArn.options.kmsKeyArn).toBe(arn);
  });

  it('the key section becomes FixOptions.key (tags, multi-Region, deletion window, description, alias)', async () => {
    const dir = repo(
      [
        'key:',
        '  tags:',
        '    team: payments',
        '    cost-center: 42',
        '  multi_region: true',
        '  deletion_window_days: 14',
        '  description: "Key of {tables}"',
        '  alias: alias/payments/{table}',
        '',
      ].join('\n'),
    );
    expect((await parsed(['fix'], dir)).options.key).toEqual({
      tags: { team: 'payments', 'cost-center': '42' },
      multiRegion: true,
      deletionWindowDays: 14,
      description: 'Key of {tables}',
      alias: 'alias/payments/{table}',
    });
  });

  it('the key section reaches the writers: a Terraform fix renders its tags, deletion window and alias', async () => {
    const dir = repo('key:\n  tags:\n    team: payments\n  deletion_window_days: 14\n  alias: alias/payments/{table}\n');
    writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n');
    const r = await runCli(['fix', '--dry-run', 'main.tf'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('+  deletion_window_in_days = 14\n');
    expect(r.stdout).toMatch(/\+ {2}tags = \{\n\+ {4}team = "payments"\n/);
    expect(r.stdout).toContain('+  name          = "alias/payments/${aws_dynamodb_table.t.name}"\n');
  });

  it('key.retain: always keeps every generated key (the CloudFormation key gets DeletionPolicy and UpdateReplacePolicy Retain); a bad value is named at its place, with a suggestion', async () => {
    const dir = repo('key:\n  retain: always\n');
    expect((await parsed(['fix'], dir)).options.key).toEqual({ retain: 'always' });
    const r = await runCli(['fix', '--dry-run', 'infra/app.yaml'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\+ {4}Type: AWS::KMS::Key\n\+ {4}DeletionPolicy: Retain\n\+ {4}UpdateReplacePolicy: Retain\n/);
    expect((await parsed(['fix'], repo('key:\n  retain: auto\n'))).options.key).toEqual({ retain: 'auto' });
    const bad = await runCli(['fix', '--yes'], repo('key:\n  retain: alwyas\n'));
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      ".kmsfix.yml:2:11: key.retain must be auto, always, not 'alwyas' (did you mean 'always'?)",
    ]);
    const notString = await runCli(['scan'], repo('key:\n  retain: true\n'));
    expect(notString.stderr.split('\n')[0]).toBe('.kmsfix.yml:2:11: key.retain must be a non-empty string');
  });

  it('exclude and skip_table in the file: globs relative to the file, addresses', async () => {
    const dir = repo('exclude:\n  - infra/managed.yaml\nskip_table: [Orders*]\n');
    const r = await runCli(['scan', '--format', 'json'], path.join(dir, 'infra'));
    const out = JSON.parse(r.stdout);
    expect(out.tables.map((t: { file: string }) => t.file)).toEqual(['app.yaml']);
    expect(out.tables[0]).toMatchObject({ address: 'OrdersTable', status: 'suppressed', compliant: true, fixable: false });
    expect(r.code).toBe(0);
  });

  it('every problem is reported as file:line:column, with a suggestion for an unknown key; nothing runs (exit 2)', async () => {
    const config = [
      'key_stratgy: shared',
      'key:',
      '  deletion_window_days: 3',
      '  alias: foo/{table}',
      '  multi-region: true',
      'profile: trivvy',
      'include_tests: yes please',
      'exclude: {a: 1}',
      'kms_key_arn: foo',
      '',
    ].join('\n');
    const dir = repo(config);
    const before = snapshot(dir);
    const r = await runCli(['fix', '--yes'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').slice(0, 8)).toEqual([
      ".kmsfix.yml:1:1: unknown key 'key_stratgy' (did you mean 'key_strategy'?)",
      '.kmsfix.yml:3:25: key.deletion_window_days: deletion window must be a whole number of days from 7 to 30, not 3',
      '.kmsfix.yml:4:10: key.alias: alias must start with "alias/": foo/{table}',
      ".kmsfix.yml:5:3: unknown key 'key.multi-region' (did you mean 'key.multi_region'?)",
      ".kmsfix.yml:6:10: profile must be strict, checkov, trivy, kics, cfn-nag, cfn-guard, aws-config, not 'trivvy' (did you mean 'trivy'?)",
      '.kmsfix.yml:7:16: include_tests must be true or false',
      '.kmsfix.yml:8:10: exclude must be a list of strings',
      expect.stringMatching(/^\.kmsfix\.yml:9:14: kms_key_arn 'foo' is not a KMS key ARN/),
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('max_file_size is checked as the flag is, at its place: finite, at least one byte', async () => {
    for (const value of ['0', '.inf', '1e309', '1e-300']) {
      const dir = repo(`max_file_size: ${value}\n`);
      const r = await runCli(['scan'], dir);
      expect([r.code, r.stderr.split('\n')[0]], value).toEqual([
        2,
        '.kmsfix.yml:1:16: max_file_size must be a number of MB, finite and at least one byte (0.000001)',
      ]);
    }
    expect((await runCli(['scan', '--max-file-size', '0.0000001'], repo(''))).stderr).toContain(
      "--max-file-size must be a number of MB, finite and at least one byte (0.000001), not '0.0000001'",
    );
    expect((await runCli(['scan'], repo('max_file_size: 0.5\n'))).code).not.toBe(2);
  });

  it('YAML syntax errors and tags of the key section are positioned too', async () => {
    const dir = repo('key:\n  tags:\n    aws:owner: me\nkey_policy: [iam\n');
    const r = await runCli(['scan'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\.kmsfix\.yml:\d+:\d+: YAML: /);
    writeFileSync(path.join(dir, '.kmsfix.yml'), 'key:\n  tags:\n    aws:owner: me\n');
    const tags = await runCli(['scan'], dir);
    expect(tags.stderr).toContain('.kmsfix.yml:3:5: key.tags: tag key must be 1 to 128 characters and not start with "aws:": aws:owner');
  });

  it('an empty file sets nothing; paths with different files are refused, each file named with its paths, and what to do', async () => {
    const dir = repo('');
    expect((await runCli(['scan', 'infra'], dir)).code).toBe(1);
    const other = repo('include_tests: true\n');
    const third = repo();
    const r = await runCli(['fix', '--check', '.', other, path.join(third, 'infra')], dir);
    expect(r.code).toBe(2);
    // No file has errors (the second line said so): each file, the paths it is nearest to, then the way out.
    expect(r.stderr.split('\n')).toEqual([
      `.kmsfix.yml: .`,
      `${path.join(other, '.kmsfix.yml')}: ${other}`,
      `no configuration file: ${path.join(third, 'infra')}`,
      'kmsfix: the paths have different configuration files (above), and a run applies one; nothing was scanned',
      'Run kmsfix once per repository, in its folder, as scripts/bulk/kmsfix-migrate.sh does (each run applies its own file), ' +
        "or name one file for all of them with --config FILE (it replaces each repository's own).",
      '',
    ]);
  });
});

describe('a .kmsfix.yml inside the scanned folders (not the one applied)', () => {
  /** A repository whose infra/ folder has its own file: its skip_table leaves infra/app.yaml's table alone. */
  const nested = (root?: string) => {
    const dir = repo(root);
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: ["*"]\n');
    return dir;
  };
  const NOTE = 'note: infra/.kmsfix.yml is inside the scanned folders and not applied';

  it('fix refuses (exit 2) naming it, the file applied and the ways out; nothing is read or written', async () => {
    const dir = nested();
    const before = snapshot(dir);
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    for (const args of [
      ['fix', '--yes', '.'],
      ['fix', '--check'],
      ['fix', '--dry-run', '.'],
      ['fix', '--patch-dir', patches, '.'],
    ]) {
      const r = await runCli(args, dir);
      expect([r.code, r.stdout, r.stderr], args.join(' ')).toEqual([
        2,
        '',
        'kmsfix: infra/.kmsfix.yml is inside the scanned folders and would not be applied (a run applies one configuration file, ' +
          'the nearest at or above the first path: none here), so the tables it leaves alone (skip_table, exclude) would be fixed: ' +
          'run kmsfix in its folder (kmsfix fix infra), name the configuration to use with --config FILE, or merge its settings into ' +
          'a .kmsfix.yml at or above the scanned path; nothing was changed\n',
      ]);
    }
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(patches)).toBe(false);
    // With a file applied at the root, it is named as the one to merge into.
    const rooted = nested('include_tests: false\n');
    const r = await runCli(['fix', '--check', '.'], rooted);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the nearest at or above the first path: .kmsfix.yml), so');
    expect(r.stderr).toContain('or merge its settings into .kmsfix.yml; nothing was changed');
  });

  it('in its folder it applies; --config FILE makes fix go on, with a note naming the file passed over', async () => {
    const dir = nested();
    const inside = await runCli(['fix', '--check', '.'], path.join(dir, 'infra'));
    expect([inside.code, inside.stderr]).toEqual([0, expect.not.stringContaining(NOTE)]);
    writeFileSync(path.join(dir, 'team.yml'), 'include_tests: false\n');
    const named = await runCli(['fix', '--check', '--config', 'team.yml', '.'], dir);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(
      `${NOTE} (--config team.yml is applied instead): to apply it, run kmsfix in its folder (kmsfix fix infra)\n`,
    );
  });

  it('scan goes on (a CI scan does not break) and says so in a note, in JSON too; the file applied is not named', async () => {
    const dir = nested();
    const r = await runCli(['scan', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${NOTE} (a run applies one configuration file, the nearest at or above the first path: none here): to apply it, ` +
        'run kmsfix in its folder (kmsfix scan infra), or merge its settings into a .kmsfix.yml at or above the scanned path\n',
    );
    const json = JSON.parse((await runCli(['scan', '--format', 'json', '.'], dir)).stdout);
    expect(json.notes).toEqual([expect.stringMatching(/^infra\/\.kmsfix\.yml is inside the scanned folders and not applied/)]);
    // The file applied, at the scanned folder itself, is not one passed over.
    const root = repo('include_tests: false\n');
    expect((await runCli(['scan', '.'], root)).stderr).toBe('');
    expect((await runCli(['fix', '--check', '.'], root)).code).toBe(1);
  });
});
