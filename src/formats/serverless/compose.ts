/**
 * Serverless Compose: a `serverless-compose.yml` (`.yaml`, `.json`) in a folder above a service deploys it with
 * `services: <name>: { path: <dir>, params: { tableKey: ... } }`, passing each param as a `--param` on every
 * `serverless deploy` it runs there, over the service's own `params.<stage>` / `stages.<stage>.params` and the
 * variable's fallback (the Compose docs: `${param:x}` injected by Compose "cannot be resolved outside" it). A
 * param's value is a literal, another service's output (`${keys.TableKeyArn}`: the CloudFormation output of that
 * service, deployed first), or `${sls:stage}` / `${env:X}`; Compose has no params per stage. A key written as
 * `${param:tableKey}` in a service a compose file names is what the compose file passes, where it passes it: a
 * fallback for a deploy outside Compose (`alias/aws/dynamodb`) is not what the repository deploys, and a fix
 * replacing it replaced the organisation's key (real-world round 32, r6).
 *
 * Detection records that a key reads a param (ServiceInputs.paramReads); the format then reads the compose files in the
 * service's folder and up to three folders above (DiskContext.folderFiles, read once per run) and detects again
 * with what the entries naming the service pass (cloudformation/index.ts). A compose file kmsfix cannot read (JavaScript,
 * TypeScript, undecodable bytes, YAML that does not parse) makes such a key not known, never left out.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { type CNode, child, parseJson, parseYaml, resolveAlias, scalarString } from '../yaml/tree.js';
import type { ServiceInputs } from './inputs.js';
import { type KeyReader, serverlessKey } from './variables.js';

/** What a compose entry passes as a param: a literal; a customer-managed key (another service's key output); not known (why). */
export type Passed = { value: string } | { key: string } | { unknown: string };

/** A compose file above the service: the entry naming it (`entry`) and what it passes, or why the file cannot be read. */
export interface ComposeFile {
  file: string;
  entry?: string;
  params?: Map<string, Passed>;
  unreadable?: string;
}

const COMPOSE_NAMES = /^serverless-compose\.(?:ya?ml|json|js|cjs|mjs|ts)$/;
/**
 * The logical ID a value of a service's `resources` refers to (`Ref: X`, `Fn::GetAtt: [X, Arn]`), if any: the
 * CloudFormation family's reading (src/formats/cfn-values/intrinsics.ts referencedIds), which its format passes in.
 */
export type ReferencedId = (value: CNode) => string | undefined;

/** The folders searched: the service's and three above (Compose runs from the folder of its file). */
const UP = ['.', '..', '../..', '../../..'];

/** A compose file's services, as read (the few values kmsfix needs, not the tree): kept once per run and thread. */
interface Entry {
  name: string;
  path: string;
  config?: string;
  params: Map<string, CNode | null>;
}
const parsedFiles = new WeakMap<SourceFile, Entry[] | string>();

function entriesOf(f: SourceFile): Entry[] | string {
  let read = parsedFiles.get(f);
  if (read !== undefined) return read;
  read = readEntries(f);
  parsedFiles.set(f, read);
  return read;
}

function readEntries(f: SourceFile): Entry[] | string {
  if (f.unreadable !== undefined) return f.unreadable;
  if (!/\.(?:ya?ml|json)$/.test(f.path)) return 'Compose runs it as code, which kmsfix does not read';
  let root: CNode | null;
  try {
    root = (/\.json$/.test(f.path) ? parseJson(f.text) : parseYaml(f.text))[0]?.root ?? null;
  } catch (e) {
    return `it does not parse (${(e as Error).message.split('\n')[0]})`;
  }
  const services = resolveAlias(child(resolveAlias(root), 'services') ?? null);
  const out: Entry[] = [];
  for (const p of services?.kind === 'map' ? services.pairs : []) {
    const body = resolveAlias(p.value);
    const dir = scalarString(resolveAlias(child(body, 'path') ?? null));
    if (dir === undefined) continue;
    const config = scalarString(resolveAlias(child(body, 'config') ?? null));
    const params = resolveAlias(child(body, 'params') ?? null);
    const entry: Entry = { name: p.key, path: dir, params: new Map() };
    if (config !== undefined) entry.config = config;
    for (const q of params?.kind === 'map' ? params.pairs : []) entry.params.set(q.key, resolveAlias(q.value));
    out.push(entry);
  }
  return out;
}

