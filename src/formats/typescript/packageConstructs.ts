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
import { constInitializer, declarationOf } from './consts.js';
import { boundOf, isBuiltin } from './imports.js';
import { callExpressions, classOfThis, newExpressions, thisWrites, ts, unwrap } from './parse.js';
import { tableOfArn } from './resourcePolicy.js';

/**
 * The frameworks' own packages (and what is written as theirs: CDK v1, monocdk, CDK Terrain, SST), whose constructs
 * kmsfix reads or that add no policy; and AWS Solutions Constructs, which kmsfix reads (their tables, `existingTableObj`)
 * and which grant the table to roles of the same stack, not through a resource policy.
 */
const FRAMEWORK =
  /^(?:aws-cdk-lib|aws-cdk|monocdk|constructs|cdktf|cdktn|sst|@aws-cdk|@cdktf|@cdktn|@pulumi|@serverless-stack|@aws-solutions-constructs)(?:\/|$)/;

/**
 * Packages whose code only reads a construct or writes metadata on it, called on tables in most CDK apps that use them
 * (`NagSuppressions.addResourceSuppressions(table, [...])`): never a resource policy.
 */
const ANNOTATING = /^cdk-nag(?:\/|$)/;

/** The table's attributes a construct would put in a policy or an integration (`sourceArn: orders.tableArn`). */
const ARN = /^(?:tableArn|tableStreamArn|arn|streamArn)$/;

/** How deep into object and array literals an argument is read (`{ source: { tables: [orders] } }`). */
const DEPTH = 3;

/** Is `module` (as written) an npm package other than the framework's own, a built-in module or the project's (relative)? */
export function isOtherPackage(module: string): boolean {
  if (module.startsWith('.') || module.startsWith('/') || isBuiltin(module)) return false;
  return !FRAMEWORK.test(module) && !ANNOTATING.test(module);
}

/** The package a module specifier names (`@scope/name`, `name`), without a path below it. */
const packageOf = (module: string) =>
  module
    .split('/')
    .slice(0, module.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * How many `const`s of the file an argument is followed through: the props object (`const props = { table }; new
 * X(this, 'x', props)`), and one a spread of it names (`const props = { ...common }`, `{ ...common, table }`).
 */
const CONSTS = 2;

/** The object or array literal a `const` of the file that `e` names holds (`props` of `const props = { table }`). */
function constLiteral(e: ts.Expression): ts.Expression | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const init = constInitializer(declarationOf(e));
  const u = init && unwrap(init);
  return u && (ts.isObjectLiteralExpression(u) || ts.isArrayLiteralExpression(u)) ? u : undefined;
}

/**
 * The tables of the file an argument names: the table (`orders`, `this.orders`), its ARN, or either inside object and
 * array literals, spreads of them, and the `const`s of the file holding such a literal (`props`, `...common`).
 */
function tablesIn(e: ts.Expression, tables: TsTable[], depth = 0, consts = CONSTS): TsTable[] {
  const u = unwrap(e);
  const t = named(u, tables) ?? tableOfArn(u, ARN, tables);
  if (t) return [t];
  const held = consts > 0 ? constLiteral(u) : undefined;
  if (held) return tablesIn(held, tables, depth, consts - 1);
  if (depth >= DEPTH) return [];
  const inner = (x: ts.Expression) => tablesIn(x, tables, depth + 1, consts);
  // A spread is read at the level it is written in (`{ ...common, table }`: common's properties are the object's).
  const spread = (x: ts.Expression) => tablesIn(x, tables, depth, consts);
  if (ts.isArrayLiteralExpression(u)) return u.elements.flatMap((x) => (ts.isSpreadElement(x) ? spread(x.expression) : inner(x)));
  if (!ts.isObjectLiteralExpression(u)) return [];
  return u.properties.flatMap((p) =>
    ts.isPropertyAssignment(p)
      ? inner(p.initializer)
      : ts.isShorthandPropertyAssignment(p)
        ? inner(p.name)
        : ts.isSpreadAssignment(p)
          ? spread(p.expression)
          : [],
  );
}

/**
 * The package whose code made a value (`new X(...)` of a class imported from it, or a call of its static member or
 * function: `X.create(...)`, `makePipe(...)`), if another package's; `cls` as written (`X`, `X.create`).
 */
