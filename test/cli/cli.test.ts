/** The CLI contract, run as a user runs it: exit codes, JSON shape, dry run, patches, prompts, writes. */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli, snapshot, scanJson } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-cli-'));
}

/** A work tree with a few templates of different styles (CRLF + BOM, no final newline, JSON). */
function workTree(): string {
  const dir = tmp();
  const copy = (fixture: string, file: string, to: string) => {
    mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    cpSync(path.join(CF, fixture, file), path.join(dir, to));
  };
  copy('yaml-no-sse', 'input.yaml', 'infra/app.yaml');
  copy('yaml-crlf-bom', 'input.yaml', 'infra/windows.yaml');
  copy('yaml-no-final-newline', 'input.yaml', 'infra/last.yml');
  copy('json-4space', 'input.json', 'stacks/audit.json');
  copy('serverless', 'input.yml', 'api/serverless.yml');
  return dir;
}

describe('kmsfix scan', () => {
  it('exits 1 with non-compliant tables and prints one line per table and a summary', async () => {
    const dir = workTree();
    const r = await runCli(['scan'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('infra/app.yaml:11  OrdersTable  aws-owned  No SSESpecification');
    expect(r.stdout).toMatch(/6 tables in 5 files: 0 compliant, 6 non-compliant \(5 fixable\), 0 errors/);
  });

  it('exits 0 when every table is compliant, 2 when a file cannot be parsed (2 wins over 1)', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), path.join(dir, 'ok.yaml'));
    expect((await runCli(['scan', '.'], dir)).code).toBe(0);
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, 'todo.yaml'));
    expect((await runCli(['scan', '.'], dir)).code).toBe(1);
    cpSync(path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml'), path.join(dir, 'bad.yaml'));
    const r = await runCli(['scan', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:9:1: YAML: All mapping items must start at the same column');
  });

  it('prints the documented JSON object', async () => {
    const dir = workTree();
    const r = await runCli(['scan', '--format', 'json', 'infra', 'stacks'], dir);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    expect(out.errors).toEqual([]);
    expect(out.summary).toEqual({ files: 4, tables: 4, compliant: 0, nonCompliant: 4, fixable: 4, inTests: 0, errors: 0 });
    expect(out.tables[0]).toEqual({
      file: 'infra/app.yaml',
      line: 11,
      column: 3,
      format: 'cloudformation',
      type: 'AWS::DynamoDB::Table',
      address: 'OrdersTable',
      status: 'aws-owned',
      compliant: false,
      fixable: true,
      message: expect.stringContaining('No SSESpecification: data is encrypted with an AWS owned key'),
      peers: {
        checkov: ['CKV_AWS_119'],
        trivy: ['AVD-AWS-0025'],
        kics: ['c8dee387-a2e6-4a73-a942-183c975549ac', '4bd21e68-38c1-4d58-acdc-6a14b203237f'],
        'cfn-nag': ['W74'],
        'cfn-guard': ['DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED'],
        'aws-config': ['DYNAMODB_TABLE_ENCRYPTED_KMS'],
      },
      suppressions: [],
    });
    expect(out.tables.map((t: { file: string }) => t.file)).toEqual([
      'infra/app.yaml',
      'infra/last.yml',
      'infra/windows.yaml',
      'stacks/audit.json',
    ]);
  });

  it('--accept-aws-managed counts the AWS managed key as compliant', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'yaml-aws-managed', 'input.yaml'), path.join(dir, 't.yaml'));
    expect((await runCli(['scan'], dir)).code).toBe(1);
    expect((await runCli(['scan', '--accept-aws-managed'], dir)).code).toBe(0);
  });

  it('skips node_modules, cdk.out, integ snapshots and .gitignored paths; reports a missing path', async () => {
    const dir = tmp();
    const t = readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'));
    for (const p of [
      'node_modules/x/t.yaml',
      'cdk.out/t.yaml',
      'generated/t.yaml',
      'integ/integ.table.js.snapshot/Stack.template.yaml',
      'integ/integ.table.expected.json',
      'src/t.yaml',
    ]) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), p.endsWith('.json') ? readFileSync(path.join(CF, 'json-2space', 'input.json')) : t);
    }
    writeFileSync(path.join(dir, '.gitignore'), 'generated/\n');
    mkdirSync(path.join(dir, '.git'));
    const out = await scanJson(dir);
    expect(out.tables.map((x: { file: string }) => x.file)).toEqual(['src/t.yaml']);
    const r = await runCli(['scan', 'nope'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope: no such file or directory');
  });

  it('rejects bad usage with exit 2', async () => {
    const dir = tmp();
    expect((await runCli(['frobnicate'], dir)).code).toBe(2);
    expect((await runCli(['scan', '--format', 'xml'], dir)).code).toBe(2);
    expect((await runCli(['scan', '--dry-run'], dir)).code).toBe(2);
    expect((await runCli(['fix', '--key-strategy', 'random'], dir)).code).toBe(2);
    expect((await runCli(['fix', '--kms-key-arn', 'alias/aws/dynamodb'], dir)).code).toBe(2);
    expect((await runCli(['scan', '--bogus'], dir)).code).toBe(2);
    const policy = await runCli(['fix', '--key-policy', 'open'], dir);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toContain("--key-policy must be drop-in or iam, not 'open'");
    expect((await runCli(['scan', '--key-policy', 'iam'], dir)).code).toBe(2);
    expect((await runCli(['fix', '--key-policy', 'iam', '--kms-key-arn', 'arn:aws:kms:eu-west-1:111122223333:key/x'], dir)).code).toBe(2);
  });

  it('--version and --help', async () => {
    const pkg = JSON.parse(readFileSync(path.join(FIXTURES, '..', 'package.json'), 'utf8'));
    expect((await runCli(['--version'], tmp())).stdout.trim()).toBe(`kmsfix ${pkg.version}`);
    const help = await runCli(['--help'], tmp());
    expect(help.code).toBe(0);
    for (const flag of [
      '--dry-run',
      '--patch',
      '--yes',
      '--key-strategy',
      '--kms-key-arn',
      '--key-policy',
      '--accept-aws-managed',
      '--format',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });
});

