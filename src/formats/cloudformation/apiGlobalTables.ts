/**
 * Tables a deploy joins into a global table through DynamoDB's API, outside the template (Obstacle
 * `api-global-table`), read once per template:
 * - a template that grants `dynamodb:CreateGlobalTable` or `dynamodb:UpdateGlobalTable` (or a
 *   pattern naming them, `dynamodb:*GlobalTable`): APIs of global tables version 2017.11.29 (Legacy)
 *   only, which a custom resource's function calls; their replicas take no customer-managed key. The
 *   tables the grant's Resource names (Ref, GetAtt, `${Table}` in Fn::Sub; a literal ARN's table name
 *   matched against the tables' TableName), or every table when it names none kmsfix can tell
 *   (`*`, a parameter). `dynamodb:*` and `*` grant them too, and grant everything else: not read as a sign.
 * - a template that grants `dynamodb:CreateTableReplica` (or a pattern naming it, `dynamodb:*Replica*`):
 *   what adding a replica through `UpdateTable` (`ReplicaUpdates`, version 2019.11.21) needs, which a
 *   custom resource's function calls; its replicas are made outside the template, with no key of their
 *   Region. Its tables are read as above (a table both grants name: the Legacy one, whose step comes first).
 * - a Serverless Framework service with the plugin serverless-create-global-dynamodb-table and its
 *   `custom.globalTables`: after each deploy it joins every AWS::DynamoDB::Table of the service's
 *   stack into a global table, version 2017.11.29 unless `version: v2`, which adds replicas without
 *   a key of their Region (plugin 1.x, a list of `{tableKey, tableName}`: those tables only).
 */
import { GLOBAL_TABLES_PLUGIN, type Obstacle } from '../../rule/facts.js';
import { apiGrant, globalTablesPlugin } from '../../rule/blockers.js';
import { matches, SIGNS, type Sign } from '../../rule/apiGlobalTables.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, referencedIds, TABLE_TYPES, type CfnTemplate } from './detect.js';
import { servicePlugins } from './cautions.js';

/** The tables of a template an obstacle applies to: all of them, or by logical ID or literal TableName. */
interface Target {
  all: boolean;
  ids: Set<string>;
  names: Set<string>;
}

const emptyTarget = (): Target => ({ all: false, ids: new Set(), names: new Set() });

/** A grant's tables, and the obstacle it gives them. */
interface Grant {
  target: Target;
  obstacle: Obstacle;
}

/** The obstacle of each table of the template (by logical ID), or undefined for a table the deploy does not join into a global table. */
export type ApiGlobalTables = (id: string, resource: CNode) => Obstacle | undefined;

const NONE: ApiGlobalTables = () => undefined;

export function apiGlobalTables(text: string, template: CfnTemplate): ApiGlobalTables {
  const plugin = template.flavor === 'serverless' && text.includes(GLOBAL_TABLES_PLUGIN) ? pluginTargets(template) : undefined;
  const grants = grantsIn(text, template.root, tablesOf(template));
  if (!plugin && grants.length === 0) return NONE;
  const granted = byGrants(grants);
  return (id, resource) => {
    if (plugin && scalarString(child(resource, 'Type')) === 'AWS::DynamoDB::Table' && targets(plugin.target, id, resource))
      return { ...plugin.obstacle };
    return granted(id, resource);
  };
}

/** Does the text name the sign's APIs (the cheap test before a template's grants are read)? */
const namesSign = (text: string, sign: Sign) => new RegExp(`dynamodb:[\\w*?]*${sign.word}`, 'i').test(text);

/** The grants of global-table APIs a text's tree holds (a template, or a service file that includes a file of Resources), read against the tables `tableIds` names. */
function grantsIn(text: string, root: CNode | null, tableIds: Set<string>, granter?: string): Grant[] {
  return SIGNS.flatMap((sign) => (namesSign(text, sign) ? (grantTargets(root, tableIds, sign, granter) ?? []) : []));
}

/** Each table's obstacle from the first grant that names it. */
function byGrants(grants: Grant[]): ApiGlobalTables {
  return (id, resource) => {
    // A GlobalTable is version 2019.11.21, its replicas its own.
    if (scalarString(child(resource, 'Type')) === 'AWS::DynamoDB::GlobalTable') return undefined;
    const grant = grants.find((g) => targets(g.target, id, resource));
    return grant ? { ...grant.obstacle } : undefined;
  };
}

/** Does the text name a global-table API a grant could hold (the cheap test before a parse)? */
export function mayGrantGlobalTables(text: string): boolean {
  return SIGNS.some((sign) => namesSign(text, sign));
}

/**
 * The obstacle a grant in another file of a Serverless service's stack (parsed: `root`; `granter`
 * names it) gives each table `tableIds` names (the tables the grant's Ref and GetAtt may name): a
 * service file and the files of Resources it includes deploy in one stack, so the grant joins them
 * as one beside the table does (read as apiGlobalTables reads a template's own).
 */
export function includedGrants(text: string, root: CNode | null, tableIds: Set<string>, granter: string): ApiGlobalTables {
  const grants = grantsIn(text, root, tableIds, granter);
  return grants.length === 0 ? NONE : byGrants(grants);
}

function targets(target: Target, id: string, resource: CNode): boolean {
  if (target.all || target.ids.has(id)) return true;
  if (target.names.size === 0) return false;
  const name = child(child(resource, 'Properties'), 'TableName');
  if (name === undefined) return false;
  // A name kmsfix cannot read may be the one named.
  const literal = scalarString(name);
  return literal === undefined || target.names.has(literal);
}

// ---------------------------------------------------------------- grants

