/**
 * A file's documents (`parsedDocs`) and the templates each holds (`templatesOf`): a template's Resources, a
 * serverless.yml's (a list of them, its `custom`, its additional stacks), a file of stacks under keys, a file of
 * resources or one table's body that a service file includes; a template whose path to its resources repeats a key
 * (`ambiguousPath`, `ambiguousTable`); how CloudFormation reads its scalars (`yaml11`).
 */
import { ParseError } from '../../core/types.js';
import { placeholderError } from '../../core/placeholders.js';
import { TABLE_TYPES } from '../cfn-values/tableTypes.js';
import { additionalStackTemplates } from './additionalStacks.js';
import {
  child,
  parseJson,
  type ParsedDoc,
  parseYaml,
  pair,
  resolveAlias,
  scalarString,
  type CMap,
  type CNode,
  type CPair,
} from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';
import { FOR_EACH } from './forEachLoops.js';

/** Does CloudFormation read this template's plain scalars as YAML 1.1 (`yes` a boolean)? Not JSON, not a serverless.yml's. */
export function yaml11(template: CfnTemplate, json: boolean): boolean {
  return !json && template.flavor !== 'serverless';
}

/** A resource: its `Type` as CloudFormation names them. */
const isResource = (p: CPair) => /^(AWS|Custom|Alexa)::/.test(scalarString(child(p.value, 'Type')) ?? '');

/** A Serverless Framework include in place of a value (`${file(audit.yml)}`). */
const isInclude = (p: CPair) => /^\$\{file\(.*\)\}$/.test(scalarString(p.value) ?? '');

/**
 * The templates of one YAML document: one, except a serverless.yml whose `resources` is a list,
 * whose items the Framework merges (each item with `Resources` is a template of its own, edited in
 * place), and a serverless.yml's additional stacks (additionalStacks.ts), each a template of its own.
 */
export function templatesOf(root: CNode | null, doc: number, name: string): CfnTemplate[] {
  return [...serviceTemplatesOf(root, doc, name), ...additionalStackTemplates(root, doc)];
}

/**
 * serverless.yml's Resources taken from its own `custom` (`Resources: ${self:custom.resources}`, or one
 * map of several, `${self:custom.resources.${opt:stage, self:provider.stage}}`, as serverless-guru's
 * dynamic-config template writes it): the map it names, or each map of resources its static part holds
 * (one per stage), is a Resources map of its own, fixed in place.
 */
function customResources(root: CMap, doc: number, value: string): CfnTemplate[] {
  const m = /^\$\{self:(custom(?:\.[\w-]+)+?)(\.\$\{[^{}]*\})?\}$/.exec(value.trim());
  if (!m) return [];
  const path = m[1].split('.');
  let node: CNode | null | undefined = root;
  for (const key of path) node = node?.kind === 'map' ? child(node, key) : undefined;
  const resources = (n: CNode | null | undefined): n is CMap => n?.kind === 'map' && n.pairs.some(isResource);
  if (!m[2]) return resources(node) ? [{ flavor: 'serverless', root, resources: node, resourcesPath: path, doc }] : [];
  if (node?.kind !== 'map') return [];
  return node.pairs.flatMap((p) =>
    resources(p.value) ? [{ flavor: 'serverless' as const, root, resources: p.value, resourcesPath: [...path, p.key], doc }] : [],
  );
}

function serviceTemplatesOf(root: CNode | null, doc: number, name: string): CfnTemplate[] {
  const chosen = root?.kind === 'map' ? scalarString(child(child(root, 'resources'), 'Resources')) : undefined;
  if (chosen?.startsWith('${self:custom.')) return customResources(root as CMap, doc, chosen);
  const list = root?.kind === 'map' && !pair(root, 'Resources') ? child(root, 'resources') : undefined;
  if (list?.kind === 'seq')
    return list.items.flatMap((item, i) => {
      const resources = child(resolveAlias(item), 'Resources');
      return resources?.kind === 'map'
        ? [{ flavor: 'serverless' as const, root: root as CMap, resources, resourcesPath: ['resources', String(i), 'Resources'], doc }]
        : [];
    });
  const template = templateOf(root, doc, name);
  return template ? [template] : keyedTemplates(root, doc);
}

/**
 * A file of stacks, each under a key (`stack: {StackName, Resources}`; botisan-ai/openai-serverless includes it as
 * `custom.additionalStacks.dynamodb: ${file(./resources/dynamodb.yml):stack}`): each key's Resources is a template
 * of its own, read as a serverless.yml's (the Framework resolves the file's variables), fixed in place.
 */
