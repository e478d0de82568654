/** The plugins a Serverless service lists, read by the CloudFormation family's serverless.yml and the TypeScript family's serverless.ts. */
import { type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';

/** The plugins a service's root lists (`plugins: [...]`, or `plugins: {localPath: ..., modules: [...]}`), as written. */
export function pluginsOf(root: CNode | null | undefined): string[] {
  let plugins = child(root, 'plugins');
  if (plugins?.kind === 'map') plugins = child(plugins, 'modules');
  if (plugins?.kind !== 'seq') return [];
  return plugins.items.map((i) => scalarString(resolveAlias(i))?.trim()).filter((n): n is string => !!n);
}

/** The plugin that makes a role per function (`functions.<fn>.iamRoleStatements`), whose settings the Framework (v4) reads too. */
export const ROLES_PER_FUNCTION = 'serverless-iam-roles-per-function';

/** The plugin that makes AppSync APIs (`custom.appSync` up to v1, `appSync` from v2), and a role per data source without `serviceRoleArn`. */
export const APPSYNC = 'serverless-appsync-plugin';
