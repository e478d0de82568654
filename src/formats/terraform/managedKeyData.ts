/**
 * The AWS managed key reached through a data source: `kms_key_arn = data.aws_kms_alias.x.target_key_arn`
 * (or `.arn`) where `data "aws_kms_alias" "x" { name = "alias/aws/dynamodb" }`, and
 * `data.aws_kms_key.k.arn` where `key_id` names that alias (or its ARN). Such a key reference is the
 * AWS managed key, as the literal alias is: the table is aws-managed, not customer-managed; so is a
 * local that stands for one (`kms_key_arn = local.default_key`). The data source is looked up in the table's file, then in the module's other files (read only then).
 * A key_id or name that reads the module's inputs (`key_id = local.alias`, `name = "alias/aws/${var.svc}"`) is evaluated
 * as a kms_key_arn written with them is (dataArgReader.ts), only for a table that would otherwise be
 * customer-managed through the data source.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Obstacle, Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { LineIndex } from '../../core/text.js';
import type { TfDetection } from './detect.js';
import { readsInputs, soleInterpolation } from './inputUses.js';
import { choiceArguments } from './composedKey.js';
import { maybeManagedKey } from '../../rule/composedKey.js';
import { holdsWord, siblingBlocks, summarize, type TopBlock, type TopValue } from './topBlocks.js';

/** A key setting written as a chain of locals (`kms_key_arn = local.key`), with the expression they stand for (inputSettings.ts sets it). */
export const keyThroughLocals = new WeakMap<Setting, string>();

/** `data.aws_kms_alias.<name>.<attr>` or `data.aws_kms_key.<name>.<attr>` (an instance index allowed), as a whole expression. */
const DATA_KEY = /^data\.(aws_kms_alias|aws_kms_key)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.(arn|target_key_arn|target_key_id|id|key_id)$/;

/**
 * `one(data.aws_kms_key.k[*].arn)`: the data source's one instance, or null when its count is 0: the AWS managed key
 * either way when the data source names it (a counted data source, `count = var.kms.aws_managed ? 1 : 0`).
 */
const ONE_DATA_KEY =
  /^one\(\s*data\.(aws_kms_alias|aws_kms_key)\.([A-Za-z_][\w-]*)(?:\[\*\]|\.\*)\.(arn|target_key_arn|target_key_id|id|key_id)\s*\)$/;

/** The data source a key expression reads, when it is one of those (`"${...}"` around it allowed). */
export function dataKeyOf(expr: string): { type: string; name: string } | undefined {
  const s = soleInterpolation(expr) ?? expr.trim();
  const m = DATA_KEY.exec(s) ?? ONE_DATA_KEY.exec(s);
  return m ? { type: m[1], name: m[2] } : undefined;
}

/**
 * What a data source's key_id or name that reads the module's inputs gives (dataArgReader.ts): the AWS managed
 * key (`why`: what decided it; `callers`: the variables that decided it where the module's callers set them, a module
 * that is not a root module), or a value a var-file or terragrunt sets per environment (`outside`: not known).
 */
export type DataArgReading = { managed: true; why: string[]; callers: string[] } | { managed: false; outside: string };
export type DataArgReader = (arg: string) => Promise<DataArgReading | undefined>;

/** The argument that names the data source's key. */
const argName = (type: string) => (type === 'aws_kms_alias' ? 'name' : 'key_id');

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

/**
 * The module's KMS data sources whose `name` / `key_id` names the AWS managed key as written (a literal or a template
 * ending in the alias), `aws_kms_alias.ddb` -> where declared (`main.tf:57`): for a key read from a map (structured.ts),
 * an entry or a `lookup` default `data.aws_kms_alias.ddb.target_key_arn` is that key, as a key setting reading it is
 * (awsManagedKeyData). One whose argument reads the module's inputs is not listed (its reader is async: dataArgReader).
 * Read only where some file of the module refers to a KMS data source; the blocks of the files that name one.
 */
export async function managedKeySources(
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
): Promise<Map<string, string> | undefined> {
  const refers = file.text.includes('data.aws_kms_') || (context && (await context.siblings()).some((f) => holdsWord(f, 'data.aws_kms_')));
  if (!refers) return undefined;
  const files = [{ path: file.path, text: file.text, tops: file.text.includes('aws_kms_') ? summarize(det, file.text) : [] }];
  for (const f of context ? (await context.siblings()).filter((f) => f.path !== file.path && holdsWord(f, 'aws_kms_')) : [])
    files.push({ path: f.path, text: f.text, tops: await siblingBlocks([f]) });
  return managedKeysIn(files);
}

/**
 * The same, of a module's files already read (a local module's, for its call: `dir`, its folder as the call names it,
 * for the message).
 */
