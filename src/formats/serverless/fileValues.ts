/**
 * A Serverless key read from a file: `KMSMasterKeyId: ${file(./config/${sls:stage}.yml):kmsKeyArn}`, or a
 * `${self:custom.kmsKeyArn}` whose path crosses such a variable (`custom: ${file(./config/${sls:stage}.yml)}`,
 * `custom.kmsKeyArn: ${file(./kms.json):arn}`). The Framework reads the file when it packages the service, the
 * stage choosing it where the path holds a variable: each file beside the service that the path's pattern
 * matches is a stage's. Their values decide the key (as a stage map's entries do, variables.ts serverlessKey):
 * the AWS managed key in every one, that key; in some, unknown; in none, a customer-managed key. Detection
 * records the reads (FileRef) it met; the format reads those files (DiskContext.folderFiles) and detects again
 * with their values (cloudformation/index.ts, typescript/index.ts). Until then, and where no file can be read, the key is unknown.
 */
import path from 'node:path';
import { escapeRegExp } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { type CMap, type CNode, child, pair, parseJson, parseYaml, resolveAlias, resolvedKeys, scalarString } from '../yaml/tree.js';

/** A file a variable reads (as written: it may hold variables), the path of keys read in it, and the variable's fallback. */
export interface FileRef {
  file: string;
  path: string[];
  /** `${file(...):k, 'alias/aws/dynamodb'}`: the value where the file lacks the path (no value: a variable, not known). */
  fallback?: { value?: string };
}

/**
 * What each file a FileRef's pattern matches holds at its path, by refKey: a string; null where nothing is there;
 * `reference` for another value (`{"Fn::ImportValue": ...}`: a key CloudFormation resolves); undefined for a file
 * kmsfix cannot read.
 */
export type FileValues = Map<string, { file: string; value: string | null | 'reference' | undefined; node?: CNode | null }[]>;

export const refKey = (r: FileRef) => `${r.file}\0${r.path.join('.')}`;

/** The `${file(...)}` a key written as one variable reads, directly or through `self:` paths (see above). */
export function fileRefOf(s: string, service: CMap, depth = 0): FileRef | undefined {
  const inner = variableBody(s.trim());
  if (inner === undefined || depth > 4) return undefined;
  if (inner.startsWith('file(')) {
    const close = closingParen(inner, 5);
    if (close === -1) return undefined;
    // `:a.b`, `:keys.${sls:stage}` (a key chosen by a variable: each key there may be it), then `, fallback`.
    const after = inner.slice(close + 1);
    const comma = topLevel(after, ',');
    const rest = /^(?::\s*(.+?))?\s*$/s.exec(comma === -1 ? after : after.slice(0, comma));
    if (!rest) return undefined;
    const keys = rest[1] ? pathOf(rest[1]) : [];
    if (!keys) return undefined;
    const ref: FileRef = { file: unquoted(inner.slice(5, close).trim()), path: keys };
    if (comma !== -1) {
      const fallback = after.slice(comma + 1).trim();
      ref.fallback = fallback.includes('${') ? {} : { value: unquoted(fallback) };
    }
    return ref;
  }
  if (!inner.startsWith('self:')) return undefined;
  const comma = topLevel(inner, ',');
  const keys = pathOf((comma === -1 ? inner : inner.slice(0, comma)).slice(5).trim());
  if (!keys) return undefined;
  let node: CNode | null | undefined = service;
  for (let i = 0; i < keys.length; i++) {
    // A key chosen by a variable before any file is read: the service's own map (variables.ts serverlessKey).
    if (keys[i].includes('${')) return undefined;
    node = resolveAlias(child(resolveAlias(node ?? null), keys[i]) ?? null);
    const text = node?.kind === 'scalar' ? scalarString(node) : undefined;
    // A value that is itself a variable reading a file: the rest of the path is read in that file.
    if (text?.includes('${file(')) {
      const ref = fileRefOf(text, service, depth + 1);
      return ref && { ...ref, path: [...ref.path, ...keys.slice(i + 1)] };
    }
    if (node == null) return undefined;
  }
  return undefined;
}

const unquoted = (s: string) => s.replace(/^(['"])(.*)\1$/, '$2');

/** The index of `ch` in `s` outside nested variables (`${...}`), or -1. */
function topLevel(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('${', i)) {
      depth++;
      i++;
    } else if (s[i] === '}') depth--;
    else if (s[i] === ch && depth === 0) return i;
  }
  return -1;
}

/**
 * The keys of a path (`a.b`, `keys.${sls:stage}`, `key-${sls:stage}`), split at dots outside variables; a key may hold
 * variables (it matches any key its literal parts allow, keyPattern). Undefined for anything else.
 */
function pathOf(p: string): string[] | undefined {
  const keys: string[] = [];
  let from = 0;
  for (;;) {
    const dot = topLevel(p.slice(from), '.');
    const key = dot === -1 ? p.slice(from) : p.slice(from, from + dot);
    if (!/^(?:[\w-]|\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})+$/.test(key)) return undefined;
    keys.push(key);
    if (dot === -1) return keys;
    from += dot + 1;
  }
}

/** A name or key written with variables in it: the names it may be (each variable any text). */
const namePattern = (written: string) =>
  new RegExp(
    `^${written
      .split(/\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/)
      .map(escapeRegExp)
      .join('.+')}$`,
  );

/** `x` of `${x}` when the whole string is one variable (nested variables balanced); undefined otherwise. */
function variableBody(s: string): string | undefined {
  if (!s.startsWith('${') || !s.endsWith('}')) return undefined;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('${', i)) {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0 && i !== s.length - 1) return undefined;
  }
  return depth === 0 ? s.slice(2, -1) : undefined;
}

