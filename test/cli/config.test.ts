/** `.kmsfix.yml`: found upward to the repository root, or named; validated with file:line:column; flags override it. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Parsed, parse } from '../../src/cli.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { GIT_ENV, runCli, snapshot, scanJson } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');

/** A repository (a folder with .git) holding infra/app.yaml (a table without SSE) and infra/managed.yaml (AWS managed key). */
function repo(config?: string, where = '.kmsfix.yml', dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-'))): string {
  mkdirSync(path.join(dir, '.git'), { recursive: true });
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

  it('key.deny_direct_grants: true adds the Deny of grants outside AWS services to the key policy (CT.KMS.PR.3); not a boolean: named at its place', async () => {
    const dir = repo('key:\n  deny_direct_grants: true\n');
    expect((await parsed(['fix'], dir)).options.key).toEqual({ denyDirectGrants: true });
    const r = await runCli(['fix', '--dry-run', 'infra/app.yaml'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\+ {10}- Sid: DenyGrantsOutsideAWSServices\n\+ {12}Effect: Deny\n/);
    const bad = await runCli(['scan'], repo('key:\n  deny_direct_grants: yes please\n'));
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, '.kmsfix.yml:2:23: key.deny_direct_grants must be true or false']);
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
    // A tag value holding a line break or NUL: KMS rejects it (session 62's adversarial pass, M2).
    writeFileSync(path.join(dir, '.kmsfix.yml'), 'key:\n  tags:\n    team: "a\\nb"\n    owner: "x\\0"\n');
    const control = await runCli(['scan'], dir);
    expect([control.code, ...control.stderr.split('\n').slice(0, 2)]).toEqual([
      2,
      '.kmsfix.yml:3:5: key.tags: tag value of "team" must hold no control character (a line break, NUL...): KMS rejects it',
      '.kmsfix.yml:4:5: key.tags: tag value of "owner" must hold no control character (a line break, NUL...): KMS rejects it',
    ]);
    // A description or tag holding "${": refused for every format in session 59 (adversarial pass F4), taken since session 60,
    // each format writing it as text (src/rule/keySettings.ts terraformLiteral and the others; a Serverless service's table is declined).
    writeFileSync(path.join(dir, '.kmsfix.yml'), 'key:\n  description: "key (${self:service})"\n  tags:\n    owner: "${team}"\n');
    const interpolated = await runCli(['fix', '--dry-run'], dir);
    expect(interpolated.code).toBe(1);
    expect(interpolated.stderr).not.toContain('must not hold');
    expect(interpolated.stdout).toContain("+      Description: 'key (${self:service})'\n");
  });

  it('an empty file sets nothing', async () => {
    const dir = repo('');
    expect((await runCli(['scan', 'infra'], dir)).code).toBe(1);
  });
});

/**
 * Two repositories side by side, `a` and `b` (kmsfix runs in the folder holding them), whose files skip
 * different tables: `a` its OrdersTable (infra/app.yaml), `b` its By* tables (infra/managed.yaml).
 */
function twoRepos(git = false): { src: string; a: string; b: string } {
  const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-src-'));
  const a = repo('skip_table: [Orders*]\n', '.kmsfix.yml', path.join(src, 'a'));
  const b = repo('skip_table: ["By*"]\n', '.kmsfix.yml', path.join(src, 'b'));
  if (git)
    for (const r of [a, b]) {
      rmSync(path.join(r, '.git'), { recursive: true });
      for (const args of [
        ['init', '-q'],
        ['add', '.'],
        ['commit', '-q', '-m', 'init'],
      ])
        execFileSync('git', args, { cwd: r, env: GIT_ENV });
    }
  return { src, a, b };
}

/** Each table's status, by file (the path as the report gives it) and address. */
const statuses = (json: { tables: { file: string; address: string; status: string }[] }) =>
  json.tables.map((t) => `${t.file} ${t.address} ${t.status}`);

