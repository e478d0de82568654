/**
 * Does the stack of a CDK TableV2 have a Region? CDK renders `TableEncryptionV2.customerManagedKey`
 * per Region and refuses a Region-agnostic stack at synth ("Replica SSE specification cannot be
 * rendered in a region agnostic stack"). A stack has a Region when its props give `env.region`, or
 * when it is created in a Stage that has one.
 *
 * Read from the file alone: `agnostic` when every way the file creates the stack is known and one
 * of them gives no Region under an `App` (so no Stage can give one): the fix would not synthesize.
 * `stage` the same, under a Stage the file creates (`new Stage(app, id)`, or a Stage class of the
 * file through its `super(...)` call) without `env.region` under an `App`. `regional` when each gives
 * `env.region`; `unknown` otherwise (the stack class is created in another file, its props come from
 * elsewhere, or a Stage may give the Region). A stack class the
 * file exports and never creates is read the same way where the CDK app's entry creates it
 * (`stackRegionAt`, for cdkApp.ts: the arguments there, the class's super call here).
 *
 * Pulumi's CDK adapter (`@pulumi/cdk`) has its own `Stack(app, id, options)`, created in the CDK `App`
 * its `App` holds (no Stage): its CDK props are `options.props`, and without `props.env.region` it has
 * no Region wherever it is created (`pulumi-cdk`).
 */
import { constInitializer, constObjectOf, declarationOf } from './consts.js';
import { lookup } from './lookup.js';
import { mutationOf } from './mutatedConsts.js';
import { classOfThis, newExpressions, stringValue, ts, unwrap } from './parse.js';

/**
 * `amplify`: no Region, a stack of an Amplify Gen2 backend; `pulumi-cdk`: no Region, a `@pulumi/cdk` Stack;
 * `stage`: no Region, created in a Stage that has none.
 */
export type StackRegion = 'agnostic' | 'amplify' | 'pulumi-cdk' | 'stage' | 'nested' | 'regional' | 'unknown';

/**
 * A stack the file shows to have no Region; or a NestedStack (`nested`), whose Region is its parent
 * stack's, created in another class and often in another file, which kmsfix does not follow: the
 * default of `cdk init` is a parent without one, and then the fix would not synthesize.
 */
export const noRegion = (r: StackRegion) => r === 'agnostic' || r === 'amplify' || r === 'pulumi-cdk' || r === 'stage' || r === 'nested';

type Sym = (e: ts.Expression) => string | undefined;

const STACK = 'aws-cdk-lib#Stack';
const NESTED_STACK = 'aws-cdk-lib#NestedStack';
const APP = 'aws-cdk-lib#App';
const STAGE = 'aws-cdk-lib#Stage';
const PULUMI_STACK = '@pulumi/cdk#Stack';
const CONSTRUCT = 'constructs#Construct';

/** How deep Construct classes in Construct classes are followed (one that creates itself would never end). */
const MAX_CONSTRUCTS = 8;
let constructDepth = 0;

/** The Region of a Construct class's stacks, created at `sites`; `unknown` when regional and another file may create it too (`open`). */
function constructRegion(sf: ts.SourceFile, sym: Sym, sites: ts.NewExpression[], open: boolean, seen?: Seen): StackRegion {
  const mine: Seen = [];
  const region = throughConstruct(() => combine(sites.map((s) => stackRegionOf(sf, sym, s, mine))), 'unknown');
  if (region === 'regional' && open) return 'unknown';
  seen?.push(...mine);
  return region;
}

/** `read` one Construct class deeper, or `past` beyond MAX_CONSTRUCTS. */
function throughConstruct<T>(read: () => T, past: T): T {
  if (constructDepth >= MAX_CONSTRUCTS) return past;
  constructDepth++;
  try {
    return read();
  } finally {
    constructDepth--;
  }
}

/** A constructor argument the file does not show (the class is not created in it). */
type Arg = ts.Expression | undefined | 'unknown';

/** A `@pulumi/cdk` Stack's options: its CDK props are `options.props`, and no Stage may give a Region. */
function regionOfPulumiOptions(sf: ts.SourceFile, options: ts.Expression | undefined, seen?: Seen): StackRegion {
  if (!options) return 'pulumi-cdk';
  const o = unwrap(options);
  if (!ts.isObjectLiteralExpression(o)) return 'unknown';
  const props = lookup(sf, o, 'props');
  if (props.kind === 'unknown') return 'unknown';
  const r = regionOfProps(sf, props.kind === 'value' ? props.value : undefined, seen);
  return r === 'agnostic' ? 'pulumi-cdk' : r;
}

