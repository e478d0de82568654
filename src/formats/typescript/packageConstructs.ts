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
import type { TsDetection, TsTable } from './tableTypes.js';
import { constInitializer, declarationOf } from './consts.js';
import { boundOf, isBuiltin } from './imports.js';
import { callExpressions, classOfThis, newExpressions, ts, unwrap } from './parse.js';
import { tableOfArn } from './resourcePolicy.js';
import { classWrites, onlyValueOf } from './singleValue.js';

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

/**
 * Packages of utilities, validation and logging (`_.pick({ orders }, ...)`, `z.object(...)`, `logger.info('t', { arn })`,
 * `debug(...)`): their calls never read as a construct's code, whatever the file does with them.
 */
const UTILITY =
  /^(?:lodash|lodash-es|lodash\.[\w.-]+|underscore|ramda|rambda|remeda|immer|immutable|fp-ts|zod|yup|joi|@hapi\/joi|ajv|superstruct|io-ts|class-validator|debug|winston|pino|bunyan|loglevel|log4js|signale|consola|chalk|@aws-lambda-powertools|uuid|nanoid|dayjs|moment|date-fns|luxon|deepmerge|deep-equal|fast-deep-equal|change-case|pluralize|yaml|js-yaml|json5|dotenv|util)(?:\/|$)/;

/** Methods and functions that log what they are given (`logger.info(...)`, `log.debug(...)`): never a construct's code. */
const LOGGING = /^(?:log|info|debug|warn|warning|error|trace|fatal|verbose|silly|notice|critical)$/;

/** A package name that says it holds constructs (`@acme/etl-constructs`, `cdk-pipes`, `@aws-cdk-extensions/x`, `@acme/pulumi-etl`). */
const CONSTRUCT_NAME = /(?:^|[/@._-])(?:cdk|cdktf|constructs?|pulumi)(?:$|[/._-])|^@aws-cdk-|^cdk-|^@cdktf-|^@pulumi-/i;

/** The table's attributes a construct would put in a policy or an integration (`sourceArn: orders.tableArn`). */
const ARN = /^(?:tableArn|tableStreamArn|arn|streamArn)$/;

/** How deep into object and array literals an argument is read (`{ source: { tables: [orders] } }`). */
const DEPTH = 3;

/** Is `module` (as written) an npm package other than the framework's own, a built-in module or the project's (relative)? */
export function isOtherPackage(module: string): boolean {
  // The framework's packages first: most of a stack's modules, and the test that splits no text (isBuiltin does).
  if (module.startsWith('.') || module.startsWith('/') || FRAMEWORK.test(module)) return false;
  return !ANNOTATING.test(module) && !isBuiltin(module);
}

/**
 * Arguments in the shape of a construct's: a scope and an id (`new X(this, 'Id', ...)`, `X.create(scope, 'Id')`: CDK,
 * CDK for Terraform), or a name and arguments (`new X('name', args, opts?)`: a Pulumi component).
 */
function constructShaped(args: readonly ts.Expression[] | undefined): boolean {
  if (!args || args.length < 2) return false;
  const isText = (e: ts.Expression) =>
    e.kind === ts.SyntaxKind.StringLiteral ||
    e.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
    e.kind === ts.SyntaxKind.TemplateExpression;
  const [first, second] = [unwrap(args[0]), unwrap(args[1])];
  const scope = first.kind === ts.SyntaxKind.ThisKeyword || first.kind === ts.SyntaxKind.Identifier;
  if (scope && isText(second)) return true;
  return isText(first) && (second.kind === ts.SyntaxKind.ObjectLiteralExpression || second.kind === ts.SyntaxKind.Identifier);
}

/**
 * The packages of the file that are construct libraries, whose calls (static members, functions, methods of their
 * instances) are read as code that may add a policy: a package its name says is one (CONSTRUCT_NAME), or one whose code
 * the file calls or creates with a construct's arguments (constructShaped). Never a utility or logging package (UTILITY).
 */
