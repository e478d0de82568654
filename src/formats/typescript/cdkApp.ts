/**
 * Where a CDK app creates the stack class of a file: `cdk init` writes the class in lib/<name>-stack.ts
 * and creates it in bin/<name>.ts, the file the `app` command of cdk.json runs, with its `env`
 * commented out (a Region-agnostic stack). A TableV2 in such a stack cannot get a customer-managed
 * key (stackRegion.ts). Read only for a TableV2 whose file exports its stack class and never creates
 * it (TsTable.stackClass): the nearest cdk.json with an `app` (DiskContext.projectFile), and the one
 * .ts or .js file its command names (DiskContext.folder), parsed once per run and thread.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { boundaryOf, cdkJsonOf, hasCdkApp } from '../../core/cdkJson.js';
import { isTestPath } from '../../core/testCode.js';
import { toPosix } from '../../core/text.js';
import { contextFileBeside, contextObjectOf } from './cdkContext.js';
import type { TsDetection } from './tableTypes.js';
import { type Binding, bindings, readImports, readRequires, resolveSymbol, symbolId } from './imports.js';
import { calledNames, isJavaScript, newExpressions, parseTypeScript, ts } from './parse.js';
import { noRegion, siteRegionsAt, type Src, stackCreators, stackRegionAt, stackRegionOf } from './stackRegion.js';
import { appGivesNoEnv, EXTENSION, type Program, resolve } from './appEnv.js';
import type { StackProps } from './stackProps.js';

/** The one program file an `app` command runs (`npx ts-node --prefer-ts-exts bin/app.ts`, `node bin/app.js`); undefined when it names none or several. */
export function entryOf(app: string): string | undefined {
  const files = app
    .split(/\s+/)
    .map((w) => w.replace(/^["']|["']$/g, ''))
    .filter((w) => !w.startsWith('-') && /\.[cm]?[jt]s$/i.test(w));
  return files.length === 1 ? path.posix.normalize(files[0].replace(/\\/g, '/')) : undefined;
}

/** The `app` command of a cdk.json, if it has one. */
const appOf = (file: SourceFile) => cdkJsonOf(file).app;

/**
 * The permissions boundary the CDK app's cdk.json gives every role of the app (context
 * `@aws-cdk/core:permissionsBoundary`), as a caution names it; or, where cdk.json's context has none, the
 * cdk.context.json beside it, which the CDK CLI reads into the same context after it (cdkContext.ts; deploy
 * review, session 55: a bootstrap tool that requires the boundary there got no caution).
 */
export async function appBoundary(file: SourceFile, context: DiskContext | undefined): Promise<string | undefined> {
  const cdkJson = context && (await context.projectFile(file, 'cdk.json', hasCdkApp));
  if (!context || !cdkJson) return undefined;
  const boundary = cdkJsonOf(cdkJson).boundary;
  if (boundary) return `${cdkJson.path} context @aws-cdk/core:permissionsBoundary ${boundary}`;
  // A cdk.json without a place on disk (a context a test or an embedder builds) has no folder to look in (as importersWith).
  if (cdkJson.absPath === undefined) return undefined;
  const beside = await contextFileBeside(cdkJson, context);
  if (!beside?.text.includes('ermissionsBoundary')) return undefined;
  const saved = boundaryOf(contextObjectOf(beside.text));
  return saved && `${beside.path} @aws-cdk/core:permissionsBoundary ${saved}`;
}

/** Each entry file parsed (null: not readable as a program). */
const parsed = new WeakMap<SourceFile, Program | null>();

function programOf(file: SourceFile): Program | null {
  let program = parsed.get(file);
  if (program === undefined) {
    try {
      const sf = parseTypeScript(file.path, file.text);
      const imports: Binding[] = isJavaScript(file.path) ? [...readImports(sf), ...readRequires(sf)] : readImports(sf);
      const binds = bindings(imports);
      program = { sf, sym: (e) => resolveSymbol(e, binds), imports };
    } catch {
      program = null;
    }
    parsed.set(file, program);
  }
  return program;
}

/** The CDK app's entry file around `file` and its syntax tree, when its text holds `word` (boundaries.ts). */
export async function appEntryWith(
  file: SourceFile,
  context: DiskContext | undefined,
  word: string,
): Promise<{ file: SourceFile; sf: ts.SourceFile } | undefined> {
  const entry = context && (await entryFile(file, context));
  const program = entry && entry.absPath !== file.absPath && entry.text.includes(word) ? programOf(entry) : undefined;
  return program ? { file: entry!, sf: program.sf } : undefined;
}

/** How many files a table's file imports are looked for (each resolved through DiskContext.folder), and how much of their text is parsed. */
const MAX_IMPORTED = 8;
const MAX_IMPORTED_CHARS = 256 * 1024;

/**
 * The files a CDK table's file imports (relative modules, one level) whose text holds `word`, with their syntax
 * trees (boundaries.ts): only imports the file uses to create or call something (`new AppRoles(this, 'Roles')`,
 * `applyBoundary(this)`), whose constructs are then in the file's stacks. At most MAX_IMPORTED imports resolved
 * and MAX_IMPORTED_CHARS of text parsed per table file, each file parsed once per run and thread (programOf).
 */
export async function importsWith(
  file: SourceFile,
  d: { imports: Binding[]; sf: ts.SourceFile },
  context: DiskContext | undefined,
  word: string,
): Promise<{ file: SourceFile; sf: ts.SourceFile }[]> {
  const out: { file: SourceFile; sf: ts.SourceFile }[] = [];
  if (!context) return out;
  // Asked for at the first relative import only (most table files import packages alone).
  let used: Set<string> | undefined;
  let resolved = 0;
  let chars = 0;
  for (const i of d.imports) {
    if (i.typeOnly || !/^\.\.?\//.test(i.module) || /\.json$/i.test(i.module)) continue;
    const locals = [i.namespace, i.default, ...i.named.filter((n) => !n.typeOnly).map((n) => n.local)];
    used ??= calledNames(d.sf);
    if (!locals.some((l) => l !== undefined && used!.has(l))) continue;
    if (resolved++ >= MAX_IMPORTED) break;
    const target = await resolve(file, i.module, context);
    if (!target || target.absPath === file.absPath || !target.text.includes(word) || out.some((o) => o.file === target)) continue;
    if ((chars += target.text.length) > MAX_IMPORTED_CHARS) break;
    const program = programOf(target);
    if (program) out.push({ file: target, sf: program.sf });
  }
  return out;
}

/** How many folders of a CDK app are looked through for the files that import a table's file. */
const MAX_IMPORTER_FOLDERS = 32;
/** Folders no importer of the app's own code is in. */
const NOT_CODE = /^(?:node_modules|cdk\.out|dist|build|coverage|\..*)$/;

/**
 * The files of the CDK app around `file` (under its cdk.json's folder) that import it and whose text holds `word`, with
 * their programs (boundaries.ts): the stack file that creates the table's construct (`lib/stack.ts` imports
 * `lib/api.ts`), where `PermissionsBoundary.of(this)` or an Aspect gives every role of the stack a boundary
 * (real-world round 37: clickstream-analytics-on-aws's stacks apply RolePermissionBoundaryAspect to the constructs
 * they import). One level of importers; looked for in the folders from the file's up to the cdk.json's, and the
 * folders right below each (`lib/stacks/` beside `lib/constructs/`), at most MAX_IMPORTER_FOLDERS; a file is
 * parsed only when its text holds `word` and the file's name (its import of it), each once per run and thread.
 */
export async function importersWith(
  file: SourceFile,
  context: DiskContext | undefined,
  word: string,
): Promise<{ file: SourceFile; sf: ts.SourceFile; imports: Binding[] }[]> {
  const cdkJson = context && (await context.projectFile(file, 'cdk.json', hasCdkApp));
  // A file or cdk.json without a place on disk (a context a test or an embedder builds) has no folders to look in.
  if (!context || !cdkJson || cdkJson.absPath === undefined || file.absPath === undefined) return [];
  const root = path.dirname(cdkJson.absPath);
  const own = file.absPath.replace(EXTENSION, '');
  // How an import names the file: `./api`, or its folder for an index file (`./tables`).
  const name = path.basename(own) === 'index' ? path.basename(path.dirname(own)) : path.basename(own);
  const folders: string[] = [];
  for (let rel = '.', came = ''; folders.length < MAX_IMPORTER_FOLDERS; rel = path.posix.join(rel, '..')) {
    const abs = path.resolve(path.dirname(file.absPath), rel);
    folders.push(rel);
    for (const sub of await context.subfolders(file, rel))
      if (sub !== came && !NOT_CODE.test(sub) && folders.length < MAX_IMPORTER_FOLDERS) folders.push(path.posix.join(rel, sub));
    if (abs === root || path.dirname(abs) === abs || !abs.startsWith(root)) break;
    came = path.basename(abs);
  }
  const out: { file: SourceFile; sf: ts.SourceFile; imports: Binding[] }[] = [];
  for (const rel of folders)
    for (const f of (await context.folder(file, rel)) ?? []) {
      if (f.absPath === file.absPath || !f.text.includes(word) || !f.text.includes(name) || /\.d\.ts$/i.test(f.absPath)) continue;
      const program = programOf(f);
      const imports = program?.imports.some((i) => {
        if (!/^\.\.?\//.test(i.module) || i.typeOnly) return false;
        const target = path.resolve(path.dirname(f.absPath), i.module).replace(EXTENSION, '');
        return target === own || path.join(target, 'index') === own;
      });
      if (program && imports) out.push({ file: f, sf: program.sf, imports: program.imports });
    }
  return out;
}

/** The entry file of the CDK app around `file`: a named `.js` is read at its `.ts` beside it, when there is one. */
async function entryFile(file: SourceFile, context: DiskContext): Promise<SourceFile | undefined> {
  const cdkJson = await context.projectFile(file, 'cdk.json', hasCdkApp);
  const app = cdkJson && appOf(cdkJson);
  const entry = app && entryOf(app);
  if (!cdkJson || !entry || path.posix.isAbsolute(entry)) return undefined;
  const files = await context.folder(cdkJson, path.posix.dirname(entry));
  const named = path.posix.basename(entry);
  const source = /\.js$/i.test(named) ? named.replace(/\.js$/i, '.ts') : undefined;
  const byName = (n: string) => files?.find((f) => path.basename(f.absPath) === n);
  return (source && byName(source)) || byName(named);
}

/**
 * What the CDK app's entry passes each class of `file` it creates (stackProps.ts: a key a stack takes in its props),
 * read for a file whose first detection met such a key: each `new` of an imported class with its third argument.
 * The entry's parse is the one its Regions are read with (programOf); an entry that is the file itself: none.
 */
export async function entryStackProps(file: SourceFile, sf: ts.SourceFile, context: DiskContext): Promise<StackProps | undefined> {
  const entry = await entryFile(file, context);
  const program = entry && entry.absPath !== file.absPath ? programOf(entry) : undefined;
  if (!entry || !program) return undefined;
  const out: StackProps = new Map();
  const sites = newExpressions(program.sf);
  for (const cls of sf.statements) {
    if (!ts.isClassDeclaration(cls) || !cls.name) continue;
    const target = symbolIn(entry, program, file, cls);
    if (!target) continue;
    const line = (n: ts.Node) => program.sf.getLineAndCharacterOfPosition(n.getStart(program.sf)).line + 1;
    const made = sites.filter((n) => program.sym(n.expression) === target);
    out.set(
      cls.name.text,
      made.map((n) => ({ at: `${entry.path} line ${line(n)}`, props: n.arguments?.[2] })),
    );
  }
  return out;
}

/** The symbol the entry gives `cls` of `file` (`../lib/stack#MyStack`), when it imports it. */
function symbolIn(entry: SourceFile, program: Program, file: SourceFile, cls: ts.ClassDeclaration): string | undefined {
  const own = file.absPath.replace(EXTENSION, '');
  const isDefault = cls.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const i = program.imports.find((b) => {
    if (!b.module.startsWith('.')) return false;
    const target = path.resolve(path.dirname(entry.absPath), b.module).replace(EXTENSION, '');
    return target === own || path.join(target, 'index') === own;
  });
  return i && symbolId(i.module, isDefault ? [] : [cls.name!.text]);
}

/**
 * The literal Regions the CDK app's entry gives the stack classes of `file` it creates (`new OrdersStack(app, 'Prod',
 * { env: { region: 'eu-west-1' } })`), with where each was read: for --kms-key-arn, a table's key must be in its
 * stack's Region (fix.ts otherRegions; session 65's deploy review, F3). A class the entry does not import, a site whose
 * Region is not a literal, a Stage between: none known.
 */
export async function entryRegions(
  file: SourceFile,
  own: Src,
  classes: ts.ClassDeclaration[],
  context: DiskContext,
): Promise<{ region: string; where: string }[]> {
  const entry = classes.length ? await entryFile(file, context) : undefined;
  const program = entry && entry.absPath !== file.absPath ? programOf(entry) : undefined;
  if (!entry || !program) return [];
  const out: { region: string; where: string }[] = [];
  for (const cls of classes) {
    const target = symbolIn(entry, program, file, cls);
    if (!target) continue;
    for (const { region, site } of siteRegionsAt(own, cls, program, target)) {
      const line = program.sf.getLineAndCharacterOfPosition(site.getStart(program.sf)).line + 1;
      out.push({ region, where: `${cls.name!.text}, created in ${entry.path} line ${line} with env.region ${region}` });
    }
  }
  return out;
}

/** Where a TableV2's stack is created without a Region (the obstacle's `at`), and how (`by`). */
type Verdict = { at: string; by?: 'stage' | 'amplify' | 'pulumi-cdk' | 'nested' | 'app' };

/**
 * Each TableV2 of the file whose stack class the CDK app's entry creates without a Region gets the
 * `region-agnostic-stack` obstacle, as one whose stack the file itself shows Region-agnostic; so does one
 * in a Construct class a stack of another file creates (constructStacks) when that stack has no Region;
 * and each other TableV2 whose stack's Region is not known when the app gives no stack an env (appEnv.ts).
 */
export async function entryStackRegions(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> {
  const pending = d.tables.filter((t) => t.regionOpen);
  if (!context || pending.length === 0) return;
  const entry = await entryFile(file, context);
  const program = entry && programOf(entry);
  if (!entry || !program) return;
  const own: Src = { sf: d.sf, sym: (e) => resolveSymbol(e, d.binds) };
  const app = { entry, program, context };
  const verdicts = new Map<ts.ClassDeclaration, Verdict | undefined>();
  for (const t of pending) {
    let where: Verdict | undefined;
    for (const cls of t.stackClasses ?? []) {
      if (!verdicts.has(cls)) verdicts.set(cls, await entryVerdict(app, file, own, cls));
      where ??= verdicts.get(cls);
    }
    // A whole app without env says so (appEnv.ts) before the stacks of a Construct class are looked for.
    if (!where && (await appGivesNoEnv(entry, file, context, programOf))) where = { at: entry.path, by: 'app' };
    for (const cls of where ? [] : (t.constructClasses ?? [])) {
      if (!verdicts.has(cls)) verdicts.set(cls, await constructStacks(app, file, cls));
      where ??= verdicts.get(cls);
    }
    if (where) t.encryption.obstacles.push({ kind: 'region-agnostic-stack', at: where.at, ...(where.by ? { by: where.by } : {}) });
  }
}

/** The CDK app's entry file, its program, and the files around it. */
type App = { entry: SourceFile; program: Program; context: DiskContext };

/** How the entry creates stack class `cls` of `file` (or a stack class it imports that creates `cls`): a Verdict when without a Region. */
async function entryVerdict(app: App, file: SourceFile, own: Src, cls: ts.ClassDeclaration): Promise<Verdict | undefined> {
  const { entry, program } = app;
  const target = symbolIn(entry, program, file, cls);
  if (!target) return throughCreator(entry, program, file, cls, app.context);
  const at = stackRegionAt(own, cls, program, target);
  if (!noRegion(at.region)) return undefined;
  const line = at.site && program.sf.getLineAndCharacterOfPosition(at.site.getStart(program.sf)).line + 1;
  return { at: `${cls.name!.text}, created in ${entry.path} line ${line}`, ...(at.region === 'stage' ? { by: 'stage' as const } : {}) };
}

/**
 * A Construct class of `file` that the files importing it create (real-world round 44: `ResourceTable`, a
 * Construct holding a TableV2, created by `AppStack` of lib/app-stack.ts, which bin/app.ts creates without an
 * env while another stack of the app has one): the first `new` of it whose stack has no Region, read in the
 * importing file as a table's scope is (stackRegionOf), or, for a stack class that file exports, where the entry
 * creates it (entryVerdict). One level of importers (importersWith), not test code (a unit test's `new Stack()`
 * is not deployed); a stack not found: undefined, as before.
 */
async function constructStacks(app: App, file: SourceFile, cls: ts.ClassDeclaration): Promise<Verdict | undefined> {
  const name = cls.name!.text;
  const cdkJson = await app.context.projectFile(file, 'cdk.json', hasCdkApp);
  for (const importer of await importersWith(file, app.context, name)) {
    // A unit test's stack (`new Stack()`) is not one the app deploys: read as the entry alone is read for a stack class.
    if (cdkJson && isTestPath(toPosix(path.relative(path.dirname(cdkJson.absPath), importer.file.absPath)))) continue;
    const program = programOf(importer.file);
    const target = program && symbolIn(importer.file, program, file, cls);
    if (!program || !target) continue;
    for (const site of newExpressions(program.sf).filter((n) => program.sym(n.expression) === target)) {
      const line = program.sf.getLineAndCharacterOfPosition(site.getStart(program.sf)).line + 1;
      const region = stackRegionOf(program.sf, program.sym, site);
      if (noRegion(region))
        return {
          at: `the stack of ${name} (${importer.file.path} line ${line})`,
          ...(region === 'agnostic' ? {} : { by: region as Verdict['by'] }),
        };
      if (region !== 'unknown') continue;
      for (const stack of stackCreators(program.sf, program.sym, site).stacks) {
        const v = await entryVerdict(app, importer.file, program, stack);
        if (v) return { ...v, at: `${name} (${importer.file.path} line ${line}) in ${v.at}` };
      }
    }
  }
  return undefined;
}

/**
 * A stack class the entry does not import, created by a stack class of a file the entry imports that
 * passes its own props on (`new DatabaseStack(scope, 'Db', props)`, `{ ...props, tableNames }` without
 * an `env` of its own: jon-r/stock-service): the Region of the creator's stack as the entry creates it.
 * One step only; undefined when nothing shows it Region-agnostic.
 */
async function throughCreator(
  entry: SourceFile,
  program: Program,
  file: SourceFile,
  cls: ts.ClassDeclaration,
  context: DiskContext,
): Promise<Verdict | undefined> {
  for (const imp of program.imports) {
    if (!imp.module.startsWith('./') && !imp.module.startsWith('../')) continue;
    const files = await context.folder(entry, path.posix.dirname(imp.module));
    const base = path.posix.basename(imp.module).replace(EXTENSION, '');
    const f = files?.find((x) => path.basename(x.absPath).replace(EXTENSION, '') === base && x.absPath !== file.absPath);
    const creator = f && programOf(f);
    const target = creator && symbolIn(f, creator, file, cls);
    if (!f || !creator || !target) continue;
    for (const site of newExpressions(creator.sf).filter((n) => creator.sym(n.expression) === target)) {
      const outer = enclosingStackClass(site, creator.sf);
      if (!outer?.name) continue;
      const outerTarget = symbolIn(entry, program, f, outer);
      const at = outerTarget ? stackRegionAt(creator, outer, program, outerTarget) : undefined;
      if (!at || !noRegion(at.region)) continue;
      const line = at.site && program.sf.getLineAndCharacterOfPosition(at.site.getStart(program.sf)).line + 1;
      return {
        at: `${cls.name!.text}, created by ${outer.name.text} (${f.path}) with its own props, which ${entry.path} line ${line} creates`,
        ...(at.region === 'stage' ? { by: 'stage' as const } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The class whose constructor creates `site` passing its own props parameter on: as the third argument
 * itself, or spread into an object literal that sets no `env`.
 */
function enclosingStackClass(site: ts.NewExpression, sf: ts.SourceFile): ts.ClassDeclaration | undefined {
  let ctor: ts.Node = site;
  while (ctor.parent && !ts.isConstructorDeclaration(ctor)) ctor = ctor.parent;
  if (!ts.isConstructorDeclaration(ctor) || !ts.isClassDeclaration(ctor.parent)) return undefined;
  const param = ctor.parameters[2]?.name;
  const props = site.arguments?.[2];
  if (!param || !ts.isIdentifier(param) || !props) return undefined;
  const passed =
    (ts.isIdentifier(props) && props.text === param.text) ||
    (ts.isObjectLiteralExpression(props) &&
      props.properties.some((p) => ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression) && p.expression.text === param.text) &&
      !props.properties.some((p) => !ts.isSpreadAssignment(p) && p.name?.getText(sf) === 'env'));
  return passed ? ctor.parent : undefined;
}
