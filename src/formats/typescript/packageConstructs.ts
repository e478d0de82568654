/**
 * Tables handed to a construct of an npm package (EncryptionFacts.cautions `package-construct`): `new
 * DynamoDbZeroEtlToS3Tables(this, 'ZeroEtl', { table })`, `{ table: this.table }`, `{ sourceArn: table.tableArn }`, a
 * positional argument, where the class is imported from a package that is not the framework's own. kmsfix does not
 * read that package's source, and it may add a resource policy or a zero-ETL integration inside itself (the package
 * dynamodb-zero-etl-s3tables calls `props.table.addToResourcePolicy(...)` for glue.amazonaws.com and creates an
 * AWS::Glue::Integration), which the table's new key denies, as the same policy written in the file makes the table
 * not fixable (resourcePolicy.ts, zeroEtl.ts). A note, not a status: the synthesized output shows what it adds (deploy
 * review of session 60, F2).
 */
import type { Caution } from '../../rule/facts.js';
import { named } from './defaultChild.js';
import type { TsDetection, TsTable } from './detect.js';
import { boundOf, isBuiltin } from './imports.js';
import { newExpressions, ts, unwrap } from './parse.js';
import { tableOfArn } from './resourcePolicy.js';

/**
 * The frameworks' own packages (and what is written as theirs: CDK v1, monocdk, CDK Terrain, SST), whose constructs
 * kmsfix reads or that add no policy; and AWS Solutions Constructs, which kmsfix reads (their tables, `existingTableObj`)
 * and which grant the table to roles of the same stack, not through a resource policy.
 */
const FRAMEWORK =
  /^(?:aws-cdk-lib|aws-cdk|monocdk|constructs|cdktf|cdktn|sst|@aws-cdk|@cdktf|@cdktn|@pulumi|@serverless-stack|@aws-solutions-constructs)(?:\/|$)/;

/** The table's attributes a construct would put in a policy or an integration (`sourceArn: orders.tableArn`). */
const ARN = /^(?:tableArn|tableStreamArn|arn|streamArn)$/;

/** How deep into object and array literals an argument is read (`{ source: { tables: [orders] } }`). */
const DEPTH = 3;

/** Is `module` (as written) an npm package other than the framework's own, a built-in module or the project's (relative)? */
export function isOtherPackage(module: string): boolean {
  if (module.startsWith('.') || module.startsWith('/') || isBuiltin(module)) return false;
  return !FRAMEWORK.test(module);
}

/** The package a module specifier names (`@scope/name`, `name`), without a path below it. */
const packageOf = (module: string) =>
  module
    .split('/')
    .slice(0, module.startsWith('@') ? 2 : 1)
    .join('/');

/** The tables of the file an argument names: the table (`orders`, `this.orders`), its ARN, or either inside object and array literals. */
function tablesIn(e: ts.Expression, tables: TsTable[], depth = 0): TsTable[] {
  const u = unwrap(e);
  const t = named(u, tables) ?? tableOfArn(u, ARN, tables);
  if (t) return [t];
  if (depth >= DEPTH) return [];
  if (ts.isArrayLiteralExpression(u)) return u.elements.flatMap((x) => (ts.isSpreadElement(x) ? [] : tablesIn(x, tables, depth + 1)));
  if (!ts.isObjectLiteralExpression(u)) return [];
  return u.properties.flatMap((p) =>
    ts.isPropertyAssignment(p)
      ? tablesIn(p.initializer, tables, depth + 1)
      : ts.isShorthandPropertyAssignment(p)
        ? tablesIn(p.name, tables, depth + 1)
        : [],
  );
}

/** Gives each CDK, CDKTF or Pulumi table of the file that a construct of another package is given the `package-construct` caution. */
export function packageConstructCautions(d: TsDetection): void {
  const tables = d.tables.filter((t) => t.framework !== 'serverless');
  if (tables.length === 0) return;
  const found = new Map<TsTable, string[]>();
  for (const n of newExpressions(d.sf)) {
    if (!n.arguments || n.arguments.length === 0) continue;
    const module = boundOf(n.expression, d.binds)?.module;
    if (module === undefined || !isOtherPackage(module)) continue;
    const construct = `${n.expression.getText(d.sf)} (${packageOf(module)})`;
    for (const a of n.arguments) {
      if (ts.isSpreadElement(a)) continue;
      for (const t of tablesIn(a, tables)) {
        const list = found.get(t) ?? [];
        if (!list.includes(construct)) list.push(construct);
        found.set(t, list);
      }
    }
  }
  for (const [t, constructs] of found) {
    const framework = t.framework;
    if (framework === 'serverless') continue;
    const caution: Caution = { kind: 'package-construct', constructs, framework };
    (t.encryption.cautions ??= []).push(caution);
  }
}