describe('kmsfix fix', () => {
  it('--dry-run prints the diff, writes nothing, exits 1; exits 0 once nothing is left to fix', async () => {
    const dir = workTree();
    const before = snapshot(dir);
    const r = await runCli(['fix', '--dry-run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/infra/app.yaml\n+++ b/infra/app.yaml\n');
    expect(r.stdout).toContain('+        KMSMasterKeyId: !GetAtt OrdersTableKey.Arn');
    expect(r.stderr).toContain('dry run, nothing written');
    expect(snapshot(dir)).toEqual(before);
    expect((await runCli(['fix'], dir)).code).toBe(0);
    expect((await runCli(['fix', '--dry-run'], dir)).code).toBe(0);
  });

  it('writes without asking when not on a terminal, keeps permissions, and is idempotent', async () => {
    const dir = workTree();
    chmodSync(path.join(dir, 'infra/app.yaml'), 0o640);
    const r = await runCli(['fix'], dir);
    expect(r.code).toBe(0);
    expect(statSync(path.join(dir, 'infra/app.yaml')).mode & 0o777).toBe(0o640);
    expect(readFileSync(path.join(dir, 'infra/app.yaml'), 'utf8')).toBe(
      readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'infra/windows.yaml')).equals(readFileSync(path.join(CF, 'yaml-crlf-bom', 'expected.yaml')))).toBe(
      true,
    );
    expect(readdirSync(path.join(dir, 'infra')).filter((n) => n.includes('kmsfix-tmp'))).toEqual([]);
    const after = snapshot(dir);
    const again = await runCli(['fix'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(snapshot(dir)).toEqual(after);
    expect((await runCli(['scan'], dir)).code).toBe(1); // serverless FlagsTable stays unknown
  });

  it('--patch writes a patch that `git apply` turns into exactly what fix writes', async () => {
    const a = workTree();
    const b = workTree();
    execFileSync('git', ['init', '-q'], { cwd: a });
    const before = snapshot(a);
    const r = await runCli(['fix', '--patch', 'kmsfix.patch'], a);
    expect(r.code).toBe(0);
    const patch = readFileSync(path.join(a, 'kmsfix.patch'), 'utf8');
    expect(patch).toContain('diff --git a/infra/windows.yaml b/infra/windows.yaml');
    const untouched = snapshot(a);
    untouched.delete('kmsfix.patch');
    expect(untouched).toEqual(before);
    execFileSync('git', ['apply', 'kmsfix.patch'], { cwd: a });
    expect((await runCli(['fix'], b)).code).toBe(0);
    const applied = snapshot(a);
    applied.delete('kmsfix.patch');
    expect(applied).toEqual(snapshot(b));
  });

  it('--key-strategy shared and --kms-key-arn', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'shared-key', 'input.yaml'), path.join(dir, 't.yaml'));
    await runCli(['fix', '--key-strategy', 'shared'], dir);
    expect(readFileSync(path.join(dir, 't.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'shared-key', 'expected.yaml'), 'utf8'));
    cpSync(path.join(CF, 'existing-key-arn', 'input.json'), path.join(dir, 'e.json'));
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await runCli(['fix', '--kms-key-arn', arn, 'e.json'], dir);
    expect(readFileSync(path.join(dir, 'e.json'), 'utf8')).toBe(readFileSync(path.join(CF, 'existing-key-arn', 'expected.json'), 'utf8'));
  });

  it('--key-policy iam writes the IAM-only policy; the default is drop-in', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'key-policy-iam', 'input.yaml'), path.join(dir, 'iam.yaml'));
    cpSync(path.join(CF, 'key-policy-iam', 'input.yaml'), path.join(dir, 'default.yaml'));
    expect((await runCli(['fix', '--key-policy', 'iam', 'iam.yaml'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'iam.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'key-policy-iam', 'expected.yaml'), 'utf8'));
    expect((await runCli(['fix', 'default.yaml'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'default.yaml'), 'utf8')).toContain('AllowAccountPrincipalsThroughDynamoDB');
  });

  it('--format json reports tables, diffs and what was written', async () => {
    const dir = workTree();
    const r = await runCli(['fix', '--dry-run', '--format', 'json', 'infra/app.yaml'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.tables[0]).toMatchObject({ address: 'OrdersTable', status: 'aws-owned', fixed: true });
    expect(out.files).toEqual([{ file: 'infra/app.yaml', diff: expect.stringContaining('+  OrdersTableKey:'), written: false }]);
    expect(out.summary).toMatchObject({ fixed: 1, filesChanged: 1, errors: 0 });
  });

  it('global tables it cannot fully fix are left untouched with what to do by hand', async () => {
    const dir = tmp();
    cpSync(path.join(CF, 'global-table-multi-region', 'input.yaml'), path.join(dir, 'g.yaml'));
    const out = await scanJson(dir);
    const g = out.tables.find((t: { address: string }) => t.address === 'Accounts');
    expect(g).toMatchObject({ type: 'AWS::DynamoDB::GlobalTable', status: 'aws-managed', fixable: false });
    expect(g.message).toContain('us-east-1, eu-west-1');
    expect(g.message).toContain('KMSMasterKeyId');
  });
});

describe('the confirmation prompt', () => {
  function fakeIo(dir: string, answer: string): Io & { asked: string[]; stdout: string[] } {
    const asked: string[] = [];
    const stdout: string[] = [];
    return {
      cwd: dir,
      out: (t) => stdout.push(t),
      err: () => undefined,
      interactive: true,
      color: false,
      ask: async (q) => {
        asked.push(q);
        return answer;
      },
      asked,
      stdout,
    };
  }

  it('asks "Apply N changes? [y/N]" on a terminal; anything but y writes nothing', async () => {
    const dir = workTree();
    const before = snapshot(dir);
    const io = fakeIo(dir, '');
    expect(await main(['fix', 'infra'], io)).toBe(0);
    expect(io.asked).toEqual(['Apply 3 changes? [y/N] ']);
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes on y, and --yes never asks', async () => {
    const dir = workTree();
    const io = fakeIo(dir, 'y');
    await main(['fix', 'infra/app.yaml'], io);
    expect(readFileSync(path.join(dir, 'infra/app.yaml'), 'utf8')).toContain('OrdersTableKey');
    const io2 = fakeIo(dir, 'n');
    await main(['fix', '--yes', 'infra'], io2);
    expect(io2.asked).toEqual([]);
    expect(readFileSync(path.join(dir, 'infra/last.yml'), 'utf8')).toContain('LastKey');
  });
});
