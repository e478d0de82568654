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
import { child, scalarString, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';
import { servicePlugins } from './cautions.js';
import { iamStatements, resourceItems, tableRefs, tablesOf, type IamStatement, type ResourceItem } from '../cfn-values/iamStatements.js';

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

/**
 * The grants of global-table APIs a text's tree holds (a template, or a service file that includes a file
 * of Resources), read against the tables `tableIds` names: its statements anywhere in it (cfn-values/iamStatements.ts:
 * roles, policies, SAM functions, provider.iam, a custom resource's properties) that do not Deny.
 */
function grantsIn(text: string, root: CNode | null, tableIds: Set<string>, granter?: string): Grant[] {
  const signs = SIGNS.filter((sign) => namesSign(text, sign));
  if (signs.length === 0) return [];
  const statements = iamStatements(root).statements.filter((s) => s.effect !== 'Deny');
  return signs.flatMap((sign) => grantOf(statements, tableIds, sign, granter) ?? []);
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

/**
 * The statements' grant of the sign's APIs: an action at any depth of Action (a condition's Fn::If
 * either way) that names them, on the tables their Resources name.
 */
function grantOf(statements: IamStatement[], tableIds: Set<string>, sign: Sign, granter?: string): Grant | undefined {
  const target = emptyTarget();
  const actions = new Set<string>();
  for (const s of statements) {
    const granted = s.anyActions.filter((a) => matches(a, sign));
    if (granted.length === 0) continue;
    for (const a of granted) actions.add(a);
    addResources(target, resourceItems(s, tableIds));
  }
  if (actions.size === 0) return undefined;
  return { target, obstacle: apiGrant([...actions], sign.version, granter) };
}

/**
 * What a statement's Resource names: tables of the template, literal table names (a plain string's
 * `table/<name>` or `global-table/<name>`), or (anything else: none, `*`, a parameter, a Fn::Sub naming
 * no table of the template) every table. cfn-values/iamRoles.ts reads a Fn::Sub's ARN and an ARN's wildcard name,
 * and reads an item it cannot tell as none (it names a role only when sure).
 */
function addResources(target: Target, items: ResourceItem[] | undefined): void {
  if (!items) {
    target.all = true;
    return;
  }
  for (const item of items) {
    if (item.tables.length > 0) {
      for (const id of item.tables) target.ids.add(id);
      continue;
    }
    const name = item.plain === undefined ? undefined : /:(?:global-)?table\/([^/*?]+)(?:\/.*)?$/.exec(item.plain)?.[1];
    if (name === undefined) target.all = true;
    else target.names.add(name);
  }
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