/** `new X(...)` sites of a class declared in the file. */
function sitesOf(sf: ts.SourceFile, cls: ts.ClassDeclaration): ts.NewExpression[] {
  const name = cls.name?.text;
  if (!name) return [];
  return newExpressions(sf).filter((n) => ts.isIdentifier(n.expression) && n.expression.text === name);
}

/**
 * The initializer of the variable `name` as the code at `node` sees it (nearest declaration around it),
 * or, for a `let` declared without one, the value of its one assignment in the declaration's scope
 * (`let stack; ... stack = new Stack(app, id)`, as a jest `beforeEach` writes it).
 */
export function initializerOf(node: ts.Node, name: string): ts.Expression | undefined {
  for (let cur: ts.Node | undefined = node.parent; cur; cur = cur.parent) {
    const statements = ts.isSourceFile(cur) || ts.isBlock(cur) || ts.isModuleBlock(cur) ? cur.statements : undefined;
    for (const st of statements ?? []) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
        if (d.initializer) return unwrap(d.initializer);
        return cur.getSourceFile().text.includes(`${name} =`) ? onlyAssignment(cur, name) : undefined;
      }
    }
  }
  return undefined;
}

/** The value assigned to `name` under `scope`, when it is assigned there exactly once. */
function onlyAssignment(scope: ts.Node, name: string): ts.Expression | undefined {
  const found: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name)
      found.push(n.right);
    if (found.length < 2) ts.forEachChild(n, visit);
  };
  visit(scope);
  return found.length === 1 ? unwrap(found[0]) : undefined;
}

/** The class declaration `this` is an instance of at `node` (a class expression's: none, its stack is not followed). */
function stackClassOfThis(node: ts.Node): ts.ClassDeclaration | undefined {
  const cls = classOfThis(node);
  return cls && ts.isClassDeclaration(cls) ? cls : undefined;
}

/**
 * An `env` as written, or the `const` object literal of the file it names (`const env = { account, region: 'eu-west-1' }`,
 * as many apps' entries write it), unless the file changes that const after its declaration.
 */
function envLiteral(value: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const e = unwrap(value);
  if (ts.isObjectLiteralExpression(e)) return e;
  const held = constObjectOf(e);
  return held && !mutationOf(held.decl) ? held.literal : undefined;
}

/** A string literal, or a `const` of the file holding one (`const region = 'eu-west-1'`, then `env: { region }`). */
function literalOf(value: ts.Expression): string | undefined {
  const e = unwrap(value);
  if (!ts.isIdentifier(e)) return stringValue(e);
  const init = constInitializer(declarationOf(e));
  return init ? stringValue(unwrap(init)) : undefined;
}

/** The Region the props of a stack give: `regional`, none (`agnostic` until a Stage says otherwise), or `unknown`. */
function regionOfProps(sf: ts.SourceFile, props: ts.Expression | undefined, seen?: Seen): StackRegion {
  if (!props) return 'agnostic';
  const p = unwrap(props);
  if (!ts.isObjectLiteralExpression(p)) return 'unknown';
  const env = lookup(sf, p, 'env');
  if (env.kind === 'absent') return 'agnostic';
  if (env.kind === 'unknown') return 'unknown';
  const e = envLiteral(env.value);
  if (!e) return 'unknown';
  const region = lookup(sf, e, 'region');
  if (region.kind === 'value') seen?.push(literalOf(region.value));
  return region.kind === 'absent' ? 'agnostic' : region.kind === 'value' ? 'regional' : 'unknown';
}

