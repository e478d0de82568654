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
import type { DeployRegion, DiskContext, SourceFile } from '../../core/types.js';
import { EXTENSION } from './appEnv.js';
import { readImports } from './imports.js';
import { parseTypeScript, propertyName, ts, unwrap } from './parse.js';
import { serviceTsRegions } from './serviceRegions.js';

/** The file that spreads exports of the file into its Resources, and which of them (`default`, or a name the file exports). */
export interface ResourcesImport {
  /** The importing file's path, as the run names it. */
  service: string;
  names: string[];
  /**
   * The Regions the importing service deploys to (serviceRegions.ts: its `provider.region`), for --kms-key-arn; none
   * where the importer is a file of resources, not the service, or they are not known.
   */
  regions: DeployRegion[];
}

const SERVICE_FILES = ['serverless.ts', 'serverless.js', 'serverless.cjs', 'serverless.mjs', 'serverless.cts', 'serverless.mts'];

/**
 * The file that imports exports of `file` and deploys them as Resources: the nearest service file (from the file's
 * folder up), or a file of the file's folder or of the folder above (`config/resources.ts`, typed AWS['resources'],
 * spreading `./resources/tables`'s `tables`). One step: a file that imports the importer is not followed.
 */
export async function resourcesImportOf(file: SourceFile, context: DiskContext): Promise<ResourcesImport | undefined> {
  const found = (s: SourceFile): ResourcesImport | undefined => {
    const { names, sf } = deployedExportsOf(s, file);
    return names.length > 0 && sf ? { service: s.path, names, regions: serviceTsRegions(sf, s) } : undefined;
  };
  for (const name of SERVICE_FILES) {
    const service = await context.projectFile(file, name, (s) => found(s) !== undefined);
    if (service) return found(service);
  }
  const near = [...(await context.siblings().catch(() => [])), ...((await context.folder(file, '..')) ?? [])];
  for (const s of near) {
    const r = EXTENSION.test(s.path) ? found(s) : undefined;
    if (r) return r;
  }
  return undefined;
}

/** The exports of `file` (`default`, or names) that `importer` imports by a relative path and spreads into, or gives as, its Resources. */
function deployedExportsOf(importer: SourceFile, file: SourceFile): { names: string[]; sf?: ts.SourceFile } {
  if (importer.absPath === file.absPath || !importer.text.includes('Resources')) return { names: [] };
  let sf: ts.SourceFile;
  try {
    sf = parseTypeScript(importer.path, importer.text);
  } catch {
    return { names: [] };
  }
  const own = file.absPath.replace(EXTENSION, '');
  /** Local name -> the export of `file` it is. */
  const locals = new Map<string, string>();
  for (const i of readImports(sf)) {
    if (i.typeOnly || !i.module.startsWith('.')) continue;
    const target = path.resolve(path.dirname(importer.absPath), i.module).replace(EXTENSION, '');
    if (target !== own && path.join(target, 'index') !== own) continue;
    if (i.default) locals.set(i.default, 'default');
    for (const n of i.named) if (!n.typeOnly) locals.set(n.local, n.imported);
  }
  if (locals.size === 0) return { names: [] };
  const out = new Set<string>();
  const named = (e: ts.Expression) => {
    const u = unwrap(e);
    const name = ts.isIdentifier(u) ? locals.get(u.text) : undefined;
    if (name) out.add(name);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'Resources') {
      const value = unwrap(n.initializer);
      named(value);
      if (ts.isObjectLiteralExpression(value)) for (const p of value.properties) if (ts.isSpreadAssignment(p)) named(p.expression);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { names: [...out], sf };
}