/** The logical IDs of the template's tables. */
export function tablesOf(template: CfnTemplate): Set<string> {
  const ids = new Set<string>();
  for (const p of template.resources.pairs) if (TABLE_TYPES.includes(scalarString(child(p.value, 'Type')) ?? '')) ids.add(p.key);
  return ids;
}

function strings(node: CNode | null | undefined, out: string[] = []): string[] {
  const n = resolveAlias(node);
  if (n?.kind === 'scalar') {
    const s = scalarString(n) ?? (typeof n.value === 'string' ? n.value : undefined);
    if (s !== undefined) out.push(s);
  } else if (n?.kind === 'seq') for (const i of n.items) strings(i, out);
  else if (n?.kind === 'map') for (const p of n.pairs) strings(p.value, out);
  return out;
}

/** A template's grants of the sign's APIs (its statements anywhere in it: roles, policies, SAM functions, provider.iam). */
function grantTargets(root: CNode | null, tableIds: Set<string>, sign: Sign, granter?: string): Grant | undefined {
  const target = emptyTarget();
  const actions = new Set<string>();
  const seen = new Set<CNode>();
  const visit = (node: CNode | null | undefined): void => {
    const n = resolveAlias(node);
    if (!n || n.kind === 'scalar' || seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'seq') {
      for (const i of n.items) visit(i);
      return;
    }
    if (n.kind !== 'map') return;
    const action = child(n, 'Action');
    if (action !== undefined && scalarString(child(n, 'Effect')) !== 'Deny') {
      const granted = strings(action).filter((a) => matches(a, sign));
      if (granted.length > 0) {
        for (const a of granted) actions.add(a.trim());
        addResources(target, child(n, 'Resource'), tableIds);
      }
    }
    for (const p of n.pairs) visit(p.value);
  };
  visit(root);
  if (actions.size === 0) return undefined;
  return { target, obstacle: apiGrant([...actions], sign.version, granter) };
}

/** What a statement's Resource names: tables of the template, literal table names, or (anything else) every table. */
function addResources(target: Target, resource: CNode | null | undefined, tableIds: Set<string>): void {
  const r = resolveAlias(resource);
  if (!r) {
    target.all = true;
    return;
  }
  const items = r.kind === 'seq' && !r.tag ? r.items : [r];
  for (const item of items) {
    const refs = tableRefs(item, tableIds);
    if (refs.length > 0) {
      for (const id of refs) target.ids.add(id);
      continue;
    }
    const literal = scalarString(resolveAlias(item));
    const name = literal === undefined ? undefined : /:(?:global-)?table\/([^/*?]+)(?:\/.*)?$/.exec(literal)?.[1];
    if (name === undefined) target.all = true;
    else target.names.add(name);
  }
}

/** The template's resources an item refers to: Ref, GetAtt, `${Id}` or `${Id.Arn}` in Fn::Sub, at any depth. */
export function tableRefs(node: CNode | null | undefined, ids: Set<string>, out: string[] = []): string[] {
  const n = resolveAlias(node);
  if (!n) return out;
  const fn = intrinsicName(n);
  if (fn === 'Ref' || fn === 'Fn::GetAtt') {
    for (const id of referencedIds(n)) if (ids.has(id)) out.push(id);
    return out;
  }
  if (fn === 'Fn::Sub') {
    const arg = resolveAlias(intrinsicArg(n));
    const template =
      scalarString(arg?.kind === 'seq' ? resolveAlias(arg.items[0]) : arg) ?? (arg?.kind === 'scalar' ? String(arg.value) : '');
    for (const m of template.matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)) if (ids.has(m[1])) out.push(m[1]);
    if (arg?.kind === 'seq') for (const i of arg.items.slice(1)) tableRefs(i, ids, out);
    return out;
  }
  if (n.kind === 'seq') for (const i of n.items) tableRefs(i, ids, out);
  else if (n.kind === 'map') for (const p of n.pairs) tableRefs(p.value, ids, out);
  return out;
}

// ---------------------------------------------------------------- serverless-create-global-dynamodb-table

function pluginTargets(template: CfnTemplate): { target: Target; obstacle: Obstacle } | undefined {
  // The plugin joins the tables of the service's own stack, not those of serverless-plugin-additional-stacks.
  if (template.stack || !servicePlugins(template).includes(GLOBAL_TABLES_PLUGIN)) return undefined;
  const custom = child(template.root, 'custom');
  // Without custom.globalTables the plugin does nothing; a `custom` kmsfix cannot read may hold it.
  const config = custom?.kind === 'map' ? child(custom, 'globalTables') : custom === undefined ? undefined : custom;
  if (config === undefined || config === null || (config.kind === 'map' && config.pairs.length === 0)) return undefined;
  const target = emptyTarget();
  if (config.kind === 'seq') listedTables(template, config.items, target);
  else target.all = true;
  const v2 = config.kind === 'map' && scalarString(child(config, 'version'))?.trim().toLowerCase() === 'v2';
  return { target, obstacle: globalTablesPlugin(v2) };
}

/** Plugin 1.x: `globalTables: [{regions, tableKey: <an Output's key>, tableName}]`: those tables only, when readable. */
function listedTables(template: CfnTemplate, items: CNode[], target: Target): void {
  const ids = tablesOf(template);
  const outputs = child(child(template.root, 'resources'), 'Outputs');
  for (const item of items) {
    const key = scalarString(child(item, 'tableKey'));
    const name = scalarString(child(item, 'tableName'));
    const refs = key === undefined ? [] : tableRefs(child(child(outputs, key), 'Value'), ids);
    if (refs.length > 0) for (const id of refs) target.ids.add(id);
    else if (key === undefined && name !== undefined) target.names.add(name);
    else target.all = true;
  }
}