/** The `)` closing `file(` at `from`, past nested variables and parentheses. */
function closingParen(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The files each ref's pattern matches beside the service file `from` (a variable in the file's name matches any
 * text; one in a folder's name is not followed: no file), and what each holds at the ref's path.
 */
export async function readFileValues(refs: FileRef[], from: SourceFile, context: DiskContext): Promise<FileValues> {
  const out: FileValues = new Map();
  for (const ref of refs) {
    if (out.has(refKey(ref))) continue;
    const dir = path.posix.dirname(ref.file);
    const base = path.posix.basename(ref.file);
    if (dir.includes('${')) {
      out.set(refKey(ref), []);
      continue;
    }
    const pattern = namePattern(base);
    const files = await context.folderFiles(from, dir, (name) => pattern.test(name));
    const values = files.flatMap((f) =>
      nodesAt(f, ref.path).map((node) => ({ file: f.path, value: scalarValue(node), ...(node === undefined ? {} : { node }) })),
    );
    // A key chosen by a variable (`${file(./keys.yml):${sls:stage}}`): a stage the file lacks takes the fallback.
    if (ref.path.some((k) => k.includes('${')) && ref.fallback) values.push({ file: 'its fallback', value: ref.fallback.value ?? null });
    out.set(refKey(ref), values);
  }
  return out;
}

/**
 * The nodes at `keys` in a file (null: nothing there), [undefined] for a file kmsfix cannot read (neither YAML nor JSON,
 * or bad). A key holding a variable (`${sls:stage}`) is each key of the mapping there that it may be: one node each
 * (an adversarial pass found `${file(./keys.yml):${sls:stage}}` customer-managed where keys.yml's prod is
 * alias/aws/dynamodb); none there: null.
 */
function nodesAt(f: SourceFile, keys: string[]): (CNode | null | undefined)[] {
  if (f.unreadable !== undefined) return [undefined];
  let root: CNode | null;
  try {
    if (/\.json$/i.test(f.path)) root = parseJson(f.text)[0]?.root ?? null;
    else if (/\.ya?ml$/i.test(f.path)) root = parseYaml(f.text)[0]?.root ?? null;
    else return [undefined];
  } catch {
    return [undefined];
  }
  let nodes: (CNode | null)[] = [root];
  for (const k of keys) {
    if (!k.includes('${')) {
      nodes = nodes.map((n) => resolveAlias(child(resolveAlias(n), k) ?? null));
      continue;
    }
    const pattern = namePattern(k);
    nodes = nodes.flatMap((n) => {
      const map = resolveAlias(n);
      const found = resolvedKeys(map)
        .filter((key) => pattern.test(key))
        .map((key) => resolveAlias(pair(map, key)?.value ?? null));
      return found.length ? found : [null];
    });
  }
  return nodes;
}

function scalarValue(node: CNode | null | undefined): string | null | 'reference' | undefined {
  if (node === undefined) return undefined;
  if (node === null || (node.kind === 'scalar' && node.value === null)) return null;
  return (node.kind === 'scalar' ? scalarString(node) : undefined) ?? 'reference';
}

/**
 * The key a FileRef gives (`s`: the variable as written): unknown until its files are read (`values` undefined),
 * where none is found or one cannot be read, or where some files hold the AWS managed key; that key where all do;
 * a customer-managed key where none does. A file without the path deploys nothing (the Framework fails there).
 */
export function fileKeySetting(s: string, ref: FileRef, values: FileValues | undefined, source: string, raw: Setting['raw']): Setting {
  const found = values?.get(refKey(ref));
  const unknown = (why: string): Setting => ({ state: 'unreadable', source: `KMSMasterKeyId is ${s}, ${why}`, raw });
  if (!found) return unknown(`a value the Framework reads from ${ref.file} when it packages the service`);
  if (found.length === 0) return unknown(`read from ${ref.file}, for which kmsfix finds no file beside the service`);
  const unreadable = found.filter((v) => v.value === undefined);
  if (unreadable.length > 0) return unknown(`read from ${unreadable.map((v) => v.file).join(', ')}, which kmsfix does not read`);
  // A file without the path: the variable's fallback (one that is a variable: not known), else that stage fails.
  const lacking = found.filter((v) => v.value === null);
  if (lacking.length > 0 && ref.fallback && ref.fallback.value === undefined)
    return unknown(`whose fallback for ${lacking.map((v) => v.file).join(', ')} (without ${ref.path.join('.')}) is a variable`);
  const read = found.map((v) => (v.value === null && ref.fallback?.value !== undefined ? { ...v, value: ref.fallback.value } : v));
  // Another value (`{"Fn::ImportValue": ...}`) names a key, as a reference does: a customer-managed key there.
  const present = read.filter((v): v is { file: string; value: string } => v.value !== null && v.value !== undefined);
  if (present.length === 0) return unknown(`read from ${read.map((v) => v.file).join(', ')}, none of which sets ${ref.path.join('.')}`);
  const managed = present.filter((v) => v.value !== 'reference' && isAwsManagedKeyRef(v.value));
  const files = [...new Set(managed.map((v) => v.file))].join(', ');
  if (managed.length === 0) return { state: 'literal', source, text: s, raw };
  if (managed.length === present.length)
    return { state: 'literal', source, text: AWS_MANAGED_ALIAS, raw, via: `${files} (${ref.path.join('.')})` };
  return unknown(`whose value may be ${AWS_MANAGED_ALIAS} (${files})`);
}
