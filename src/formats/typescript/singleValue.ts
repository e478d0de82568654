/**
 * The one value a name holds where a key reads it, by syntax: a `const`'s initializer; a `let`'s when nothing in the
 * file assigns that name again (`x = ...`, `[x] = ...`, `x++`); a class field's initializer when the class never
 * assigns it, or its one assignment (`this.key = ...`) when it has no initializer; a `const` object's member the file
 * never assigns. Undefined when the value may change (it is then not read). `indexedValues`: the members a lookup by
 * index in such an object may give (`keys[props.stage]`). And `guarded`: a use an earlier `if (!x) throw` (or
 * `return`) in an enclosing block proves set.
 */
import { constInitializer, constObjectOf } from './consts.js';
import { classOfThis, propertyName, stringValue, thisWrites, ts, unwrap } from './parse.js';

/** A declaration's one value (see above). */
export function onlyValueOf(d: ts.VariableDeclaration | 'other' | undefined): ts.Expression | undefined {
  const init = constInitializer(d);
  if (init || !d || d === 'other' || !d.initializer || !ts.isIdentifier(d.name)) return init;
  return assignsName(d.getSourceFile(), d.name.text) ? undefined : d.initializer;
}

/**
 * Does anything under `root` assign the name itself: `x = ...`, `x ??= ...`, `[x] = ...`, `({ x } = ...)`, `x++`? (Not a
 * property of it, `obj.x = ...`, nor an index by it, `tags[x] = ...`.)
 */
export function assignsName(root: ts.Node, name: string): boolean {
  let names = assigned.get(root);
  if (!names) assigned.set(root, (names = new Map()));
  let found = names.get(name);
  if (found === undefined) names.set(name, (found = walkAssigns(root, name)));
  return found;
}

/**
 * assignsName's answers, once per root and name: its callers ask it of a whole file or a constructor's body for each
 * read they meet, which made a stack of N tables reading `props` N walks of its body (adversarial pass s62 adv2 F2:
 * 17 s for 400 tables). A parsed tree never changes, so an answer stays true.
 */
const assigned = new WeakMap<ts.Node, Map<string, boolean>>();