describe('each file governed by its nearest .kmsfix.yml: one run over repositories with different files', () => {
  it('scan applies each repository its own file, in one report: text, JSON (counts summed) and SARIF', async () => {
    const { src } = twoRepos();
    const text = await runCli(['scan', 'a', 'b'], src);
    expect([text.code, text.stderr]).toEqual([1, '']);
    expect(text.stdout).toBe(
      [
        'a/infra/app.yaml:11  OrdersTable  suppressed  Skipped by --skip-table Orders*',
        'a/infra/managed.yaml:3  ByAlias  aws-managed  KMSMasterKeyId is alias/aws/dynamodb',
        "a/infra/managed.yaml:17  ByArn  aws-managed  KMSMasterKeyId is !Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::Acc...",
        'a/infra/managed.yaml:30  NoKey  aws-managed  SSE is enabled with no KMSMasterKeyId',
        'b/infra/app.yaml:11  OrdersTable  aws-owned  No SSESpecification',
        'b/infra/managed.yaml:3  ByAlias  suppressed  Skipped by --skip-table By*',
        'b/infra/managed.yaml:17  ByArn  suppressed  Skipped by --skip-table By*',
        'b/infra/managed.yaml:30  NoKey  aws-managed  SSE is enabled with no KMSMasterKeyId',
        '8 tables in 4 files: 3 compliant, 5 non-compliant (5 fixable), 0 errors',
        '',
      ].join('\n'),
    );
    // The folder holding them: each repository's file found inside it, the same report.
    expect(await runCli(['scan', '.'], src)).toEqual(text);
    const json = await scanJson(src, ['a', 'b']);
    expect(statuses(json)).toEqual([
      'a/infra/app.yaml OrdersTable suppressed',
      'a/infra/managed.yaml ByAlias aws-managed',
      'a/infra/managed.yaml ByArn aws-managed',
      'a/infra/managed.yaml NoKey aws-managed',
      'b/infra/app.yaml OrdersTable aws-owned',
      'b/infra/managed.yaml ByAlias suppressed',
      'b/infra/managed.yaml ByArn suppressed',
      'b/infra/managed.yaml NoKey aws-managed',
    ]);
    expect(json.summary).toMatchObject({ tables: 8, compliant: 3, nonCompliant: 5, errors: 0 });
    const sarif = await runCli(['scan', '--format', 'sarif', 'a', 'b'], src);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(log.runs).toHaveLength(1);
    // The results (not the suppressed tables) of both, in the run's order.
    const where = log.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) =>
        `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`,
    );
    expect(where).toEqual([
      'a/infra/managed.yaml:3',
      'a/infra/managed.yaml:17',
      'a/infra/managed.yaml:30',
      'b/infra/app.yaml:11',
      'b/infra/managed.yaml:30',
    ]);
  });

  it('fix --dry-run and --patch-dir: each repository fixed by its own file, one summary', async () => {
    const { src, a, b } = twoRepos(true);
    const dry = await runCli(['fix', '--dry-run', 'a', 'b'], src);
    expect(dry.code).toBe(1);
    expect(dry.stdout.match(/^\+\+\+ .*$/gm)).toEqual([
      '+++ b/a/infra/managed.yaml',
      '+++ b/b/infra/app.yaml',
      '+++ b/b/infra/managed.yaml',
    ]);
    expect(dry.stderr).toMatch(
      /8 tables in 4 files: 3 compliant, 5 non-compliant \(5 fixable\), 0 errors; 5 would be fixed in 3 files, dry run, nothing written\n$/,
    );
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    const r = await runCli(['fix', '--patch-dir', patches, 'a', 'b'], src);
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/5 fixed in 3 files, patches written to /)]);
    const patchOf = (dir: string) => readFileSync(path.join(patches, `${path.basename(dir)}.patch`), 'utf8');
    // a's patch leaves its OrdersTable (skipped by a's file) alone; b's fixes it and leaves its By* tables.
    expect(patchOf(a)).not.toContain('infra/app.yaml');
    expect(patchOf(a)).toContain('ByAliasKey');
    expect(patchOf(b)).toContain('+++ b/infra/app.yaml');
    expect(patchOf(b)).not.toContain('ByAliasKey');
  });

  it('a file inside the scanned folders governs its folder only; the one above governs the rest', async () => {
    // The root's file skips Orders*, infra/'s skips By*: other/app.yaml is the root's, infra/ is infra's only.
    const dir = repo('skip_table: [Orders*]\n');
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: ["By*"]\n');
    mkdirSync(path.join(dir, 'other'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'other', 'app.yaml'));
    const json = await scanJson(dir, ['.']);
    expect(statuses(json)).toEqual([
      'other/app.yaml OrdersTable suppressed',
      'infra/app.yaml OrdersTable aws-owned',
      'infra/managed.yaml ByAlias suppressed',
      'infra/managed.yaml ByArn suppressed',
      'infra/managed.yaml NoKey aws-managed',
    ]);
    expect(json.notes).toEqual([]);
    const before = snapshot(dir);
    const check = await runCli(['fix', '--check', '.'], dir);
    expect([check.code, check.stdout]).toEqual([1, 'infra/app.yaml\ninfra/managed.yaml\n']);
    expect(snapshot(dir)).toEqual(before);
    // Its exclude is relative to its own folder.
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'exclude: [managed.yaml]\n');
    const excluded = await scanJson(dir, ['.']);
    expect(statuses(excluded)).toEqual(['other/app.yaml OrdersTable suppressed', 'infra/app.yaml OrdersTable aws-owned']);
    // A flag given on the command line still applies to every file's part.
    const flag = await scanJson(dir, ['--skip-table', 'NoKey', '.']);
    expect(statuses(flag)).toEqual(['other/app.yaml OrdersTable suppressed', 'infra/app.yaml OrdersTable aws-owned']);
  });

  it("--patch-dir's mails explain each repository's own key settings", async () => {
    const { src, a, b } = twoRepos(true);
    for (const r of [a, b]) {
      writeFileSync(path.join(r, '.kmsfix.yml'), `key:\n  alias: alias/${path.basename(r)}/{table}\n`);
      execFileSync('git', ['commit', '-q', '-am', 'alias'], { cwd: r, env: GIT_ENV });
    }
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    expect((await runCli(['fix', '--patch-dir', patches, 'a', 'b'], src)).code).toBe(0);
    const mail = (r: string) => readFileSync(path.join(patches, `${path.basename(r)}.mbox`), 'utf8');
    expect(mail(a)).toContain('alias/a/<table name>');
    expect(mail(a)).not.toContain('alias/b/');
    expect(mail(b)).toContain('alias/b/<table name>');
  });

  it('a folder split off is read as its parent walk would: --exclude from the same root, test code', async () => {
    const dir = repo();
    mkdirSync(path.join(dir, 'tests', 'fx'), { recursive: true });
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'tests', 'fx', 'app.yaml'));
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'include_tests: false\n');
    writeFileSync(path.join(dir, 'tests', 'fx', '.kmsfix.yml'), 'include_tests: false\n');
    const json = await scanJson(dir, ['--exclude', 'infra/managed.yaml', '.']);
    expect(json.tables.map((t: { file: string; fixable: boolean }) => `${t.file} ${t.fixable}`)).toEqual([
      'infra/app.yaml true',
      'tests/fx/app.yaml false',
    ]);
  });

  it('a file above the repositories governs those without one of their own, as before files were split (~/src/.kmsfix.yml); one with its own is governed by it', async () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const outer = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-outer-'));
    writeFileSync(path.join(outer, '.kmsfix.yml'), `kms_key_arn: ${arn}\nskip_table: [Orders*]\n`);
    repo(undefined, '.kmsfix.yml', path.join(outer, 'r1'));
    // A repository vendored inside r1 (a submodule): r1's governing file reaches it too.
    repo(undefined, '.kmsfix.yml', path.join(outer, 'r1', 'vendor', 'lib'));
    const json = await scanJson(outer, ['.']);
    expect(statuses(json)).toEqual([
      'r1/infra/app.yaml OrdersTable suppressed',
      'r1/infra/managed.yaml ByAlias aws-managed',
      'r1/infra/managed.yaml ByArn aws-managed',
      'r1/infra/managed.yaml NoKey aws-managed',
      'r1/vendor/lib/infra/app.yaml OrdersTable suppressed',
      'r1/vendor/lib/infra/managed.yaml ByAlias aws-managed',
      'r1/vendor/lib/infra/managed.yaml ByArn aws-managed',
      'r1/vendor/lib/infra/managed.yaml NoKey aws-managed',
    ]);
    expect(json.notes).toEqual([]);
    const dry = await runCli(['fix', '--dry-run', '.'], outer);
    expect(dry.stdout).toContain(arn);
    expect(dry.stdout).not.toMatch(/AWS::KMS::Key|aws_kms_key/);
    // A repository named alone is governed by what its own search finds (none: it stops at its root), as it was.
    const alone = await scanJson(path.join(outer, 'r1'), ['.']);
    expect(statuses(alone)[0]).toBe('infra/app.yaml OrdersTable aws-owned');
    // A repository with a file of its own: its file governs it (the nearest), the one above the others.
    repo('skip_table: ["By*"]\n', '.kmsfix.yml', path.join(outer, 'r2'));
    const both = await scanJson(outer, ['.']);
    expect(statuses(both).filter((t) => t.startsWith('r2/') || t.startsWith('r1/infra/app'))).toEqual([
      'r1/infra/app.yaml OrdersTable suppressed',
      'r2/infra/app.yaml OrdersTable aws-owned',
      'r2/infra/managed.yaml ByAlias suppressed',
      'r2/infra/managed.yaml ByArn suppressed',
      'r2/infra/managed.yaml NoKey aws-managed',
    ]);
  });

  it("a repository inside another's folder is governed by that folder's file, and its mail explains that file's settings", async () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-outer-'));
    writeFileSync(path.join(outer, '.kmsfix.yml'), 'key:\n  alias: alias/top/{table}\n');
    const git = (cwd: string) => {
      rmSync(path.join(cwd, '.git'), { recursive: true });
      for (const args of [
        ['init', '-q'],
        ['add', '.'],
        ['commit', '-q', '-m', 'init'],
      ])
        execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'ignore' });
    };
    const lib = repo(undefined, '.kmsfix.yml', path.join(outer, 'r2', 'vendor', 'lib'));
    git(lib);
    git(repo('key:\n  alias: alias/r2/{table}\n', '.kmsfix.yml', path.join(outer, 'r2')));
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    expect((await runCli(['fix', '--patch-dir', patches, '.'], outer)).code).toBe(0);
    const mail = readFileSync(path.join(patches, 'lib.mbox'), 'utf8');
    expect(mail).toContain('alias/r2/<table name>');
    expect(mail).not.toContain('alias/top/');
  });

  it("a repository's mail and commit message follow each folder's own settings: its tables' key lines, its key policy line; which folder used which", async () => {
    // The root's file sets nothing; svc/'s sets a shared key and key policy iam.
    const dir = repo('');
    mkdirSync(path.join(dir, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'svc', 'app.yaml'));
    writeFileSync(path.join(dir, 'svc', '.kmsfix.yml'), 'key_strategy: shared\nkey_policy: iam\n');
    rmSync(path.join(dir, '.git'), { recursive: true });
    for (const args of [
      ['init', '-q'],
      ['add', '.'],
      ['commit', '-q', '-m', 'init'],
    ])
      execFileSync('git', args, { cwd: dir, env: GIT_ENV });
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    expect((await runCli(['fix', '--patch-dir', patches, '.'], dir)).code).toBe(0);
    const mbox = readFileSync(path.join(patches, `${path.basename(dir)}.mbox`), 'utf8');
    // Lines unwrapped.
    const mail = mbox.replace(/\n {2,}/g, ' ');
    expect(mail).toContain(
      [
        'Settings differ by folder:',
        '* the rest of the repository (.kmsfix.yml): a key per table, key policy drop-in',
        '* svc/ (svc/.kmsfix.yml): a key shared per template or module, key policy iam',
        '',
        'Tables:',
      ].join('\n'),
    );
    // Each table's key line is its own folder's.
    expect(mbox).toContain('* OrdersTable (infra/app.yaml:11), was aws-owned\n  key: a new customer-managed KMS key of its own');
    expect(mbox).toContain(
      '* OrdersTable (svc/app.yaml:11), was aws-owned\n  key: a new customer-managed KMS key shared by the tables of its',
    );
    // The key policy lines: each folder's, after the folders it is said of; a line the settings do not change, once.
    expect(mail).toContain('* the rest of the repository: Who can use the key (key policy drop-in)');
    expect(mail).toContain('* svc/: Who can use the key (key policy iam)');
    expect(mail.match(/^\* Cost: /gm)).toHaveLength(1);
    expect(mail.match(/^\* (.*: )?Roll back in two deploys/gm)).toHaveLength(1);
    // Only svc/ fixed (infra/ excluded): its settings throughout, as a run of one file says them.
    const only = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    expect((await runCli(['fix', '--patch-dir', only, '--exclude', 'infra', '.'], dir)).code).toBe(0);
    const svc = readFileSync(path.join(only, `${path.basename(dir)}.mbox`), 'utf8');
    expect(svc).not.toContain('Settings differ');
    expect(svc).toContain('* Who can use the key (key policy iam)');
    expect(svc).toContain('  key: a new customer-managed KMS key shared by the tables of its');
    // --commit writes the same message.
    const r = await runCli(['fix', '--yes', '--quiet', '--commit', '.'], dir);
    expect(r.code).toBe(0);
    const body = execFileSync('git', ['log', '-1', '--format=%B', 'kmsfix/dynamodb-cmk'], { cwd: dir, encoding: 'utf8' }).replace(
      /\n {2,}/g,
      ' ',
    );
    expect(body).toContain('* svc/ (svc/.kmsfix.yml): a key shared per template or module, key policy iam');
    expect(body).toContain('* svc/: Who can use the key (key policy iam)');
  });

  it('--commit and --patch-dir: a repository a broken configuration file kept partly unread gets no commit, patch nor mail (they held half its change)', async () => {
    // A typo in the root's file; svc/ has a good file of its own. A second repository beside it, all good.
    const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-unread-'));
    const dir = repo('key_stratgy: shared\n', '.kmsfix.yml', path.join(src, 'half'));
    const good = repo(undefined, '.kmsfix.yml', path.join(src, 'good'));
    mkdirSync(path.join(dir, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'svc', 'app.yaml'));
    writeFileSync(path.join(dir, 'svc', '.kmsfix.yml'), 'key_policy: iam\n');
    for (const r of [dir, good]) {
      rmSync(path.join(r, '.git'), { recursive: true });
      for (const args of [
        ['init', '-q', '-b', 'main'],
        ['add', '.'],
        ['commit', '-q', '-m', 'init'],
      ])
        execFileSync('git', args, { cwd: r, env: GIT_ENV });
    }
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    const pd = await runCli(['fix', '--patch-dir', patches, 'half', 'good'], src);
    expect(pd.code).toBe(2);
    expect(pd.stderr).toContain(
      "error: half/svc/app.yaml: left out of its repository's patch and mail, which hold the whole change of a repository, and half/.kmsfix.yml has problems (said above): the folders it governs were not read; correct it and run again",
    );
    expect(existsSync(path.join(patches, 'half.mbox'))).toBe(false);
    expect(existsSync(path.join(patches, 'half.patch'))).toBe(false);
    expect(existsSync(path.join(patches, 'good.mbox'))).toBe(true);
    const c = await runCli(['fix', '--yes', '--quiet', '--commit', 'half', 'good'], src);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(
      'error: half/svc/app.yaml: not written: --commit makes one commit of the whole change of a repository, and half/.kmsfix.yml has problems',
    );
    const branch = (r: string) => execFileSync('git', ['branch', '--show-current'], { cwd: r, encoding: 'utf8' }).trim();
    expect(branch(dir)).toBe('main');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    expect(branch(good)).toBe('kmsfix/dynamodb-cmk');
    // A folder outside any work tree: its patch (the path given's) is left out the same way.
    const plain = repo('key_stratgy: shared\n', '.kmsfix.yml', path.join(src, 'plain'));
    rmSync(path.join(plain, '.git'), { recursive: true });
    mkdirSync(path.join(plain, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(plain, 'svc', 'app.yaml'));
    writeFileSync(path.join(plain, 'svc', '.kmsfix.yml'), 'key_policy: iam\n');
    const nogit = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    expect((await runCli(['fix', '--patch-dir', nogit, 'plain'], src)).code).toBe(2);
    expect(existsSync(path.join(nogit, 'plain.patch'))).toBe(false);
    // A fix in place without --commit writes the folders read, as before.
    const inPlace = await runCli(['fix', '--yes', '--quiet', 'half'], src);
    expect(inPlace.code).toBe(2);
    expect(readFileSync(path.join(dir, 'svc', 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });

  it("--patch-dir's summary.json: a repository a broken file above it left unread has its row and the error; the folder above is no row", async () => {
    // src/.kmsfix.yml broken; src/r1 has a good file of its own, src/r2 none (governed by the broken one).
    const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-unreadrow-'));
    writeFileSync(path.join(src, '.kmsfix.yml'), 'key_stratgy: shared\n');
    repo('key_strategy: shared\n', '.kmsfix.yml', path.join(src, 'r1'));
    repo(undefined, '.kmsfix.yml', path.join(src, 'r2'));
    const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
    // --force: these repositories' .git folders are empty (git status cannot be asked).
    expect((await runCli(['fix', '--patch-dir', patches, '--force', '.'], src)).code).toBe(2);
    const summary = JSON.parse(readFileSync(path.join(patches, 'summary.json'), 'utf8'));
    expect(summary.repositories.map((r: { repository: string }) => r.repository)).toEqual(['r1', 'r2']);
    expect(summary.summary.repositories).toBe(2);
    const r2 = summary.repositories[1];
    expect(r2).toMatchObject({ git: true, tables: 0, patch: null });
    expect(r2.errors).toEqual([
      expect.objectContaining({
        file: '../.kmsfix.yml',
        line: 1,
        column: 1,
        message: expect.stringContaining('were not read (but for r1'),
      }),
    ]);
    expect(summary.repositories[0].errors).toEqual([]);
  });

  it("the mail's 'Settings differ by folder:' only where its lines differ; retain: always not said for Terraform; a file given named as a file", async () => {
    const gitRepo = (dir: string) => {
      rmSync(path.join(dir, '.git'), { recursive: true });
      for (const args of [
        ['init', '-q'],
        ['add', '.'],
        ['commit', '-q', '-m', 'init'],
      ])
        execFileSync('git', args, { cwd: dir, env: GIT_ENV });
      return dir;
    };
    const mail = async (dir: string, ...args: string[]) => {
      const patches = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-config-p-')), 'p');
      expect((await runCli(['fix', '--patch-dir', patches, ...args], dir)).code).toBe(0);
      return readFileSync(path.join(patches, `${path.basename(dir)}.mbox`), 'utf8').replace(/\n {2,}/g, ' ');
    };
    // svc/'s file sets only key tags, which the settings line does not show: the two lines were the same.
    const tags = repo();
    mkdirSync(path.join(tags, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(tags, 'svc', 'app.yaml'));
    writeFileSync(path.join(tags, 'svc', '.kmsfix.yml'), 'key:\n  tags:\n    team: svc\n');
    expect(await mail(gitRepo(tags), '.')).not.toContain('Settings differ');
    // svc/ holds Terraform only and its file sets retain: always, which changes nothing there: not 'keys retained'.
    const tf = repo();
    mkdirSync(path.join(tf, 'svc'));
    cpSync(path.join(FIXTURES, 'terraform', 'no-sse-block', 'input.tf'), path.join(tf, 'svc', 'main.tf'));
    writeFileSync(path.join(tf, 'svc', '.kmsfix.yml'), 'key_strategy: shared\nkey:\n  retain: always\n');
    const m = await mail(gitRepo(tf), '.');
    expect(m).toContain('* svc/ (svc/.kmsfix.yml): a key shared per template or module, key policy drop-in\n');
    expect(m).not.toContain('keys retained');
    // Files named on the command line: named as files, not folders.
    const named = await mail(tf, 'infra/app.yaml', 'svc/main.tf');
    expect(named).toContain('* infra/app.yaml (no configuration file): a key per table');
    expect(named).not.toContain('infra/app.yaml/');
  });

  it("a file with problems: 'but for' names only folders read (not one whose own file has problems, and a path given that is read), each problem once", async () => {
    const dir = repo('bogus: 1\n');
    mkdirSync(path.join(dir, 'b', 'c'), { recursive: true });
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'b', 'app.yaml'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'b', 'c', 'app.yaml'));
    writeFileSync(path.join(dir, 'b', '.kmsfix.yml'), 'bogus: 2\n');
    writeFileSync(path.join(dir, 'b', 'c', '.kmsfix.yml'), 'key_strategy: shared\n');
    const all = await runCli(['scan', '.'], dir);
    expect(all.stderr).toContain(
      "error: .kmsfix.yml:1:1: unknown key 'bogus'; the files this configuration file governs (.) were not read: correct it",
    );
    expect(all.stderr).toContain('(b) were not read (but for b/c, read with a configuration file of its own)');
    const given = await runCli(['scan', 'b', 'b/c'], dir);
    expect(given.stderr).toContain('(b) were not read (but for b/c, read with a configuration file of its own)');
    const twice = await runCli(['scan', '.', 'b/app.yaml'], dir);
    expect(twice.stderr.match(/^error: /gm)).toHaveLength(2);
  });

  it('a configuration file is one however it is: excluded, git-ignored, a symbolic link, a folder (an error); the folder and its parent agree', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: [Orders*]\n');
    const scan = async (...args: string[]) => statuses(await scanJson(dir, [...args]));
    const applied = 'infra/app.yaml OrdersTable suppressed';
    // --exclude '*.yml' leaves out templates, not configuration files.
    expect(await scan('--exclude', '*.yml', '.')).toContain(applied);
    expect(await scan('--exclude', '*.yml', 'infra')).toContain(applied);
    // Git-ignored (and untracked).
    writeFileSync(path.join(dir, '.gitignore'), '.kmsfix.yml\n');
    expect(await scan('.')).toContain(applied);
    rmSync(path.join(dir, '.gitignore'));
    // A symbolic link to a shared file, not said to be a template passed over.
    writeFileSync(path.join(dir, 'shared.yml'), 'skip_table: [Orders*]\n');
    rmSync(path.join(dir, 'infra', '.kmsfix.yml'));
    symlinkSync('../shared.yml', path.join(dir, 'infra', '.kmsfix.yml'));
    const linked = await scanJson(dir, ['.']);
    expect(statuses(linked)).toContain(applied);
    expect(linked.notes).toEqual([]);
    // A folder of the name: its folder's error (exit 2), named from either path; its files are not read.
    rmSync(path.join(dir, 'infra', '.kmsfix.yml'));
    mkdirSync(path.join(dir, 'infra', '.kmsfix.yml'));
    const parent = await runCli(['scan', '.'], dir);
    expect([parent.code, parent.stdout]).toEqual([2, expect.not.stringContaining('infra/app.yaml')]);
    expect(parent.stderr).toContain('error: infra/.kmsfix.yml: is a folder, not a configuration file: remove or rename it; ');
    const named = await runCli(['scan', 'infra'], dir);
    expect([named.code, named.stderr.split('\n')[0]]).toEqual([
      2,
      'infra/.kmsfix.yml: is a folder, not a configuration file: remove or rename it',
    ]);
  });

  it('a repository named twice (through a symbolic link to it) is one scope: each file once, a patch git applies', async () => {
    const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-src-'));
    repo('skip_table: ["By*"]\nexclude: [infra/other.yaml]\n', '.kmsfix.yml', path.join(src, 'payments'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(src, 'payments', 'infra', 'other.yaml'));
    symlinkSync('payments', path.join(src, 'current'));
    const json = await scanJson(src, ['current', 'payments']);
    expect(json.summary).toMatchObject({ files: 2, tables: 4 });
    expect(statuses(json)[0]).toBe('payments/infra/app.yaml OrdersTable aws-owned');
    const patch = await runCli(['fix', '--patch', '-', 'current', 'payments'], src);
    expect(patch.stdout.match(/^\+\+\+ .*$/gm)).toEqual(['+++ b/payments/infra/app.yaml', '+++ b/payments/infra/managed.yaml']);
  });

  it('a path given inside another, whose own file is not the one the outer walk gives it, is refused (exit 2, nothing read)', async () => {
    // src/.kmsfix.yml skips Orders*; src/r1 is a repository without a file: `scan src` reads r1 with src's file, `scan
    // src/r1` with none. Both given: read (and fixed) once with each, the skipped table given a key: refused instead.
    const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-overlap-'));
    writeFileSync(path.join(src, '.kmsfix.yml'), 'skip_table: [Orders*]\n');
    const r1 = repo(undefined, '.kmsfix.yml', path.join(src, 'r1'));
    const before = snapshot(r1);
    const r = await runCli(['fix', '--yes', '.', 'r1'], src);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "r1 is inside ., whose walk reads it with .kmsfix.yml, while its own search (which stops at its git work tree's root) finds no configuration file",
    );
    expect(snapshot(r1)).toEqual(before);
    // A folder inside, with its own file that the outer walk meets too: read once, with it.
    const svc = repo('skip_table: [Orders*]\n', '.kmsfix.yml', path.join(src, 'svc'));
    rmSync(path.join(svc, '.git'), { recursive: true });
    const both = JSON.parse((await runCli(['scan', '--format', 'json', '.', 'svc'], path.join(src))).stdout.trim() || '{}');
    expect(both.summary?.files).toBeGreaterThan(0);
  });

  it('a link to a folder with its own file, given beside the repository holding it, is read once (by real path)', async () => {
    const src = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-linksub-'));
    const payments = repo(undefined, '.kmsfix.yml', path.join(src, 'payments'));
    writeFileSync(path.join(payments, 'infra', '.kmsfix.yml'), 'skip_table: ["By*"]\n');
    symlinkSync('payments', path.join(src, 'current'));
    const json = await scanJson(src, ['payments', 'current/infra']);
    expect(json.summary).toMatchObject({ files: 2 });
  });

  it('key_policy and kms_key_arn in one file are refused as the flags are (the key ARN was passed over without a word)', async () => {
    const dir = repo('key_policy: iam\nkms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n');
    const r = await runCli(['fix', '--dry-run', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '.kmsfix.yml:2:1: key_policy and kms_key_arn cannot be combined: with kms_key_arn no key is generated (remove key_policy)',
    );
  });

  it("a folder file's kms_key_arn is kept over --key-policy, with a note (its tables got new keys, exit 0, without a word)", async () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const dir = repo();
    mkdirSync(path.join(dir, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'svc', 'app.yaml'));
    writeFileSync(path.join(dir, 'svc', '.kmsfix.yml'), `kms_key_arn: ${arn}\n`);
    const r = await runCli(['fix', '--dry-run', '--key-policy', 'iam', '.'], dir);
    expect(r.stderr).toContain(
      "note: --key-policy does not apply to svc's tables: svc/.kmsfix.yml names an existing key (kms_key_arn), which keeps its own key policy",
    );
    // svc's table takes the file's key; infra's (no file) get a generated key, with --key-policy iam's policy.
    const svc = r.stdout.split(/^--- a\//m).find((d) => d.startsWith('svc/app.yaml'));
    expect(svc).toContain(`KMSMasterKeyId: ${arn}`);
    expect(svc).not.toContain('AWS::KMS::Key');
    expect(r.stdout).toContain('AWS::KMS::Key');
    // The same with the file at the root: the run's only file.
    writeFileSync(path.join(dir, '.kmsfix.yml'), `kms_key_arn: ${arn}\n`);
    const root = await runCli(['fix', '--dry-run', '--key-policy', 'iam', 'infra/app.yaml'], dir);
    expect(root.stdout).toContain(`KMSMasterKeyId: ${arn}`);
    expect(root.stdout).not.toContain('AWS::KMS::Key');
    expect(root.stderr).toContain("note: --key-policy does not apply to this folder's tables: .kmsfix.yml names an existing key");
    // --kms-key-arn on the command line still names the key (and with --key-policy is refused, as before).
    const both = await runCli(['fix', '--dry-run', '--key-policy', 'iam', '--kms-key-arn', 'alias/x', '.'], dir);
    expect(both.code).toBe(2);
  });

  it('a FIFO named .kmsfix.yml is a problem of its folder, not a read that waits for ever', async () => {
    const dir = repo('skip_table: [Orders*]\n');
    execFileSync('mkfifo', [path.join(dir, 'infra', '.kmsfix.yml')]);
    const r = await runCli(['scan', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('infra/.kmsfix.yml: is not a regular file (a FIFO, socket or device): remove or rename it');
  });

  it('a .kmsfix.yaml beside a .kmsfix.yml is said not to be applied', async () => {
    const dir = repo('skip_table: [Orders*]\n');
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: [Orders*]\n');
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yaml'), 'key_strategy: shared\n');
    const r = await runCli(['scan', '.'], dir);
    expect(r.stderr).toBe(
      "note: infra/.kmsfix.yaml is not applied: infra/.kmsfix.yml beside it is (a folder's .kmsfix.yml is read, its .kmsfix.yaml passed over); " +
        'merge its settings into infra/.kmsfix.yml and remove it\n',
    );
  });

  it('a file with problems among good ones: its problems are errors at their place, its files are not read, the others are (exit 2)', async () => {
    const { src, a, b } = twoRepos(true);
    writeFileSync(path.join(b, '.kmsfix.yml'), 'skip_tabel: [x]\n');
    const before = snapshot(b);
    const r = await runCli(['fix', '--yes', 'a', 'b'], src);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "error: b/.kmsfix.yml:1:1: unknown key 'skip_tabel' (did you mean 'skip_table'?); " +
        'the files this configuration file governs (b) were not read: correct it and run again\n',
    );
    expect(r.stderr).toMatch(/4 tables in 2 files: .*, 1 error; /);
    // a's file applies, and its fix is written; b is left as it was.
    expect(readFileSync(path.join(a, 'infra', 'managed.yaml'), 'utf8')).toContain('ByAliasKey');
    expect(readFileSync(path.join(a, 'infra', 'app.yaml'), 'utf8')).not.toContain('KMSMasterKeyId');
    expect(snapshot(b)).toEqual(before);
    // The same inside a repository: a subfolder's file with problems, the rest scanned.
    const dir = repo();
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: 3\n');
    mkdirSync(path.join(dir, 'other'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'other', 'app.yaml'));
    const json = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout);
    expect(statuses(out)).toEqual(['other/app.yaml OrdersTable aws-owned']);
    expect(out.errors).toEqual([
      expect.objectContaining({
        file: 'infra/.kmsfix.yml',
        line: 1,
        column: 13,
        message: expect.stringMatching(
          /^skip_table: each item must be a non-empty string; the files this configuration file governs \(infra\) were not read/,
        ),
      }),
    ]);
    // Its place is kept as parts, never read back from the text: a folder's name may look like one.
    const odd = path.join(dir, 'svc:9:9: x');
    mkdirSync(odd);
    writeFileSync(path.join(odd, '.kmsfix.yml'), 'key_stratgy: shared\n');
    const oddErrors = (await scanJson(dir, ['.'])).errors;
    expect(oddErrors[1]).toEqual(
      expect.objectContaining({
        file: 'svc:9:9: x/.kmsfix.yml',
        line: 1,
        column: 1,
        message: expect.stringMatching(/^unknown key 'key_stratgy'/),
      }),
    );
    rmSync(odd, { recursive: true });
    // The run's only file with problems stops it before anything is read, as it did.
    const only = await runCli(['scan', 'infra'], dir);
    expect([only.code, only.stdout]).toEqual([2, '']);
    expect(only.stderr.split('\n').slice(0, 2)).toEqual([
      'infra/.kmsfix.yml:1:13: skip_table: each item must be a non-empty string',
      'kmsfix: the configuration file has errors; nothing was scanned',
    ]);
  });

  it('a file with problems does not hide the folders below it with good files of their own: they are read and fixed, its own are not (exit 2)', async () => {
    // The root's file has a problem; svc/ has a good file of its own (skip_table), infra/ is the root's.
    const dir = repo('skip_tabel: [x]\n');
    mkdirSync(path.join(dir, 'svc'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'svc', 'app.yaml'));
    cpSync(path.join(CF, 'yaml-aws-managed', 'input.yaml'), path.join(dir, 'svc', 'managed.yaml'));
    writeFileSync(path.join(dir, 'svc', '.kmsfix.yml'), 'skip_table: ["By*"]\n');
    rmSync(path.join(dir, '.git'), { recursive: true });
    for (const args of [
      ['init', '-q'],
      ['add', '.'],
      ['commit', '-q', '-m', 'init'],
    ])
      execFileSync('git', args, { cwd: dir, env: GIT_ENV });
    const scan = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(scan.code).toBe(2);
    const out = JSON.parse(scan.stdout);
    expect(statuses(out)).toEqual([
      'svc/app.yaml OrdersTable aws-owned',
      'svc/managed.yaml ByAlias suppressed',
      'svc/managed.yaml ByArn suppressed',
      'svc/managed.yaml NoKey aws-managed',
    ]);
    expect(out.errors).toEqual([
      expect.objectContaining({
        file: '.kmsfix.yml',
        line: 1,
        column: 1,
        message:
          "unknown key 'skip_tabel' (did you mean 'skip_table'?); the files this configuration file governs (.) were not read " +
          '(but for svc, read with a configuration file of its own): correct it and run again',
      }),
    ]);
    // fix writes svc/ (as it writes a repository beside one whose file is broken), and leaves the rest as it was.
    const infra = snapshot(path.join(dir, 'infra'));
    const fix = await runCli(['fix', '--yes', '.'], dir);
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain("error: .kmsfix.yml:1:1: unknown key 'skip_tabel'");
    expect(readFileSync(path.join(dir, 'svc', 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
    expect(snapshot(path.join(dir, 'infra'))).toEqual(infra);
    // Inside the tree: a subfolder's file with problems, and a good one below it, read.
    const deep = repo();
    mkdirSync(path.join(deep, 'infra', 'deep'));
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(deep, 'infra', 'deep', 'app.yaml'));
    writeFileSync(path.join(deep, 'infra', '.kmsfix.yml'), 'key_stratgy: shared\n');
    writeFileSync(path.join(deep, 'infra', 'deep', '.kmsfix.yml'), 'include_tests: false\n');
    const nested = await scanJson(deep, ['.']);
    expect(statuses(nested)).toEqual(['infra/deep/app.yaml OrdersTable aws-owned']);
    expect(nested.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('governs (infra) were not read (but for infra/deep, read with a configuration file of its own)'),
    ]);
    // Nothing else to read: the problems of every file, and nothing scanned, as with one file.
    writeFileSync(path.join(dir, 'svc', '.kmsfix.yml'), 'skip_table: 3\n');
    const none = await runCli(['scan', '.'], dir);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toBe(
      [
        ".kmsfix.yml:1:1: unknown key 'skip_tabel' (did you mean 'skip_table'?)",
        'svc/.kmsfix.yml:1:13: skip_table: each item must be a non-empty string',
        'kmsfix: the configuration file has errors; nothing was scanned',
        '',
      ].join('\n'),
    );
  });

  it("the summary names each folder's profile, with its count, when files set different ones", async () => {
    // Trivy and Checkov read no CDK TypeScript: each stack's 14 tables are not scanned, by a's profile and by b's.
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-config-profiles-'));
    for (const [name, profile] of [
      ['a', 'trivy'],
      ['b', 'checkov'],
    ]) {
      mkdirSync(path.join(dir, name));
      cpSync(path.join(FIXTURES, 'typescript', 'cdk-statuses', 'input.ts'), path.join(dir, name, 'stack.ts'));
      writeFileSync(path.join(dir, name, '.kmsfix.yml'), `profile: ${profile}\n`);
    }
    const text = await runCli(['scan', '.'], dir);
    expect(text.stdout).toMatch(
      // Side by side, not nested in the summary's brackets (`28 not scanned (14 by trivy, 14 by checkov))`).
      /\n28 tables in 2 files: 0 compliant, 28 non-compliant \(\d+ fixable, 14 not scanned by trivy, 14 not scanned by checkov\), 0 errors\n$/,
    );
    const json = await scanJson(dir, ['.']);
    expect(json.summary).toMatchObject({ notScanned: 28, profile: 'trivy, checkov', notScannedBy: { trivy: 14, checkov: 14 } });
    // One profile: named alone, as before.
    writeFileSync(path.join(dir, 'b', '.kmsfix.yml'), 'profile: trivy\n');
    const one = await scanJson(dir, ['.']);
    expect(one.summary).toMatchObject({ notScanned: 28, profile: 'trivy' });
    expect(one.summary.notScannedBy).toBeUndefined();
    expect((await runCli(['scan', '.'], dir)).stdout).toContain(', 28 not scanned by trivy), 0 errors\n');
  });
});

describe('--config FILE replaces every .kmsfix.yml, those inside the scanned folders too', () => {
  /** A repository whose infra/ folder has its own file: its skip_table leaves infra/app.yaml's table alone. */
  const nested = () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'infra', '.kmsfix.yml'), 'skip_table: ["*"]\n');
    return dir;
  };

  it('the file passed over is said in a note; without --config it applies', async () => {
    const dir = nested();
    writeFileSync(path.join(dir, 'team.yml'), 'include_tests: false\n');
    const named = await runCli(['fix', '--check', '--config', 'team.yml', '.'], dir);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(
      'note: infra/.kmsfix.yml is inside the scanned folders and not applied (--config team.yml is applied instead): ' +
        'to apply it, run without --config (each file then governs its folder), or kmsfix fix infra\n',
    );
    const json = JSON.parse((await runCli(['scan', '--config', 'team.yml', '--format', 'json', '.'], dir)).stdout);
    expect(json.notes).toEqual([expect.stringMatching(/^infra\/\.kmsfix\.yml is inside the scanned folders and not applied/)]);
    const own = await runCli(['fix', '--check', '.'], dir);
    expect([own.code, own.stdout, own.stderr]).toEqual([0, '', expect.not.stringContaining('note:')]);
  });
});
