/**
 * The AWS managed key reached through a data source: `kms_key_arn = data.aws_kms_alias.x.target_key_arn`
 * (or `.arn`) where `data "aws_kms_alias" "x" { name = "alias/aws/dynamodb" }`, and
 * `data.aws_kms_key.k.arn` where `key_id` names that alias (or its ARN). Such a key reference is the
 * AWS managed key, as the literal alias is: the table is aws-managed, not customer-managed; so is a
 * local that stands for one (`kms_key_arn = local.default_key`). The data source is looked up in the table's file, then in the module's other files (read only then).
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { LineIndex } from '../../core/text.js';
import type { TfDetection } from './detect.js';
import { soleInterpolation } from './inputUses.js';
import { siblingBlocks, summarize, type TopBlock, type TopValue } from './topBlocks.js';

/** A key setting written as a chain of locals (`kms_key_arn = local.key`), with the expression they stand for (inputs.ts sets it). */
export const keyThroughLocals = new WeakMap<Setting, string>();

/** `data.aws_kms_alias.<name>.<attr>` or `data.aws_kms_key.<name>.<attr>` (an instance index allowed), as a whole expression. */
const DATA_KEY = /^data\.(aws_kms_alias|aws_kms_key)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.(arn|target_key_arn|target_key_id|id|key_id)$/;

/** The data source a key expression reads, when it is one of those (`"${...}"` around it allowed). */
function dataKeyOf(expr: string): { type: string; name: string } | undefined {
  const m = DATA_KEY.exec(soleInterpolation(expr) ?? expr.trim());
  return m ? { type: m[1], name: m[2] } : undefined;
}

/** Does the data source's argument name the AWS managed key: the alias or its ARN, literal or a template ending so? */
function namesAwsManaged(v: TopValue | undefined): boolean {
  if (!v) return false;
  if (v.lit?.type === 'string') return v.lit.value.trim() !== '' && isAwsManagedKeyRef(v.lit.value);
  return templateNamesAwsManaged(v.value);
}

/** A template that ends in the AWS managed key's alias: `"arn:${data.aws_partition.p.partition}:kms:...:alias/aws/dynamodb"`. */
export function templateNamesAwsManaged(expr: string): boolean {
  const s = expr.trim();
  return s.startsWith('"') && s.endsWith(`${AWS_MANAGED_ALIAS}"`) && isAwsManagedKeyRef(s.slice(1, -1));
}

/** A file of the module that may declare a KMS data source. */
const mentions = (f: SourceFile) => f.text.includes('aws_kms_alias') || f.text.includes('aws_kms_key');

/** Mark the tables of `det` whose key reads a data source of the AWS managed key (their key setting's text becomes the alias). */
export async function awsManagedKeyData(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const refs = det.tables.flatMap((t) => {
    const s = t.encryption.settings;
    if (s.model !== 'sse' || !s.key || (s.key.state !== 'reference' && s.key.state !== 'expression')) return [];
    const target = keyThroughLocals.get(s.key);
    // A local that holds the alias ARN as a template (`"arn:${...}:alias/aws/dynamodb"`): that key, as the template is.
    if (target !== undefined && templateNamesAwsManaged(target)) {
      s.key.text = AWS_MANAGED_ALIAS;
      return [];
    }
    const data = dataKeyOf(target ?? s.key.source);
    return data ? [{ key: s.key, data }] : [];
  });
  if (refs.length === 0) return;
  // The table's file first, then the module's other files that name a KMS data source (read only now).
  // Each file's blocks are summarized once, however many tables ask (once()).
  const files: { path: string; text: string; tops: () => Promise<TopBlock[]> }[] = [
    { path: file.path, text: file.text, tops: once(async () => summarize(det, file.text)) },
  ];
  let siblingsRead = false;
  const find = async (type: string, name: string): Promise<{ block: TopBlock; where: string } | undefined> => {
    const match = (b: TopBlock) => b.type === 'data' && b.labels[0] === type && b.labels[1] === name;
    for (let i = 0; ; i++) {
      if (i === files.length && !siblingsRead && context) {
        siblingsRead = true;
        for (const f of (await context.siblings()).filter(mentions)) files.push({ ...f, tops: once(() => siblingBlocks([f])) });
      }
      if (i >= files.length) return undefined;
      const block = (await files[i].tops()).find(match);
      if (block) return { block, where: `${base(files[i].path)}${lineOf(files[i].text, block.start)}` };
    }
  };
  for (const { key, data } of refs) {
    const found = await find(data.type, data.name);
    if (found) markManaged(key, data, found);
  }
}

/** The key is the AWS managed key when the data source it reads names it: its text becomes the alias, its source says why. */
function markManaged(key: Setting, data: { type: string; name: string }, found: { block: TopBlock; where: string }): void {
  if (!namesAwsManaged(found.block.attr(data.type === 'aws_kms_alias' ? 'name' : 'key_id'))) return;
  key.text = AWS_MANAGED_ALIAS;
  key.source = `${key.source.trim()} (data.${data.type}.${data.name} names ${AWS_MANAGED_ALIAS}, ${found.where})`;
}

/**
 * The same for a local module's table read through a call (inputs.ts): the data source is the module's,
 * looked up in its files (`dir`: the module's folder as the call names it, for the message).
 */
export function awsManagedKeyDataIn(
  key: Setting | undefined,
  files: { path: string; text: string; tops: TopBlock[] }[],
  dir: string,
): void {
  if (!key || (key.state !== 'reference' && key.state !== 'expression')) return;
  const data = dataKeyOf(keyThroughLocals.get(key) ?? key.source);
  if (!data) return;
  for (const f of files) {
    const block = f.tops.find((b) => b.type === 'data' && b.labels[0] === data.type && b.labels[1] === data.name);
    if (!block) continue;
    markManaged(key, data, { block, where: `${dir}/${base(f.path)}${lineOf(f.text, block.start)}` });
    return;
  }
}

const base = (p: string) => p.replace(/^.*\//, '');

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

function lineOf(text: string, offset: number | undefined): string {
  return offset === undefined ? '' : `:${LineIndex.of(text).position(offset).line}`;
}