/** A stack created by `site` (`new Stack(scope, id, props)` or `new MyStack(...)`). */
function regionOfSite(sf: ts.SourceFile, sym: Sym, site: ts.NewExpression, seen?: Seen): StackRegion {
  const args = site.arguments ?? [];
  if (sym(site.expression) === STACK) {
    const props = regionOfProps(sf, args[2], seen);
    // `new Stack()`, `new Stack(undefined, id)` (unit tests): CDK makes an App for it.
    const scope = args[0] && unwrap(args[0]);
    if (props === 'agnostic' && (!scope || (ts.isIdentifier(scope) && scope.text === 'undefined'))) return 'agnostic';
    return withScope(sym, args[0], props);
  }
  if (sym(site.expression) === PULUMI_STACK) return regionOfPulumiOptions(sf, args[2], seen);
  // A stack class of this file: follow its super(...) call through its constructor's parameters.
  if (!ts.isIdentifier(site.expression)) return 'unknown';
  const name = site.expression.text;
  const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  return cls ? regionOfClass(sf, sym, cls, (i) => args[i], seen) : 'unknown';
}

/**
 * Under an App, a stack without a Region has none; under a Stage the file shows without one
 * (scopeRegion), neither; under anything else a Stage may give one.
 */
function withScope(sym: Sym, scope: ts.Expression | undefined, props: StackRegion): StackRegion {
  if (props !== 'agnostic') return props;
  return scope ? scopeRegion(sym, unwrap(scope)) : 'unknown';
}

/** How deep scopeRegion follows Stages in Stages (a Stage class that creates itself would never end). */
const MAX_STAGES = 8;
let stageDepth = 0;

/**
 * The Region a scope gives a stack that has none of its own: `agnostic` for an `App`; `stage` for a
 * Stage that has none (`new Stage(app, id)`, a variable holding one, or `this` of a Stage class of the
 * file, followed to every `new` of it there); `unknown` otherwise (a Stage with a Region, or one the
 * file does not show).
 */
function scopeRegion(sym: Sym, s: ts.Expression): StackRegion {
  if (stageDepth >= MAX_STAGES) return 'unknown';
  stageDepth++;
  try {
    const sf = s.getSourceFile();
    let region: StackRegion;
    if (s.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = stackClassOfThis(s);
      const sites = cls ? sitesOf(sf, cls) : [];
      region =
        cls && sites.length
          ? combine(sites.map((n) => regionOfClass(sf, sym, cls, (i) => n.arguments?.[i], undefined, undefined, STAGE)))
          : 'unknown';
    } else {
      const init = ts.isIdentifier(s) ? initializerOf(s, s.text) : s;
      if (!init || !ts.isNewExpression(init)) return 'unknown';
      const args = init.arguments ?? [];
      const callee = sym(init.expression);
      if (callee === APP) return 'agnostic';
      if (callee === STAGE) region = withScope(sym, args[0], regionOfProps(sf, args[2]));
      else {
        const name = ts.isIdentifier(init.expression) ? init.expression.text : undefined;
        const cls = sf.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && !!name && st.name?.text === name);
        region = cls ? regionOfClass(sf, sym, cls, (i) => args[i], undefined, undefined, STAGE) : 'unknown';
      }
    }
    return noRegion(region) ? 'stage' : 'unknown';
  } finally {
    stageDepth--;
  }
}

/** A file's syntax, and the symbol each name of it stands for (through its imports). */
export interface Src {
  sf: ts.SourceFile;
  sym: Sym;
}

/**
 * The Region of an instance of `cls` whose constructor gets `arg(i)` (undefined: not known here),
 * written in `site` (the file that creates it: by default the class's own). `stage`: `cls` is read as
 * a Stage class (its props' `env` is the Region of the stacks in it), not a stack class.
 */
function regionOfClass(
  sf: ts.SourceFile,
  sym: Sym,
  cls: ts.ClassDeclaration,
  arg: (i: number) => Arg,
  seen?: Seen,
  site: Src = { sf, sym },
  stage?: typeof STAGE,
): StackRegion {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  const stack = base && sym(base);
  if (stage ? stack !== STAGE : stack !== STACK && stack !== PULUMI_STACK) return 'unknown';
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const superCall = ctor?.body?.statements
    .map((s) => (ts.isExpressionStatement(s) ? unwrap(s.expression) : undefined))
    .find((e): e is ts.CallExpression => !!e && ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword);
  if (!ctor || !superCall) return 'unknown';
  const params = ctor.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  const own: Src = { sf, sym };
  /** A super argument, through the constructor's parameters to the site's arguments, with the file it is written in. */
  const through = (e: ts.Expression | undefined): { e: ts.Expression | undefined; in: Src } | 'unknown' => {
    if (!e) return { e: undefined, in: own };
    const u = unwrap(e);
    if (!ts.isIdentifier(u)) return { e: u, in: own };
    const i = params.indexOf(u.text);
    if (i < 0) return 'unknown';
    const a = arg(i);
    if (a === 'unknown') return a;
    return a ? { e: a, in: site } : { e: ctor.parameters[i].initializer ?? undefined, in: own };
  };
  const props = through(superCall.arguments[2]);
  if (props === 'unknown') return 'unknown';
  if (stack === PULUMI_STACK) return regionOfPulumiOptions(props.in.sf, props.e, seen);
  const scope = through(superCall.arguments[0]);
  const region = regionOfProps(props.in.sf, props.e, seen);
  return scope === 'unknown' ? withScope(sym, undefined, region) : withScope(scope.in.sym, scope.e, region);
}

