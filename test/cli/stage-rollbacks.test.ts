/**
 * Session 62's deploy review, F1: a CodePipeline stage set to roll back on its own redeploys the previous revision,
 * a revert of the fix in one deploy that no one decides. Where a file the run reads declares one, the message of that
 * file's repository names it (file:line), in --patch-dir's mail and --commit's commit alike; another repository's not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli, writeTree } from '../helpers/cli-helper.js';

const ENV = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...ENV }, encoding: 'utf8' });

const APP =
  'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n';
// No table: a file the run reads (a template by its name) that its prefilter passes over.
const PIPELINE =
  'Resources:\n  Pipeline:\n    Type: AWS::CodePipeline::Pipeline\n    Properties:\n      RoleArn: arn:aws:iam::111122223333:role/p\n' +
  '      Stages:\n        - Name: Deploy\n          OnFailure:\n            Result: ROLLBACK\n          Actions: []\n';

function repo(dir: string, files: Record<string, string>): string {
  writeTree(dir, files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

const NAMED = 'This repository sets a stage to roll back on its own: ci/pipeline.yaml:9.';
const flat = (s: string) => s.replace(/\s+/g, ' ');

it("the mail and the commit of the repository that declares the stage name it; another repository's do not", async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-stages-'));
  repo(path.join(root, 'a'), { 'app.yaml': APP, 'ci/pipeline.yaml': PIPELINE });
  repo(path.join(root, 'b'), { 'app.yaml': APP });
  const r = await runCli(['fix', '--patch-dir', 'out', 'a', 'b'], root, '', ENV);
  expect(r.code).toBe(0);
  const a = flat(readFileSync(path.join(root, 'out', 'a.mbox'), 'utf8'));
  expect(a).toContain(`follow steps 1 and 2. ${NAMED} A table whose key`);
  expect(flat(readFileSync(path.join(root, 'out', 'b.mbox'), 'utf8'))).not.toContain('roll back on its own');
  const c = await runCli(['fix', '--yes', '--commit', 'a'], root, '', ENV);
  expect(c.code).toBe(0);
  expect(flat(git(path.join(root, 'a'), 'log', '-1', '--format=%B'))).toContain(NAMED);
});
