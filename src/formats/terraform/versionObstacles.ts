/**
 * A module written for versions a fix's code does not run on: hashicorp/aws pinned below
 * AWS_KMS_KEY_ARN_SINCE (olderProvider) or, for replica keys, AWS_REPLICA_KEYS_SINCE (replicaKeysPin),
 * Terraform pinned to 0.11, and 0.11 code that says so in no pin (terraform011Block, terraform011Tags).
 * Each file's answer is kept per file object: every table file of a module asks of all the others.
 */
import path from 'node:path';
import type { Obstacle } from '../../rule/facts.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { attr, blocks, type HAttr, type HBlock } from './parse.js';
import type { TfDetection } from './detect.js';
import { AWS_KMS_KEY_ARN_SINCE, AWS_REPLICA_KEYS_SINCE, awsProviderPinBelow } from './module.js';
import { jsonSyntax, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';
import { pinnedBelow } from './moduleVersion.js';

/**
 * A module that pins hashicorp/aws to versions without `kms_key_arn` (a Terraform 0.11-era root's
 * `provider "aws" { version = "~> 1.60" }`, or its lock file's version), or Terraform to 0.11
 * (`required_version`): terraform plan would reject what a fix writes. Each pin is one block's, so
 * the file's own blocks are read, then each other file of the module that may hold one (mayPin; its
 * answer kept per file: every file of a module asks of all the others).
 */
export async function olderProvider(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<Obstacle | undefined> {
  const o = await modulePin(file, det, context, pinsOf, (f) => mayPin(f), pinObstacle);
  return o && { ...o };
}

/**
 * How the module pins hashicorp/aws below AWS_REPLICA_KEYS_SINCE (awsProviderPinBelow), for a table whose
 * fix gives its replica blocks keys. Asked once per file, only for such tables.
 */
export function replicaKeysPin(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<string | undefined> {
  return modulePin(
    file,
    det,
    context,
    replicaPinsOf,
    (f) => mayPin(f, AWS_REPLICA_KEYS_SINCE),
    (blocks) => awsProviderPinBelow(blocks, AWS_REPLICA_KEYS_SINCE),
  );
}

const replicaPinsOf = new WeakMap<SourceFile, string | null>();

/**
 * The first pin `of` finds in the module: the file's own blocks, then each other file of the module
 * that `may` hold one (a text test before any parse), each file's answer kept in `memo` for the run:
 * every table file of a module asks of all the others.
 */
async function modulePin<T extends object | string>(
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
  memo: WeakMap<SourceFile, T | null>,
  may: (f: SourceFile) => boolean,
  of: (blocks: TopBlock[]) => T | undefined,
): Promise<T | undefined> {
  const own = may(file) ? of(summarize(det, file.text)) : undefined;
  if (own) return own;
  const siblings = context ? await context.siblings() : [];
  for (let i = 0; i < siblings.length; i++) {
    const f = siblings[i];
    let pin = memo.get(f);
    if (pin === undefined) memo.set(f, (pin = may(f) ? (of(await siblingBlocks([f])) ?? null) : null));
    if (pin) return pin;
  }
  return undefined;
}

/**
 * Code written for Terraform 0.11 that says so in no pin (ONSdigital/eq-terraform-dynamodb): an AWS
 * resource of the file with a block `tags { ... }`, the 0.11 form of the `tags` map, which Terraform 0.12
 * and later reject ("Blocks of type "tags" are not expected here"). Terraform 0.11 cannot read the bare
 * references a fix writes, so the fixed module would load on no version.
 */
export function terraform011Block(det: TfDetection): Obstacle | undefined {
  const step = (what: string, upgrade = 'terraform 0.12upgrade') => ({
    kind: 'code-shape' as const,
    step:
      `the module is written for Terraform 0.11 (${what}, which Terraform 0.12 and later reject), and Terraform 0.11 cannot read ` +
      `the 0.12 syntax a fix writes: upgrade the module to 0.12 or later (${upgrade}), then run kmsfix again`,
  });
  for (const b of det.hcl?.blocks ?? []) {
    // `required_providers = { aws = ">= 2.6.0" }`: an argument in 0.11, a block from 0.12 (hyprnz/terraform-aws-dynamodb, pinned ~> 0.11).
    const providers = b.type === 'terraform' ? attr(b, 'required_providers') : undefined;
    if (providers) return step(`its terraform block sets required_providers = { ... } at line ${providers.row + 1}`);
    if (b.type !== 'resource' || !b.labels[0]?.startsWith('aws_')) continue;
    const [tags] = blocks(b, 'tags');
    if (tags) return step(`${b.labels.join('.')} has a block tags { } at line ${tags.row + 1}`, 'terraform 0.12upgrade writes tags = { }');
    // A table's nested blocks assigned as a list (`attribute = [{ ... }]`, `global_secondary_index = ["${var.x}"]`).
    const nested = b.labels[0] === 'aws_dynamodb_table' ? firstAttr(b, TABLE_BLOCKS) : undefined;
    if (nested) return step(`${b.labels.join('.')} assigns its ${nested.name} blocks as an argument at line ${nested.row + 1}`);
  }
  return undefined;
}

/**
 * The same `tags { ... }` block on any AWS resource of the module, of this file or another
 * (shridharMe/terraform-modules: a 0.11 module whose S3 bucket, in a sibling file, has one). The blocks
 * of resources other than tables and keys are not parsed inside: the files' text is cut at each
 * top-level block, and each `resource "aws_..."` looked at.
 */
export function terraform011Tags(siblings: SourceFile[]): Obstacle | undefined {
  for (let i = 0; i < siblings.length; i++) {
    const f = siblings[i];
    // A module's files are asked once per file of tables: the answer is kept per file object (the engine
    // hands the same ones to every file of a folder), and most files have no `tags {` at all.
    let found = tags011.get(f);
    if (found === undefined) tags011.set(f, (found = tags011Of(f) ?? null));
    if (found) return found;
  }
  return undefined;
}

/** Each file's `tags { }` block of an AWS resource (null: none), as terraform011Tags asks it. */
const tags011 = new WeakMap<SourceFile, Obstacle | null>();

function tags011Of(f: SourceFile): Obstacle | undefined {
  if (jsonSyntax(f.path) || !/\btags[ \t]*\{/.test(f.text) || !f.text.includes('resource')) return undefined;
  // Comments out (a `tags {` in a commented-out block says nothing); strings are left, as 0.11 code rarely quotes braces.
  const code = f.text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/^[ \t]*(?:#|\/\/).*$/gm, '');
  for (const top of code.split(/^(?=[a-z_]+[ \t]*(?:"|\{))/m)) {
    const label = /^resource[ \t]+"(aws_[\w-]+)"[ \t]+"([\w-]+)"/.exec(top);
    if (label && /\n[ \t]+tags[ \t]*\{/.test(top))
      return {
        kind: 'code-shape',
        step:
          `the module is written for Terraform 0.11 (${label[1]}.${label[2]} in ${path.basename(f.path)} has a block tags { }, which ` +
          'Terraform 0.12 and later reject), and Terraform 0.11 cannot read the 0.12 syntax a fix writes: upgrade the module to 0.12 ' +
          'or later (terraform 0.12upgrade writes tags = { }), then run kmsfix again',
      };
  }
  return undefined;
}

/** The nested blocks of aws_dynamodb_table, which Terraform 0.11 let a configuration assign as a list of maps. */
/**
 * The first of `names` (in their order) that `b` sets as an attribute. A loop, not `names.map(...).find(Boolean)`: the
 * array an optimized map makes has another map than the one the unoptimized map made, and the find after it threw the
 * caller's optimized code away (`wrong map`) in a dense Terraform scan.
 */
function firstAttr(b: HBlock, names: readonly string[]): HAttr | undefined {
  for (const n of names) {
    const a = attr(b, n);
    if (a) return a;
  }
  return undefined;
}

const TABLE_BLOCKS = [
  'attribute',
  'global_secondary_index',
  'local_secondary_index',
  'ttl',
  'point_in_time_recovery',
  'replica',
  'server_side_encryption',
];

/**
 * Whether a file may hold an old pin (olderProvider): the lock file, or a version string written in it
 * (`version = "~> 1.60"`, `required_version = "~> 0.11.0"`, `aws = "<= 2.40"`) that allows only versions
 * older than a fix needs. A text test before any parse: most files pin nothing, or pin recent versions.
 */
function mayPin(f: SourceFile, minimum = AWS_KMS_KEY_ARN_SINCE): boolean {
  // Asked of each table file and its siblings once per table file: the answer is kept per file object and minimum.
  let answers = mayPins.get(f);
  if (!answers) mayPins.set(f, (answers = new Map()));
  let may = answers.get(minimum);
  if (may === undefined) answers.set(minimum, (may = mayPinOf(f, minimum)));
  return may;
}

const mayPins = new WeakMap<SourceFile, Map<string, boolean>>();

function mayPinOf(f: SourceFile, minimum: string): boolean {
  const t = f.text;
  if (/(^|[\\/])\.terraform\.lock\.hcl$/.test(f.path)) return true;
  if (!t.includes('version') && !t.includes('required_providers')) return false;
  for (const m of t.matchAll(/"((?:[<>=!~]+\s*)?v?\d+(?:\.\d+){0,2}(?:\s*,\s*(?:[<>=!~]+\s*)?v?\d+(?:\.\d+){0,2})*)"/g))
    if (pinnedBelow('', m[1], minimum) || pinnedBelow('', m[1], '0.12.0')) return true;
  return false;
}

/** Per other file of a module: the obstacle its blocks' pins give (null: none). */
const pinsOf = new WeakMap<SourceFile, Obstacle | null>();

function pinObstacle(blocks: TopBlock[]): Obstacle | undefined {
  const shape = (step: string) => ({ kind: 'code-shape' as const, step });
  const pin = awsProviderPinBelow(blocks);
  if (pin)
    return shape(
      `the module pins hashicorp/aws with ${pin}, a version without kms_key_arn in server_side_encryption, which a fix would ` +
        `use (terraform plan would fail): upgrade the provider to ${AWS_KMS_KEY_ARN_SINCE} or later, then run kmsfix again`,
    );
  for (const t of blocks) {
    const v = t.type === 'terraform' ? t.attr('required_version')?.lit : undefined;
    const below = v?.type === 'string' ? pinnedBelow('', v.value, '0.12.0') : undefined;
    if (below)
      return shape(
        `the module requires Terraform 0.11 (required_version ${below.replace(/^version /, '')}), which cannot read the 0.12 ` +
          'syntax a fix writes (terraform plan would fail): upgrade Terraform to 0.12 or later, then run kmsfix again',
      );
  }
  return undefined;
}