function keyedTemplates(root: CNode | null, doc: number): CfnTemplate[] {
  if (root?.kind !== 'map' || pair(root, 'Resources') || pair(root, 'resources')) return [];
  return root.pairs.flatMap((p) => {
    const resources = child(resolveAlias(p.value), 'Resources');
    return resources?.kind === 'map' && resources.pairs.some(isResource)
      ? [{ flavor: 'serverless' as const, root, resources, resourcesPath: [p.key, 'Resources'], doc, keyed: true as const }]
      : [];
  });
}

function templateOf(root: CNode | null, doc: number, name: string): CfnTemplate | undefined {
  if (root?.kind !== 'map') return undefined;
  const resources = child(root, 'Resources');
  if (resources?.kind === 'map') {
    const transform = child(root, 'Transform');
    const sam = transform !== undefined && /AWS::Serverless/.test(JSON.stringify(transform && toPlain(transform)));
    const typed = resources.pairs.some((p) => isResource(p) || p.key.startsWith(FOR_EACH));
    if (pair(root, 'AWSTemplateFormatVersion') || sam || typed)
      return { flavor: sam ? 'sam' : 'cloudformation', root, resources, resourcesPath: ['Resources'], doc };
  }
  const sls = child(child(root, 'resources'), 'Resources');
  if (sls?.kind === 'map') return { flavor: 'serverless', root, resources: sls, resourcesPath: ['resources', 'Resources'], doc };
  if (resources !== undefined) return undefined;
  // Resources in a file of their own: what serverless.yml includes as `Resources: ${file(tables.yml)}`,
  // every key of the document a resource, or one included in turn (`AuditTable: ${file(audit.yml)}`).
  // The Framework resolves its variables, as in serverless.yml.
  if (root.pairs.some(isResource) && root.pairs.every((p) => isResource(p) || isInclude(p)))
    return { flavor: 'serverless', root, resources: root, resourcesPath: [], doc };
  // One table's body in a file of its own (`OrdersTable: ${file(orders-table.yml)}`): read as a
  // resource named after the file, with nowhere beside it for its key.
  if (TABLE_TYPES.includes(scalarString(child(root, 'Type')) ?? '')) {
    const lone: CPair = { key: name, keyStart: root.start, keyEnd: root.start, value: root };
    const map: CMap = { kind: 'map', start: root.start, end: root.end, flow: root.flow, pairs: [lone] };
    return { flavor: 'serverless', root, resources: map, resourcesPath: [], doc, lone: true };
  }
  return undefined;
}

/** A node as a plain value, aliases resolved. */
export function toPlain(node: CNode | null): unknown {
  node = resolveAlias(node);
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  if (node.kind === 'map') return Object.fromEntries(node.pairs.map((p) => [p.key, toPlain(p.value)]));
  return null;
}

/**
 * The documents; a file that does not parse is reported at the template placeholder that broke it, if any
 * (src/core/placeholders.ts). JSON with a trailing comma (`"KeyType": "HASH", }`) is read: CloudFormation checks whether
 * a template is valid JSON and, if it is not, whether it is valid YAML (the AWS CloudFormation User Guide, "Validating a
 * template"), which it is, with the same values (as cfn-lint reads it). `strictError`: the JSON error such a file gives,
 * for a service file (serverless.json: the Framework reads JSON as JSON, and refuses it).
 */
export function parsedDocs(text: string, json: boolean): { docs: ParsedDoc[]; strictError?: ParseError } {
  try {
    if (!json) return { docs: parseYaml(text, true) };
    try {
      return { docs: parseJson(text) };
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      let docs: ParsedDoc[];
      try {
        docs = parseJson(text, true);
      } catch {
        throw err;
      }
      return { docs, strictError: err };
    }
  } catch (err) {
    throw err instanceof ParseError ? placeholderError(text, err) : err;
  }
}

/** A key on the way to the resources (Resources, resources) is repeated: which tables the template means is not known. */
export function ambiguousPath(template: CfnTemplate): boolean {
  let map: CNode | null | undefined = template.root;
  for (const key of template.resourcesPath) {
    // An item of serverless.yml's `resources` list.
    if (map?.kind === 'seq') {
      map = resolveAlias(map.items[Number(key)]);
      continue;
    }
    if (map?.kind !== 'map' || map.pairs.filter((p) => p.key === key).length > 1) return true;
    map = child(map, key);
  }
  return false;
}

export function ambiguousTable(template: CfnTemplate, rp: CPair, duplicates: number[]): boolean {
  if (template.resources.pairs.filter((p) => p.key === rp.key).length > 1) return true;
  const end = rp.value?.end ?? rp.keyEnd;
  return duplicates.some((d) => d >= rp.keyStart && d < end);
}
