/**
 * Files a deployer merges into ONE template, whose logical IDs are then one namespace: the names a fix adds
 * to one of them (a table's key and alias, the shared `DynamoDBTablesKey`) must be new across all of them.
 * Real-world round 37: kmsfix named new resources apart from the table's own file only.
 *
 * - AWS Copilot merges every template of a workload's (or environment's) `addons/` folder, in name order, into
 *   one nested stack, and refuses a logical ID two files declare with different bodies (aws/copilot-cli
 *   internal/pkg/addon/addons.go Template, cloudformation.go mergeResources: `resource "X" defined in "a.yml"
 *   at Ln .. is different than in "b.yml"`); `addons.parameters.yml` is no template.
 * - The Serverless Framework deep-merges (lodash `merge`) the items of a service's `resources:` list, each
 *   inline or a `${file(...)}`: two files declaring one ID give one resource mixing both bodies, silently.
 *
 * Read at fix time (DiskContext), from the disk as it was before the run: every file of a set reads the same
 * set, so each picks the same names for the others (sharedKeyNames) without seeing their plans.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { uniqueName } from '../../core/lists.js';
import { child, looksLikeJson, parseJson, parseYaml, resolveAlias, type CNode } from '../yaml/tree.js';

/** A set of files merged into one template, this file among them. */
export interface MergedSet {
  /** What merges them, for messages: `Copilot merges copilot/api/addons/ into one template`. */
  by: string;
  /** The file asking (its absPath). */
  own: string;
  /** The set's files in merge order (this one too): the names they declare, and whether they declare a table. */
  files: { path: string; absPath: string; names: Set<string>; tables: boolean }[];
}

/** A template of a Copilot workload's or environment's addons folder (the parameters file is none). */
const COPILOT_ADDON = /(?:^|\/)copilot\/[^/]+\/addons\/[^/]+\.ya?ml$/;
const COPILOT_PARAMETERS = /^addons\.parameters\.ya?ml$/;
/** The Serverless Framework service files whose `resources:` list may name files (includes.ts SERVICE_FILES). */
const SERVICE_FILES = ['serverless.yml', 'serverless.yaml'];
/** A `resources:` list item that is a whole file, `${file(resources/queue.yml)}` (or one key of it, `:Resources`). */
const FILE_ITEM = /^\$\{file\(\s*([^)\s]+?)\s*\)\s*(?::\s*[A-Za-z0-9_.-]+\s*)?\}$/;
const TABLE_TYPE = /AWS::DynamoDB::(?:Global)?Table\b/;

type Declared = MergedSet['files'][number];

/**
 * The value `make` builds, once per run for every file of a set that asks (DiskContext.once): each of a set's N files
 * asked for the set, which read the service file and the N listed files again, N times over (round 38 F9: fix time
 * grew with N squared, 38 s for a list of 400 files). A context without `once` (a test's) makes it at each call.
 */
function once<T>(context: DiskContext, key: string, make: () => T): T {
  return context.once ? context.once(`mergedSiblings\u0000${key}`, make) : make();
}

/** The set the file is one of, or undefined (a file deployed alone: nothing changes for it). */
export async function mergedSet(file: SourceFile, context: DiskContext): Promise<MergedSet | undefined> {
  if (COPILOT_ADDON.test(file.path) && !COPILOT_PARAMETERS.test(path.posix.basename(file.path))) {
    const folder = await once(context, `addons\u0000${path.dirname(file.absPath)}`, () => addonsOf(file, context));
    if (!folder.some((f) => f.absPath !== file.absPath)) return undefined;
    const all = folder.some((f) => f.absPath === file.absPath) ? folder : byName([...folder, declared(file)]);
    return { own: file.absPath, by: `Copilot merges ${path.posix.dirname(file.path)}/ into one template`, files: all };
  }
  // The service file itself: the files its list names.
  if (SERVICE_FILES.includes(path.posix.basename(file.path))) {
    if (!file.text.includes('${file(')) return undefined;
    const files = await serviceSet(file, context);
    if (files.length <= 1) return undefined;
    return { own: file.absPath, by: `${file.path}'s resources list merges them into one template`, files };
  }
  // A file a service file's list names: the service file and the list's files.
  for (const name of SERVICE_FILES) {
    const service = await context.projectFile(file, name, (s) => listsFile(s, file, context));
    if (!service) continue;
    const files = await serviceSet(service, context);
    if (!files.slice(1).some((f) => f.absPath === file.absPath)) continue;
    return { own: file.absPath, by: `${service.path}'s resources list merges them into one template`, files };
  }
  return undefined;
}

/** The templates of a Copilot addons folder (the asking file's), in merge order (name order), each read once. */
async function addonsOf(file: SourceFile, context: DiskContext): Promise<Declared[]> {
  const files = await context.folderFiles(file, '.', (n) => /\.ya?ml$/.test(n) && !COPILOT_PARAMETERS.test(n));
  return byName(files.map((f) => declared(f)));
}