export function managedKeysIn(files: ReadFile[], dir?: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const f of files)
    for (const d of kmsDataIn(f, dir)) {
      // Keyed `type.name`: a block with more labels (which Terraform refuses) is left out here, and found by a key naming it (dataSourceIn), as before.
      if (d.block.labels.length !== 2) continue;
      const key = `${d.type}.${d.name}`;
      const names = out.has(key) ? undefined : namesManaged(d);
      if (names) out.set(key, names);
    }
  return out.size > 0 ? out : undefined;
}

/** A module's file as its KMS data sources are read: its blocks summarized. */
type ReadFile = { path: string; text: string; tops: TopBlock[] };

/** A KMS data source (`data "aws_kms_alias" "x"`, `data "aws_kms_key" "k"`) of a module's file. */
interface KmsData {
  type: string;
  name: string;
  block: TopBlock;
  /** Where it is declared, `main.tf:57` (under the module's folder as a call names it: `modules/table/main.tf:57`). */
  where: () => string;
}

/**
 * The one reader of a file's KMS data sources, in order, for each of their uses: the one a key setting names
 * (dataSourceIn: awsManagedKeyData, which reads the module's other files only when the table's own file lacks
 * it, and awsManagedKeyDataIn over a local module's files) and every one (managedKeysIn, for a map's entries).
 * What each says is namesManaged's. `dir`: the module's folder as a call names it, for `where`.
 */
function* kmsDataIn(f: ReadFile, dir?: string): Generator<KmsData> {
  for (const block of f.tops)
    if (block.type === 'data' && (block.labels[0] === 'aws_kms_alias' || block.labels[0] === 'aws_kms_key'))
      yield {
        type: block.labels[0],
        name: block.labels[1],
        block,
        where: () => `${dir ? `${dir}/` : ''}${base(f.path)}${lineOf(f.text, block.start)}`,
      };
}

/** The file's data source `data.<type>.<name>` (kmsDataIn), if it declares it. */
function dataSourceIn(f: ReadFile, type: string, name: string, dir?: string): KmsData | undefined {
  for (const d of kmsDataIn(f, dir)) if (d.type === type && d.name === name) return d;
  return undefined;
}

/**
 * When a data source's `name` / `key_id` (`arg`) names the AWS managed key as written: how a key read through it says so,
 * `data.aws_kms_alias.x names alias/aws/dynamodb, main.tf:3` (a key setting's source, in parentheses; a map entry's why).
 */
function namesManaged(d: KmsData, arg = d.block.attr(argName(d.type))): string | undefined {
  return namesAwsManaged(arg) ? `data.${d.type}.${d.name} names ${AWS_MANAGED_ALIAS}, ${d.where()}` : undefined;
}

/** The data source a `data.aws_kms_key`'s `key_id` reads whole (`data.aws_kms_alias.m.target_key_id`), if it reads one. */
function chainedData(d: KmsData): { type: string; name: string } | undefined {
  const arg = d.block.attr('key_id');
  return arg && !arg.lit ? dataKeyOf(arg.value.trim()) : undefined;
}

/** A file of the module that may declare a KMS data source. */
const mentions = (f: SourceFile) => f.text.includes('aws_kms_alias') || f.text.includes('aws_kms_key');

