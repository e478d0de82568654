/**
 * A Pulumi project's stacks and what each one's config sets (`Pulumi.<stack>.yaml` beside `Pulumi.yaml`, or in
 * its `stackConfigDir`), read for a table's key that a program takes from its config: TypeScript's
 * `config.require('tableKey')` (src/formats/typescript/stackConfig.ts), Pulumi YAML's `${tableKey}` of a `config:`
 * entry (detect.ts). `pulumi up` on a stack reads that stack's file, the project's defaults under it (`config:` of
 * `Pulumi.yaml`); a value no stack sets fails a `require` (that stack does not deploy) and is undefined to a `get`.
 * The stack files are the environments the repository deploys: a key that one of them sets to the AWS managed
 * key (or leaves out, where the program then gives none) is not customer-managed there, whatever the others set.
 * A stack that imports an ESC environment (`environment:`) may get a value the repository does not show.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { REGION } from '../../rule/keyArn.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { type CMap, type CNode, child, parseYaml, resolveAlias, scalarString } from '../yaml/tree.js';

/** One stack's file: its config (undefined: none; `unreadable`: a file that does not parse) and whether it imports ESC environments. */
interface Stack {
  name: string;
  path: string;
  config: CMap | undefined | 'unreadable';
  environment: boolean;
}

export interface PulumiStacks {
  /** The project's name: the namespace of `new pulumi.Config()` and of a Pulumi YAML program's config. */
  project: string;
  stacks: Stack[];
  /** The project file's `config:` (its defaults). */
  defaults: CMap | undefined;
  /** The project file's path, for messages. */
  projectPath: string;
}

/** The project (its nearest `Pulumi.yaml` or `Pulumi.yml`) and its stack files; undefined when there is none or no stack file. */
export async function pulumiStacks(file: SourceFile, context: DiskContext): Promise<PulumiStacks | undefined> {
  // A Pulumi YAML program written in its Pulumi.yaml is its own project file (a Pulumi.yml beside it is the farther
  // one), and the stack files are in its folder unless the text may set a stackConfigDir. Most projects have none:
  // when the folder has no stack file either, nothing is read again, nothing parsed again.
  if (path.posix.basename(file.path) === 'Pulumi.yaml' && !mayMoveStacks(file) && (await stackFilesIn(context, file, '.')).length === 0)
    return undefined;
  const found = (await Promise.all([context.projectFile(file, 'Pulumi.yaml'), context.projectFile(file, 'Pulumi.yml')])).filter(
    (f): f is SourceFile => f !== undefined,
  );
  // The nearer of the two (the longer path).
  const projectFile = found.sort((a, b) => b.path.length - a.path.length)[0];
  if (!projectFile) return undefined;
  // The same for a project file found up the tree: its folder listed before it is parsed.
  if (!mayMoveStacks(projectFile) && (await stackFilesIn(context, projectFile, '.')).length === 0) return undefined;
  const head = projectHead(projectFile);
  if (!head) return undefined;
  const files = await stackFilesIn(context, projectFile, head.dir);
  if (files.length === 0) return undefined;
  const stacks = files.map((f): Stack => {
    const name = /Pulumi\.(.+)\.ya?ml$/.exec(f.path)?.[1] ?? f.path;
    // A file kmsfix cannot read (git-crypt's, UTF-16) may set anything.
    const read = f.unreadable !== undefined ? 'unreadable' : stackOf(f);
    if (read === 'unreadable') return { name, path: f.path, config: 'unreadable', environment: false };
    return { name, path: f.path, ...read };
  });
  return { project: head.project, stacks, defaults: head.defaults, projectPath: projectFile.path };
}

/** The stack files (`Pulumi.<stack>.yaml`) of the folder `dir` of the project file. */
const stackFilesIn = (context: DiskContext, projectFile: SourceFile, dir: string) =>
  context.folderFiles(projectFile, dir, (name) => /^Pulumi\..+\.ya?ml$/.test(name));

/**
 * Whether the project file may name another stack folder than its own: a `stackConfigDir` key is written in its text
 * (a key escaped in double quotes, `"stackConfig\x44ir"`, too: any backslash counts).
 */
const mayMoveStacks = (f: SourceFile) => f.text.includes('stackConfigDir') || f.text.includes('\\');

/**
 * What kmsfix reads of a project or stack file, kept once per run and thread (the engine's reader hands out
 * one object a file, and keeps it for the run): the few values read, never the whole tree (a Pulumi YAML
 * program's Pulumi.yaml is the program itself, its parse tree about 28 times its text: one kept per project
 * of the tree was 20 MB at 8x the bench's corpus).
 */
const heads = new WeakMap<SourceFile, { project: string; dir: string; defaults: CMap | undefined } | null>();
const stackFiles = new WeakMap<SourceFile, Pick<Stack, 'config' | 'environment'> | 'unreadable'>();