const byName = (files: Declared[]): Declared[] => files.sort((a, b) => (path.basename(a.absPath) < path.basename(b.absPath) ? -1 : 1));

/** A service file's parsed root and its list's `${file(...)}` items, read once per run. */
function serviceList(service: SourceFile, context: DiskContext): { root: CNode | null; rels: string[]; paths: Set<string> } {
  return once(context, `list\u0000${service.absPath}`, () => {
    const root = rootOf(service);
    const rels = fileItems(root);
    return { root, rels, paths: new Set(rels.map((rel) => path.resolve(path.dirname(service.absPath), rel))) };
  });
}

/** A service file and the files its list names, in merge order, each read once per run. */
function serviceSet(service: SourceFile, context: DiskContext): Promise<Declared[]> {
  return once(context, `service\u0000${service.absPath}`, async () => {
    const { root, rels } = serviceList(service, context);
    const items = rels.length > 0 ? await listedFiles(service, rels, context) : [];
    return [declared(service, root), ...items.map((f) => declared(f))];
  });
}

/** The `${file(...)}` items of a service file's `resources:` list, as written. */
function fileItems(root: CNode | null): string[] {
  const list = resolveAlias(child(resolveAlias(root), 'resources') ?? null);
  if (list?.kind !== 'seq') return [];
  return list.items.flatMap((i) => {
    const m = i?.kind === 'scalar' && typeof i.value === 'string' ? FILE_ITEM.exec(i.value.trim()) : null;
    const rel = m?.[1].replace(/^['"]|['"]$/g, '').replace(/\\/g, '/');
    return rel && !path.posix.isAbsolute(rel) ? [rel] : [];
  });
}

/** Does a service file's `resources:` list name `file` (relative to the service file's folder)? */
function listsFile(service: SourceFile, file: SourceFile, context: DiskContext): boolean {
  if (!service.text.includes('${file(')) return false;
  return serviceList(service, context).paths.has(file.absPath);
}

/** The files a service file's `resources:` list names, in its order, as the engine reads them (one it cannot: left out). */
async function listedFiles(service: SourceFile, rels: string[], context: DiskContext): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const rel of rels) {
    const [f] = await context.folderFiles(service, path.posix.dirname(rel), (n) => n === path.posix.basename(rel));
    if (f && f.unreadable === undefined && !out.some((o) => o.absPath === f.absPath)) out.push(f);
  }
  return out;
}

function rootOf(file: SourceFile): CNode | null {
  try {
    return (looksLikeJson(file.path, file.text) ? parseJson(file.text) : parseYaml(file.text))[0]?.root ?? null;
  } catch {
    return null;
  }
}

/** The names a file declares at the top of its sections (and in a service file's `resources`, inline items too). */
function declared(file: SourceFile, parsed: CNode | null = rootOf(file)): Declared {
  const names = new Set<string>();
  const root = resolveAlias(parsed);
  const holders: (CNode | null | undefined)[] = [root];
  const resources = resolveAlias(child(root, 'resources') ?? null);
  if (resources?.kind === 'seq') holders.push(...resources.items.map((i) => resolveAlias(i)));
  else holders.push(resources);
  for (const holder of holders)
    for (const section of ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs']) {
      const m = resolveAlias(child(holder, section) ?? null);
      if (m?.kind === 'map') for (const p of m.pairs) names.add(p.key);
    }
  return { path: file.path, absPath: file.absPath, names, tables: TABLE_TYPE.test(file.text) };
}

/** Every name the set's files declare, but the asking file's (its own template reads them itself). */
export function namesOfOthers(set: MergedSet): Set<string> {
  const out = new Set<string>();
  for (const f of set.files) if (f.absPath !== set.own) for (const n of f.names) out.add(n);
  return out;
}

/**
 * `--key-strategy shared` in a set: the shared key's and alias's IDs of the asking file. Where one file of the
 * set declares tables, its key is the set's one key, named apart from every name of the set. Where several do,
 * the key cannot be placed once (each file must deploy its own tables' key with them): each such file gets one,
 * named in turn in merge order apart from the set's names and the keys named before it, so that every file,
 * planning alone, names the others' keys as they do. `apart`: the files that get a key of their own.
 */
export function sharedKeyNames(set: MergedSet, ownNames: Set<string>): { keyId: string; aliasId: string; apart?: string[] } {
  const taken = new Set(ownNames);
  for (const f of set.files) for (const n of f.names) taken.add(n);
  const holders = set.files.filter((f) => f.tables || f.absPath === set.own);
  let mine = { keyId: '', aliasId: '' };
  for (const f of holders) {
    const keyId = uniqueName('DynamoDBTablesKey', taken);
    const aliasId = uniqueName(`${keyId}Alias`, taken);
    if (f.absPath === set.own) mine = { keyId, aliasId };
  }
  return holders.length > 1 ? { ...mine, apart: holders.map((f) => f.path) } : mine;
}
