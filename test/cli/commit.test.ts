/**
 * Bulk migration that ends in commits: --patch-dir's mails that `git am` applies as one commit with
 * the reviewer's message, and `fix --commit` (a branch and one commit per repository, never pushed,
 * refused on a dirty tree or outside git).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type Io, main } from '../../src/cli.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { pausedCli, runCli, snapshot } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');
const TF = path.join(FIXTURES, 'terraform');
const ID = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
};
const ENV = { ...ID, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...ENV }, encoding: 'utf8' });
}

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-commit-'));
}

/** A committed repository: rel -> fixture file. */
function repo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [rel, src] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(src, path.join(dir, rel));
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

const FILES = () => ({
  'infra/app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
  'tf/main.tf': path.join(TF, 'no-sse-block', 'input.tf'),
  'g.yaml': path.join(CF, 'global-table-multi-region', 'input.yaml'),
  'README.md': path.join(CF, 'yaml-no-sse', 'input.yaml'),
});

describe('--patch-dir mails for git am', () => {
  it('each git repository gets DIR/<repository>.mbox: git am makes one commit with the message and the same files as a fix in place', async () => {
    const root = tmp();
    const a = repo(path.join(root, 'orders'), FILES());
    const b = path.join(tmp(), 'orders');
    cpSync(a, b, { recursive: true });
    const r = await runCli(['fix', '--patch-dir', 'out', 'orders'], root, '', { ...ENV, SOURCE_DATE_EPOCH: '1764547200' });
    expect(r.code, r.stderr).toBe(0);
    const mail = readFileSync(path.join(root, 'out', 'orders.mbox'), 'utf8');
    const lines = mail.split('\n');
    expect(lines[0]).toBe('From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001');
    expect(lines[1]).toMatch(/^From: kmsfix <.+@.+>$/);
    expect(lines[2]).toBe('Date: Mon, 1 Dec 2025 00:00:00 +0000');
    expect(lines[3]).toBe('Subject: [PATCH] Encrypt 3 DynamoDB tables with customer-managed KMS keys');
    // The plain diff is the same change.
    const plain = readFileSync(path.join(root, 'out', 'orders.patch'), 'utf8');
    expect(mail).toContain(`\n---\n${plain}-- \n`);
    const summary = JSON.parse(readFileSync(path.join(root, 'out', 'summary.json'), 'utf8'));
    expect(summary.repositories[0]).toMatchObject({ patch: 'orders.patch', mail: 'orders.mbox' });

    git(a, 'am', '-q', path.join(root, 'out', 'orders.mbox'));
    expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(a, 'status', '--porcelain')).toBe('');
    expect(git(a, 'log', '-1', '--format=%an <%ae>')).toMatch(/^kmsfix </);
    const message = git(a, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('Encrypt 3 DynamoDB tables with customer-managed KMS keys');
    // The tables, their new keys, the peer rules they now pass.
    expect(message).toContain('* OrdersTable (infra/app.yaml:11), was aws-owned');
    expect(message).toContain('* aws_dynamodb_table.orders (tf/main.tf:11), was aws-owned');
    expect(message).toMatch(/key: a new customer-managed KMS key of its own \(rotation on, alias\s+alias\/dynamodb\/<table name>\)/);
    expect(message).toMatch(/now passes: CKV_AWS_119, AVD-AWS-0025,/);
    // The table that could not be fixed, and the deploy notes.
    expect(message).toMatch(/Not changed[^\n]*\n\* Accounts \(g\.yaml:\d+\), aws-managed/);
    expect(message.replace(/\s+/g, ' ')).toContain(
      'No downtime (for a table with no replicas made outside the code): DynamoDB switches a table',
    );
    expect(message).toMatch(/costs \$1 per month, \$2 after its first yearly\s+rotation and \$3 from the second on/);
    expect(message).toMatch(/Who can use the key \(key policy drop-in\)/);
    // New keys are created by whoever deploys: it needs the KMS permissions, and no SCP denying them.
    expect(message.replace(/\n\s+/g, ' ')).toMatch(
      /Who deploys: .* it needs kms:CreateKey, kms:PutKeyPolicy, kms:EnableKeyRotation, kms:TagResource and kms:CreateAlias;/,
    );
    // What it reads after each create, and what a rollback deletes with (session 50's deploy review: a
    // Terraform apply failed after the create, a CloudFormation rollback stopped in UPDATE_ROLLBACK_FAILED).
    expect(message.replace(/\n\s+/g, ' ')).toMatch(
      /kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus, kms:ListResourceTags and kms:ListAliases .*and kms:ScheduleKeyDeletion and kms:DeleteAlias/,
    );
    // Skipping a table to get out of UPDATE_ROLLBACK_FAILED deletes the new key under it (session 51's deploy review).
    expect(message.replace(/\n\s+/g, ' ')).toContain(
      'If a rollback stops in UPDATE_ROLLBACK_FAILED on a table, do not skip it (continue-update-rollback --resources-to-skip) while its SSEDescription still names the new key',
    );
    expect(message).not.toContain('With key policy iam');
    // Rolled back in two deploys, with each table's old setting in its own format; a revert alone would delete Terraform's keys under its tables.
    const flat = message.replace(/\s+/g, ' ');
    expect(flat).toContain('* Roll back in two deploys; reverting this commit alone is not a roll back:');
    expect(flat).toContain('- CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`');
    expect(flat).toContain('- Terraform, was aws-owned: `server_side_encryption { enabled = false }`');
    expect(flat).toContain('2. Then remove the keys and aliases this commit added, keeping those settings, and deploy');
    expect(flat).toContain('Terraform: removing `kms_key_arn` or the whole encryption block plans no change to the table');
    // No CDK table: nothing about cdk-nag.
    expect(message).not.toContain('cdk-nag');
    // The same files as a fix in place.
    expect((await runCli(['fix', '--yes', '--quiet', '.'], b, '', ENV)).code).toBe(0);
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it('says what the options change: --key-policy iam, --key-strategy shared, --kms-key-arn', async () => {
    const root = tmp();
    repo(path.join(root, 'r'), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const mail = async (...args: string[]) => {
      const r = await runCli(['fix', '--patch-dir', 'out', ...args, 'r'], root, '', ENV);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(path.join(root, 'out', 'r.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    };
    const iam = await mail('--key-policy', 'iam');
    expect(iam).toMatch(/Who can use the key \(key policy iam\): only principals whose IAM policies grant kms:Decrypt/);
    // The deploying role switches the tables to keys only IAM opens: its IAM policy must open them.
    expect(iam).toContain('With key policy iam it also switches the tables to keys only IAM opens: its IAM policy needs kms:Decrypt');
    expect(await mail('--key-strategy', 'shared')).toContain(
      'a new customer-managed KMS key shared by the tables of its template or module',
    );
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const m = await mail('--kms-key-arn', arn);
    expect(m).toContain(`key: the existing key ${arn}`);
    expect(m).toContain('Cost: no new key');
    expect(m).not.toContain('Who deploys');
    // No key of kmsfix's to remove: one deploy sets the tables back.
    expect(m).toContain(
      "* Roll back: set each table's encryption back explicitly and deploy; the key itself is not touched: - CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`",
    );
    expect(m).not.toContain('two deploys');
  });

  it('a CDK table: grants now add KMS actions that cdk-nag AwsSolutions-IAM5 reports', async () => {
    const root = tmp();
    repo(path.join(root, 'r'), { 'lib/stack.ts': path.join(FIXTURES, 'typescript', 'cdk-core-imports', 'input.ts') });
    const r = await runCli(['fix', '--patch-dir', 'out', 'r'], root, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    const m = readFileSync(path.join(root, 'out', 'r.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    expect(m).not.toContain('Undeclared imports');
    expect(m).toContain('- AWS CDK Table, was aws-owned: `encryption: TableEncryption.DEFAULT` and no `encryptionKey`');
    expect(m).toContain(
      "now also grants kms:ReEncrypt* and kms:GenerateDataKey* on the key, which AwsSolutions-IAM5 reports as an error: cdk synth fails until it is suppressed (appliesTo 'Action::kms:ReEncrypt*' and 'Action::kms:GenerateDataKey*')",
    );
    // A Jest or Vitest snapshot of the stack fails a CI run until it is updated (an adversarial pass on the repositories' CI).
    expect(m).toContain('Snapshot tests: a Jest or Vitest snapshot of the synthesized stack or program');
    expect(m).toContain('update the snapshots (jest -u, vitest -u, npx projen test) in this change');
  });

  it('an AWS CDK v1 table: the new @aws-cdk/aws-kms import is to be declared in package.json', async () => {
    const root = tmp();
    repo(path.join(root, 'r'), { 'lib/stack.ts': path.join(FIXTURES, 'typescript', 'cdk-v1-named', 'input.ts') });
    const r = await runCli(['fix', '--patch-dir', 'out', 'r'], root, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    const m = readFileSync(path.join(root, 'out', 'r.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    expect(m).toContain(
      "Undeclared imports: the fix imports @aws-cdk/aws-kms and @aws-cdk/aws-iam, which the project's package.json does not declare: declare them there",
    );
  });

  it('an AWS CDK v1 table of a projen project: the imports are declared in .projenrc, which generates package.json, then npx projen', async () => {
    const root = tmp();
    const dir = path.join(root, 'r');
    const lib = path.join(dir, 'packages', 'lib');
    mkdirSync(lib, { recursive: true });
    const peers = { '@aws-cdk/aws-dynamodb': '^1.138.0', '@aws-cdk/core': '^1.138.0' };
    const marker = '~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".';
    writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'lib', peerDependencies: peers, '//': marker }, null, 2));
    writeFileSync(path.join(lib, '.projenrc.ts'), '// the project\n');
    // A package.json without the marker: the note names package.json, as before.
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: peers }, null, 2));
    repo(dir, {
      'packages/lib/src/index.ts': path.join(FIXTURES, 'typescript', 'cdk-v1-named', 'input.ts'),
      'app/stack.ts': path.join(FIXTURES, 'typescript', 'cdk-v1-named', 'input.ts'),
    });
    const mail = async () => {
      const r = await runCli(['fix', '--patch-dir', 'out', 'r'], root, '', ENV);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(path.join(root, 'out', 'r.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    };
    let m = await mail();
    expect(m).toContain(
      "Undeclared imports: the fix imports @aws-cdk/aws-kms and @aws-cdk/aws-iam, which the project's package.json does not declare, " +
        "and projen generates it from ../.projenrc.ts (from this file's folder): declare them there, in the list that declares " +
        '@aws-cdk/aws-dynamodb (cdkDependencies, peerDeps or deps) and at its version, then run `npx projen`',
    );
    expect(m).toContain('does not declare: declare them there at the version of @aws-cdk/aws-dynamodb');

    // The projen project alone: its note only.
    rmSync(path.join(root, 'out'), { recursive: true });
    git(dir, 'rm', '-q', 'app/stack.ts');
    git(dir, 'commit', '-q', '-m', 'lib only');
    m = await mail();
    expect(m).toContain('and projen generates it from ../.projenrc.ts');
    expect(m).not.toContain('declare them there at the version');
  });

  it('a file git stores with CRLF: its mail goes in base64, which plain git am (and --keep-cr) applies (adversarial pass)', async () => {
    const root = tmp();
    for (const flags of [[], ['--keep-cr']]) {
      const a = repo(path.join(root, `win${flags.length}`), { 'app.yaml': path.join(CF, 'yaml-crlf-bom', 'input.yaml') });
      expect((await runCli(['fix', '--patch-dir', `out${flags.length}`, `win${flags.length}`], root, '', ENV)).code).toBe(0);
      const mbox = path.join(root, `out${flags.length}`, `win${flags.length}.mbox`);
      expect(readFileSync(mbox, 'utf8')).toContain('Content-Transfer-Encoding: base64\n');
      git(a, 'am', '-q', ...flags, mbox);
      expect(readFileSync(path.join(a, 'app.yaml'))).toEqual(readFileSync(path.join(CF, 'yaml-crlf-bom', 'expected.yaml')));
    }
  });

  it('a file git stores with LF and checks out with CRLF (.gitattributes eol=crlf) goes in the mail with LF: git am applies it', async () => {
    const root = tmp();
    const origin = path.join(root, 'origin');
    mkdirSync(origin);
    writeFileSync(path.join(origin, '.gitattributes'), '*.yaml text eol=crlf\n');
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(origin, 'app.yaml'));
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'init');
    for (const d of ['pd', 'am', 'fixed']) git(root, 'clone', '-q', origin, d);
    expect(readFileSync(path.join(root, 'pd', 'app.yaml'), 'utf8')).toContain('\r\n');
    expect((await runCli(['fix', '--patch-dir', 'out', 'pd'], root, '', ENV)).code).toBe(0);
    expect((await runCli(['fix', '--yes', '.'], path.join(root, 'fixed'), '', ENV)).code).toBe(0);
    git(path.join(root, 'am'), 'am', '-q', path.join(root, 'out', 'pd.mbox'));
    expect(readFileSync(path.join(root, 'am', 'app.yaml'))).toEqual(readFileSync(path.join(root, 'fixed', 'app.yaml')));
    // The patch, for git apply in the work tree, keeps the work tree's CRLF.
    expect(readFileSync(path.join(root, 'out', 'pd.patch'), 'utf8')).toContain('+      SSESpecification:\r\n');
  });
});

describe('fix --commit', () => {
  it('writes, then makes one commit of exactly those files on a new branch kmsfix/dynamodb-cmk, and pushes nothing', async () => {
    const a = repo(tmp(), FILES());
    const remote = tmp();
    git(remote, 'init', '-q', '--bare');
    git(a, 'remote', 'add', 'origin', remote);
    git(a, 'push', '-q', 'origin', 'main');
    // Unrelated work staged and unstaged elsewhere in the repository stays out of the commit.
    writeFileSync(path.join(a, 'notes.txt'), 'wip\n');
    git(a, 'add', 'notes.txt');
    writeFileSync(path.join(a, 'README.md'), 'changed\n');
    const r = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/committed 3 files in \. on branch kmsfix\/dynamodb-cmk \([0-9a-f]+\), not pushed/);
    expect(git(a, 'branch', '--show-current').trim()).toBe('kmsfix/dynamodb-cmk');
    expect(git(a, 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'g.yaml',
      'infra/app.yaml',
      'tf/main.tf',
    ]);
    expect(git(a, 'log', '-1', '--format=%an')).toBe('Dev\n');
    const message = git(a, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('Encrypt 3 DynamoDB tables with customer-managed KMS keys');
    expect(message).toContain('Before deploying, check:');
    expect(git(a, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M README.md', 'A  notes.txt']);
    expect(readFileSync(path.join(a, 'infra/app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'));
    // Never pushed.
    expect(git(remote, 'branch', '--list').trim()).toBe('main');
    // A second run finds nothing to do: no new commit.
    const again = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(again.code).toBe(0);
    expect(git(a, 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
  });

  it('one commit per repository under the paths', async () => {
    const root = tmp();
    const one = repo(path.join(root, 'one'), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const two = repo(path.join(root, 'two'), { 'main.tf': path.join(TF, 'no-sse-block', 'input.tf') });
    const clean = repo(path.join(root, 'clean'), { 'ok.yaml': path.join(CF, 'yaml-no-sse', 'expected.yaml') });
    const r = await runCli(['fix', '--yes', '--commit', '--format', 'json', 'one', 'two', 'clean'], root, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).notes).toEqual([
      expect.stringMatching(/^committed 1 file in one on branch kmsfix\/dynamodb-cmk/),
      expect.stringMatching(/^committed 1 file in two on branch kmsfix\/dynamodb-cmk/),
    ]);
    for (const d of [one, two])
      expect(git(d, 'log', '-1', '--format=%s').trim()).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    expect(git(clean, 'branch', '--show-current').trim()).toBe('main');
  });

  it('refuses a repository where a file it would write has uncommitted changes: nothing written or committed there', async () => {
    const a = repo(tmp(), FILES());
    writeFileSync(path.join(a, 'tf/main.tf'), `${readFileSync(path.join(a, 'tf/main.tf'), 'utf8')}# wip\n`);
    const before = snapshot(a);
    const r = await runCli(['fix', '--yes', '--commit'], a, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tf/main.tf: has uncommitted changes in its git work tree');
    expect(r.stderr).toMatch(
      /infra\/app\.yaml: not written: --commit makes one commit of the whole change of a repository, and tf\/main\.tf in it was refused/,
    );
    expect(snapshot(a)).toEqual(before);
    expect(git(a, 'branch', '--list').trim()).toBe('* main');
  });

  it('refuses files outside any git work tree, with a message', async () => {
    const d = tmp();
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(d, 'app.yaml'));
    const r = await runCli(['fix', '--yes', '--commit'], d, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('app.yaml: is not in a git work tree: not written (--commit writes only inside git repositories)');
    expect(readFileSync(path.join(d, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'));
  });

  it('refuses when the branch exists and is not checked out; adds to it when it is', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    git(a, 'branch', 'kmsfix/dynamodb-cmk');
    const r = await runCli(['fix', '--yes', '--commit'], a, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/branch kmsfix\/dynamodb-cmk, which already exists/);
    expect(git(a, 'status', '--porcelain')).toBe('');
    git(a, 'switch', '-q', 'kmsfix/dynamodb-cmk');
    expect((await runCli(['fix', '--yes', '--commit'], a, '', ENV)).code).toBe(0);
    expect(git(a, 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
  });

  it('refuses when the branch is checked out in another worktree (git will not check it out here), naming that worktree', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const other = path.join(tmp(), 'other');
    git(a, 'worktree', 'add', '-q', '-b', 'kmsfix/dynamodb-cmk', other);
    const r = await runCli(['fix', '--yes', '--commit'], a, '', ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `which already exists in ${a} and is checked out in the worktree ${other} (run kmsfix fix --commit there to add a commit to it, or merge or delete it)`,
    );
    expect(git(a, 'status', '--porcelain')).toBe('');
  });

  it('refuses, before writing or switching, a repository where git could not make or switch to the branch or commit: a merge or rebase in progress, a bisect, a branch in the way of its name, a locked index', async () => {
    const input = path.join(CF, 'yaml-no-sse', 'input.yaml');
    const cases: [string, (a: string) => void, RegExp][] = [
      [
        'merge',
        (a) => {
          writeFileSync(path.join(a, 'notes.txt'), 'base\n');
          git(a, 'add', 'notes.txt');
          git(a, 'commit', '-q', '-m', 'notes');
          git(a, 'switch', '-q', '-c', 'other');
          writeFileSync(path.join(a, 'notes.txt'), 'theirs\n');
          git(a, 'commit', '-q', '-am', 'theirs');
          git(a, 'switch', '-q', 'main');
          writeFileSync(path.join(a, 'notes.txt'), 'ours\n');
          git(a, 'commit', '-q', '-am', 'ours');
          spawnSync('git', ['merge', '-q', 'other'], { cwd: a, env: ENV });
        },
        /cannot switch to a new branch in .*: a merge is in progress there \(finish or abort it first\)/,
      ],
      ['rebase', (a) => writeFileSync(path.join(a, '.git', 'rebase-merge'), ''), /a rebase is in progress there/],
      // A bisect lets git switch, from the commit being tested: the branch would start there.
      ['bisect', (a) => git(a, 'bisect', 'start'), /a git bisect is in progress there \(end it with git bisect reset first\)/],
      [
        'index lock',
        (a) => writeFileSync(path.join(a, '.git', 'index.lock'), ''),
        /--commit cannot commit in .*: .*\.git\/index\.lock exists \(another git command is running there, or one crashed: let it finish, or remove .*index\.lock if no git command is running, then run kmsfix again\)/,
      ],
      [
        'kmsfix branch',
        (a) => git(a, 'branch', 'kmsfix'),
        /cannot make the branch kmsfix\/dynamodb-cmk in .*: the branch kmsfix is in the way of its name/,
      ],
    ];
    for (const [name, setUp, message] of cases) {
      const a = repo(tmp(), { 'app.yaml': input });
      setUp(a);
      const r = await runCli(['fix', '--yes', '--commit', 'app.yaml'], a, '', ENV);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).toContain('nothing written');
      expect(readFileSync(path.join(a, 'app.yaml'), 'utf8'), name).toBe(readFileSync(input, 'utf8'));
      expect(git(a, 'symbolic-ref', '--short', 'HEAD').trim(), name).toBe('main');
    }
  });

  it('reports a commit that fails (no identity) as an error, the files staying written', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    git(a, 'config', 'user.useConfigOnly', 'true');
    const env = {
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: '',
      GIT_AUTHOR_EMAIL: '',
      GIT_COMMITTER_NAME: '',
      GIT_COMMITTER_EMAIL: '',
      EMAIL: '',
    };
    const r = await runCli(['fix', '--yes', '--commit'], a, '', env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--commit: git commit failed: .*\(the files are written; commit them by hand\)/s);
    // Where the repository is left: on the new branch, and the branch it was made from.
    expect(r.stderr).toMatch(/the repository is on branch kmsfix\/dynamodb-cmk, made from branch main \(the files are written/);
    expect(git(a, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('kmsfix/dynamodb-cmk');
    expect(readFileSync(path.join(a, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'));
  });

  it('a commit that fails from a detached HEAD names that commit and the way back to it', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    git(a, 'checkout', '-q', '--detach');
    const sha = git(a, 'rev-parse', '--short', 'HEAD').trim();
    const hook = path.join(a, '.git', 'hooks', 'pre-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const r = await runCli(['fix', '--yes', '--commit'], a);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `the repository is on branch kmsfix/dynamodb-cmk, made from a detached HEAD at ${sha} (git checkout --detach ${sha} goes back)`,
    );
  });

  it('names the branch a commit a pre-commit hook refused leaves the repository on', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const hook = path.join(a, '.git', 'hooks', 'pre-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const r = await runCli(['fix', '--yes', '--commit'], a);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--commit: git commit failed: .*hook says no.*the repository is on branch kmsfix\/dynamodb-cmk, made from branch main \(the files are written; commit them by hand\)/s,
    );
    expect(git(a, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('kmsfix/dynamodb-cmk');
    expect(git(a, 'log', '--format=%s').trim().split('\n')).toHaveLength(1);
  });

  it('goes with a fix in place only', async () => {
    const d = tmp();
    for (const args of [['--dry-run'], ['--check'], ['--patch', 'x.patch'], ['--patch-dir', 'p'], ['--force']]) {
      const r = await runCli(['fix', '--commit', ...args], d, '', ENV);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/--commit/);
    }
    expect((await runCli(['scan', '--commit'], d, '', ENV)).stderr).toContain('--commit is an option of fix, not scan');
    expect((await runCli(['--help'], d)).stdout).toContain('--commit');
    expect(existsSync(path.join(d, 'x.patch'))).toBe(false);
  });
  it("adds a file named like a glob (`*.yaml`) by its name alone: the user's staged/unstaged split and untracked files stay as they were", async () => {
    const a = repo(tmp(), { '*.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    writeFileSync(path.join(a, 'notes.yaml'), 'a: 1\nb: 1\n');
    git(a, 'add', 'notes.yaml');
    git(a, 'commit', '-q', '-m', 'notes');
    writeFileSync(path.join(a, 'notes.yaml'), 'a: 2\nb: 1\n');
    git(a, 'add', 'notes.yaml');
    writeFileSync(path.join(a, 'notes.yaml'), 'a: 2\nb: 2\n');
    writeFileSync(path.join(a, 'api-keys.yaml'), 'secret: 1\n');
    const r = await runCli(['fix', '--yes', '--commit'], a, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('*.yaml');
    // Without `:(literal)`, git add staged both: `M  notes.yaml` and `A  api-keys.yaml`.
    expect(git(a, 'status', '--porcelain')).toBe('MM notes.yaml\n?? api-keys.yaml\n');
    expect(git(a, 'diff', '--cached', 'notes.yaml')).toContain('+a: 2\n b: 1');
  });

  it('checks for uncommitted changes in a file named `:(glob)*.yaml` (git check-ignore takes no pathspec magic)', async () => {
    const a = repo(tmp(), { ':(glob)*.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const r = await runCli(['fix', '--yes', '--commit'], a, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(git(a, 'status', '--porcelain')).toBe('');
  });

  it("finds the repository from the files, not from the caller's GIT_DIR / GIT_WORK_TREE (exported for another repository)", async () => {
    const root = tmp();
    const a = repo(path.join(root, 'app'), { 'a.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    const other = repo(path.join(root, 'other'), { 'x.txt': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    writeFileSync(path.join(a, 'a.yaml'), `${readFileSync(path.join(a, 'a.yaml'), 'utf8')}# an edit not committed\n`);
    const env = { ...ENV, GIT_DIR: path.join(other, '.git'), GIT_WORK_TREE: other };
    const r = await runCli(['fix', '--yes', '--commit'], root, '', env);
    // The uncommitted edit in app/ is seen (it was checked in other/ and written over).
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.yaml: has uncommitted changes/);
    expect(readFileSync(path.join(a, 'a.yaml'), 'utf8')).not.toContain('KMS');
    expect(git(other, 'branch', '--show-current').trim()).toBe('main');
  });

  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} between the branch switch and the commit: says where the repository is left and how to finish or undo, exit ${exit}; the same command again finishes the commit (adversarial pass; session 56: it was exit 2)`, async () => {
      const a = repo(tmp(), FILES());
      // Paused before git add: the branch made, the files written; the signal lands there.
      const r = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'git: add -- ', (pid) => process.kill(pid, signal), ENV);
      expect([r.code, r.signal], r.stderr).toEqual([exit, null]);
      expect(r.stderr).toContain('kmsfix: interrupted during --commit; where each repository is left:');
      expect(r.stderr).toMatch(
        /\.: on branch kmsfix\/dynamodb-cmk, made from branch main, 3 fixed files written and (not )?staged, not committed: (?=.*infra\/app\.yaml)(?=.*tf\/main\.tf)(?=.*g\.yaml)/,
      );
      expect(r.stderr).toContain(
        'to undo: git -C . restore --staged --worktree -- <those files>; git -C . switch main; git -C . branch -D kmsfix/dynamodb-cmk',
      );
      expect(git(a, 'branch', '--show-current').trim()).toBe('kmsfix/dynamodb-cmk');
      expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
      expect(r.stderr).toContain(
        'to finish: run kmsfix fix --yes --commit . again (it finds the files as this run left them, from its record in the git dir, and commits the whole fix with its message on branch kmsfix/dynamodb-cmk)',
      );
      // The same command, as it says: the run's record proves the uncommitted files its own, and the whole fix is committed with its message
      // (it was "nothing written", exit 0, then an exit 2 that said to undo them and run again).
      const again = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toContain('took over the lock'); // the interrupted run released it
      expect(again.stderr).toMatch(
        /finishing the interrupted kmsfix fix --commit run \(pid \d+\): 3 files written by that run, 0 files by this one/,
      );
      expect(git(a, 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
      expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
        'g.yaml',
        'infra/app.yaml',
        'tf/main.tf',
      ]);
      expect(git(a, 'status', '--porcelain')).toBe('');
    }, 60_000);
  }

  /** A repository of FILES() where a --commit run was killed (SIGKILL) at the rename of tf/main.tf: the files renamed before it fixed, uncommitted, on main. */
  async function killedDuringWrites(): Promise<{ a: string; written: string[]; pid: number }> {
    const a = repo(tmp(), FILES());
    const killed = await pausedCli(
      ['fix', '--yes', '--quiet', '--commit'],
      a,
      'rename:tf/main\\.tf$',
      (pid) => process.kill(pid, 'SIGKILL'),
      ENV,
    );
    expect(killed.signal).toBe('SIGKILL');
    const written = git(a, 'status', '--porcelain', '--untracked-files=no')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3))
      .sort();
    expect(written.length).toBeGreaterThan(0);
    expect(written).not.toContain('tf/main.tf');
    const record = JSON.parse(readFileSync(path.join(a, '.git', 'kmsfix-commit-pending.json'), 'utf8'));
    return { a, written, pid: record.pid };
  }
  /** A copy of a repository, its git dir (and the record in it) with it. */
  function copyOf(a: string): string {
    const b = tmp();
    cpSync(a, b, { recursive: true });
    return b;
  }
  /** The message and files of a fix --commit of FILES() not interrupted. */
  async function cleanCommit(): Promise<{ message: string; files: string[] }> {
    const c = repo(tmp(), FILES());
    const r = await runCli(['fix', '--yes', '--quiet', '--commit'], c, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    return {
      message: git(c, 'log', '-1', '--format=%B'),
      files: git(c, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(),
    };
  }
  const REFUSED_KILLED =
    /error: \.: --commit: an earlier kmsfix fix --commit run \(pid \d+\) wrote here and did not commit \(killed during its writes, or its commit failed\): \d+ files? it was to write ha(s|ve) uncommitted changes \((.*)\), and this run cannot prove them that run's: (.*): nothing written or committed in this repository; undo them \(git -C \. restore --staged --worktree -- <those files>\) and run kmsfix fix --commit again/;

  it('a --commit killed with SIGKILL during its writes: the record proves the changes its own, the next --commit writes the rest and commits all with the planned message (session 56)', async () => {
    const { a, written, pid } = await killedDuringWrites();
    const record = JSON.parse(readFileSync(path.join(a, '.git', 'kmsfix-commit-pending.json'), 'utf8'));
    expect(record).toMatchObject({ version: 2, head: { branch: 'main', sha: git(a, 'rev-parse', 'HEAD').trim() } });
    expect(record.files.map((f: { path: string }) => f.path).sort()).toEqual(['g.yaml', 'infra/app.yaml', 'tf/main.tf']);
    const again = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      new RegExp(
        `committed 3 files in \\. on branch kmsfix/dynamodb-cmk \\([0-9a-f]+\\), not pushed, finishing the interrupted kmsfix fix --commit run \\(pid ${pid}\\): ${written.length} files? written by that run, ${3 - written.length} files? by this one`,
      ),
    );
    // One commit, the whole fix, the message a run not interrupted writes (the tables of both runs).
    const clean = await cleanCommit();
    expect(git(a, 'rev-list', '--count', 'main..kmsfix/dynamodb-cmk').trim()).toBe('1');
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(clean.files);
    expect(git(a, 'log', '-1', '--format=%B')).toBe(clean.message);
    expect(readFileSync(path.join(a, 'tf/main.tf'), 'utf8')).not.toBe(readFileSync(path.join(TF, 'no-sse-block', 'input.tf'), 'utf8'));
    expect(git(a, 'status', '--porcelain')).toBe('');
    // The record is gone with the commit: a later run is not refused.
    expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(false);
  }, 90_000);

  it('a --commit killed with SIGKILL after its writes, on its new branch before the commit: the next --commit commits the files with the planned message, writing none (session 56)', async () => {
    const a = repo(tmp(), FILES());
    const killed = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'git: add -- ', (pid) => process.kill(pid, 'SIGKILL'), ENV);
    expect(killed.signal).toBe('SIGKILL');
    expect(git(a, 'branch', '--show-current').trim()).toBe('kmsfix/dynamodb-cmk');
    expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    // Its index locked meanwhile: git is asked before the commit, as for a run that writes (nothing committed, the record kept).
    writeFileSync(path.join(a, '.git', 'index.lock'), '');
    const locked = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(locked.code, locked.stderr).toBe(2);
    expect(locked.stderr).toMatch(
      /error: \.: --commit: cannot finish the interrupted kmsfix fix --commit run \(pid \d+\) here, its files all written and not committed: --commit cannot commit in .*index\.lock exists/,
    );
    expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(true);
    rmSync(path.join(a, '.git', 'index.lock'));
    const again = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /finishing the interrupted kmsfix fix --commit run \(pid \d+\): 3 files written by that run, 0 files by this one/,
    );
    const clean = await cleanCommit();
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(clean.files);
    expect(git(a, 'log', '-1', '--format=%B')).toBe(clean.message);
    expect(git(a, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(false);
  }, 90_000);

  it('interactive, a killed --commit whose files are all written: asked before the commit, "n" commits nothing and keeps the record, "y" commits (session 57)', async () => {
    const a = repo(tmp(), FILES());
    const killed = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'git: add -- ', (pid) => process.kill(pid, 'SIGKILL'), ENV);
    expect(killed.signal).toBe('SIGKILL');
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    try {
      const asked: string[] = [];
      const io = (answer: string): Io => ({
        cwd: a,
        out: () => undefined,
        err: () => undefined,
        interactive: true,
        color: false,
        ask: async (q) => {
          asked.push(q);
          return answer;
        },
      });
      await main(['fix', '--commit', '.'], io('n'));
      expect(asked).toEqual(['Commit the 3 files an interrupted kmsfix fix --commit run wrote? [y/N] ']);
      expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
      expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(true);
      expect(await main(['fix', '--commit', '.'], io('y'))).toBe(0);
      expect(asked).toHaveLength(2);
      expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
      expect(git(a, 'log', '-1', '--format=%B')).toBe((await cleanCommit()).message);
      expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 90_000);

  it("on branch kmsfix/dynamodb-cmk with uncommitted changes and no record to prove them kmsfix's: exit 2, nothing committed (session 56)", async () => {
    const a = repo(tmp(), FILES());
    const killed = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'git: add -- ', (pid) => process.kill(pid, 'SIGKILL'), ENV);
    expect(killed.signal).toBe('SIGKILL');
    rmSync(path.join(a, '.git', 'kmsfix-commit-pending.json'));
    const again = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toMatch(
      /error: \.: --commit: the repository is on branch kmsfix\/dynamodb-cmk with uncommitted changes in 3 files this run read \(.*\), as a kmsfix fix --commit interrupted before its commit leaves them: nothing written or committed in this repository; undo them/,
    );
    expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  }, 60_000);

  it('a killed --commit whose fix the user then committed by hand: the record is done with, a later edit of theirs is not refused (adversarial pass of session 56, L1)', async () => {
    const a = repo(tmp(), FILES());
    const killed = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'git: add -- ', (pid) => process.kill(pid, 'SIGKILL'), ENV);
    expect(killed.signal).toBe('SIGKILL');
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'the fix, committed by hand');
    git(a, 'checkout', '-q', 'main');
    git(a, 'merge', '-q', '--ff-only', 'kmsfix/dynamodb-cmk');
    writeFileSync(path.join(a, 'infra/app.yaml'), `${readFileSync(path.join(a, 'infra/app.yaml'), 'utf8')}# edited after\n`);
    const r = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(r.stderr).not.toMatch(/an earlier kmsfix fix --commit run/);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(false);
    expect(git(a, 'status', '--porcelain').trim()).toBe('M infra/app.yaml');
  }, 60_000);

  it("a --commit killed during the renames of a group: the next --commit completes the group from its journal, proves it the killed run's and commits the whole fix with its message (session 56)", async () => {
    const files = {
      'mod/main.tf': path.join(TF, 'module-dir', 'input', 'main.tf'),
      'mod/users.tf': path.join(TF, 'module-dir', 'input', 'users.tf'),
      'mod/kms.tf': path.join(TF, 'module-dir', 'input', 'kms.tf'),
      'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
    };
    const a = repo(tmp(), files);
    const killed = await pausedCli(
      ['fix', '--yes', '--quiet', '--commit'],
      a,
      'rename:mod/\\w+\\.tf$',
      (pid) => process.kill(pid, 'SIGKILL'),
      ENV,
    );
    expect(killed.signal).toBe('SIGKILL');
    const r = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/finishing the interrupted kmsfix fix --commit run \(pid \d+\)/);
    const clean = repo(tmp(), files);
    const c = await runCli(['fix', '--yes', '--quiet', '--commit'], clean, '', ENV);
    expect(c.code, c.stderr).toBe(0);
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      git(clean, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(),
    );
    expect(git(a, 'log', '-1', '--format=%B')).toBe(git(clean, 'log', '-1', '--format=%B'));
    expect(git(a, 'status', '--porcelain')).toBe('');
  }, 90_000);

  it('a killed --commit whose changes cannot be proven its own is refused, naming each file that differs and how: edited since, deleted, HEAD moved, a fix other than planned, a record without checksums (session 56)', async () => {
    const { a, written } = await killedDuringWrites();
    const edited = written[0];
    const cases: [string, (b: string) => void, RegExp, string[]?][] = [
      [
        'edited',
        (b) => writeFileSync(path.join(b, edited), `${readFileSync(path.join(b, edited), 'utf8')}# mine\n`),
        new RegExp(`${edited.replace('.', '\\.')} changed since \\(neither the bytes that run read nor those it planned to write\\)`),
      ],
      ['deleted', (b) => rmSync(path.join(b, 'tf/main.tf')), /tf\/main\.tf deleted/],
      [
        'HEAD moved',
        (b) => {
          writeFileSync(path.join(b, 'other.txt'), 'x\n');
          git(b, 'add', 'other.txt');
          git(b, 'commit', '-q', '-m', 'other');
        },
        /HEAD moved: that run started on branch main at [0-9a-f]{7}, and it is now branch main at [0-9a-f]{7}/,
      ],
      [
        'legacy record',
        (b) => {
          const f = path.join(b, '.git', 'kmsfix-commit-pending.json');
          const r = JSON.parse(readFileSync(f, 'utf8'));
          writeFileSync(f, JSON.stringify({ version: 1, pid: r.pid, files: r.files.map((x: { path: string }) => x.path) }));
        },
        /it was recorded by an earlier kmsfix version, without the checksums that would prove the changes its own/,
      ],
    ];
    for (const [name, change, why] of cases) {
      const b = copyOf(a);
      change(b);
      const tfBefore = existsSync(path.join(b, 'tf/main.tf')) ? readFileSync(path.join(b, 'tf/main.tf'), 'utf8') : undefined;
      const r = await runCli(['fix', '--yes', '--quiet', '--commit'], b, '', ENV);
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(REFUSED_KILLED);
      expect(REFUSED_KILLED.exec(r.stderr)![3], name).toMatch(why);
      for (const f of written) expect(r.stderr, name).toContain(f);
      // Nothing committed, no branch, tf/main.tf not written; the record kept.
      expect(git(b, 'branch', '--list', 'kmsfix/dynamodb-cmk'), name).toBe('');
      expect(tfBefore === undefined ? existsSync(path.join(b, 'tf/main.tf')) : readFileSync(path.join(b, 'tf/main.tf'), 'utf8'), name).toBe(
        tfBefore ?? false,
      );
      expect(existsSync(path.join(b, '.git', 'kmsfix-commit-pending.json')), name).toBe(true);
    }
    // Other options: this run's fix of tf/main.tf is not the one planned: refused before anything is written.
    const b = copyOf(a);
    const r = await runCli(['fix', '--yes', '--quiet', '--commit', '--key-policy', 'iam'], b, '', ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /error: \.: --commit: an earlier kmsfix fix --commit run \(pid \d+\) wrote here and did not commit \(killed during its writes\), and this run cannot finish it as planned: tf\/main\.tf: this run's fix of it differs from the one that run planned \(another kmsfix version or other options\): nothing written or committed in this repository/,
    );
    expect(readFileSync(path.join(b, 'tf/main.tf'), 'utf8')).toBe(readFileSync(path.join(TF, 'no-sse-block', 'input.tf'), 'utf8'));
    expect(git(b, 'branch', '--list', 'kmsfix/dynamodb-cmk')).toBe('');
    // As it says: undone, then run again, the whole fix is committed with its message.
    git(a, 'restore', '--staged', '--worktree', '--', ...written);
    const done = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toContain('finishing');
    expect(git(a, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'g.yaml',
      'infra/app.yaml',
      'tf/main.tf',
    ]);
    expect(existsSync(path.join(a, '.git', 'kmsfix-commit-pending.json'))).toBe(false);
  }, 180_000);

  it('a group completed from the journal of a killed fix is not left uncommitted: exit 2, nothing written or committed there (adversarial pass)', async () => {
    const a = repo(tmp(), {
      'mod/main.tf': path.join(TF, 'module-dir', 'input', 'main.tf'),
      'mod/users.tf': path.join(TF, 'module-dir', 'input', 'users.tf'),
      'mod/kms.tf': path.join(TF, 'module-dir', 'input', 'kms.tf'),
      'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml'),
    });
    // A plain fix killed at the module's renames (its journal written): the next fix completes the module from the journal.
    const killed = await pausedCli(
      ['fix', '--yes', '--quiet', 'mod'],
      a,
      'rename:mod/\\w+\\.tf$',
      (pid) => process.kill(pid, 'SIGKILL'),
      ENV,
    );
    expect(killed.signal).toBe('SIGKILL');
    const r = await runCli(['fix', '--yes', '--quiet', '--commit'], a, '', ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /error: \.: --commit: this run completed the write of a group that an interrupted kmsfix run had begun \(mod\/[^)]*\): those files are fixed and not committed, and this run has no commit message for them: nothing written or committed in this repository/,
    );
    expect(r.stderr).toContain('app.yaml: not written: --commit makes one commit of the whole change of a repository');
    expect(git(a, 'branch', '--show-current').trim()).toBe('main');
    expect(git(a, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(readFileSync(path.join(a, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8'));
  }, 60_000);

  it('HEAD moved during the run (a git checkout after the writes): no branch made from it, exit 2, says so and where the files are (adversarial pass)', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    git(a, 'switch', '-q', '-c', 'other');
    writeFileSync(path.join(a, 'unrelated.txt'), 'wip\n');
    git(a, 'add', 'unrelated.txt');
    git(a, 'commit', '-q', '-m', 'other: unrelated work in progress');
    git(a, 'switch', '-q', 'main');
    const main = git(a, 'rev-parse', '--short', 'main').trim();
    // Paused at the rename of the fixed file (read and planned, HEAD recorded): the user switches branch there.
    const r = await pausedCli(
      ['fix', '--yes', '--quiet', '--commit'],
      a,
      'rename:app\\.yaml$',
      () => git(a, 'checkout', '-q', 'other'),
      ENV,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `error: \\.: --commit: HEAD moved during the run: it was branch main at ${main} when kmsfix read the files, and is now branch other at [0-9a-f]{7} .*: no branch made, nothing committed .*the fixed files stay written, not committed, in the work tree`,
      ),
    );
    expect(git(a, 'branch', '--list', 'kmsfix/dynamodb-cmk')).toBe('');
    expect(git(a, 'branch', '--show-current').trim()).toBe('other');
    expect(readFileSync(path.join(a, 'app.yaml'), 'utf8')).toBe(readFileSync(path.join(CF, 'yaml-no-sse', 'expected.yaml'), 'utf8'));
  }, 60_000);

  it('HEAD moved while the files were read (a checkout onto a branch with the same files): HEAD is recorded when the run starts, no branch made from the other, exit 2 (session 54)', async () => {
    const a = repo(tmp(), { 'app.yaml': path.join(CF, 'yaml-no-sse', 'input.yaml') });
    git(a, 'switch', '-q', '-c', 'other');
    writeFileSync(path.join(a, 'unrelated.txt'), 'wip\n');
    git(a, 'add', 'unrelated.txt');
    git(a, 'commit', '-q', '-m', 'other: unrelated work in progress');
    git(a, 'switch', '-q', 'main');
    const main = git(a, 'rev-parse', '--short', 'main').trim();
    // Paused at the read of app.yaml: the checkout leaves it as it is (same file on both branches), so no stamp sees it.
    const r = await pausedCli(['fix', '--yes', '--quiet', '--commit'], a, 'open:app\\.yaml$', () => git(a, 'checkout', '-q', 'other'), ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `error: \\.: --commit: HEAD moved during the run: it was branch main at ${main} when kmsfix read the files, and is now branch other at [0-9a-f]{7} .*: no branch made, nothing committed`,
      ),
    );
    expect(git(a, 'branch', '--list', 'kmsfix/dynamodb-cmk')).toBe('');
    expect(git(a, 'rev-list', '--count', 'other').trim()).toBe('2');
  }, 60_000);
});