/** Mark the tables of `det` whose key reads a data source of the AWS managed key (their key setting's text becomes the alias). */
export async function awsManagedKeyData(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const refs = det.tables.flatMap((t) => {
    const obstacles = t.encryption.obstacles;
    const keyName = t.encryption.words.names.key ?? 'kms_key_arn';
    const s = t.encryption.settings;
    if (s.model !== 'sse' || !s.key || (s.key.state !== 'reference' && s.key.state !== 'expression')) return [];
    const target = keyThroughLocals.get(s.key);
    // A local that holds the alias ARN as a template (`"arn:${...}:alias/aws/dynamodb"`): that key, as the template is.
    if (target !== undefined && templateNamesAwsManaged(target)) {
      s.key.text = AWS_MANAGED_ALIAS;
      return [];
    }
    const data = dataKeyOf(target ?? s.key.source);
    if (data) return [{ key: s.key, data, obstacles, keyName, some: false }];
    // `coalesce(data.aws_kms_alias.m.target_key_arn, ...)`: the key may be the data source's (composedKey.ts).
    const some = choiceArguments(target ?? s.key.source).flatMap((arg) => dataKeyOf(arg) ?? []);
    return some.map((d) => ({ key: s.key!, data: d, obstacles, keyName, some: true }));
  });
  if (refs.length === 0) return;
  // The table's file first, then the module's other files that name a KMS data source (read only now).
  // Each file's blocks are summarized once, however many tables ask (once()).
  const files: { path: string; text: string; tops: () => Promise<TopBlock[]> }[] = [
    { path: file.path, text: file.text, tops: once(async () => summarize(det, file.text)) },
  ];
  let siblingsRead = false;
  const find = async (type: string, name: string): Promise<KmsData | undefined> => {
    for (let i = 0; ; i++) {
      if (i === files.length && !siblingsRead && context) {
        siblingsRead = true;
        for (const f of (await context.siblings()).filter(mentions)) files.push({ ...f, tops: once(() => siblingBlocks([f])) });
      }
      if (i >= files.length) return undefined;
      const { path, text, tops } = files[i];
      const found = dataSourceIn({ path, text, tops: await tops() }, type, name);
      if (found) return found;
    }
  };
  // The module's environment, built only for a data source whose key_id or name reads inputs (dataArgReader.ts, loaded then).
  let reader: Promise<DataArgReader> | undefined;
  const read: DataArgReader = async (arg) =>
    (await (reader ??= import('./dataArgReader.js').then((m) => m.dataArgReader(file, det, context))))(arg);
  for (const { key, data, obstacles, keyName, some } of refs) {
    const found = await find(data.type, data.name);
    if (!found) continue;
    if (some) {
      const names = namesManaged(found);
      if (names && key.state !== 'unreadable') replaceSetting(key, maybeManagedKey(key.source.trim(), key.raw, names));
      continue;
    }
    // `data.aws_kms_key.k` whose key_id reads another data source (`data.aws_kms_alias.m.target_key_id`): one hop
    // followed, that one naming the AWS managed key making this one it (adversarial pass 2 of session 59, F4).
    const hop = found.type === 'aws_kms_key' ? chainedData(found) : undefined;
    const inner = hop && (await find(hop.type, hop.name));
    const innerNames = inner && namesManaged(inner);
    if (innerNames) {
      key.text = AWS_MANAGED_ALIAS;
      key.source = `${key.source.trim()} (data.${found.type}.${found.name} reads ${innerNames})`;
      continue;
    }
    const callers = await markManaged(key, found, read, keyName);
    if (callers.length > 0) obstacles.push({ kind: 'module-inputs', inputs: callers.map((v) => `var.${v}`) } satisfies Obstacle);
  }
}

/**
 * The key is the AWS managed key when the data source it reads names it: its text becomes the alias, its source says why.
 * A key_id or name that reads inputs is evaluated (`read`); one set per environment makes the key not known. Returns the
 * variables that decided it where the module's callers set them (obstacle module-inputs, as for a kms_key_arn that reads them).
 */
async function markManaged(key: Setting, data: KmsData, read: DataArgReader | undefined, keyName: string): Promise<string[]> {
  const arg = data.block.attr(argName(data.type));
  const names = namesManaged(data, arg);
  if (names) {
    key.text = AWS_MANAGED_ALIAS;
    key.source = `${key.source.trim()} (${names})`;
    return [];
  }
  if (!read || !arg || arg.lit || !readsInputs(arg.value)) return [];
  const r = await read(arg.value);
  if (!r) return [];
  const said = `data.${data.type}.${data.name} has ${argName(data.type)} = ${arg.value.trim()}`;
  if (!r.managed) {
    key.state = 'unreadable';
    key.source = `${keyName} = ${key.source.trim()}: ${said} (${data.where()}), and ${r.outside}`;
    key.text = undefined;
    return [];
  }
  key.text = AWS_MANAGED_ALIAS;
  key.source = `${key.source.trim()} (${said}${r.why.length ? `: ${r.why.join('; ')}` : ''}, which names ${AWS_MANAGED_ALIAS}, ${data.where()})`;
  return r.callers;
}

/**
 * The same for a local module's table read through a call (moduleCalls.ts): the data source is the module's,
 * looked up in its files (`dir`: the module's folder as the call names it, for the message).
 */
export async function awsManagedKeyDataIn(
  key: Setting | undefined,
  files: ReadFile[],
  dir: string,
  read: DataArgReader,
): Promise<string[]> {
  if (!key || (key.state !== 'reference' && key.state !== 'expression')) return [];
  const data = dataKeyOf(keyThroughLocals.get(key) ?? key.source);
  if (!data) return [];
  for (const f of files) {
    const found = dataSourceIn(f, data.type, data.name, dir);
    if (found) return markManaged(key, found, read, 'server_side_encryption.kms_key_arn');
  }
  return [];
}

const base = (p: string) => p.replace(/^.*\//, '');

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

function lineOf(text: string, offset: number | undefined): string {
  return offset === undefined ? '' : `:${LineIndex.of(text).position(offset).line}`;
}

/** Put `next` in place of the setting `key` (the table's object is kept: others hold it). */
function replaceSetting(key: Setting, next: Setting): void {
  for (const k of Object.keys(key) as (keyof Setting)[]) delete key[k];
  Object.assign(key, next);
}
