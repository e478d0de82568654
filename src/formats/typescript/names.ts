/**
 * New names (variables) and ids (construct ids, resource names) that clash with nothing the code
 * around them sees. A name declared in a function must differ from the file's module-level names
 * and from every name of that function (the outermost one around it: nested callbacks included);
 * two sibling functions (the constructors of two stacks) may each get `ordersKey`. A construct id
 * differs from every string of its class (all its methods create in `this`). Module-level names
 * (imports, the policy helper) differ from every name of the file.
 */
import { stringValue, ts } from './parse.js';

/** Words a variable may not be named (reserved, or reserved in strict mode). */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await arguments eval undefined'
  ).split(' '),
);

/**
 * Where a name must be unique: a function (and the static block of a class), or, for construct ids, a
 * class too: every method of a stack class creates constructs in the same scope, `this`.
 */
function isRegion(n: ts.Node, classes: boolean): boolean {
  return (
    ts.isFunctionLike(n) ||
    ts.isClassStaticBlockDeclaration(n) ||
    (classes && (n.kind === ts.SyntaxKind.ClassDeclaration || n.kind === ts.SyntaxKind.ClassExpression))
  );
}

/** The outermost region around `n`, or undefined at module level. */
function regionOf(n: ts.Node, classes: boolean): ts.Node | undefined {
  let region: ts.Node | undefined;
  for (let cur = n.parent; cur && !ts.isSourceFile(cur); cur = cur.parent) {
    if (isRegion(cur, classes)) region = cur;
  }
  return region;
}

function isNameUse(n: ts.Identifier): boolean {
  const p = n.parent;
  return !(
    (ts.isPropertyAccessExpression(p) && p.name === n) ||
    (ts.isPropertyAssignment(p) && p.name === n) ||
    ((ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
  );
}

interface Pool {
  /** Everything the file holds and everything added (module-level uniqueness). */
  all: Set<string>;
  /** What module-level code holds. */
  module: Set<string>;
  /** Per function: what it holds and what was added in it. */
  regions: Map<ts.Node, Set<string>>;
  /** Added inside functions (not module-level). */
  scoped: Set<string>;
  /** In the file before any addition. */
  original: Set<string>;
}

function emptyPool(all: Set<string>): Pool {
  return { all, module: new Set(), regions: new Map(), scoped: new Set(), original: new Set() };
}

function addTo(p: Pool, v: string, region: ts.Node | undefined): void {
  p.all.add(v);
  p.original.add(v);
  if (region) {
    let names = p.regions.get(region);
    if (!names) p.regions.set(region, (names = new Set()));
    names.add(v);
  } else p.module.add(v);
}

/** The file's variable names and string values (construct ids), by region, in one walk of the tree. */
function pools(sf: ts.SourceFile, taken: Set<string>): { vars: Pool; ids: Pool } {
  const vars = emptyPool(taken);
  const ids = emptyPool(new Set());
  const visit = (n: ts.Node, region: ts.Node | undefined, idRegion: ts.Node | undefined): void => {
    const inner = region ?? (isRegion(n, false) ? n : undefined);
    const idInner = idRegion ?? (isRegion(n, true) ? n : undefined);
    if (ts.isIdentifier(n)) {
      if (isNameUse(n)) addTo(vars, n.text, inner);
    } else {
      const v = stringValue(n);
      if (v !== undefined) addTo(ids, v, idInner);
    }
    ts.forEachChild(n, (c) => visit(c, inner, idInner));
  };
  visit(sf, undefined, undefined);
  return { vars, ids };
}

function pick(p: Pool, bases: string[], at: ts.Node | undefined, classes: boolean): string {
  const numbered = (b: string, i: number) => `${b}${i}`;
  const region = at ? regionOf(at, classes) : undefined;
  const local = region ? (p.regions.get(region) ?? new Set<string>()) : undefined;
  const moduleAdded = (n: string) => p.all.has(n) && !p.original.has(n) && !p.scoped.has(n);
  const free = (n: string) => (local ? !p.module.has(n) && !local.has(n) && !moduleAdded(n) : !p.all.has(n));
  let name = bases.find(free);
  for (let i = 2; name === undefined; i++) if (free(numbered(bases[0], i))) name = numbered(bases[0], i);
  p.all.add(name);
  if (region) {
    if (!p.regions.has(region)) p.regions.set(region, local!);
    local!.add(name);
    p.scoped.add(name);
  }
  return name;
}

export class Names {
  private readonly vars: Pool;
  private readonly ids: Pool;

  /** `taken` is shared with the import planner, which adds module-level names to it. */
  constructor(sf: ts.SourceFile, taken: Set<string>) {
    ({ vars: this.vars, ids: this.ids } = pools(sf, taken));
  }

  /** A variable name for a declaration at `at` (module level when absent): the first free base, else the first numbered. */
  variable(bases: string[], at?: ts.Node): string {
    const allowed = bases.filter((b) => !RESERVED.has(b));
    return pick(this.vars, allowed.length ? allowed : bases.map((b) => b + 'Value'), at, false);
  }

  /**
   * A construct id or resource name: unique in the class, or else the function, that creates it (CDK
   * and CDKTF construct ids are unique per scope, and every method of a stack class creates in `this`),
   * or in the whole file (`fileWide`: Pulumi names, unique per stack).
   */
  id(base: string, at: ts.Node | undefined, fileWide: boolean): string {
    return pick(this.ids, [base], fileWide ? undefined : at, true);
  }
}