function constructPackages(d: TsDetection): Set<string> {
  const out = new Set<string>();
  const add = (e: ts.NewExpression | ts.CallExpression) => {
    const module = boundOf(e.expression, d.binds)?.module;
    if (module === undefined || !isOtherPackage(module) || UTILITY.test(module)) return;
    if (CONSTRUCT_NAME.test(packageOf(module)) || constructShaped(e.arguments)) out.add(packageOf(module));
  };
  for (const n of newExpressions(d.sf)) add(n);
  for (const c of callExpressions(d.sf)) add(c);
  return out;
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
  // A `const`, or a `let` nothing else in the file assigns (`let api = new X(...); api.addSource(t)`).
  if (ts.isIdentifier(r)) return packageOfNew(onlyValueOf(declarationOf(r)), d);
  if (!ts.isPropertyAccessExpression(r) || r.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = classOfThis(r);
  if (!cls) return undefined;
  const name = r.name.text;
  for (const m of cls.members)
    if (ts.isPropertyDeclaration(m) && m.name.getText(d.sf) === name && m.initializer) return packageOfNew(m.initializer, d);
  // The class's writes by name, indexed once per class (singleValue.ts classWrites): not the file's for every call.
  const write = classWrites(cls)
    .get(name)
    ?.find((w) => w.op === ts.SyntaxKind.EqualsToken && classOfThis(w.left) === cls);
  return write && packageOfNew(write.right, d);
}

/**
 * The code of another package a call hands its arguments to, as the note names it: a static member of an imported class
 * (`X.fromTable (pkg)`), a function imported from it (`attachTable (pkg)`, `etl.attach (pkg)`), or a method of an
 * instance of one of its classes (`api.addDataSource (X, pkg)`); only of a construct library of the file (`libraries`,
 * constructPackages), and never a logging call (`logger.info(...)`) nor one whose result only goes to one.
 */
function calledCode(c: ts.CallExpression, d: TsDetection, libraries: ReadonlySet<string>): string | undefined {
  const callee = c.expression;
  const called = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (LOGGING.test(called) || loggedOnly(c)) return undefined;
  const library = (module: string) => isOtherPackage(module) && libraries.has(packageOf(module));
  const module = boundOf(callee, d.binds)?.module;
  if (module !== undefined) return library(module) ? `${callee.getText(d.sf)} (${packageOf(module)})` : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const made = instanceOf(callee.expression, d);
  if (!made || !library(made.module)) return undefined;
  const r = unwrap(callee.expression);
  const receiver = ts.isNewExpression(r)
    ? `new ${made.cls}(...)`
    : ts.isCallExpression(r)
      ? `${made.cls}(...)`
      : callee.expression.getText(d.sf);
  return `${receiver}.${callee.name.text} (${made.cls}, ${packageOf(made.module)})`;
}

/** Is the call's result only handed to a logging call (`console.log(X.describe(orders))`)? */
function loggedOnly(c: ts.CallExpression): boolean {
  const p = c.parent;
  if (!p || p.kind !== ts.SyntaxKind.CallExpression || !(p as ts.CallExpression).arguments.includes(c)) return false;
  const callee = (p as ts.CallExpression).expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return LOGGING.test(name);
}

/**
 * Gives each CDK, CDKTF or Pulumi table of the file that code of another package is given the `package-construct`
 * caution: `new X(...)` of a class imported from any such package, and a call of the code of one that is a construct
 * library (calledCode, constructPackages): not a logger's, a utility's, or a call whose result is only logged.
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
  // A call is another package's code only in a construct library of the file (calledCode): a file that calls or creates
  // none (most stacks: the framework's packages only) has no call to read, and its calls' arguments are not walked.
  const libraries = constructPackages(d);
  for (const c of libraries.size === 0 ? [] : callExpressions(d.sf)) {
    // The arguments hold a table before the callee is read (its receiver's value may be looked up in the class).
    if (!c.arguments.some((a) => !ts.isSpreadElement(a) && tablesIn(a, tables).length > 0)) continue;
    const code = calledCode(c, d, libraries);
    if (code) note(c.arguments, code, true);
  }
  for (const [t, { constructs, calls }] of found) {
    const framework = t.framework;
    if (framework === 'serverless') continue;
    const caution: Caution = { kind: 'package-construct', constructs, framework, ...(calls ? { calls } : {}) };
    (t.encryption.cautions ??= []).push(caution);
  }
}
