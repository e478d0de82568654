/**
 * `informsModule` (src/formats/terraform/module.ts): the fix's plan parses only the module files whose
 * text can change what moduleInfo returns. A file it skips must change nothing the plan uses: every
 * field of moduleInfo, and the names `unique` can be asked for (the kinds the fix declares).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { informsModule, moduleInfo, type ModuleInfo } from '../../../src/formats/terraform/module.js';
import { siblingBlocks, type TopBlock } from '../../../src/formats/terraform/topBlocks.js';
import { prng, terraformModule } from '../../../bench/generate.mjs';
import { KEY_POLICY_MODES } from '../../../src/rule/keyPolicy.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

/** The kinds `unique` is asked for (src/formats/terraform/fix.ts): the names the plan can collide with. */
const UNIQUE_PREFIXES = [
  'aws_kms_key.',
  'aws_kms_alias.',
  'aws_kms_replica_key.',
  'local.',
  'data.aws_caller_identity.',
  'data.aws_partition.',
  'data.aws_region.',
  'data.aws_iam_policy_document.',
];

/** What the plan can read of a moduleInfo. */
function planView(info: ModuleInfo) {
  const { taken, ...rest } = info;
  return { ...rest, taken: [...taken].filter((n) => UNIQUE_PREFIXES.some((p) => n.startsWith(p))).sort() };
}

/** A file's blocks as the plan reads a module's other files (unparsable: none). */
function topsOf(name: string, text: string): Promise<TopBlock[]> {
  return siblingBlocks([{ path: name, absPath: path.join(path.sep, 'module', name), text }]);
}

/** Each module's files, by name: the Terraform fixtures' folders (inputs and outputs) and generated modules. */
function modules(): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  const root = path.join(FIXTURES, 'terraform');
  for (const c of readdirSync(root)) {
    for (const side of ['input', 'expected']) {
      const dir = path.join(root, c, side);
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => /\.tf(\.json)?$/.test(n));
      } catch {
        continue;
      }
      out.set(
        `${c}/${side}`,
        names.map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]),
      );
    }
  }
  for (let seed = 0; seed < 12; seed++) out.set(`generated ${seed}`, Object.entries(terraformModule(prng(900 + seed), { files: 30 })));
  // Each block moduleInfo reads alone in its file, beside others it does not read: leaving out any
  // of these files would change what it returns (the test fails for each word taken out of INFO_WORDS).
  out.set('one block a file', [
    ['main.tf', 'resource "aws_dynamodb_table" "orders" {\n  name = "orders"\n}\n'],
    ['locals.tf', 'locals {\n  name = "orders"\n}\n'],
    ['kms.tf', 'resource "aws_kms_key" "orders" {\n  enable_key_rotation = true\n}\n'],
    ['caller.tf', 'data "aws_caller_identity" "current" {}\n'],
    ['partition.tf', 'data "aws_partition" "current" {}\n'],
    ['region.tf', 'data "aws_region" "current" {}\n'],
    ['policy.tf', 'data "aws_iam_policy_document" "orders" {}\n'],
    ['lambda.tf', 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n}\n'],
    ['queue.tf.json', '{"resource": {"aws_sqs_queue": {"q": {}}}}\n'],
  ]);
  return out;
}

describe('informsModule', () => {
  it('reads the words that name what moduleInfo reads, and a backslash (an escaped label or key)', () => {
    for (const t of [
      'provider "aws" {}',
      'terraform {\n  required_providers {}\n}',
      'locals { a = 1 }',
      'resource "aws_kms_key" "k" {}',
      'resource "aws_kms_alias" "a" {}',
      'data "aws_region" "r" {}',
      'data "aws_caller_identity" "c" {}',
      'data "aws_partition" "p" {}',
      'data "aws_iam_policy_document" "d" {}',
      'resource "aws\\u005fkms_key" "k" {}',
      '{"resource": {"aws\\u005fkms_key": {"k": {}}}}',
    ])
      expect(informsModule(t), t).toBe(true);
    // A `terraform` block tells moduleInfo something only through its required_providers.
    for (const t of [
      'terraform {}',
      'resource "aws_lambda_function" "f" {\n  role = aws_iam_role.r.arn\n}\n',
      'resource "aws_sqs_queue" "q" {}',
      'data "aws_s3_bucket" "b" {}',
    ])
      expect(informsModule(t), t).toBe(false);
  });

  it('a file it leaves out changes nothing the plan reads of moduleInfo (every Terraform fixture, generated modules)', async () => {
    let skipped = 0;
    for (const [name, files] of modules()) {
      const tops = await Promise.all(files.map(([n, text]) => topsOf(n, text)));
      const kept = files.flatMap((f, i) => (informsModule(f[1]) ? tops[i] : []));
      skipped += files.filter((f) => !informsModule(f[1])).length;
      for (const mode of KEY_POLICY_MODES)
        expect(planView(moduleInfo(kept, mode)), `${name} (${mode})`).toEqual(planView(moduleInfo(tops.flat(), mode)));
    }
    // The generated modules hold many files it leaves out: the comparison is not empty.
    expect(skipped).toBeGreaterThan(100);
  });

  it('a fix of a module of 50 files does not parse the files that cannot inform its plan', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tfinfo-'));
    try {
      const mod = path.join(dir, 'mod');
      mkdirSync(mod);
      const files = Object.entries(terraformModule(prng(77), { files: 50 })) as [string, string][];
      for (const [name, text] of files) writeFileSync(path.join(mod, name), text);
      const stats = path.join(dir, 'stats.json');
      const env = { KMSFIX_WORKERS: '0', KMSFIX_PARSER_STATS: stats };
      const parses = () => (JSON.parse(readFileSync(stats, 'utf8')) as { hcl: { fast: number; reference: number } }).hcl;
      await runCli(['scan', '--format', 'json', '.'], dir, undefined, env);
      const scanned = parses();
      const r = await runCli(['fix', '--dry-run', '--format', 'json', '.'], dir, undefined, env);
      const fixed = (JSON.parse(r.stdout) as { files: unknown[] }).files.length;
      expect(fixed).toBeGreaterThan(3);
      const fix = parses();
      const informing = files.filter(([, text]) => informsModule(text)).length;
      // The scan's parses, the plan's informing files, each fixed output re-detected: not every file of the module.
      expect(fix.fast + fix.reference).toBeLessThanOrEqual(scanned.fast + scanned.reference + informing + fixed);
      expect(informing).toBeLessThan(files.length - 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