/** Does the entry deploy the service file `file` (its `path` is the file's folder, its `config` the file's name)? */
function deploys(entry: Entry, compose: SourceFile, file: SourceFile): boolean {
  const dir = path.resolve(path.dirname(compose.absPath), entry.path, path.posix.dirname(entry.config ?? '.'));
  if (dir !== path.dirname(file.absPath)) return false;
  const name = path.basename(file.path);
  return entry.config !== undefined ? path.posix.basename(entry.config) === name : /^serverless\.(?:ya?ml|json|js|ts)$/.test(name);
}

/** The compose files in the service file's folder and three above, each with the entry naming the service and what it passes. */
export async function readCompose(file: SourceFile, context: DiskContext, referencedId: ReferencedId): Promise<ComposeFile[]> {
  const out: ComposeFile[] = [];
  for (const rel of UP) {
    for (const f of await context.folderFiles(file, rel, (name) => COMPOSE_NAMES.test(name))) {
      const entries = entriesOf(f);
      if (typeof entries === 'string') {
        out.push({ file: f.path, unreadable: entries });
        continue;
      }
      const entry = entries.find((e) => deploys(e, f, file));
      if (!entry) continue;
      const params = new Map<string, Passed>();
      for (const [name, value] of entry.params) params.set(name, await passedValue(value, entries, f, context, referencedId));
      out.push({ file: f.path, entry: entry.name, params });
    }
  }
  return out;
}

/** A param's value as the compose file writes it: a literal, another service's output (read in its service file), or not known. */
async function passedValue(
  node: CNode | null,
  entries: Entry[],
  compose: SourceFile,
  context: DiskContext,
  referencedId: ReferencedId,
): Promise<Passed> {
  const s = node?.kind === 'scalar' ? scalarString(node) : undefined;
  if (s === undefined) return { unknown: 'a value that is not a string' };
  if (!s.includes('${')) return { value: s };
  const output = /^\$\{\s*([\w-]+)\.([\w-]+)\s*\}$/.exec(s.trim());
  const other = output && entries.find((e) => e.name === output[1]);
  if (!output || !other) return { unknown: `${s}, a variable Compose resolves when it deploys` };
  return serviceOutput(other, output[2], s, compose, context, referencedId);
}

/**
 * The output `name` of the compose service `other`, as its service file declares it (`resources.Outputs.<name>.Value`):
 * a `!Ref` or `!GetAtt` of an AWS::KMS::Key or AWS::KMS::Alias the file declares is that customer-managed key; any
 * other value, or a file kmsfix cannot read, is not known.
 */
async function serviceOutput(
  other: Entry,
  name: string,
  s: string,
  compose: SourceFile,
  context: DiskContext,
  referencedId: ReferencedId,
): Promise<Passed> {
  const wanted = (n: string) => (other.config !== undefined ? n === path.posix.basename(other.config) : /^serverless\.ya?ml$/.test(n));
  const files = await context.folderFiles(compose, path.posix.join(other.path, path.posix.dirname(other.config ?? '.')), wanted);
  // serverless.yml before serverless.yaml, as the Framework looks for them.
  const f = files.sort((a, b) => (a.path < b.path ? 1 : -1))[0];
  const found = f ? outputOf(f, name, referencedId) : { why: 'whose service file kmsfix does not find' };
  return 'key' in found
    ? { key: `${s}: ${found.key}` }
    : { unknown: `${s}, the output ${name} of the ${other.name} service, ${found.why}` };
}

/**
 * What each output of a service file is (`resources.Outputs`, in a map or the Framework's list of them), read
 * once per file and run from one parse: the verdicts are kept, never the tree (the file is kept for the run by
 * the project files' cache); or why the file cannot be read.
 */
const serviceOutputs = new WeakMap<SourceFile, Map<string, { key: string } | { why: string }> | string>();

function outputOf(f: SourceFile, name: string, referencedId: ReferencedId): { key: string } | { why: string } {
  let read = serviceOutputs.get(f);
  if (read === undefined) serviceOutputs.set(f, (read = readOutputs(f, referencedId)));
  if (typeof read === 'string') return { why: read };
  return read.get(name) ?? { why: `which ${f.path} does not declare` };
}