/** The project file's name, its stack files' folder (`stackConfigDir`) and its `config:` defaults; null without a name. */
function projectHead(f: SourceFile): { project: string; dir: string; defaults: CMap | undefined } | null {
  let head = heads.get(f);
  if (head !== undefined) return head;
  const root = rootOf(f);
  const project = root && root !== 'unreadable' ? scalarString(resolveAlias(child(root, 'name') ?? null)) : undefined;
  if (!root || root === 'unreadable' || !project) head = null;
  else {
    // `configuration:` is Pulumi YAML's older name of `config:`.
    const defaults = resolveAlias(child(root, 'config') ?? child(root, 'configuration') ?? null);
    const dir = scalarString(resolveAlias(child(root, 'stackConfigDir') ?? null)) ?? '.';
    head = { project, dir, defaults: defaults?.kind === 'map' ? defaults : undefined };
  }
  heads.set(f, head);
  return head;
}

/** A stack file's `config:` and whether it imports ESC environments. */
function stackOf(f: SourceFile): Pick<Stack, 'config' | 'environment'> | 'unreadable' {
  let read = stackFiles.get(f);
  if (read !== undefined) return read;
  const r = rootOf(f);
  if (r === 'unreadable') read = 'unreadable';
  else {
    const config = resolveAlias(child(r, 'config') ?? null);
    const env = resolveAlias(child(r, 'environment') ?? null);
    // An import of ESC environments (`environment: [orders/prod]`); `[]` imports none.
    const environment = env != null && !(env.kind === 'seq' && env.items.length === 0) && !(env.kind === 'scalar' && env.value === null);
    read = { config: config?.kind === 'map' ? config : undefined, environment };
  }
  stackFiles.set(f, read);
  return read;
}

/** The file's root mapping (undefined: another root; `unreadable`: not YAML). Not kept: see `heads`. */
function rootOf(f: SourceFile): CMap | undefined | 'unreadable' {
  try {
    const root = parseYaml(f.text)[0]?.root ?? null;
    return root?.kind === 'map' ? root : undefined;
  } catch {
    return 'unreadable';
  }
}

/** What a config read of the key gives on every stack, as the table's key (see above). */
export type StacksKey =
  /** Every stack that deploys gives a key other than the AWS managed key (a secret counts as one). */
  | { kind: 'set' }
  /** Every stack gives the AWS managed key. */
  | { kind: 'aws-managed'; why: string }
  /** Every stack leaves the key out (`''`, or a `get` of a value no stack sets). */
  | { kind: 'absent'; why: string }
  /** The stacks differ, or one gives what cannot be read: decided per stack. */
  | { kind: 'per-stack'; why: string };

/**
 * The program's fallback for a value a stack does not set (TypeScript's `config.get('k') ?? x`; `empty`: `|| x`, which
 * an empty value takes too): the AWS managed key, another key, or a value kmsfix does not know; `text` as written.
 */
export interface Fallback {
  kind: 'managed' | 'set' | 'unknown';
  text: string;
  empty: boolean;
}

/**
 * The key `namespace:name` (its `member`, for `requireObject('db').kmsKeyArn`) on each stack. `optional`: a `get`,
 * undefined where no value is set (a `require` fails there: that stack deploys nothing, and does not count), or the
 * `fallback` there. `set` when no stack that deploys gives the AWS managed key or leaves it out (what the code says
 * then stands).
 */
export function keyOnStacks(
  p: PulumiStacks,
  namespace: string,
  name: string,
  member: string | undefined,
  optional: boolean,
  fallback?: Fallback,
): StacksKey {
  const outcomes = p.stacks.map((s) => ({ stack: s, value: valueOn(p, s, namespace, name, member) }));
  const kinds = outcomes.map(({ stack, value }) => {
    const said = sentence(stack.path, value, member);
    // A stack that leaves the value unset (or empty, to `||`) gets the fallback.
    const unset =
      ((value.kind === 'missing' && optional) ||
        value.kind === 'no-member' ||
        (value.kind === 'text' && value.text === '' && fallback?.empty)) &&
      fallback;
    if (unset) return { stack, kind: FALLBACK_KINDS[unset.kind], said: `${said} (the fallback: ${unset.text})` };
    if (value.kind === 'missing') return { stack, kind: optional ? ('absent' as const) : ('none' as const), said };
    if (value.kind === 'no-member') return { stack, kind: 'absent' as const, said };
    if (value.kind === 'text')
      return {
        stack,
        kind: value.text.trim() === '' ? ('absent' as const) : isAwsManagedKeyRef(value.text) ? ('managed' as const) : ('set' as const),
        said,
      };
    // A secret is a key (a `get`'s may be unset); an ESC environment or an unreadable file may give anything.
    return { stack, kind: optional || value.kind === 'unreadable' || value.kind === 'esc' ? ('unknown' as const) : ('set' as const), said };
  });
  // Stacks where a `require` finds no value deploy nothing.
  const deployed = kinds.filter((k) => k.kind !== 'none');
  const key = `${namespace}:${name}${member ? `.${member}` : ''}`;
  const list = (ks: typeof deployed) => ks.map((k) => k.said).join(', ');
  if (deployed.length === 0 || deployed.every((k) => k.kind === 'set')) return { kind: 'set' };
  if (deployed.every((k) => k.kind === 'managed')) return { kind: 'aws-managed', why: `every stack's config ${key}: ${list(deployed)}` };
  if (deployed.every((k) => k.kind === 'absent'))
    return { kind: 'absent', why: `no stack's config sets ${key} (${deployed.map((k) => k.stack.path).join(', ')})` };
  const odd = deployed.filter((k) => k.kind !== 'set');
  return {
    kind: 'per-stack',
    why: `${key} differs per stack: ${list(odd)}`,
  };
}

