/**
 * What a fix changes beyond a template's tables (EncryptionFacts.cautions), read once per template:
 * a Serverless plugin that migrates the tables into DynamoDB Local, and the permissions boundaries the
 * template gives roles (a key policy whose principal is * cannot lift a boundary).
 */
import { type Caution, LOCAL_MIGRATION_PLUGIN } from '../../rule/facts.js';
import { type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';
import { ROLES_PER_FUNCTION, pluginsOf } from '../serverless/plugins.js';

/** The plugins a serverless.yml lists (serverless/plugins.ts); none for another template. */
export function servicePlugins(template: CfnTemplate): string[] {
  return template.flavor === 'serverless' ? pluginsOf(template.root) : [];
}

/** A serverless.yml's plugin that migrates its AWS::DynamoDB::Table resources into DynamoDB Local. */
function localMigrationsOf(template: CfnTemplate): string | undefined {
  return servicePlugins(template).find((name) => LOCAL_MIGRATION_PLUGIN.test(name));
}

/** Resources whose `PermissionsBoundary` bounds a role: IAM roles and users, and the roles SAM makes for functions and state machines. */
const BOUNDED = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/**
 * The settings of a Serverless service (serverless.yml, or a serverless.ts's tree) that give its roles a
 * permissions boundary, as paths: the shared role's (`provider.iam.role.permissionsBoundary`,
 * `provider.rolePermissionsBoundary`); a function's own role's, Framework v4's
 * (`functions.api.iam.role.permissionsBoundary`) and serverless-iam-roles-per-function's, which v4 accepts too
 * (`functions.api.iamPermissionsBoundary`); and that plugin's for every role it makes
 * (`custom.serverless-iam-roles-per-function.iamGlobalPermissionsBoundary`). Each function is named: a role
 * left out is an outage left unsaid (deploy review, session 55: the functions' were not read, and a service
 * bounding every function's role, as guides on Lambda's blast radius advise, got no caution).
 */
export function serviceBoundaries(root: CNode | null | undefined): string[] {
  const out: string[] = [];
  const provider = child(root, 'provider');
  if (child(child(child(provider, 'iam'), 'role'), 'permissionsBoundary') != null) out.push('provider.iam.role.permissionsBoundary');
  if (child(provider, 'rolePermissionsBoundary') != null) out.push('provider.rolePermissionsBoundary');
  if (child(child(child(root, 'custom'), ROLES_PER_FUNCTION), 'iamGlobalPermissionsBoundary') != null)
    out.push(`custom.${ROLES_PER_FUNCTION}.iamGlobalPermissionsBoundary`);
  // `functions:` is a map of functions, or a list of such maps (the Framework merges them).
  const functions = child(root, 'functions');
  const maps = functions?.kind === 'seq' ? functions.items.map((i) => resolveAlias(i)) : [functions];
  for (const map of maps) {
    if (map?.kind !== 'map') continue;
    for (const fn of map.pairs) {
      const def = resolveAlias(fn.value);
      if (child(child(child(def, 'iam'), 'role'), 'permissionsBoundary') != null)
        out.push(`functions.${fn.key}.iam.role.permissionsBoundary`);
      if (child(def, 'iamPermissionsBoundary') != null) out.push(`functions.${fn.key}.iamPermissionsBoundary`);
    }
  }
  return out;
}

/** What gives the template's roles a permissions boundary, as written (a logical ID, or the setting's path). */
function boundariesOf(text: string, template: CfnTemplate): string[] {
  if (!text.includes('ermissionsBoundary')) return [];
  const out: string[] = [];
  const root = template.root;
  if (template.flavor === 'serverless') out.push(...serviceBoundaries(root));
  if (child(child(child(root, 'Globals'), 'Function'), 'PermissionsBoundary') != null) out.push('Globals.Function.PermissionsBoundary');
  for (const p of template.resources.pairs) {
    const resource = resolveAlias(p.value);
    if (resource?.kind !== 'map') continue;
    const type = scalarString(child(resource, 'Type'));
    if (type && BOUNDED.has(type) && child(child(resource, 'Properties'), 'PermissionsBoundary') != null) out.push(p.key);
  }
  return out;
}

/** The cautions of every table of a template (src/rule/cautions.ts words them); undefined when there are none. */
export function templateCautions(text: string, template: CfnTemplate): { all?: Caution[]; tables?: Caution[] } {
  const where = boundariesOf(text, template);
  const all: Caution[] = where.length > 0 ? [{ kind: 'permissions-boundary', where }] : [];
  const plugin = localMigrationsOf(template);
  // The plugins migrate AWS::DynamoDB::Table resources only.
  const tables: Caution[] = plugin ? [...all, { kind: 'local-migrations', plugin }] : all;
  return { all: all.length > 0 ? all : undefined, tables: tables.length > 0 ? tables : undefined };
}