function walkAssigns(root: ts.Node, name: string): boolean {
  let found = false;
  const target = (n: ts.Expression): boolean => {
    const u = unwrap(n);
    if (ts.isIdentifier(u)) return u.text === name;
    if (ts.isArrayLiteralExpression(u)) return u.elements.some((e) => target(ts.isSpreadElement(e) ? e.expression : e));
    if (ts.isObjectLiteralExpression(u))
      return u.properties.some((p) =>
        ts.isShorthandPropertyAssignment(p)
          ? p.name.text === name
          : ts.isPropertyAssignment(p)
            ? target(p.initializer)
            : ts.isSpreadAssignment(p) && target(p.expression),
      );
    // A default in a destructuring target (`[x = 1] = ...`).
    return ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.EqualsToken && target(u.left);
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && target(n.left)) found = true;
    else if (
      (n.kind === ts.SyntaxKind.PrefixUnaryExpression || n.kind === ts.SyntaxKind.PostfixUnaryExpression) &&
      [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes((n as ts.PrefixUnaryExpression).operator) &&
      target((n as ts.PrefixUnaryExpression).operand)
    )
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/** Does anything under `root` assign `holder.member` (or `holder['member']`; `'any'`: any member, `holder[k]` too)? */
function assignsMember(root: ts.Node, holder: string, member: string | 'any'): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) {
      const l = unwrap(n.left);
      const text = ts.isPropertyAccessExpression(l)
        ? [unwrap(l.expression).getText(), l.name.text]
        : l.kind === ts.SyntaxKind.ElementAccessExpression
          ? [
              unwrap((l as ts.ElementAccessExpression).expression).getText(),
              stringValueOf((l as ts.ElementAccessExpression).argumentExpression),
            ]
          : undefined;
      if (text && text[0] === holder && (member === 'any' || text[1] === member)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

const stringValueOf = (e: ts.Expression) => (ts.isStringLiteral(e) ? e.text : undefined);

const isAssignment = (k: ts.SyntaxKind) => k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;

/** A class's `this.<name> <op> ...` by name (classWrites), kept on the class node as parse.ts keeps its sites (no WeakMap). */
const CLASS_WRITES = Symbol('kmsfix.classWrites');

/** One `this.<name> <op> right` under a class: its operator (`=`, `??=`, `+=`...), and whether it lies in one of the class's members. */
export interface ClassWrite {
  left: ts.PropertyAccessExpression;
  right: ts.Expression;
  op: ts.SyntaxKind;
  member: boolean;
}
type ClassWrites = Map<string, ClassWrite[]>;

/**
 * Every `this.<name> = ...` (`??=`, `+=`, ...) under a class, by name, in source order, for every name and reader asked:
 * fieldValue (any operator, anywhere in the class) and keptKeys.ts's assignedInClass (`=` in its members). Each table
 * of a stack whose key is `this.key` walked the whole class again before (docs/performance.md, fifty-eighth session);
 * then each class was walked once; now the file's writes are the ones parse.ts collected with the parents (sixtieth
 * session), and a class's are those under it.
 */
export function classWrites(cls: ts.ClassDeclaration | ts.ClassExpression): ClassWrites {
  const holder = cls as (ts.ClassDeclaration | ts.ClassExpression) & { [CLASS_WRITES]?: ClassWrites };
  let byName = holder[CLASS_WRITES];
  if (!byName) {
    const found: ClassWrites = new Map();
    for (const n of thisWrites(cls.getSourceFile())) {
      // Under the class: within its range (a quick test), then up through the parents to it, the class's own part
      // on the way (decorators, name, heritage, or one of its members).
      if (n.pos < cls.pos || n.end > cls.end) continue;
      let part: ts.Node = n;
      while (part.parent && part.parent !== cls) part = part.parent;
      if (part.parent !== cls) continue;
      const left = n.left as ts.PropertyAccessExpression;
      const write = { left, right: n.right, op: n.operatorToken.kind, member: (cls.members as readonly ts.Node[]).includes(part) };
      const list = found.get(left.name.text);
      if (list) list.push(write);
      else found.set(left.name.text, [write]);
    }
    byName = holder[CLASS_WRITES] = found;
  }
  return byName;
}

/** `this.x`: the field's one value (its initializer, or its one assignment when it has none). */
export function fieldValue(e: ts.PropertyAccessExpression): ts.Expression | undefined {
  if (e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = classOfThis(e);
  if (!cls) return undefined;
  const name = e.name.text;
  const values = classWrites(cls).get(name) ?? [];
  const field = cls.members.find((m) => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name);
  const init = field && ts.isPropertyDeclaration(field) ? field.initializer : undefined;
  if (init) return values.length === 0 ? init : undefined;
  return values.length === 1 ? values[0].right : undefined;
}

/** `keys.dynamo` of `const keys = { dynamo: ... }`, when the file never assigns `keys.dynamo`: that member's value. */
export function memberValue(
  e: ts.PropertyAccessExpression,
  declared: (id: ts.Identifier) => ts.VariableDeclaration | 'other' | undefined,
): ts.Expression | undefined {
  const holder = unwrap(e.expression);
  if (!ts.isIdentifier(holder)) return undefined;
  const init = constInitializer(declared(holder));
  const o = init && unwrap(init);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  const p = o.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x.name) === e.name.text);
  if (!p || !ts.isPropertyAssignment(p)) return undefined;
  return assignsMember(e.getSourceFile(), holder.text, e.name.text) ? undefined : p.initializer;
}

/**
 * `keys[props.stage]` of `const keys = { prod: ..., dev: ... }` (members by name only, none assigned anywhere in the
 * file): the member values the lookup may give; and `missing`, why it may give none (undefined) at run time: an index
 * the object has no member for, or one read at run time (`props.stage`) that may name none of its members. Not
 * missing when the object's declared type lists its names (`Record<'dev' | 'prod', IKey>`: TypeScript then makes the
 * object hold them all, and the index be one). `subject`: what `missing` says it of (the name the lookup is read
 * through). Undefined when the object is not such a `const` (not read).
 */
export function indexedValues(
  e: ts.ElementAccessExpression,
  subject = e.getText(),
): { values: ts.Expression[]; missing?: string } | undefined {
  const c = constObjectOf(e.expression);
  if (!c) return undefined;
  const members = new Map<string, ts.Expression>();
  for (const p of c.literal.properties) {
    // `prod: key`, or `{ prod }` (the variable of that name).
    if (ts.isShorthandPropertyAssignment(p)) members.set(p.name.text, p.name);
    else if (ts.isPropertyAssignment(p) && propertyName(p.name) !== undefined) members.set(propertyName(p.name) as string, p.initializer);
    else return undefined;
  }
  if (assignsMember(e.getSourceFile(), c.name, 'any')) return undefined;
  const index = unwrap(e.argumentExpression);
  const names = [...members.keys()];
  const written = stringValue(index);
  if (written !== undefined) {
    const v = members.get(written);
    return v ? { values: [v] } : { values: [], missing: `${c.name} has no member ${written}` };
  }
  // The names the map's type lists, or the index's (`stage as 'dev' | 'prod'`, `stage as keyof typeof keys`, a parameter
  // `stage: Stage` with `type Stage = 'dev' | 'prod'`): each a member, the lookup gives one.
  const listed =
    recordNames(c.decl.type ?? satisfiedType(c.decl.initializer), c.name, names) ?? indexNames(e.argumentExpression, c.name, names);
  const total = !!listed && names.length > 0 && listed.every((n) => members.has(n));
  return {
    values: [...members.values()],
    ...(total
      ? {}
      : {
          missing: `${subject} is undefined where ${index.getText()} is ${names.length ? `none of ${names.join(', ')}` : `anything (${c.name} is empty)`}`,
        }),
  };
}

/** The names the index's type lists: a cast's (`as T`), or a parameter's of an enclosing function; `keyof typeof holder`: the map's own. */
function indexNames(arg: ts.Expression, holder: string, members: string[]): string[] | undefined {
  let e = arg;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isAsExpression(e)) return typeNames(e.type, holder, members, 0);
  if (!ts.isIdentifier(e)) return undefined;
  for (let cur: ts.Node | undefined = e.parent; cur; cur = cur.parent) {
    if (!ts.isFunctionLike(cur)) continue;
    const p = cur.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === (e as ts.Identifier).text);
    if (p) return p.type && !p.questionToken && !p.initializer ? typeNames(p.type, holder, members, 0) : undefined;
  }
  return undefined;
}