/** A stack's Region, and where it was read (for messages). */
export interface StackRegion {
  region: string;
  where: string;
}

/**
 * The Region of the default AWS provider on each stack that sets it as a literal: `aws:region` in its
 * `Pulumi.<stack>.yaml`, else the project's `config:` default. A stack that sets none (the provider then takes
 * `AWS_REGION` or the profile's), a secret, an ESC environment's or an unreadable file gives none known. Only a
 * resource on the default provider is in that Region (an explicit `aws.Provider` does not read it).
 */
export function stackRegions(p: PulumiStacks): StackRegion[] {
  const out: StackRegion[] = [];
  for (const s of p.stacks) {
    const v = valueOn(p, s, 'aws', 'region', undefined);
    if (v.kind !== 'text' || !REGION.test(v.text.trim())) continue;
    const region = v.text.trim();
    out.push({
      region,
      where: v.fromDefault
        ? `stack ${s.name}: ${p.projectPath} config aws:region ${region}, which ${s.path} does not set`
        : `stack ${s.name}: ${s.path} aws:region ${region}`,
    });
  }
  return out;
}

const FALLBACK_KINDS = { managed: 'managed', set: 'set', unknown: 'unknown' } as const;

/** What a stack's file says of the key, for messages. */
function sentence(path: string, v: Value, member: string | undefined): string {
  switch (v.kind) {
    case 'text':
      return v.fromDefault
        ? `${path} sets nothing (the project's default: ${v.text.trim() || "''"})`
        : `${path} sets ${v.text.trim() || "''"}`;
    case 'missing':
      return `${path} does not set it`;
    case 'no-member':
      return `${path} sets no ${member}`;
    case 'secret':
      return `${path} sets a secret`;
    case 'esc':
      return `${path} may set it through an ESC environment`;
    case 'unreadable':
      return `kmsfix cannot read ${path}`;
    case 'other':
      return `${path} sets a value that is not a string`;
  }
}

type Value =
  | { kind: 'text'; text: string; fromDefault?: true }
  | { kind: 'missing' }
  | { kind: 'no-member' }
  | { kind: 'secret' }
  | { kind: 'esc' }
  | { kind: 'unreadable' }
  | { kind: 'other' };

/** The value a stack gives the key: its own config's, else the project's default. */
function valueOn(p: PulumiStacks, s: Stack, namespace: string, name: string, member: string | undefined): Value {
  if (s.config === 'unreadable') return { kind: 'unreadable' };
  const bare = namespace === p.project ? [name] : [];
  const own = [`${namespace}:${name}`, ...bare].map((k) => child(s.config as CMap | undefined, k)).find((n) => n != null);
  const projectDefault = [`${namespace}:${name}`, ...bare]
    .map((k) => resolveAlias(child(p.defaults, k) ?? null))
    // A map is a declaration (`tableKey: {type: string, default: x}`, or `{default: x}` with no `type`: adversarial
    // pass F5), giving its value or default; one with neither gives none. Pulumi reads the project's `config:` as
    // `map[string]ProjectConfigType` (pulumi/pulumi sdk/go/common/workspace/project.go): a map there is always a
    // declaration (only a scalar or a list is shorthand, RewriteShorthandConfigValues), and Project.Validate checks a
    // default against `type` only when it IsExplicitlyTyped, so `{default: x}` is a valid declaration of x.
    .map((n) => (n?.kind === 'map' ? (child(n, 'value') ?? child(n, 'default')) : n))
    .find((n) => n != null);
  // An ESC environment's values come before the project's defaults: what the stack does not set itself, it may set.
  if (own == null && s.environment) return { kind: 'esc' };
  let node: CNode | null | undefined = resolveAlias(own ?? projectDefault ?? null);
  if (node == null) return { kind: 'missing' };
  if (node.kind === 'map' && child(node, 'secure') != null) return { kind: 'secret' };
  if (member !== undefined) {
    // An object without the member: `requireObject` gives it, and the member is undefined.
    node = resolveAlias(child(node, member) ?? null);
    if (node == null) return { kind: 'no-member' };
  }
  if (node.kind !== 'scalar') return { kind: 'other' };
  if (node.value === null) return { kind: 'missing' };
  const text = scalarString(node);
  if (text === undefined) return { kind: 'other' };
  return own == null ? { kind: 'text', text, fromDefault: true } : { kind: 'text', text };
}
