/**
 * A file of resources a Serverless service imports: `export default { Orders: { Type: 'AWS::DynamoDB::Table', ... } }`
 * in resources/tables.ts, untyped, which the serverless.ts of its folder or a folder above imports (`import tables from
 * './resources/tables'`) and spreads into its Resources (`Resources: { ...tables }`) or gives as them (`Resources:
 * tables`). That map is deployed as the service's Resources, so a key added beside its tables is deployed with them
 * (resources.ts importedMap). Read only for a file whose first detection met such a map (Wanted 'resourcesImport').
 * Real-world round 48: xndong1020/serverless-ts-congnito's resources/user-table.ts was told to be "not a Serverless
 * service or resources file" and left unfixed.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { EXTENSION } from './appEnv.js';
import { readImports } from './imports.js';
import { parseTypeScript, propertyName, ts, unwrap } from './parse.js';

/** The service that spreads the file's default export into its Resources. */
export interface ResourcesImport {
  /** The service file's path, as the run names it. */
  service: string;
}

const SERVICE_FILES = ['serverless.ts', 'serverless.js', 'serverless.cjs', 'serverless.mjs', 'serverless.cts', 'serverless.mts'];

/** The nearest service file (from the file's folder up) that imports the file's default export and deploys it as Resources. */
export async function resourcesImportOf(file: SourceFile, context: DiskContext): Promise<ResourcesImport | undefined> {
  for (const name of SERVICE_FILES) {
    const service = await context.projectFile(file, name, (s) => deploysDefaultOf(s, file));
    if (service) return { service: service.path };
  }
  return undefined;
}

/** Does `service` import the default export of `file` (a relative `import x from`) and spread it into, or give it as, its Resources? */
function deploysDefaultOf(service: SourceFile, file: SourceFile): boolean {
  if (service.absPath === file.absPath) return false;
  let sf: ts.SourceFile;
  try {
    sf = parseTypeScript(service.path, service.text);
  } catch {
    return false;
  }
  const own = file.absPath.replace(EXTENSION, '');
  const locals = new Set<string>();
  for (const i of readImports(sf)) {
    if (!i.default || i.typeOnly || !i.module.startsWith('.')) continue;
    const target = path.resolve(path.dirname(service.absPath), i.module).replace(EXTENSION, '');
    if (target === own || path.join(target, 'index') === own) locals.add(i.default);
  }
  if (locals.size === 0) return false;
  const named = (e: ts.Expression) => {
    const u = unwrap(e);
    return ts.isIdentifier(u) && locals.has(u.text);
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'Resources') {
      const value = unwrap(n.initializer);
      if (named(value) || (ts.isObjectLiteralExpression(value) && value.properties.some((p) => ts.isSpreadAssignment(p) && named(p.expression)))) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