/** The Region each site that creates a stack gives, when it gives one: the literal, or undefined. */
type Seen = (string | undefined)[];

/**
 * The Regions the stack of a table is created in, when the file shows every one of them as a
 * literal (`env: { region: 'eu-west-1' }` at each site); undefined otherwise.
 */
export function stackRegionsOf(sf: ts.SourceFile, sym: Sym, table: ts.NewExpression | ts.CallExpression): string[] | undefined {
  const seen: Seen = [];
  if (stackRegionOf(sf, sym, table, seen) !== 'regional' || seen.length === 0 || seen.some((r) => r === undefined)) return undefined;
  return [...new Set(seen as string[])];
}

/** The Region of the stack a table is created in (its scope argument). */
export function stackRegionOf(sf: ts.SourceFile, sym: Sym, table: ts.NewExpression | ts.CallExpression, seen?: Seen): StackRegion {
  const scope = table.arguments?.[0] ? unwrap(table.arguments[0]) : undefined;
  if (!scope) return 'unknown';
  if (scope.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = stackClassOfThis(table);
    if (!cls) return 'unknown';
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (base && sym(base) === NESTED_STACK) return 'nested';
    const sites = sitesOf(sf, cls);
    // A Construct class of the file: the stacks of the scopes each `new` of it in the file gives (one it exports
    // another file may create too: no Region is then known from this file alone, only the lack of one).
    if (base && sym(base) === CONSTRUCT) return sites.length ? constructRegion(sf, sym, sites, exported(sf, cls), seen) : 'unknown';
    // Not created in the file: what its super call alone shows (a @pulumi/cdk Stack needs no more).
    if (sites.length === 0) return regionOfClass(sf, sym, cls, () => 'unknown') === 'pulumi-cdk' ? 'pulumi-cdk' : 'unknown';
    const each = sites.map((s) => regionOfClass(sf, sym, cls, (i) => s.arguments?.[i], seen));
    return combine(each);
  }
  if (amplifyStack(sf, table, scope)) return 'amplify';
  if (ts.isIdentifier(scope)) {
    const init = initializerOf(table, scope.text);
    return init && ts.isNewExpression(init) ? regionOfSite(sf, sym, init, seen) : 'unknown';
  }
  return 'unknown';
}

/**
 * Where the CDK app may create the stack of a table the file does not show a Region for: the stack
 * classes the file exports and never creates (`this` of a class extending `Stack`, or of a Construct
 * class of the file each `new` of it in the file is in), which the CDK app's entry may create; and the
 * exported Construct classes on the way (the table's own, or one holding the construct that holds it),
 * which a stack of another file may create (src/formats/typescript/cdkApp.ts).
 */
export function stackCreators(
  sf: ts.SourceFile,
  sym: Sym,
  table: ts.NewExpression | ts.CallExpression,
): { stacks: ts.ClassDeclaration[]; constructs: ts.ClassDeclaration[] } {
  const out = { stacks: [] as ts.ClassDeclaration[], constructs: [] as ts.ClassDeclaration[] };
  const scope = table.arguments?.[0] ? unwrap(table.arguments[0]) : undefined;
  if (scope?.kind !== ts.SyntaxKind.ThisKeyword) return out;
  const cls = stackClassOfThis(table);
  const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!cls?.name || !base) return out;
  const sites = sitesOf(sf, cls);
  if (sym(base) === CONSTRUCT) {
    if (exported(sf, cls)) out.constructs.push(cls);
    for (const site of sites) {
      const more = throughConstruct(() => stackCreators(sf, sym, site), { stacks: [], constructs: [] });
      for (const c of more.stacks) if (!out.stacks.includes(c)) out.stacks.push(c);
      for (const c of more.constructs) if (!out.constructs.includes(c)) out.constructs.push(c);
    }
  } else if (sym(base) === STACK && sites.length === 0 && exported(sf, cls)) out.stacks.push(cls);
  return out;
}