function packageOfNew(e: ts.Expression | undefined, d: TsDetection): { module: string; cls: string } | undefined {
  const u = e && unwrap(e);
  if (!u || !(ts.isNewExpression(u) || ts.isCallExpression(u))) return undefined;
  const module = boundOf(u.expression, d.binds)?.module;
  return module !== undefined && isOtherPackage(module) ? { module, cls: u.expression.getText(d.sf) } : undefined;
}

/**
 * What a receiver holds when another package's code made it (packageOfNew): written in place (`new X(...).addSource(t)`,
 * `X.create(...).addSource(t)`), a `const` of the file (`const api = new X(...)`), or a field of the same class
 * (`this.api = new X(...)`, a property's initializer).
 */
function instanceOf(receiver: ts.Expression, d: TsDetection): { module: string; cls: string } | undefined {
  const r = unwrap(receiver);
  if (ts.isNewExpression(r) || ts.isCallExpression(r)) return packageOfNew(r, d);
  if (ts.isIdentifier(r)) return packageOfNew(constInitializer(declarationOf(r)), d);
  if (!ts.isPropertyAccessExpression(r) || r.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = classOfThis(r);
  if (!cls) return undefined;
  const name = r.name.text;
  for (const m of cls.members)
    if (ts.isPropertyDeclaration(m) && m.name.getText(d.sf) === name && m.initializer) return packageOfNew(m.initializer, d);
  for (const w of thisWrites(d.sf)) {
    if (w.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(w.left)) continue;
    if (w.left.name.text === name && classOfThis(w) === cls) return packageOfNew(w.right, d);
  }
  return undefined;
}

/**
 * The code of another package a call hands its arguments to, as the note names it: a static member of an imported class
 * (`X.fromTable (pkg)`), a function imported from it (`attachTable (pkg)`, `etl.attach (pkg)`), or a method of an
 * instance of one of its classes (`api.addDataSource (X, pkg)`).
 */
function calledCode(c: ts.CallExpression, d: TsDetection): string | undefined {
  const callee = c.expression;
  const module = boundOf(callee, d.binds)?.module;
  if (module !== undefined) return isOtherPackage(module) ? `${callee.getText(d.sf)} (${packageOf(module)})` : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const made = instanceOf(callee.expression, d);
  const r = unwrap(callee.expression);
  const receiver = ts.isNewExpression(r)
    ? `new ${made?.cls}(...)`
    : ts.isCallExpression(r)
      ? `${made?.cls}(...)`
      : callee.expression.getText(d.sf);
  return made && `${receiver}.${callee.name.text} (${made.cls}, ${packageOf(made.module)})`;
}

/**
 * Gives each CDK, CDKTF or Pulumi table of the file that code of another package is given the `package-construct`
 * caution: `new X(...)` of a class imported from it, and a call of its code (calledCode).
 */
export function packageConstructCautions(d: TsDetection): void {
  const tables = d.tables.filter((t) => t.framework !== 'serverless');
  if (tables.length === 0) return;
  const found = new Map<TsTable, { constructs: string[]; calls: boolean }>();
  const note = (args: readonly ts.Expression[], construct: string, call: boolean) => {
    for (const a of args) {
      if (ts.isSpreadElement(a)) continue;
      for (const t of tablesIn(a, tables)) {
        const seen = found.get(t) ?? { constructs: [], calls: false };
        if (!seen.constructs.includes(construct)) seen.constructs.push(construct);
        seen.calls ||= call;
        found.set(t, seen);
      }
    }
  };
  for (const n of newExpressions(d.sf)) {
    const made = n.arguments && n.arguments.length > 0 ? packageOfNew(n, d) : undefined;
    if (made && n.arguments) note(n.arguments, `${made.cls} (${packageOf(made.module)})`, false);
  }
  for (const c of callExpressions(d.sf)) {
    const code = calledCode(c, d);
    if (code) note(c.arguments, code, true);
  }
  for (const [t, { constructs, calls }] of found) {
    const framework = t.framework;
    if (framework === 'serverless') continue;
    const caution: Caution = { kind: 'package-construct', constructs, framework, ...(calls ? { calls } : {}) };
    (t.encryption.cautions ??= []).push(caution);
  }
}