function readOutputs(f: SourceFile, referencedId: ReferencedId): Map<string, { key: string } | { why: string }> | string {
  if (f.unreadable !== undefined) return `which kmsfix cannot read in ${f.path}`;
  let root: CNode | null;
  try {
    root = parseYaml(f.text)[0]?.root ?? null;
  } catch {
    return `which kmsfix cannot read in ${f.path} (it does not parse)`;
  }
  const resources = resolveAlias(child(resolveAlias(root), 'resources') ?? null);
  const parts = resources?.kind === 'map' ? [resources] : resources?.kind === 'seq' ? resources.items.map((i) => resolveAlias(i)) : [];
  const declared = (kind: 'Outputs' | 'Resources', id: string) =>
    parts
      .map((p) => resolveAlias(child(resolveAlias(child(p, kind) ?? null), id) ?? null))
      .filter((n) => n != null)
      .pop();
  const out = new Map<string, { key: string } | { why: string }>();
  for (const p of parts) {
    const outputs = resolveAlias(child(p, 'Outputs') ?? null);
    for (const o of outputs?.kind === 'map' ? outputs.pairs : []) {
      if (out.has(o.key)) continue;
      // The last part declaring it wins, as `declared` reads it.
      const value = resolveAlias(child(declared('Outputs', o.key), 'Value') ?? null);
      if (value == null) continue;
      const id = referencedId(value);
      const type = id === undefined ? undefined : scalarString(resolveAlias(child(declared('Resources', id), 'Type') ?? null));
      out.set(
        o.key,
        type === 'AWS::KMS::Key' || type === 'AWS::KMS::Alias'
          ? { key: `the ${type} ${id} of ${f.path}` }
          : { why: `which is not a KMS key ${f.path} declares` },
      );
    }
  }
  return out;
}

/**
 * A key written as `${param:x}` (with or without a fallback) in a service that compose files deploy: what they pass.
 * undefined where the key is no such param or no compose file names the service (the service's own params decide, as
 * before). Each compose file naming the service is a way the repository deploys it; one that does not pass the param
 * leaves it to the service's own params and fallback. Every way the AWS managed key: that key (aws-managed, as the
 * service's own params giving it are); some: not known; none: a customer-managed key.
 */
export function composedParam(
  s: string,
  defaults: ServiceInputs,
  source: string,
  raw: Setting['raw'],
  read?: KeyReader,
): Setting | undefined {
  const m = /^\$\{\s*param:([\w-]+)\s*(?:,.*)?\}$/s.exec(s.trim());
  if (!m || !defaults.service) return undefined;
  if (defaults.paramReads) defaults.paramReads.count++;
  const composes = defaults.compose;
  if (!composes) return undefined;
  const param = m[1];
  const unreadable = composes.filter((c) => c.unreadable !== undefined);
  const unknown = (why: string): Setting => ({ state: 'unreadable', source: `KMSMasterKeyId is ${s}, ${why}`, raw });
  if (unreadable.length > 0)
    return unknown(
      `a param that ${unreadable.map((c) => `${c.file} (which kmsfix cannot read: ${c.unreadable})`).join(', ')} may pass ` +
        'to the service when Serverless Compose deploys it',
    );
  const naming = composes.filter((c) => c.entry !== undefined);
  if (naming.length === 0 || naming.every((c) => !c.params?.has(param))) return undefined;
  // Each way: the AWS managed key, a customer-managed key, or not known (why); and where it comes from.
  const ways: { managed?: boolean; unknown?: string; from: string }[] = [];
  for (const c of naming) {
    const passed = c.params?.get(param);
    const from = `${c.file} services.${c.entry}.params.${param}`;
    if (passed === undefined) {
      const own = serverlessKey(s, defaults.service, read);
      const where = `the service's own params or fallback, where ${c.file} passes no ${param}`;
      if (own === 'managed') ways.push({ managed: true, from: where });
      else if (own !== undefined) ways.push({ unknown: `${own}, ${where}`, from: where });
      else ways.push({ managed: false, from: where });
    } else if ('value' in passed) ways.push({ managed: isAwsManagedKeyRef(passed.value), from: `${from} (${passed.value || "''"})` });
    else if ('key' in passed) ways.push({ managed: false, from: `${from} (${passed.key})` });
    else ways.push({ unknown: `which ${from} passes as ${passed.unknown}`, from });
  }
  const over =
    ': Serverless Compose passes it on each deploy, the way the repository deploys the service (its own params and ' +
    "the variable's fallback serve only a deploy outside Compose)";
  const lost = ways.filter((w) => w.unknown !== undefined);
  if (lost.length > 0) return unknown(`${lost.map((w) => w.unknown).join('; ')}${over}`);
  const managed = ways.filter((w) => w.managed);
  const via = `${ways.map((w) => w.from).join(', ')}${over}`;
  if (managed.length === ways.length) return { state: 'literal', source, text: AWS_MANAGED_ALIAS, raw, via };
  if (managed.length > 0) return unknown(`whose value may be ${AWS_MANAGED_ALIAS} (${managed.map((w) => w.from).join(', ')})${over}`);
  return { state: 'literal', source, text: s, raw, via };
}