/** The file exports the class (`export class`, or `export { Name }`). */
function exported(sf: ts.SourceFile, cls: ts.ClassDeclaration): boolean {
  const name = cls.name?.text;
  return (
    cls.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
    sf.statements.some(
      (st) =>
        ts.isExportDeclaration(st) &&
        !st.moduleSpecifier &&
        st.exportClause?.kind === ts.SyntaxKind.NamedExports &&
        st.exportClause.elements.some((e) => (e.propertyName ?? e.name).getText(sf) === name),
    )
  );
}

/**
 * The Region of a stack class of `of` as another file (`at`: the CDK app's entry) creates it, at
 * each `new` whose class is `target` there: `unknown` when it creates none. `site`: the first
 * `new` that gives no Region, when one does.
 */
export function stackRegionAt(
  of: Src,
  cls: ts.ClassDeclaration,
  at: Src,
  target: string,
): { region: StackRegion; site?: ts.NewExpression } {
  const sites = newExpressions(at.sf).filter((n) => at.sym(n.expression) === target);
  const each = sites.map((s) => regionOfClass(of.sf, of.sym, cls, (i) => s.arguments?.[i], undefined, at));
  const region = sites.length ? combine(each) : 'unknown';
  return { region, site: sites[each.findIndex(noRegion)] };
}

/**
 * The literal Regions a stack class of `of` gets where another file (`at`: the CDK app's entry) creates it, at each
 * `new` whose class is `target` there (`env: { region: 'eu-west-1' }` in its props, or in its class's super call), with
 * that `new`: a site whose Region is not a literal gives none.
 */
export function siteRegionsAt(of: Src, cls: ts.ClassDeclaration, at: Src, target: string): { region: string; site: ts.NewExpression }[] {
  const out: { region: string; site: ts.NewExpression }[] = [];
  for (const site of newExpressions(at.sf).filter((n) => at.sym(n.expression) === target)) {
    const seen: Seen = [];
    if (regionOfClass(of.sf, of.sym, cls, (i) => site.arguments?.[i], seen, at) !== 'regional') continue;
    for (const region of seen) if (region !== undefined) out.push({ region, site });
  }
  return out;
}

/**
 * A stack of an Amplify Gen2 backend (`backend.createStack('db')`, `Stack.of(backend.data)`,
 * `backend.data.stack`, with `const backend = defineBackend({...})` from @aws-amplify/backend): Amplify
 * creates its App and stacks without an `env`, so they have no Region.
 */
function amplifyStack(sf: ts.SourceFile, at: ts.Node, scope: ts.Expression): boolean {
  if (!/from\s+['"]@aws-amplify\/backend['"]/.test(sf.text)) return false;
  const resolved = (e: ts.Expression): ts.Expression => {
    const u = unwrap(e);
    return ts.isIdentifier(u) ? (initializerOf(at, u.text) ?? u) : u;
  };
  /** Is `e` the backend, or a member of it (`backend.data`)? */
  const ofBackend = (e: ts.Expression): boolean => {
    let root = unwrap(e);
    while (ts.isPropertyAccessExpression(root)) root = unwrap(root.expression);
    const init = resolved(root);
    return ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'defineBackend';
  };
  const s = resolved(scope);
  if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression)) {
    const method = s.expression.name.text;
    if (method === 'createStack') return ofBackend(s.expression.expression);
    if (method === 'of' && s.arguments[0]) return ofBackend(s.arguments[0]);
  }
  return ts.isPropertyAccessExpression(s) && ofBackend(s);
}

/** One site without a Region is enough for the fix to fail; all must have one for it to work. */
function combine(list: StackRegion[]): StackRegion {
  const none = list.find(noRegion);
  if (none) return none;
  return list.every((r) => r === 'regional') ? 'regional' : 'unknown';
}
