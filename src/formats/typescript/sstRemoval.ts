/**
 * SST v3's `removal` (session 63's deploy review, F1). An SST v3 app (an `sst.config.ts` with `$config`) keeps its
 * DynamoDB tables when the stage is removed unless `removal` is `"remove"`: SST's default is `"retain"`, which
 * SST applies as a stack transformation giving every `aws:dynamodb/table:Table` `retainOnDelete` (and not its KMS
 * key: `sst remove` schedules the key's deletion under the kept table); `"retain-all"` keeps every resource, the
 * key too. So a Pulumi table of a file in the app (`sst.aws.Dynamo`, or `aws.dynamodb.Table` through SST's
 * global `aws` or `@pulumi/aws`) is kept as one with its own `retainOnDelete` is (TsTable.appKeeps,
 * retention.ts destroyKeeps): a removal chosen per stage (`stage === "production" ? "retain" : "remove"`), or
 * one kmsfix cannot read, keeps it for some stage.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { PulumiKeep } from '../pulumi/retention.js';
import type { TsDetection } from './tableTypes.js';
import { parseTypeScript, stringValue, ts, unwrap } from './parse.js';

/** Removals that leave no table kept under a deleted key: the table removed, or the key kept with it. */
const KEEPS_NO_TABLE = new Set(['remove', 'retain-all']);

/**
 * The `removal` of the object the app's `$config({ app(input) { return {...} } })` returns: undefined where it sets
 * none (SST's default, "retain"), null where kmsfix cannot tell (no `app` it reads, a return that is not an object
 * literal, a shorthand or spread property, more than one return). Only that object is read: a `removal` property
 * elsewhere in the file (a component's options, a map of stage settings) is not the app's (adv2 s64).
 */
function removalOf(sf: ts.SourceFile): ts.Expression | undefined | null {
  let config: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (config) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === '$config') {
      const a = n.arguments[0] && unwrap(n.arguments[0]);
      if (a && ts.isObjectLiteralExpression(a)) config = a;
    } else ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!config) return null;
  const app = config.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'app');
  let body: ts.Block | ts.Expression | undefined;
  if (app && ts.isMethodDeclaration(app)) body = app.body;
  else if (app && ts.isPropertyAssignment(app)) {
    const f = unwrap(app.initializer);
    if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) body = f.body;
  }
  if (!body) return null;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) returned.push(body);
  else {
    const walk = (n: ts.Node): void => {
      if (ts.isReturnStatement(n)) {
        if (n.expression) returned.push(n.expression);
      } else if (!ts.isFunctionLike(n)) ts.forEachChild(n, walk);
    };
    walk(body);
  }
  if (returned.length !== 1) return null;
  const obj = unwrap(returned[0]);
  if (!ts.isObjectLiteralExpression(obj)) return null;
  let removal: ts.Expression | undefined | null;
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) removal = null;
    else if (p.name && ts.isIdentifier(p.name) && p.name.text === 'removal') removal = ts.isPropertyAssignment(p) ? p.initializer : null;
  }
  return removal;
}

/** The strings a removal may be (a conditional's branches); undefined where one is not a string literal. */
function choices(e: ts.Expression): (string | undefined)[] {
  const u = unwrap(e);
  if (ts.isConditionalExpression(u)) return [...choices(u.whenTrue), ...choices(u.whenFalse)];
  return [stringValue(u)];
}

/** What keeps the tables of an app whose sst.config.ts is `config` (empty: its removal keeps none under a deleted key). */
export function sstRemovalKeeps(config: SourceFile): PulumiKeep[] {
  let removal: ts.Expression | undefined | null;
  try {
    removal = removalOf(parseTypeScript(config.path, config.text));
  } catch {
    return [{ why: "SST's removal (sst.config.ts, which kmsfix cannot parse)", by: 'retainOnDelete' }];
  }
  if (removal === null) return [{ why: "SST's removal (sst.config.ts, whose app(...) return kmsfix does not read)", by: 'retainOnDelete' }];
  if (!removal) return [{ why: `SST's removal, "retain" by default (sst.config.ts sets none)`, by: 'retainOnDelete' }];
  if (choices(removal).every((c) => c !== undefined && KEEPS_NO_TABLE.has(c))) return [];
  const text = removal.getText().replace(/\s+/g, ' ');
  return [{ why: `SST's removal: ${text} (sst.config.ts)`, by: 'retainOnDelete' }];
}

/** Gives each Pulumi table of the file in an SST v3 app what the app's removal keeps (TsTable.appKeeps). */
export async function sstAppKeeps(file: SourceFile, d: TsDetection, context: DiskContext): Promise<void> {
  const tables = d.tables.filter((t) => t.kind === 'PulumiTable');
  if (tables.length === 0) return;
  const config = await context.projectFile(file, 'sst.config.ts', (f) => f.text.includes('$config'));
  if (!config) return;
  const keeps = sstRemovalKeeps(config);
  if (keeps.length > 0) for (const t of tables) t.appKeeps = keeps;
}
