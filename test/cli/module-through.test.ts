/**
 * A Terraform call of a local module whose table sets its encryption itself cannot be fixed at the
 * call; the fix of the module's table gives every call a key (TableReport.through). When the same run
 * fixed that table, the report says so of the call (a `note:`, in JSON `notes` too) instead of a
 * `not fixed:` line, whichever file settled first, held (--commit) or written as it goes; a run that
 * does not fix the module's table still lists the call as not fixed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, runCli, scanJson } from '../helpers/cli-helper.js';

const ROOT = `provider "aws" {
  region = "us-east-1"
}

module "orders" {
  source = "./modules/db"
  name   = "orders"
}
`;

const table = (lifecycle: string) => `variable "name" {
  type = string
}

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
${lifecycle}}
`;

// The module's table ignores changes to its encryption: kmsfix does not fix it, so nothing reaches the call.
const IGNORED = `
  lifecycle {
    ignore_changes = [server_side_encryption]
  }
`;

function project(lifecycle = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-through-'));
  mkdirSync(path.join(dir, 'modules', 'db'), { recursive: true });
  writeFileSync(path.join(dir, 'main.tf'), ROOT);
  writeFileSync(path.join(dir, 'modules', 'db', 'main.tf'), table(lifecycle));
  return dir;
}

const NOTE = (gives: string) =>
  `note: main.tf:5 module.orders: fixed with its module, not here: ${gives} aws_dynamodb_table.this (modules/db/main.tf) a key, and with it every call of the module\n`;

describe('a module call fixed through its module', () => {
  it('a dry run of the tree says the call is fixed with its module, and lists it as not fixed no more', async () => {
    const dir = project();
    const r = await runCli(['fix', '--dry-run', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(NOTE("this run's diff gives"));
    expect(r.stderr).not.toContain('not fixed:');
  });

  it('the JSON report names the module table on the call (scan and fix) and has the note', async () => {
    const dir = project();
    const scan = await scanJson(dir, ['.']);
    const call = scan.tables.find((t: { address: string }) => t.address === 'module.orders');
    expect(call.through).toEqual({ file: 'modules/db/main.tf', address: 'aws_dynamodb_table.this' });
    expect(scan.tables.find((t: { address: string }) => t.address === 'aws_dynamodb_table.this').through).toBeUndefined();
    const fix = JSON.parse((await runCli(['fix', '--dry-run', '--format', 'json', '.'], dir)).stdout);
    expect(fix.notes).toContain(
      NOTE("this run's diff gives")
        .replace(/^note: /, '')
        .trimEnd(),
    );
  });

  it('a run that does not hold the module lists the call as not fixed', async () => {
    const dir = project();
    const r = await runCli(['fix', '--dry-run', 'main.tf'], dir);
    expect(r.stderr).toMatch(/^not fixed: main\.tf:5 {2}module\.orders {2}aws-owned/m);
    expect(r.stderr).not.toContain('fixed with its module');
  });

  it('a module table kmsfix does not fix leaves the call not fixed', async () => {
    const dir = project(IGNORED);
    const r = await runCli(['fix', '--dry-run', '.'], dir);
    expect(r.stderr).toMatch(/^not fixed: main\.tf:5 {2}module\.orders /m);
    expect(r.stderr).not.toContain('fixed with its module');
  });

  it('written as it goes, and held for --commit: the call is said fixed, and a scan then finds both compliant', async () => {
    const dir = project();
    const r = await runCli(['fix', '--yes', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(NOTE('this run gave'));
    expect(r.stderr).not.toContain('not fixed:');
    const after = await scanJson(dir, ['.']);
    expect(after.summary.nonCompliant).toBe(0);

    const repo = project();
    execFileSync('git', ['init', '-q', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['add', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['commit', '-qm', 'init'], { cwd: repo, env: GIT_ENV });
    const held = await runCli(['fix', '--yes', '--commit', '.'], repo, undefined, GIT_ENV as Record<string, string>);
    expect(held.code).toBe(0);
    expect(held.stderr).toContain(NOTE('this run gave'));
    expect(held.stderr).not.toContain('not fixed:');
    // The commit message lists the call with the tables it changes, not as left for a manual step (deploy review, session 55).
    const message = execFileSync('git', ['log', '-1', '--format=%B', 'kmsfix/dynamodb-cmk'], { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
    expect(message.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 1 module call with customer-managed KMS keys');
    expect(message.replace(/\s+/g, ' ')).toContain(
      '* module.orders (main.tf:5), through aws_dynamodb_table.this (modules/db/main.tf:5), was aws-owned',
    );
    expect(message).not.toContain('Not changed');
  });
});

// The module's folder deployed by two terragrunt units instead of module blocks (TableReport.units): deploy review, session 55.
const unit = (env: string) => `terraform {\n  source = "../../../modules//db"\n}\n\ninputs = {\n  name = "orders-${env}"\n}\n`;

function unitsProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-units-'));
  mkdirSync(path.join(dir, 'modules', 'db'), { recursive: true });
  writeFileSync(path.join(dir, 'modules', 'db', 'main.tf'), table(''));
  for (const env of ['dev', 'prod']) {
    mkdirSync(path.join(dir, 'live', env, 'db'), { recursive: true });
    writeFileSync(path.join(dir, 'live', env, 'db', 'terragrunt.hcl'), unit(env));
  }
  return dir;
}

const UNIT_NOTE = (env: string, gives: string) =>
  `note: live/${env}/db/terragrunt.hcl:1 unit live/${env}/db: fixed with its module, not here: ${gives} aws_dynamodb_table.this (modules/db/main.tf) a key, and with it every terragrunt unit that deploys its folder\n`;

describe('terragrunt units deploying the folder of a table fixed', () => {
  it('a dry run names each unit in a note', async () => {
    const r = await runCli(['fix', '--dry-run', '.'], unitsProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(UNIT_NOTE('dev', "this run's diff gives") + UNIT_NOTE('prod', "this run's diff gives"));
  });

  it('a run that does not hold the module says nothing of the units', async () => {
    const r = await runCli(['fix', '--dry-run', 'live'], unitsProject());
    expect(r.stderr).not.toContain('fixed with its module');
  });

  it('--commit: the message lists and counts the units', async () => {
    const repo = unitsProject();
    execFileSync('git', ['init', '-q', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['add', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['commit', '-qm', 'init'], { cwd: repo, env: GIT_ENV });
    const held = await runCli(['fix', '--yes', '--commit', '.'], repo, undefined, GIT_ENV as Record<string, string>);
    expect(held.code).toBe(0);
    expect(held.stderr).toContain(UNIT_NOTE('prod', 'this run gave'));
    const message = execFileSync('git', ['log', '-1', '--format=%B', 'kmsfix/dynamodb-cmk'], { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
    expect(message.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 2 terragrunt units with customer-managed KMS keys');
    expect(message.replace(/\s+/g, ' ')).toContain(
      '* unit live/prod/db (terragrunt.hcl:1), through aws_dynamodb_table.this (modules/db/main.tf:5), was aws-owned',
    );
  });
});

// Units terragrunt does not deploy (adversarial pass, session 56, F4): `skip = true`, an exclude of apply.
describe('terragrunt units that do not deploy', () => {
  it('a dry run names no note for them', async () => {
    const dir = unitsProject();
    writeFileSync(path.join(dir, 'live', 'dev', 'db', 'terragrunt.hcl'), `skip = true\n\n${unit('dev')}`);
    mkdirSync(path.join(dir, 'live', 'old', 'db'), { recursive: true });
    writeFileSync(
      path.join(dir, 'live', 'old', 'db', 'terragrunt.hcl'),
      `exclude {\n  if      = true\n  actions = ["all"]\n}\n\n${unit('old')}`,
    );
    const r = await runCli(['fix', '--dry-run', '.'], dir);
    expect(r.stderr).toContain(UNIT_NOTE('prod', "this run's diff gives"));
    expect(r.stderr).not.toContain('unit live/dev/db');
    expect(r.stderr).not.toContain('unit live/old/db');
  });
});

// A unit deploying the module from this repository's origin at a ref (deploy review, session 56, 4).
function pinnedRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-pinned-'));
  mkdirSync(path.join(dir, 'modules', 'db'), { recursive: true });
  writeFileSync(path.join(dir, 'modules', 'db', 'main.tf'), table(''));
  mkdirSync(path.join(dir, 'live', 'prod', 'db'), { recursive: true });
  writeFileSync(
    path.join(dir, 'live', 'prod', 'db', 'terragrunt.hcl'),
    'terraform {\n  source = "git::git@github.com:acme/infra.git//modules/db?ref=v1.0.0"\n}\n\ninputs = {\n  name = "orders"\n}\n',
  );
  execFileSync('git', ['init', '-q', '.'], { cwd: dir, env: GIT_ENV });
  execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/infra'], { cwd: dir, env: GIT_ENV });
  execFileSync('git', ['add', '.'], { cwd: dir, env: GIT_ENV });
  execFileSync('git', ['commit', '-qm', 'init'], { cwd: dir, env: GIT_ENV });
  return dir;
}

const PINNED_NOTE = (gives: string) =>
  `note: live/prod/db/terragrunt.hcl:1 unit live/prod/db: deploys its module from this repository's origin at ref v1.0.0 (source = "git::git@github.com:acme/infra.git//modules/db?ref=v1.0.0"), not this work tree's copy: ${gives} aws_dynamodb_table.this (modules/db/main.tf) a key; the unit gets it only once a commit or tag with this change is released and the unit's ref moved to it\n`;

describe("a terragrunt unit deploying the module from this repository's origin at a ref", () => {
  it('a dry run names it, with its ref; in a linked worktree too; without origin it is not named', async () => {
    const repo = pinnedRepo();
    expect((await runCli(['fix', '--dry-run', '.'], repo)).stderr).toContain(PINNED_NOTE("this run's diff gives"));
    const linked = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-linked-')), 'wt');
    execFileSync('git', ['worktree', 'add', '-q', linked], { cwd: repo, env: GIT_ENV });
    expect((await runCli(['fix', '--dry-run', '.'], linked)).stderr).toContain(PINNED_NOTE("this run's diff gives"));
    execFileSync('git', ['remote', 'remove', 'origin'], { cwd: repo, env: GIT_ENV });
    expect((await runCli(['fix', '--dry-run', '.'], repo)).stderr).not.toContain('unit live/prod/db');
  });

  it('--commit: the message lists it apart and counts it nowhere', async () => {
    const repo = pinnedRepo();
    const held = await runCli(['fix', '--yes', '--commit', '.'], repo, undefined, GIT_ENV as Record<string, string>);
    expect(held.code).toBe(0);
    expect(held.stderr).toContain(PINNED_NOTE('this run gave'));
    const message = execFileSync('git', ['log', '-1', '--format=%B', 'kmsfix/dynamodb-cmk'], { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
    expect(message.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    expect(message.replace(/\s+/g, ' ')).toContain(
      "Deployed from this repository's origin at a ref, not by this commit: * unit live/prod/db (terragrunt.hcl:1), through aws_dynamodb_table.this (modules/db/main.tf:5): deploys its module from this repository's origin at ref v1.0.0",
    );
  });
});

describe('--patch-dir: a module call fixed through its module (session 64)', () => {
  it('summary.json and the table on stdout do not count the call as not fixable, as its mail lists it under Tables', async () => {
    const repo = project();
    execFileSync('git', ['init', '-q', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['add', '.'], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['commit', '-qm', 'init'], { cwd: repo, env: GIT_ENV });
    const out = mkdtempSync(path.join(tmpdir(), 'kmsfix-through-out-'));
    const r = await runCli(['fix', '--patch-dir', out, '.'], repo, undefined, GIT_ENV as Record<string, string>);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.repositories[0].notFixable).toEqual([]);
    expect(summary.summary.notFixable).toBe(0);
    // tables, fixed, not fixable, errors
    expect(r.stdout).toMatch(/ 2 +1 +0 +0 /);
    expect(readFileSync(path.join(out, `${path.basename(repo)}.mbox`), 'utf8')).toContain('* module.orders (main.tf:5), through');
  });
});