/** `'a' | 'b'`, `keyof typeof holder` (the members), or a type alias of the file naming one of these. */
function typeNames(t: ts.TypeNode, holder: string, members: string[], depth: number): string[] | undefined {
  if (depth > 4) return undefined;
  if (t.kind === ts.SyntaxKind.TypeOperator) {
    const op = t as unknown as { operator: ts.SyntaxKind; type: ts.TypeNode };
    const q = op.type;
    return op.operator === ts.SyntaxKind.KeyOfKeyword && ts.isTypeQueryNode(q) && q.exprName.getText() === holder ? members : undefined;
  }
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && !t.typeArguments) {
    const name = t.typeName.text;
    const alias = t
      .getSourceFile()
      .statements.find((st) => st.kind === ts.SyntaxKind.TypeAliasDeclaration && (st as ts.TypeAliasDeclaration).name.text === name);
    return alias ? typeNames((alias as ts.TypeAliasDeclaration).type, holder, members, depth + 1) : undefined;
  }
  return literalNames(t);
}

/** The type after `satisfies` of a declaration's initializer (`{ ... } satisfies Record<Stage, IKey>`). */
function satisfiedType(init: ts.Expression | undefined): ts.TypeNode | undefined {
  return init && ts.isSatisfiesExpression(init) ? init.type : undefined;
}

/** The names of `Record<'a' | 'b', V>` as written (string literals, or a type alias of them); undefined for any other type. */
function recordNames(t: ts.TypeNode | undefined, holder: string, members: string[]): string[] | undefined {
  if (!t || !ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName) || t.typeName.text !== 'Record' || !t.typeArguments?.[0])
    return undefined;
  return typeNames(t.typeArguments[0], holder, members, 0);
}

/** `'a' | 'b'` (or one `'a'`): the names; undefined for any other type. */
function literalNames(k: ts.TypeNode): string[] | undefined {
  const parts = k.kind === ts.SyntaxKind.UnionType ? [...(k as ts.UnionTypeNode).types] : [k];
  const out: string[] = [];
  for (const part of parts) {
    const lit = part.kind === ts.SyntaxKind.LiteralType ? (part as unknown as { literal: ts.Node }).literal : undefined;
    if (!lit || !ts.isStringLiteral(lit)) return undefined;
    out.push(lit.text);
  }
  return out;
}

/** Is the use proven set by an earlier `if (!x) throw ...` (or `x === undefined`, `== null`; or `return`) around it? */
export function guarded(use: ts.Expression): boolean {
  const text = unwrap(use).getText();
  for (let cur: ts.Node = use; cur.parent; cur = cur.parent) {
    const p = cur.parent;
    const statements = ts.isBlock(p) || ts.isSourceFile(p) ? p.statements : undefined;
    if (!statements) continue;
    for (const st of statements) {
      if (st.end > use.pos) break;
      if (ts.isIfStatement(st) && testsUnset(st.expression, text) && leaves(st.thenStatement)) return true;
    }
  }
  return false;
}

function testsUnset(cond: ts.Expression, text: string): boolean {
  const c = unwrap(cond);
  if (c.kind === ts.SyntaxKind.PrefixUnaryExpression) {
    const p = c as ts.PrefixUnaryExpression;
    return p.operator === ts.SyntaxKind.ExclamationToken && unwrap(p.operand).getText() === text;
  }
  if (!ts.isBinaryExpression(c)) return false;
  if (c.operatorToken.kind === ts.SyntaxKind.BarBarToken) return testsUnset(c.left, text) || testsUnset(c.right, text);
  const eq = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(c.operatorToken.kind);
  const unset = (x: ts.Expression) => /^(undefined|null)$/.test(unwrap(x).getText());
  return eq && ((unwrap(c.left).getText() === text && unset(c.right)) || (unwrap(c.right).getText() === text && unset(c.left)));
}

/** A statement that leaves: `throw`, `return`, or a block whose statements do. */
function leaves(st: ts.Statement): boolean {
  if (st.kind === ts.SyntaxKind.ThrowStatement || ts.isReturnStatement(st)) return true;
  return ts.isBlock(st) && st.statements.some((s) => s.kind === ts.SyntaxKind.ThrowStatement || ts.isReturnStatement(s));
}
